#include "election/fast_leader_election.h"

#include "core/assert.h"

#include <algorithm>
#include <fmt/format.h>
#include <limits>
#include <set>

namespace zk {

namespace {

constexpr std::int64_t kMinValue = std::numeric_limits<std::int64_t>::min();
// Self-notifications are at most one per proposal change; this bounds a runaway loop.
constexpr int kSelfDeliveriesMax = 1024;

VoteKey keyOf(const Notification& n)
{
    return {n.leader, n.zxid, n.peerEpoch};
}

} // namespace

std::string OutgoingNotification::toString() const
{
    return fmt::format("to={} {}", to, notification.toString());
}

FastLeaderElection::FastLeaderElection(ElectionConfig config) : m_config(std::move(config))
{
    ZK_ASSERT(m_config.tickMs > 0);
    ZK_ASSERT(m_config.minNotificationIntervalMs > 0);
    ZK_ASSERT(m_config.maxNotificationIntervalMs >= m_config.minNotificationIntervalMs);
    ZK_ASSERT(m_config.quorum.isVoter(m_config.myId) || m_config.quorum.isObserver(m_config.myId));
    m_notTimeoutMs = m_config.minNotificationIntervalMs;
}

int FastLeaderElection::ticksFor(int ms) const
{
    return std::max(1, (ms + m_config.tickMs - 1) / m_config.tickMs);
}

VoteKey FastLeaderElection::initKey() const
{
    // getInitId, getInitLastLoggedZxid and getPeerEpoch: an observer proposes nobody.
    if (!validVoter(m_config.myId))
        return {kMinValue, kMinValue, kMinValue};
    return {m_config.myId, m_lastLoggedZxid, m_currentEpoch};
}

Vote FastLeaderElection::proposal() const
{
    return Vote{.id = m_proposedLeader,
                .zxid = m_proposedZxid,
                .electionEpoch = m_logicalClock,
                .peerEpoch = m_proposedEpoch};
}

ServerState FastLeaderElection::learningState() const
{
    return validVoter(m_config.myId) ? ServerState::Following : ServerState::Observing;
}

void FastLeaderElection::startLooking(Zxid lastLoggedZxid, Epoch currentEpoch)
{
    if (!m_started) {
        // QuorumPeer.startLeaderElection: the vote we report before any election ended.
        m_currentVote = Vote{.id = m_config.myId,
                             .zxid = lastLoggedZxid,
                             .electionEpoch = -1,
                             .peerEpoch = currentEpoch};
    }
    m_started = true;
    m_state = ServerState::Looking;
    m_lastLoggedZxid = lastLoggedZxid;
    m_currentEpoch = currentEpoch;
    m_recvset.clear();
    m_outOfElection.clear();
    m_finalVoters.clear();
    m_finalizeTicksLeft = 0;
    m_idleTicks = 0;
    m_notTimeoutMs = m_config.minNotificationIntervalMs;
    m_selfQueue.clear();

    ++m_logicalClock;
    const VoteKey own = initKey();
    m_proposedLeader = own.id;
    m_proposedZxid = own.zxid;
    m_proposedEpoch = own.peerEpoch;
    m_output.events.push_back(LookingStarted{m_logicalClock, proposal()});
    sendNotifications();
    drainSelf();
}

void FastLeaderElection::receive(Sid from, const Notification& notification)
{
    if (!m_started)
        return;
    handle(from, notification);
    drainSelf();
}

void FastLeaderElection::tick()
{
    if (!m_started || m_state != ServerState::Looking)
        return;
    if (m_finalizeTicksLeft > 0) {
        if (--m_finalizeTicksLeft == 0)
            decide(proposal(), m_finalVoters, false);
        return;
    }
    if (++m_idleTicks < ticksFor(m_notTimeoutMs))
        return;
    // The poll timed out: send again and back off (lookForLeader's notTimeout).
    m_idleTicks = 0;
    sendNotifications();
    m_notTimeoutMs = std::min(m_notTimeoutMs * 2, m_config.maxNotificationIntervalMs);
    m_output.events.push_back(NotificationTimeout{m_notTimeoutMs});
    drainSelf();
}

void FastLeaderElection::updateElectionVote(Epoch newEpoch)
{
    m_currentVote.peerEpoch = newEpoch;
}

bool FastLeaderElection::hasOutput() const
{
    return !m_output.send.empty() || m_output.decision.has_value() || !m_output.events.empty();
}

ElectionOutput FastLeaderElection::takeOutput()
{
    ElectionOutput output = std::move(m_output);
    m_output = {};
    return output;
}

void FastLeaderElection::drainSelf()
{
    for (int delivered = 0; !m_selfQueue.empty(); ++delivered) {
        ZK_ASSERT(delivered < kSelfDeliveriesMax);
        const Notification n = std::move(m_selfQueue.front());
        m_selfQueue.pop_front();
        handle(m_config.myId, n);
    }
}

// WorkerReceiver.run: answer whoever needs an answer, then hand the notification to the
// lookForLeader loop if we are LOOKING.
void FastLeaderElection::handle(Sid from, const Notification& n)
{
    if (!validVoter(from)) {
        reply(from, m_currentVote, m_logicalClock);
        return;
    }
    const std::optional<ServerState> senderState = serverStateFromOrdinal(n.state);
    if (!senderState)
        return;
    if (from != m_config.myId)
        m_output.events.push_back(VoteReceived{from, n});
    if (m_state == ServerState::Looking) {
        if (*senderState == ServerState::Looking && n.electionEpoch < m_logicalClock)
            reply(from, proposal(), m_logicalClock);
        lookStep(from, *senderState, n);
    } else if (*senderState == ServerState::Looking) {
        reply(from, m_currentVote, m_currentVote.electionEpoch);
    }
}

void FastLeaderElection::reply(Sid to, const Vote& vote, Epoch electionEpoch)
{
    if (to == m_config.myId)
        return;
    Notification n{.state = static_cast<std::int32_t>(m_state),
                   .leader = vote.id,
                   .zxid = vote.zxid,
                   .electionEpoch = electionEpoch,
                   .peerEpoch = vote.peerEpoch,
                   .version = kNotificationCurrentVersion,
                   .config = m_config.configData};
    m_output.events.push_back(VoteSent{to, n});
    m_output.send.push_back({to, std::move(n)});
}

void FastLeaderElection::sendNotifications()
{
    for (Sid sid : m_config.quorum.voters()) {
        Notification n{.state = static_cast<std::int32_t>(ServerState::Looking),
                       .leader = m_proposedLeader,
                       .zxid = m_proposedZxid,
                       .electionEpoch = m_logicalClock,
                       .peerEpoch = m_proposedEpoch,
                       .version = kNotificationCurrentVersion,
                       .config = m_config.configData};
        if (sid == m_config.myId) {
            m_selfQueue.push_back(std::move(n));
            continue;
        }
        m_output.events.push_back(VoteSent{sid, n});
        m_output.send.push_back({sid, std::move(n)});
    }
}

// One notification taken by the lookForLeader loop.
void FastLeaderElection::lookStep(Sid from, ServerState senderState, const Notification& n)
{
    if (m_finalizeTicksLeft > 0) {
        // The finalizeWait poll: a better vote goes back to the main loop; anything else is
        // consumed and the wait starts over.
        if (!totalOrderPredicate(keyOf(n), proposalKey(), m_config.quorum)) {
            m_finalizeTicksLeft = ticksFor(m_config.finalizeWaitMs);
            return;
        }
        m_finalizeTicksLeft = 0;
        m_output.events.push_back(FinalizeInterrupted{from, Vote{.id = n.leader,
                                                                 .zxid = n.zxid,
                                                                 .electionEpoch = n.electionEpoch,
                                                                 .peerEpoch = n.peerEpoch}});
    }
    m_idleTicks = 0;
    if (!validVoter(from) || !validVoter(n.leader))
        return;
    switch (senderState) {
    case ServerState::Looking:
        onLooking(from, n);
        break;
    case ServerState::Observing:
        break;
    case ServerState::Following:
    case ServerState::Leading:
        onOutOfElection(from, senderState, n);
        break;
    }
}

void FastLeaderElection::onLooking(Sid from, const Notification& n)
{
    if (initKey().zxid == -1 || n.zxid == -1)
        return;
    if (n.electionEpoch > m_logicalClock) {
        m_output.events.push_back(RoundChanged{m_logicalClock, n.electionEpoch, from});
        m_logicalClock = n.electionEpoch;
        m_recvset.clear();
        if (const auto rule = winningRule(keyOf(n), initKey(), m_config.quorum))
            updateProposal(keyOf(n), *rule, from);
        else
            updateProposal(initKey(), VoteRule::OwnVote, from);
        sendNotifications();
    } else if (n.electionEpoch < m_logicalClock) {
        return;
    } else if (const auto rule = winningRule(keyOf(n), proposalKey(), m_config.quorum)) {
        updateProposal(keyOf(n), *rule, from);
        sendNotifications();
    }

    m_recvset[from] = Vote{
        .id = n.leader, .zxid = n.zxid, .electionEpoch = n.electionEpoch, .peerEpoch = n.peerEpoch};
    const Vote probe = proposal();
    std::vector<Sid> voters = agreeing(m_recvset, probe);
    if (m_config.quorum.containsQuorum({voters.begin(), voters.end()})) {
        m_output.events.push_back(QuorumReached{probe, voters});
        m_finalVoters = std::move(voters);
        m_finalizeTicksLeft = ticksFor(m_config.finalizeWaitMs);
    }
}

void FastLeaderElection::onOutOfElection(Sid from, ServerState senderState, const Notification& n)
{
    const Vote endVote{
        .id = n.leader, .zxid = n.zxid, .electionEpoch = n.electionEpoch, .peerEpoch = n.peerEpoch};
    // Votes of the same round count together with the LOOKING ones (stored with version 0).
    if (n.electionEpoch == m_logicalClock) {
        Vote stored = endVote;
        stored.state = senderState;
        m_recvset[from] = stored;
        Vote probe = stored;
        probe.version = n.version;
        std::vector<Sid> voters = agreeing(m_recvset, probe);
        if (m_config.quorum.containsQuorum({voters.begin(), voters.end()}) &&
            checkLeader(m_recvset, n.leader, n.electionEpoch)) {
            decide(endVote, std::move(voters), true);
            return;
        }
    }
    // A late joiner follows a leader that a quorum follows (ZOOKEEPER-1732).
    Vote vote = endVote;
    vote.state = senderState;
    vote.version = n.version;
    m_outOfElection[from] = vote;
    std::vector<Sid> voters = agreeing(m_outOfElection, vote);
    if (m_config.quorum.containsQuorum({voters.begin(), voters.end()}) &&
        checkLeader(m_outOfElection, n.leader, n.electionEpoch)) {
        if (m_logicalClock != n.electionEpoch)
            m_output.events.push_back(RoundChanged{m_logicalClock, n.electionEpoch, from});
        m_logicalClock = n.electionEpoch;
        decide(endVote, std::move(voters), true);
    }
}

void FastLeaderElection::updateProposal(const VoteKey& key, VoteRule rule, Sid by)
{
    const Vote before = proposal();
    m_proposedLeader = key.id;
    m_proposedZxid = key.zxid;
    m_proposedEpoch = key.peerEpoch;
    const Vote after = proposal();
    if (before.id != after.id || before.zxid != after.zxid || before.peerEpoch != after.peerEpoch)
        m_output.events.push_back(VoteChanged{before, after, rule, by});
}

std::vector<Sid> FastLeaderElection::agreeing(const std::map<Sid, Vote>& votes,
                                              const Vote& probe) const
{
    std::vector<Sid> sids;
    for (const auto& [sid, vote] : votes) {
        if (sameVote(vote, probe))
            sids.push_back(sid);
    }
    return sids;
}

// checkLeader: another server may be followed only once it has said it is LEADING; we may
// lead only in the round we are in.
bool FastLeaderElection::checkLeader(const std::map<Sid, Vote>& votes, Sid leader,
                                     Epoch electionEpoch) const
{
    if (leader != m_config.myId) {
        const auto it = votes.find(leader);
        return it != votes.end() && it->second.state == ServerState::Leading;
    }
    return m_logicalClock == electionEpoch;
}

void FastLeaderElection::decide(const Vote& endVote, std::vector<Sid> voters, bool outOfElection)
{
    m_state = endVote.id == m_config.myId ? ServerState::Leading : learningState();
    m_currentVote = endVote;
    m_currentVote.state = ServerState::Looking;
    m_currentVote.version = 0x0;
    m_finalizeTicksLeft = 0;
    m_selfQueue.clear(); // leaveInstance clears the receive queue.
    m_output.events.push_back(LeaderElected{endVote, m_state, voters, outOfElection});
    m_output.decision = ElectionDecision{endVote, m_state, std::move(voters), outOfElection};
}

} // namespace zk
