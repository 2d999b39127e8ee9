#pragma once
// QuorumVerifier decides whether a set of servers is a quorum: a plain majority of the voting
// members (as QuorumMaj) or, when groups are configured, a majority of groups each holding a
// majority of its weight (as QuorumHierarchical). Observers are never voters. An immutable
// value, built once from the configuration and copied into each election.

#include "config/server_config.h"
#include "core/ids.h"

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace zk {

class QuorumVerifier
{
public:
    QuorumVerifier() = default;

    // QuorumMaj over `participants`; `observers` only receive replies.
    static QuorumVerifier majority(const std::vector<Sid>& participants,
                                   const std::vector<Sid>& observers = {});
    // QuorumHierarchical: `groups` maps a group id to its sids; `weights` gives a sid's
    // weight (default 1). Every participant must be in exactly one group.
    static QuorumVerifier hierarchical(const std::map<std::int64_t, std::vector<Sid>>& groups,
                                       const std::map<Sid, std::int64_t>& weights,
                                       const std::vector<Sid>& observers = {});
    // From zoo.cfg: hierarchical when group lines exist, else majority.
    static QuorumVerifier fromConfig(const ServerConfig& config);

    bool isVoter(Sid sid) const { return m_voters.contains(sid); }
    bool isObserver(Sid sid) const { return m_observers.contains(sid); }
    // QuorumMaj.getWeight is 1 for any sid; QuorumHierarchical returns the configured weight
    // (0 for a sid it does not know).
    std::int64_t weight(Sid sid) const;
    bool containsQuorum(const std::set<Sid>& sids) const;

    const std::set<Sid>& voters() const { return m_voters; }
    const std::set<Sid>& observers() const { return m_observers; }
    bool isHierarchical() const { return m_hierarchical; }

private:
    std::set<Sid> m_voters;
    std::set<Sid> m_observers;
    bool m_hierarchical = false;
    std::map<Sid, std::int64_t> m_weights; // Hierarchical only.
    std::map<Sid, std::int64_t> m_groupOf; // Hierarchical only.
    std::map<std::int64_t, std::int64_t> m_groupWeight;
    std::int64_t m_weightedGroups = 0; // Groups whose weight is not 0.
};

} // namespace zk
