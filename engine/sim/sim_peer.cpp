#include "sim/sim_peer.h"

#include "core/assert.h"

#include <algorithm>
#include <set>

namespace zk::sim {

SimPeer::SimPeer(ElectionConfig config, PeerTiming timing, PersistentState state)
    : m_election(std::move(config)), m_timing(timing), m_persistent(state)
{
    ZK_ASSERT(m_timing.pingIntervalTicks > 0);
    ZK_ASSERT(m_persistent.currentEpoch <= m_persistent.acceptedEpoch);
}

void SimPeer::start(Tick now)
{
    m_election.startLooking(m_persistent.lastZxid, m_persistent.currentEpoch);
    collectElection(now);
}

std::optional<Sid> SimPeer::leader() const
{
    if (state() == ServerState::Looking)
        return std::nullopt;
    return m_leader;
}

void SimPeer::receive(Sid from, const SimPayload& payload, Tick now)
{
    if (const auto* bytes = std::get_if<std::vector<std::uint8_t>>(&payload)) {
        const auto n = decodeNotification(*bytes);
        ZK_ASSERT(n.has_value()); // Only our own encoder writes on the simulated network.
        m_election.receive(from, *n);
        collectElection(now);
    } else if (const auto* learnerPing = std::get_if<LearnerPing>(&payload)) {
        onLearnerPing(from, *learnerPing, now);
    } else if (const auto* leaderPing = std::get_if<LeaderPing>(&payload)) {
        onLeaderPing(from, *leaderPing, now);
    }
}

void SimPeer::tick(Tick now)
{
    m_election.tick();
    collectElection(now);
    if (state() == ServerState::Leading)
        tickLeader(now);
    else if (state() != ServerState::Looking)
        tickLearner(now);
}

bool SimPeer::write()
{
    if (state() != ServerState::Leading || !m_established)
        return false;
    ++m_persistent.lastZxid;
    return true;
}

std::vector<Envelope> SimPeer::takeSends()
{
    return std::exchange(m_sends, {});
}

std::vector<PeerEvent> SimPeer::takeEvents()
{
    return std::exchange(m_events, {});
}

void SimPeer::sendTo(Sid to, SimPayload payload)
{
    m_sends.push_back(Envelope{sid(), to, std::move(payload)});
}

void SimPeer::collectElection(Tick now)
{
    if (!m_election.hasOutput())
        return;
    ElectionOutput output = m_election.takeOutput();
    for (OutgoingNotification& out : output.send)
        sendTo(out.to, encodeNotification(out.notification));
    for (ElectionEvent& event : output.events)
        m_events.push_back(PeerEvent{.kind = PeerEvent::Kind::Election, .election = event});
    if (!output.decision)
        return;
    const ElectionDecision& decision = *output.decision;
    m_leader = decision.vote.id;
    m_roleStart = now;
    m_lastHeard = now;
    m_established = false;
    m_proposedEpoch = 0;
    m_learners.clear();
    m_events.push_back(PeerEvent{.kind = PeerEvent::Kind::RoleChanged,
                                 .from = ServerState::Looking,
                                 .to = decision.state,
                                 .leader = m_leader});
}

void SimPeer::goLooking(Tick now, std::string reason)
{
    const ServerState before = state();
    m_established = false;
    m_proposedEpoch = 0;
    m_learners.clear();
    m_events.push_back(PeerEvent{.kind = PeerEvent::Kind::RoleChanged,
                                 .from = before,
                                 .to = ServerState::Looking,
                                 .text = std::move(reason)});
    start(now);
}

void SimPeer::tickLeader(Tick now)
{
    const Tick limit = m_established ? m_timing.syncLimitTicks : m_timing.initLimitTicks;
    std::set<Sid> heard{sid()};
    std::set<Sid> acked{sid()};
    for (const auto& [learner, h] : m_learners) {
        if (h.observer || now - h.at > limit)
            continue;
        heard.insert(learner);
        if (m_proposedEpoch != 0 && h.ackedEpoch == m_proposedEpoch)
            acked.insert(learner);
    }
    const QuorumVerifier& quorum = m_election.config().quorum;
    if (m_established) {
        if (!quorum.containsQuorum(heard))
            goLooking(now, "no quorum of synced followers");
        return;
    }
    if (now - m_roleStart > m_timing.initLimitTicks) {
        goLooking(now, "no quorum within initLimit");
        return;
    }
    if (m_proposedEpoch == 0) {
        if (!quorum.containsQuorum(heard))
            return;
        Epoch newEpoch = m_persistent.acceptedEpoch;
        for (Sid learner : heard) {
            if (learner != sid())
                newEpoch = std::max(newEpoch, m_learners.at(learner).acceptedEpoch);
        }
        m_proposedEpoch = newEpoch + 1;
        m_persistent.acceptedEpoch = m_proposedEpoch;
        m_persistent.acceptedFrom = sid();
        return;
    }
    if (!quorum.containsQuorum(acked))
        return;
    m_persistent.currentEpoch = m_proposedEpoch;
    m_persistent.lastZxid = std::max(m_persistent.lastZxid, makeZxid(m_proposedEpoch, 0));
    m_established = true;
    m_election.updateElectionVote(m_proposedEpoch);
    m_events.push_back(PeerEvent{.kind = PeerEvent::Kind::Established,
                                 .leader = sid(),
                                 .epoch = m_proposedEpoch,
                                 .quorum = {acked.begin(), acked.end()}});
}

void SimPeer::tickLearner(Tick now)
{
    const Tick limit = m_established ? m_timing.syncLimitTicks : m_timing.initLimitTicks;
    if (now - m_lastHeard > limit) {
        goLooking(now, "leader silent");
        return;
    }
    if ((now - m_roleStart) % m_timing.pingIntervalTicks == 0) {
        const bool fromLeader = m_persistent.acceptedFrom == m_leader;
        sendTo(m_leader, LearnerPing{.acceptedEpoch = m_persistent.acceptedEpoch,
                                     .ackedEpoch = fromLeader ? m_persistent.acceptedEpoch : 0,
                                     .lastZxid = m_persistent.lastZxid,
                                     .observer = state() == ServerState::Observing});
    }
}

void SimPeer::onLearnerPing(Sid from, const LearnerPing& ping, Tick now)
{
    if (state() != ServerState::Leading)
        return;
    m_learners[from] = Heard{now, ping.acceptedEpoch, ping.ackedEpoch, ping.observer};
    sendTo(from, LeaderPing{.proposedEpoch = m_proposedEpoch,
                            .established = m_established,
                            .zxid = m_persistent.lastZxid});
}

void SimPeer::onLeaderPing(Sid from, const LeaderPing& ping, Tick now)
{
    if (state() == ServerState::Looking || state() == ServerState::Leading || from != m_leader)
        return;
    m_lastHeard = now;
    if (ping.proposedEpoch == 0)
        return;
    if (ping.proposedEpoch < m_persistent.acceptedEpoch) {
        goLooking(now, "leader epoch below acceptedEpoch");
        return;
    }
    if (ping.proposedEpoch > m_persistent.acceptedEpoch) {
        m_persistent.acceptedEpoch = ping.proposedEpoch;
        m_persistent.acceptedFrom = from;
    } else if (m_persistent.acceptedFrom != from) {
        // The same epoch from another leader: never ack it; join only once a quorum has
        // established it without us.
        if (!ping.established)
            return;
        m_persistent.acceptedFrom = from;
    }
    if (!ping.established)
        return;
    const bool firstSync = !m_established || ping.proposedEpoch != m_persistent.currentEpoch;
    m_persistent.currentEpoch = ping.proposedEpoch;
    m_persistent.lastZxid = ping.zxid;
    m_established = true;
    if (firstSync) {
        m_election.updateElectionVote(ping.proposedEpoch);
        m_events.push_back(PeerEvent{
            .kind = PeerEvent::Kind::Synced, .leader = from, .epoch = ping.proposedEpoch});
    }
}

} // namespace zk::sim
