#include "sim/sim_cluster.h"

#include "core/assert.h"

#include <cstdlib>
#include <fmt/format.h>
#include <string_view>

namespace zk::sim {

namespace {

constexpr int kDeliverRoundsMax = 10'000;

bool below(const VoteKey& a, const VoteKey& b)
{
    if (a.peerEpoch != b.peerEpoch)
        return a.peerEpoch < b.peerEpoch;
    if (a.zxid != b.zxid)
        return a.zxid < b.zxid;
    return a.id < b.id;
}

bool shownAt(const ElectionEvent& event, TraceLevel level)
{
    if (level == TraceLevel::All)
        return true;
    if (level == TraceLevel::Roles)
        return false;
    return !std::holds_alternative<VoteSent>(event) &&
           !std::holds_alternative<VoteReceived>(event) &&
           !std::holds_alternative<NotificationTimeout>(event);
}

} // namespace

std::uint64_t seedFromEnvironment(std::uint64_t fallback)
{
    const char* text = std::getenv("ZK_SEED");
    if (text == nullptr || *text == '\0')
        return fallback;
    return std::strtoull(text, nullptr, 10);
}

SimCluster::SimCluster(SimOptions options)
    : m_options(options), m_prng(options.seed), m_network(m_prng.split(), options.link)
{}

void SimCluster::addNodes(int participants, int observers)
{
    ZK_ASSERT(!m_started);
    Sid next = static_cast<Sid>(m_participants.size() + m_observers.size()) + 1;
    for (int i = 0; i < participants; ++i)
        m_participants.push_back(next++);
    for (int i = 0; i < observers; ++i)
        m_observers.push_back(next++);
    m_quorum = QuorumVerifier::majority(m_participants, m_observers);
}

void SimCluster::setPersistent(Sid sid, PersistentState state)
{
    ZK_ASSERT(!m_peers.contains(sid));
    m_initial[sid] = state;
}

ElectionConfig SimCluster::electionConfig(Sid sid) const
{
    std::string text;
    for (Sid s : m_participants)
        text += fmt::format("server.{}=n{}:2888:3888:participant\n", s, s);
    for (Sid s : m_observers)
        text += fmt::format("server.{}=n{}:2888:3888:observer\n", s, s);
    text += "version=0";
    return ElectionConfig{.myId = sid,
                          .quorum = m_quorum,
                          .tickMs = m_options.tickMs,
                          .finalizeWaitMs = m_options.finalizeWaitMs,
                          .minNotificationIntervalMs = m_options.minNotificationIntervalMs,
                          .maxNotificationIntervalMs = m_options.maxNotificationIntervalMs,
                          .configData = {text.begin(), text.end()}};
}

void SimCluster::start(Sid sid)
{
    ZK_ASSERT(m_quorum.isVoter(sid) || m_quorum.isObserver(sid));
    ZK_ASSERT(!m_peers.contains(sid));
    m_started = true;
    const auto it = m_initial.find(sid);
    const PersistentState state = it == m_initial.end() ? PersistentState{} : it->second;
    m_peers[sid] = std::make_unique<SimPeer>(electionConfig(sid), m_options.timing, state);
    m_live.insert(sid);
    disturbed();
    m_peers[sid]->start(m_now);
    collect(*m_peers[sid]);
}

void SimCluster::startAll()
{
    for (Sid sid : m_participants)
        start(sid);
    for (Sid sid : m_observers)
        start(sid);
}

void SimCluster::tick(int count)
{
    for (int i = 0; i < count; ++i) {
        ++m_now;
        for (Envelope& envelope : m_network.takeDue(m_now))
            deliver(std::move(envelope));
        for (Sid sid : m_live) {
            SimPeer& peer = *m_peers.at(sid);
            peer.tick(m_now);
            collect(peer);
        }
        checkLiveness();
    }
}

int SimCluster::deliverAll()
{
    int delivered = 0;
    for (int round = 0; m_network.inFlight() > 0; ++round) {
        ZK_ASSERT(round < kDeliverRoundsMax);
        for (Envelope& envelope : m_network.takeAll()) {
            deliver(std::move(envelope));
            ++delivered;
        }
    }
    return delivered;
}

bool SimCluster::runUntilStable(Tick maxTicks)
{
    for (Tick i = 0; i < maxTicks; ++i) {
        if (isStable())
            return true;
        tick();
    }
    return isStable();
}

void SimCluster::deliver(Envelope envelope)
{
    if (!m_live.contains(envelope.to))
        return;
    SimPeer& peer = *m_peers.at(envelope.to);
    peer.receive(envelope.from, envelope.payload, m_now);
    collect(peer);
}

void SimCluster::collect(SimPeer& peer)
{
    for (Envelope& envelope : peer.takeSends()) {
        ++m_messagesSent;
        m_network.send(std::move(envelope), m_now);
    }
    for (const PeerEvent& event : peer.takeEvents())
        record(peer.sid(), event);
}

void SimCluster::record(Sid sid, const PeerEvent& event)
{
    const SimPeer& peer = *m_peers.at(sid);
    bool show = event.kind != PeerEvent::Kind::Election;
    if (event.kind == PeerEvent::Kind::Election) {
        const ElectionEvent& e = *event.election;
        show = shownAt(e, m_options.traceLevel);
        const VoteKey own{sid, peer.persistent().lastZxid, peer.persistent().currentEpoch};
        Epoch round = 0;
        if (const auto* started = std::get_if<LookingStarted>(&e))
            round = started->round;
        else if (const auto* changed = std::get_if<RoundChanged>(&e))
            round = changed->to;
        if (round != 0 && !peer.isObserver()) {
            // Keep the lowest own vote seen for (sid, round): sound for the checker even when
            // a restarted server reuses a round number.
            const auto [it, inserted] = m_ownVote.try_emplace({sid, round}, own);
            if (!inserted && below(own, it->second))
                it->second = own;
        }
        if (const auto* elected = std::get_if<LeaderElected>(&e))
            onDecision(sid, *elected);
    }
    if (event.kind == PeerEvent::Kind::Established) {
        const auto [it, inserted] = m_establishedBy.try_emplace(event.epoch, sid);
        if (!inserted && it->second != sid) {
            violation(fmt::format("two leaders established epoch {}: {} and {}", event.epoch,
                                  it->second, sid));
        }
    }
    if (show)
        m_trace.push_back(traceLine(sid, event));
}

void SimCluster::onDecision(Sid sid, const LeaderElected& elected)
{
    ++m_decisions;
    // Observers may decide on stale currentVotes that voters send them (WorkerReceiver answers
    // non-voters with getCurrentVote()); they never vote, so only participants are checked.
    if (elected.outOfElection || !m_quorum.isVoter(sid))
        return;
    const VoteKey leader{elected.vote.id, elected.vote.zxid, elected.vote.peerEpoch};
    for (Sid voter : elected.voters) {
        const auto it = m_ownVote.find({voter, elected.vote.electionEpoch});
        if (it == m_ownVote.end()) {
            violation(fmt::format("n{} elected {} with a vote from n{}, which never was in "
                                  "round {}",
                                  sid, leader.id, voter, elected.vote.electionEpoch));
            continue;
        }
        if (below(leader, it->second)) {
            violation(fmt::format("n{} elected {} {} but voter n{} had own vote {} in round {}",
                                  sid, leader.id, elected.vote.toString(), voter,
                                  Vote{.id = it->second.id,
                                       .zxid = it->second.zxid,
                                       .peerEpoch = it->second.peerEpoch}
                                      .toString(),
                                  elected.vote.electionEpoch));
        }
    }
    if (elected.state == ServerState::Leading) {
        auto& leaders =
            m_leadersByRound[elected.vote.electionEpoch * 1'000'003 + elected.vote.peerEpoch];
        leaders.insert(sid);
        if (leaders.size() == 2)
            ++m_splitRounds;
    }
}

void SimCluster::checkLiveness()
{
    if (m_network.hasCuts() || m_network.profile().lossPerMillion != 0)
        return;
    if (m_now - m_lastDisturbance < m_options.convergenceBoundTicks)
        return;
    std::set<Sid> liveVoters;
    for (Sid sid : m_live) {
        if (m_quorum.isVoter(sid))
            liveVoters.insert(sid);
    }
    if (!m_quorum.containsQuorum(liveVoters) || isStable())
        return;
    violation(fmt::format("live servers {} have not agreed on a leader {} ticks after the last "
                          "fault",
                          joinSids({m_live.begin(), m_live.end()}),
                          m_options.convergenceBoundTicks));
    disturbed(); // Report once per bound, not every tick.
}

void SimCluster::violation(std::string text)
{
    std::string line = fmt::format("seed={} t={}: {}", m_options.seed, m_now, text);
    m_trace.push_back("VIOLATION " + line);
    m_violations.push_back(std::move(line));
}

bool SimCluster::isStable() const
{
    std::optional<Sid> leaderSid;
    for (Sid sid : m_live) {
        const SimPeer& peer = *m_peers.at(sid);
        if (peer.state() == ServerState::Looking || !peer.established())
            return false;
        if (leaderSid && *leaderSid != *peer.leader())
            return false;
        leaderSid = peer.leader();
    }
    return leaderSid && m_live.contains(*leaderSid) &&
           m_peers.at(*leaderSid)->state() == ServerState::Leading;
}

std::optional<Sid> SimCluster::leader() const
{
    if (!isStable())
        return std::nullopt;
    return m_peers.at(*m_live.begin())->leader();
}

std::vector<Sid> SimCluster::liveSids() const
{
    return {m_live.begin(), m_live.end()};
}

const SimPeer& SimCluster::peer(Sid sid) const
{
    return *m_peers.at(sid);
}

PersistentState SimCluster::persisted(Sid sid) const
{
    if (m_live.contains(sid))
        return m_peers.at(sid)->persistent();
    const auto it = m_disk.find(sid);
    return it == m_disk.end() ? PersistentState{} : it->second;
}

void SimCluster::crash(Sid sid)
{
    if (!m_live.contains(sid))
        return;
    m_disk[sid] = m_peers.at(sid)->persistent();
    m_peers.erase(sid);
    m_live.erase(sid);
    m_network.dropNode(sid);
    disturbed();
    m_trace.push_back(fmt::format("n{} crashed", sid));
}

void SimCluster::restart(Sid sid, std::optional<PersistentState> state)
{
    if (m_live.contains(sid))
        return;
    const PersistentState restored = state ? *state : persisted(sid);
    m_trace.push_back(fmt::format("n{} restarted zxid={:#x} epoch={}", sid, restored.lastZxid,
                                  restored.currentEpoch));
    m_initial[sid] = restored;
    start(sid);
}

void SimCluster::partition(const std::vector<std::vector<Sid>>& groups)
{
    m_network.partition(groups);
    disturbed();
}

void SimCluster::cut(Sid from, Sid to)
{
    m_network.cut(from, to);
    disturbed();
}

void SimCluster::heal()
{
    m_network.heal();
    disturbed();
}

void SimCluster::setLinkProfile(const LinkProfile& link)
{
    m_network.setProfile(link);
    disturbed();
}

bool SimCluster::write()
{
    for (Sid sid : m_live) {
        // Only an established leader accepts the write; SimPeer checks.
        if (m_peers.at(sid)->write())
            return true;
    }
    return false;
}

std::string SimCluster::traceLine(Sid sid, const PeerEvent& event) const
{
    switch (event.kind) {
    case PeerEvent::Kind::Election:
        return fmt::format("n{} {}", sid, toString(*event.election));
    case PeerEvent::Kind::RoleChanged:
        if (event.to == ServerState::Looking) {
            return fmt::format("n{} {} -> LOOKING ({})", sid, toString(event.from), event.text);
        }
        if (event.to == ServerState::Leading)
            return fmt::format("n{} LOOKING -> LEADING", sid);
        return fmt::format("n{} LOOKING -> {} leader={}", sid, toString(event.to), event.leader);
    case PeerEvent::Kind::Established:
        return fmt::format("n{} established epoch={} quorum={}", sid, event.epoch,
                           joinSids(event.quorum));
    case PeerEvent::Kind::Synced:
        return fmt::format("n{} synced epoch={} leader={}", sid, event.epoch, event.leader);
    }
    return {};
}

} // namespace zk::sim
