#include "models/metrics_series.h"

namespace zoolab {

namespace {

const std::deque<QPointF> noPoints;
const std::deque<Outage> noOutages;

} // namespace

void MetricsSeries::reset(const std::vector<zk::Sid>& sids)
{
    m_nodes.clear();
    for (zk::Sid sid : sids)
        m_nodes[sid] = Node{};
    m_leaders.clear();
    m_lastLeader.reset();
    m_sampled = false;
    m_lastS = 0;
}

std::vector<zk::Sid> MetricsSeries::sids() const
{
    std::vector<zk::Sid> out;
    for (const auto& [sid, node] : m_nodes)
        out.push_back(sid);
    return out;
}

std::int64_t MetricsSeries::txnsBetween(zk::Zxid before, zk::Zxid after)
{
    if (after <= before)
        return 0;
    if (zk::zxidEpoch(after) == zk::zxidEpoch(before))
        return zk::zxidCounter(after) - zk::zxidCounter(before);
    return zk::zxidCounter(after); // a new epoch counts from 0
}

void MetricsSeries::push(std::deque<QPointF>& series, QPointF point)
{
    series.push_back(point);
    while (series.size() > pointsMax)
        series.pop_front();
}

void MetricsSeries::track(std::deque<Outage>& outages, OutageKind kind, bool now, double atS)
{
    Outage* open = nullptr;
    for (auto it = outages.rbegin(); it != outages.rend(); ++it) {
        if (it->kind == kind && it->endS < 0) {
            open = &*it;
            break;
        }
    }
    if (now && !open) {
        outages.push_back({kind, atS, -1});
        while (outages.size() > periodsMax)
            outages.pop_front();
    } else if (!now && open) {
        open->endS = atS;
    }
}

void MetricsSeries::sample(std::int64_t atMs, const std::vector<NodePoll>& nodes,
                           const std::set<zk::Sid>& cutOff, std::optional<zk::Sid> servingLeader)
{
    const double atS = double(atMs) / 1000.0;
    m_lastS = atS;
    for (const NodePoll& poll : nodes) {
        auto it = m_nodes.find(poll.sid);
        if (it == m_nodes.end())
            continue;
        Node& node = it->second;
        track(node.outages, OutageKind::Down, !poll.running, atS);
        track(node.outages, OutageKind::Paused, poll.running && poll.paused, atS);
        track(node.outages, OutageKind::CutOff, poll.running && cutOff.contains(poll.sid), atS);
        if (!poll.status) {
            // Down: its dataDir holds the zxid it had; it serves no session and no request.
            node.applied.clear();
            if (!node.zxid.empty())
                push(node.zxid, {atS, node.zxid.back().y()});
            push(node.sessions, {atS, 0});
            push(node.rate, {atS, 0});
            for (auto* series : {&node.p50, &node.p99, &node.outstanding, &node.watches})
                push(*series, {atS, 0});
            continue;
        }
        push(node.p50, {atS, poll.status->latencyP50Ms});
        push(node.p99, {atS, poll.status->latencyP99Ms});
        push(node.outstanding, {atS, double(poll.status->outstandingRequests)});
        push(node.watches, {atS, double(poll.status->watches)});
        const zk::Zxid applied = poll.status->lastZxid;
        push(node.zxid, {atS, double(zk::zxidCounter(applied))});
        push(node.sessions, {atS, double(poll.status->sessions)});
        if (!poll.status->serving) {
            // Catching up from a leader (DIFF, SNAP) is not client load: the rate counts
            // commits only between two samples that both served.
            node.applied.clear();
            push(node.rate, {atS, 0});
            continue;
        }
        node.applied.emplace_back(atS, applied);
        while (node.applied.size() > 2 && node.applied[1].first <= atS - rateWindowS)
            node.applied.pop_front();
        const auto& [fromS, fromZxid] = node.applied.front();
        const double spanS = atS - fromS;
        const double rate = spanS > 0.05 ? double(txnsBetween(fromZxid, applied)) / spanS : 0.0;
        push(node.rate, {atS, rate});
    }
    if (!m_sampled || servingLeader != m_lastLeader) {
        if (m_sampled || servingLeader)
            m_leaders.push_back({atS, servingLeader.value_or(0)});
        while (m_leaders.size() > periodsMax)
            m_leaders.pop_front();
        m_lastLeader = servingLeader;
    }
    m_sampled = true;
}

const std::deque<QPointF>& MetricsSeries::zxidCounter(zk::Sid sid) const
{
    auto it = m_nodes.find(sid);
    return it == m_nodes.end() ? noPoints : it->second.zxid;
}

const std::deque<QPointF>& MetricsSeries::sessions(zk::Sid sid) const
{
    auto it = m_nodes.find(sid);
    return it == m_nodes.end() ? noPoints : it->second.sessions;
}

const std::deque<QPointF>& MetricsSeries::requestRate(zk::Sid sid) const
{
    auto it = m_nodes.find(sid);
    return it == m_nodes.end() ? noPoints : it->second.rate;
}

const std::deque<QPointF>& MetricsSeries::seriesOf(const std::map<zk::Sid, Node>& nodes,
                                                   zk::Sid sid, std::deque<QPointF> Node::*member)
{
    auto it = nodes.find(sid);
    return it == nodes.end() ? noPoints : it->second.*member;
}

const std::deque<QPointF>& MetricsSeries::latencyP50(zk::Sid sid) const
{
    return seriesOf(m_nodes, sid, &Node::p50);
}

const std::deque<QPointF>& MetricsSeries::latencyP99(zk::Sid sid) const
{
    return seriesOf(m_nodes, sid, &Node::p99);
}

const std::deque<QPointF>& MetricsSeries::outstanding(zk::Sid sid) const
{
    return seriesOf(m_nodes, sid, &Node::outstanding);
}

const std::deque<QPointF>& MetricsSeries::watches(zk::Sid sid) const
{
    return seriesOf(m_nodes, sid, &Node::watches);
}

const std::deque<Outage>& MetricsSeries::outages(zk::Sid sid) const
{
    auto it = m_nodes.find(sid);
    return it == m_nodes.end() ? noOutages : it->second.outages;
}

} // namespace zoolab
