#pragma once
// Votes of FastLeaderElection and the order between them. Plain values; used by the election
// state machine, the simulator's checkers and the tests.

#include "core/ids.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace zk {

class QuorumVerifier;

// QuorumPeer.ServerState; the ordinal is what notifications carry.
enum class ServerState : std::int32_t
{
    Looking = 0,
    Following = 1,
    Leading = 2,
    Observing = 3
};

// "LOOKING", "FOLLOWING", "LEADING", "OBSERVING".
std::string_view toString(ServerState state);
std::optional<ServerState> serverStateFromOrdinal(std::int32_t ordinal);

// As Apache's Vote: the proposed leader `id` with its zxid and peer epoch, the election round
// it was cast in, and the voter's state. Votes built by the election itself have version 0,
// as Apache's short constructors do; received out-of-election votes keep the sender's version.
struct Vote
{
    Sid id = 0;
    Zxid zxid = 0;
    Epoch electionEpoch = 0;
    Epoch peerEpoch = 0;
    ServerState state = ServerState::Looking;
    std::int32_t version = 0x0;

    // "(2, 0x100000000, 1)": id, zxid, peerEpoch (hex), as Vote.toString.
    std::string toString() const;
};

// Vote.equals: when either vote is LOOKING, all of id, zxid, electionEpoch and peerEpoch must
// match; otherwise only id and peerEpoch (ZOOKEEPER-1805), or only id when exactly one of the
// two has a version above 0 (ZOOKEEPER-1732, mixed ensembles).
bool sameVote(const Vote& a, const Vote& b);

// Which rule of the total order made a candidate win.
enum class VoteRule
{
    HigherEpoch,
    HigherZxid,
    HigherSid,
    OwnVote // Not a comparison: a new round reset the proposal to this server's own vote.
};

// "higher epoch", "higher zxid", "same zxid, higher sid", "own vote".
std::string_view toString(VoteRule rule);

// The three fields the total order compares.
struct VoteKey
{
    Sid id = 0;
    Zxid zxid = 0;
    Epoch peerEpoch = 0;
};

// A candidate wins if its peer epoch is higher, then its zxid, then its sid; a candidate
// with weight 0 in `quorum` never wins (as FastLeaderElection.totalOrderPredicate). Returns
// the rule that decided, or nothing when the candidate does not win.
std::optional<VoteRule> winningRule(const VoteKey& candidate, const VoteKey& current,
                                    const QuorumVerifier& quorum);
bool totalOrderPredicate(const VoteKey& candidate, const VoteKey& current,
                         const QuorumVerifier& quorum);

} // namespace zk
