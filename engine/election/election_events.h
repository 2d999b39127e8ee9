#pragma once
// What FastLeaderElection reports besides its messages: plain values with one stable text
// form each, for traces, scenario scripts and the studio. toString() never changes meaning
// between runs: no addresses, no clocks, sids sorted.

#include "core/ids.h"
#include "election/vote.h"
#include "proto/quorum_messages.h"

#include <string>
#include <variant>
#include <vector>

namespace zk {

// startLooking() began a round (lookForLeader) with this server's own vote.
struct LookingStarted
{
    Epoch round = 0;
    Vote vote;
};

struct VoteSent
{
    Sid to = 0;
    Notification notification;
};

// A notification from another server reached the election (self-delivery is not reported).
struct VoteReceived
{
    Sid from = 0;
    Notification notification;
};

// A LOOKING notification with a larger electionEpoch moved our round forward.
struct RoundChanged
{
    Epoch from = 0;
    Epoch to = 0;
    Sid by = 0;
};

// Our proposal changed: `rule` is why `to` beat `from` (or OwnVote for a round reset).
struct VoteChanged
{
    Vote from;
    Vote to;
    VoteRule rule = VoteRule::HigherSid;
    Sid by = 0;
};

// A quorum agrees on our proposal; finalizeWait starts.
struct QuorumReached
{
    Vote vote;
    std::vector<Sid> voters = {}; // Sorted.
};

// A better vote arrived during finalizeWait; the round goes on.
struct FinalizeInterrupted
{
    Sid by = 0;
    Vote vote;
};

// Nothing arrived for the notification timeout: notifications went out again.
struct NotificationTimeout
{
    int nextIntervalMs = 0;
};

// The election ended: `state` is LEADING, FOLLOWING or OBSERVING.
struct LeaderElected
{
    Vote vote;
    ServerState state = ServerState::Looking;
    std::vector<Sid> voters = {}; // Sorted; the quorum that decided.
    bool outOfElection = false;   // Decided on FOLLOWING/LEADING votes (joined a sitting leader).
};

using ElectionEvent =
    std::variant<LookingStarted, VoteSent, VoteReceived, RoundChanged, VoteChanged, QuorumReached,
                 FinalizeInterrupted, NotificationTimeout, LeaderElected>;

// E.g. "VoteChanged (1, 0, 0) -> (2, 0, 0) by=2 rule=same zxid, higher sid".
std::string toString(const ElectionEvent& event);
std::string joinSids(const std::vector<Sid>& sids); // "1,2,3"

} // namespace zk
