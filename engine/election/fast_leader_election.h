#pragma once
// FastLeaderElection is Apache ZooKeeper's leader election (FastLeaderElection.java, with its
// WorkerReceiver) as a pure state machine. Not thread-safe: one thread calls it. No clocks,
// sockets or threads: time advances only through tick(), messages come in through receive()
// and go out through takeOutput(). The caller (the quorum peer, or the simulator) does the I/O.
//
// Lifecycle, as QuorumPeer drives lookForLeader:
//   1. startLooking(lastLoggedZxid, currentEpoch) opens a round: logicalclock + 1, proposal =
//      our own vote (Long.MIN_VALUE fields for an observer), notifications to every voter.
//   2. receive() and tick() until an output carries a decision (state LEADING, FOLLOWING or
//      OBSERVING). The election then answers LOOKING peers with that vote and state.
//   3. When the role ends (the leader is lost), call startLooking() again.
//   updateElectionVote(epoch) reports a newly established epoch (QuorumPeer.updateElectionVote).
//
// Notifications to ourselves (Apache delivers them through the receive queue) are processed
// right after the input that produced them and never appear in the output. finalizeWait and
// the notification timeout are counted in ticks of tickMs, rounded up, at least one tick.
//
// Output: for each takeOutput(), send `send` in order (loss is always legal), then act on
// `decision`, then publish `events`.

#include "core/ids.h"
#include "election/election_events.h"
#include "election/quorum_verifier.h"
#include "election/vote.h"
#include "proto/quorum_messages.h"

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <vector>

namespace zk {

struct ElectionConfig
{
    Sid myId = 0;
    QuorumVerifier quorum = {};
    int tickMs = 10;
    int finalizeWaitMs = 200;                  // FastLeaderElection.finalizeWait
    int minNotificationIntervalMs = 200;       // zookeeper.fastleader.minNotificationInterval
    int maxNotificationIntervalMs = 60000;     // zookeeper.fastleader.maxNotificationInterval
    std::vector<std::uint8_t> configData = {}; // Our QuorumVerifier text, sent in notifications.
};

struct OutgoingNotification
{
    Sid to = 0;
    Notification notification;
    std::string toString() const; // "to=2 LOOKING leader=3 ..."
};

struct ElectionDecision
{
    Vote vote; // The end vote: leader, zxid, round and peerEpoch.
    ServerState state = ServerState::Looking;
    std::vector<Sid> voters = {}; // The agreeing quorum, sorted.
    bool outOfElection = false;
};

struct ElectionOutput
{
    std::vector<OutgoingNotification> send;
    std::optional<ElectionDecision> decision;
    std::vector<ElectionEvent> events;
};

class FastLeaderElection
{
public:
    explicit FastLeaderElection(ElectionConfig config);

    void startLooking(Zxid lastLoggedZxid, Epoch currentEpoch);
    // One notification from `from`, already decoded. Ignored before the first startLooking().
    void receive(Sid from, const Notification& notification);
    void tick();
    void updateElectionVote(Epoch newEpoch);

    bool hasOutput() const;
    ElectionOutput takeOutput();

    ServerState state() const { return m_state; }
    bool started() const { return m_started; }
    bool isObserver() const { return !m_config.quorum.isVoter(m_config.myId); }
    bool isFinalizing() const { return m_finalizeTicksLeft > 0; }
    Epoch logicalClock() const { return m_logicalClock; }
    Vote proposal() const; // getVote(): the proposal with the current round, LOOKING.
    const Vote& currentVote() const { return m_currentVote; }
    int notificationIntervalMs() const { return m_notTimeoutMs; }
    const ElectionConfig& config() const { return m_config; }

private:
    void handle(Sid from, const Notification& n);
    void lookStep(Sid from, ServerState senderState, const Notification& n);
    void onLooking(Sid from, const Notification& n);
    void onOutOfElection(Sid from, ServerState senderState, const Notification& n);
    void sendNotifications();
    void reply(Sid to, const Vote& vote, Epoch electionEpoch);
    void updateProposal(const VoteKey& key, VoteRule rule, Sid by);
    void decide(const Vote& endVote, std::vector<Sid> voters, bool outOfElection);
    void drainSelf();

    VoteKey initKey() const;
    VoteKey proposalKey() const { return {m_proposedLeader, m_proposedZxid, m_proposedEpoch}; }
    bool validVoter(Sid sid) const { return m_config.quorum.isVoter(sid); }
    std::vector<Sid> agreeing(const std::map<Sid, Vote>& votes, const Vote& probe) const;
    bool checkLeader(const std::map<Sid, Vote>& votes, Sid leader, Epoch electionEpoch) const;
    ServerState learningState() const;
    int ticksFor(int ms) const;

    ElectionConfig m_config;
    bool m_started = false;
    ServerState m_state = ServerState::Looking;
    Epoch m_logicalClock = 0;
    Sid m_proposedLeader = -1;
    Zxid m_proposedZxid = -1;
    Epoch m_proposedEpoch = -1;
    Zxid m_lastLoggedZxid = 0;
    Epoch m_currentEpoch = 0;
    Vote m_currentVote; // QuorumPeer.getCurrentVote: what we answer when not LOOKING.

    std::map<Sid, Vote> m_recvset;
    std::map<Sid, Vote> m_outOfElection;
    std::vector<Sid> m_finalVoters;
    int m_finalizeTicksLeft = 0;
    int m_idleTicks = 0;
    int m_notTimeoutMs = 0;

    std::deque<Notification> m_selfQueue;
    ElectionOutput m_output;
};

} // namespace zk
