#pragma once
// TimelineReplay: an exported timeline (EventTimelineModel::exportJsonLines) read back, and the
// ensemble as it was after any prefix of it. The state is derived by folding the rows in file
// order, never stored: every StateChanged, EpochChanged, PhaseChanged and Commit row updates
// the server it names; the studio's own rows ("kill server 2", "kill the leader: server 2",
// "restart server 2", "pause server 2", "resume server 2") take a server down or bring it
// back; election rows (LookingStarted, VoteChanged, QuorumReached, LeaderElected) are parsed
// back into election events, so the cluster and vote models fold them exactly as they fold the
// live stream.
//
// The JSON lines grammar (one object per line, blank lines ignored):
//   {"t_ms":INT,"sid":INT,"kind":STRING,"category":STRING,"text":STRING}
// Rows with other kinds (VoteSent, Sync, Proposal, ...) are kept for the timeline but change
// nothing here.
//
// Thread: any; plain values, no QObject.

#include "models/cluster_model.h"
#include "models/event_timeline_model.h"

#include <QString>

#include <optional>
#include <vector>

namespace zoolab {

// The ensemble after the first `position` rows: one poll per server (what ClusterModel and
// the charts take) and the election events to fold into ClusterModel and VoteTableModel
// before the polls.
struct ReplayFrame
{
    std::vector<zk::Sid> sids;
    std::vector<NodePoll> polls;
    PeerEventBridge::Batch electionEvents;
    std::int64_t atMs = 0; // the time of the last folded row (0 before the first)
    std::optional<zk::Sid> leader;
};

class TimelineReplay
{
public:
    TimelineReplay() = default;
    explicit TimelineReplay(std::vector<TimelineEntry> entries);

    // Reads an exported file. On failure returns nothing and says why (with the line number)
    // in `error`. At most rowsMax rows are read.
    static std::optional<TimelineReplay> read(const QString& path, QString* error);
    static std::optional<TimelineEntry> parseLine(const QByteArray& line);

    int size() const { return int(m_entries.size()); }
    bool empty() const { return m_entries.empty(); }
    const std::vector<TimelineEntry>& entries() const { return m_entries; }
    std::int64_t startMs() const;
    std::int64_t endMs() const;
    // How many rows have t_ms <= atMs (rows are folded in file order, which is time order
    // except for a few milliseconds between a studio action and its events).
    int positionAt(std::int64_t atMs) const;
    ReplayFrame frameAt(int position) const;

    static constexpr int rowsMax = 200000;

private:
    std::vector<TimelineEntry> m_entries;
    std::vector<zk::Sid> m_sids;
};

} // namespace zoolab
