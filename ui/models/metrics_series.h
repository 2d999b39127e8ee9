#pragma once
// MetricsSeries: the numbers the cluster charts draw, per server, sampled from each status poll
// (5 Hz): the zxid counter of its last processed zxid, its session count, requests per second
// derived from commits (committed txns applied over the last second while it serves: counter
// deltas within an epoch, the new counter across a new epoch; catching up from a leader is not
// counted), and its client traffic as the server itself measures it (reply latency p50 and p99
// over the last second, outstanding requests, watches). A server that is down keeps the zxid
// its dataDir holds and counts no sessions, requests, latency or watches. It also keeps the
// periods a server was down, paused or cut off, and the moments the serving leader changed, so
// the charts can shade and mark them.
//
// Times are seconds on the controller's clock. Bounded: at most pointsMax points per series
// and periodsMax periods per server; the oldest go first.
//
// Thread: GUI thread only. Plain data (no Qt model): charts redraw it in bulk from a QTimer.

#include "models/cluster_model.h"

#include <QPointF>

#include <deque>
#include <map>
#include <optional>
#include <set>
#include <vector>

namespace zoolab {

enum class OutageKind
{
    Down,
    Paused,
    CutOff
};

struct Outage
{
    OutageKind kind = OutageKind::Down;
    double startS = 0;
    double endS = -1; // -1: still going on
};

struct LeaderMark
{
    double atS = 0;
    zk::Sid leader = 0; // 0: no serving leader from here on
};

class MetricsSeries
{
public:
    void reset(const std::vector<zk::Sid>& sids);
    // One poll: every server's status; `cutOff` are the live servers whose direct links reach
    // neither a majority nor the serving leader.
    void sample(std::int64_t atMs, const std::vector<NodePoll>& nodes,
                const std::set<zk::Sid>& cutOff, std::optional<zk::Sid> servingLeader);

    std::vector<zk::Sid> sids() const;
    const std::deque<QPointF>& zxidCounter(zk::Sid sid) const;
    const std::deque<QPointF>& sessions(zk::Sid sid) const;
    const std::deque<QPointF>& requestRate(zk::Sid sid) const;
    const std::deque<QPointF>& latencyP50(zk::Sid sid) const; // ms
    const std::deque<QPointF>& latencyP99(zk::Sid sid) const; // ms
    const std::deque<QPointF>& outstanding(zk::Sid sid) const;
    const std::deque<QPointF>& watches(zk::Sid sid) const;
    const std::deque<Outage>& outages(zk::Sid sid) const;
    const std::deque<LeaderMark>& leaderMarks() const { return m_leaders; }
    double lastS() const { return m_lastS; }

    // Committed txns between two applied zxids of one server.
    static std::int64_t txnsBetween(zk::Zxid before, zk::Zxid after);

    static constexpr std::size_t pointsMax = 3000; // 10 minutes at 5 Hz
    static constexpr std::size_t periodsMax = 200;
    static constexpr double rateWindowS = 1.0;

private:
    struct Node
    {
        std::deque<QPointF> zxid;
        std::deque<QPointF> sessions;
        std::deque<QPointF> rate;
        std::deque<QPointF> p50;
        std::deque<QPointF> p99;
        std::deque<QPointF> outstanding;
        std::deque<QPointF> watches;
        std::deque<std::pair<double, zk::Zxid>> applied; // for the rate window
        std::deque<Outage> outages;
    };
    static void push(std::deque<QPointF>& series, QPointF point);
    static const std::deque<QPointF>& seriesOf(const std::map<zk::Sid, Node>& nodes, zk::Sid sid,
                                               std::deque<QPointF> Node::*member);
    static void track(std::deque<Outage>& outages, OutageKind kind, bool now, double atS);

    std::map<zk::Sid, Node> m_nodes;
    std::deque<LeaderMark> m_leaders;
    std::optional<zk::Sid> m_lastLeader;
    bool m_sampled = false;
    double m_lastS = 0;
};

} // namespace zoolab
