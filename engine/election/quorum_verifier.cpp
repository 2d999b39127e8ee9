#include "election/quorum_verifier.h"

#include "core/assert.h"

namespace zk {

QuorumVerifier QuorumVerifier::majority(const std::vector<Sid>& participants,
                                        const std::vector<Sid>& observers)
{
    QuorumVerifier qv;
    qv.m_voters.insert(participants.begin(), participants.end());
    qv.m_observers.insert(observers.begin(), observers.end());
    for (Sid sid : qv.m_observers)
        ZK_ASSERT(!qv.m_voters.contains(sid));
    return qv;
}

QuorumVerifier QuorumVerifier::hierarchical(const std::map<std::int64_t, std::vector<Sid>>& groups,
                                            const std::map<Sid, std::int64_t>& weights,
                                            const std::vector<Sid>& observers)
{
    QuorumVerifier qv;
    qv.m_hierarchical = true;
    qv.m_observers.insert(observers.begin(), observers.end());
    for (const auto& [gid, sids] : groups) {
        std::int64_t total = 0;
        for (Sid sid : sids) {
            ZK_ASSERT(!qv.m_groupOf.contains(sid));
            const auto it = weights.find(sid);
            const std::int64_t w = it == weights.end() ? 1 : it->second;
            qv.m_groupOf[sid] = gid;
            qv.m_weights[sid] = w;
            qv.m_voters.insert(sid);
            total += w;
        }
        qv.m_groupWeight[gid] = total;
        if (total != 0)
            ++qv.m_weightedGroups;
    }
    return qv;
}

QuorumVerifier QuorumVerifier::fromConfig(const ServerConfig& config)
{
    std::vector<Sid> participants;
    std::vector<Sid> observers;
    for (const auto& [sid, server] : config.servers) {
        if (server.type == PeerType::Observer)
            observers.push_back(sid);
        else
            participants.push_back(sid);
    }
    if (config.groups.empty())
        return majority(participants, observers);
    return hierarchical(config.groups, config.weights, observers);
}

std::int64_t QuorumVerifier::weight(Sid sid) const
{
    if (!m_hierarchical)
        return 1;
    const auto it = m_weights.find(sid);
    return it == m_weights.end() ? 0 : it->second;
}

bool QuorumVerifier::containsQuorum(const std::set<Sid>& sids) const
{
    if (!m_hierarchical) {
        std::size_t count = 0;
        for (Sid sid : sids)
            count += m_voters.contains(sid) ? 1 : 0;
        return count > m_voters.size() / 2;
    }
    // As QuorumHierarchical.containsQuorum: sum weights per group, count the groups holding
    // more than half their weight, and require more than half of the weighted groups.
    if (sids.empty())
        return false;
    std::map<std::int64_t, std::int64_t> expansion;
    for (Sid sid : sids) {
        const auto it = m_groupOf.find(sid);
        if (it != m_groupOf.end())
            expansion[it->second] += m_weights.at(sid);
    }
    std::int64_t majorityGroups = 0;
    for (const auto& [gid, w] : expansion) {
        if (w > m_groupWeight.at(gid) / 2)
            ++majorityGroups;
    }
    return majorityGroups > m_weightedGroups / 2;
}

} // namespace zk
