#include "election/vote.h"

#include "election/quorum_verifier.h"

#include <fmt/format.h>

namespace zk {

std::string_view toString(ServerState state)
{
    switch (state) {
    case ServerState::Looking:
        return "LOOKING";
    case ServerState::Following:
        return "FOLLOWING";
    case ServerState::Leading:
        return "LEADING";
    case ServerState::Observing:
        return "OBSERVING";
    }
    return "?";
}

std::optional<ServerState> serverStateFromOrdinal(std::int32_t ordinal)
{
    if (ordinal < 0 || ordinal > 3)
        return std::nullopt;
    return static_cast<ServerState>(ordinal);
}

std::string Vote::toString() const
{
    return fmt::format("({}, {:x}, {:x})", id, static_cast<std::uint64_t>(zxid),
                       static_cast<std::uint64_t>(peerEpoch));
}

bool sameVote(const Vote& a, const Vote& b)
{
    if (a.state == ServerState::Looking || b.state == ServerState::Looking) {
        return a.id == b.id && a.zxid == b.zxid && a.electionEpoch == b.electionEpoch &&
               a.peerEpoch == b.peerEpoch;
    }
    if ((a.version > 0x0) != (b.version > 0x0))
        return a.id == b.id;
    return a.id == b.id && a.peerEpoch == b.peerEpoch;
}

std::string_view toString(VoteRule rule)
{
    switch (rule) {
    case VoteRule::HigherEpoch:
        return "higher epoch";
    case VoteRule::HigherZxid:
        return "higher zxid";
    case VoteRule::HigherSid:
        return "same zxid, higher sid";
    case VoteRule::OwnVote:
        return "own vote";
    }
    return "?";
}

std::optional<VoteRule> winningRule(const VoteKey& candidate, const VoteKey& current,
                                    const QuorumVerifier& quorum)
{
    if (quorum.weight(candidate.id) == 0)
        return std::nullopt;
    if (candidate.peerEpoch != current.peerEpoch) {
        if (candidate.peerEpoch > current.peerEpoch)
            return VoteRule::HigherEpoch;
        return std::nullopt;
    }
    if (candidate.zxid != current.zxid) {
        if (candidate.zxid > current.zxid)
            return VoteRule::HigherZxid;
        return std::nullopt;
    }
    if (candidate.id > current.id)
        return VoteRule::HigherSid;
    return std::nullopt;
}

bool totalOrderPredicate(const VoteKey& candidate, const VoteKey& current,
                         const QuorumVerifier& quorum)
{
    return winningRule(candidate, current, quorum).has_value();
}

} // namespace zk
