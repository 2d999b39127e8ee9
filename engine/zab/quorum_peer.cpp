// QuorumPeer: construction, the election, role changes and the client server's lifetime.
// The leader's and the learner's halves of ZAB are in zab_leader.cpp and zab_learner.cpp.

#include "zab/quorum_peer.h"

#include "core/assert.h"
#include "data/replay_txn.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

namespace zk {

namespace {

ElectionConfig electionConfigOf(const QuorumPeerConfig& config)
{
    ElectionConfig election;
    election.myId = config.myId;
    election.quorum = config.quorum;
    election.tickMs = config.peerTickMs;
    election.finalizeWaitMs = config.finalizeWaitMs;
    election.minNotificationIntervalMs = config.minNotificationIntervalMs;
    election.maxNotificationIntervalMs = config.maxNotificationIntervalMs;
    election.configData = config.configData;
    return election;
}

} // namespace

QuorumPeer::QuorumPeer(QuorumPeerConfig config, PeerDurableState durable, DataTree tree,
                       std::map<SessionId, std::int32_t> sessions, std::int64_t wallMs)
    : m_config(std::move(config)), m_durable(durable), m_election(electionConfigOf(m_config)),
      m_nowMs(wallMs), m_lastServerTickMs(wallMs), m_tree(std::move(tree)),
      m_sessions(std::move(sessions))
{
    m_config.server.sid = m_config.myId;
    m_durable.lastLoggedZxid = std::max(m_durable.lastLoggedZxid, m_tree->lastProcessedZxid());
    m_lastDurable = m_durable.lastLoggedZxid;
    m_historyFloor = m_durable.historyFloor;
}

QuorumPeer::~QuorumPeer() = default;

void QuorumPeer::start()
{
    goLooking("starting");
}

PeerOutput QuorumPeer::takeOutput()
{
    return std::exchange(m_output, {});
}

const DataTree& QuorumPeer::database() const
{
    return m_server ? m_server->tree() : *m_tree;
}

DataTree& QuorumPeer::db()
{
    return m_server ? m_server->tree() : *m_tree;
}

std::map<SessionId, std::int32_t> QuorumPeer::databaseSessions() const
{
    return m_server ? m_server->sessionTimeouts() : m_sessions;
}

void QuorumPeer::event(PeerEvent e)
{
    e.sid = m_config.myId;
    m_output.events.push_back(std::move(e));
}

void QuorumPeer::setState(ServerState state, const std::string& why)
{
    m_state = state;
    PeerEvent e;
    e.kind = PeerEvent::Kind::StateChanged;
    e.state = state;
    e.peer = m_leader;
    e.text = why;
    event(std::move(e));
}

void QuorumPeer::setPhase(ZabPhase phase)
{
    if (m_phase == phase)
        return;
    m_phase = phase;
    PeerEvent e;
    e.kind = PeerEvent::Kind::PhaseChanged;
    e.phase = phase;
    event(std::move(e));
}

void QuorumPeer::writeAcceptedEpoch(Epoch epoch)
{
    m_durable.acceptedEpoch = epoch;
    emit(peer_action::WriteEpoch{true, epoch});
    PeerEvent e;
    e.kind = PeerEvent::Kind::EpochChanged;
    e.epoch = epoch;
    e.text = "acceptedEpoch";
    event(std::move(e));
}

void QuorumPeer::writeCurrentEpoch(Epoch epoch)
{
    m_durable.currentEpoch = epoch;
    emit(peer_action::WriteEpoch{false, epoch});
    PeerEvent e;
    e.kind = PeerEvent::Kind::EpochChanged;
    e.epoch = epoch;
    e.text = "currentEpoch";
    event(std::move(e));
}

void QuorumPeer::rememberCommitted(const LoggedTxn& txn)
{
    m_committedLog.push_back(txn);
    while (m_committedLog.size() > m_config.commitLogCount)
        m_committedLog.pop_front();
    if (txn.header.type == OpCode::CreateSession || txn.header.type == OpCode::CloseSession) {
        PeerEvent e;
        e.kind = txn.header.type == OpCode::CreateSession ? PeerEvent::Kind::SessionCreated
                                                          : PeerEvent::Kind::SessionClosed;
        e.session = txn.header.clientId;
        e.zxid = txn.header.zxid;
        event(std::move(e));
    }
}

// ---- Election ----

void QuorumPeer::goLooking(const std::string& why)
{
    if (m_state != ServerState::Looking || m_phase != ZabPhase::Election)
        spdlog::info("server {}: {} -> LOOKING: {}", m_config.myId, toString(m_state), why);
    // A learner leaving a SNAP or TRUNC sync before NEWLEADER holds a database its disk does
    // not (the SNAP, txns committed in memory until the NEWLEADER snapshot). It goes back to
    // what the disk holds before it votes, as Learner.shutdown fully shuts the server down
    // while the sync mode is SNAP (ZOOKEEPER-3642): else it would sync and log on top of a
    // state a restart loses, and its log would skip txns it acknowledged later.
    const bool learner = m_state == ServerState::Following || m_state == ServerState::Observing;
    const bool reload =
        learner && m_learnPhase == LearnPhase::Syncing && m_snapshotNeeded && !m_awaitingReload;
    if (reload) {
        m_snapshotNeeded = false;
        m_awaitingReload = true;
        m_lookAfterReload = true;
        emit(peer_action::TruncateLog{m_syncLogEnd});
    }
    stopServer();
    // Txns we logged but never saw committed stay in our history, as Apache reloads the
    // database from disk: they count in our vote and a new leader decides their fate.
    std::vector<LoggedTxn> logged;
    for (auto& [zxid, proposal] : m_outstanding)
        logged.push_back(std::move(proposal.txn));
    for (Inflight& inflight : m_inflight) {
        if (inflight.logged)
            logged.push_back(std::move(inflight.txn));
    }
    if (!m_awaitingReload) {
        for (const LoggedTxn& txn : logged) {
            if (txn.header.zxid <= m_tree->lastProcessedZxid())
                continue;
            replayLoggedTxn(txn, *m_tree, m_sessions);
            rememberCommitted(txn);
        }
        m_durable.lastLoggedZxid = std::max(m_durable.lastLoggedZxid, m_tree->lastProcessedZxid());
    }
    m_outstanding.clear();
    m_inflight.clear();
    // Learners that only said hello may be waiting for us to lead; the others go.
    for (auto it = m_links.begin(); it != m_links.end();) {
        if (it->second.phase == LearnerLink::Phase::AwaitInfo && m_state != ServerState::Leading) {
            ++it;
            continue;
        }
        emit(peer_action::CloseLearner{it->first});
        it = m_links.erase(it);
    }
    if (m_state == ServerState::Following || m_state == ServerState::Observing)
        emit(peer_action::DisconnectLeader{});
    m_leader = -1;
    m_established = false;
    m_newEpoch = -1;
    m_epochAckQuorum = false;
    m_newLeaderAckPending = false;
    ++m_roleGeneration;
    m_lookingSinceMs = m_nowMs;
    setState(ServerState::Looking, why);
    setPhase(ZabPhase::Election);
    if (m_lookAfterReload)
        return; // databaseReloaded() starts the round with the zxid the disk holds
    m_election.startLooking(m_durable.lastLoggedZxid, m_durable.currentEpoch);
    collectElection();
}

void QuorumPeer::receiveVote(Sid from, const Notification& notification)
{
    m_election.receive(from, notification);
    collectElection();
}

void QuorumPeer::collectElection()
{
    while (m_election.hasOutput()) {
        ElectionOutput out = m_election.takeOutput();
        for (OutgoingNotification& send : out.send)
            emit(peer_action::SendVote{send.to, std::move(send.notification)});
        for (ElectionEvent& election : out.events) {
            PeerEvent e;
            e.kind = PeerEvent::Kind::Election;
            e.election = std::move(election);
            event(std::move(e));
        }
        if (out.decision && m_state == ServerState::Looking)
            onDecision(*out.decision);
    }
}

void QuorumPeer::onDecision(const ElectionDecision& decision)
{
    stopServer(); // a read-only server ends with the election
    m_leader = decision.vote.id;
    m_roleStartMs = m_nowMs;
    switch (decision.state) {
    case ServerState::Leading:
        setState(ServerState::Leading, "elected");
        leadStart();
        break;
    case ServerState::Following:
    case ServerState::Observing:
        for (const auto& [id, link] : m_links)
            emit(peer_action::CloseLearner{id});
        m_links.clear();
        setState(decision.state, fmt::format("leader is {}", m_leader));
        learnStart();
        break;
    case ServerState::Looking:
        break;
    }
}

// ---- The client server ----

void QuorumPeer::startServer(ServerRole role)
{
    ZK_ASSERT(!m_server);
    m_server = std::make_unique<ServerCore>(m_config.server, std::move(*m_tree), m_nowMs, role);
    m_tree.reset();
    const Zxid next = role == ServerRole::Leader ? makeZxid(m_newEpoch, 1) : 0;
    m_serverRole = role;
    m_server->restoreSessions(m_sessions, next);
    m_lastServerTickMs = m_nowMs;
}

void QuorumPeer::stopServer()
{
    if (!m_server)
        return;
    m_server->closeAllConnections();
    drainServer();
    if (m_serverRole != ServerRole::ReadOnly) // read-only sessions were never logged
        m_sessions = m_server->sessionTimeouts();
    m_tree.emplace(m_server->releaseTree());
    m_server.reset();
}

void QuorumPeer::drainServer()
{
    while (m_server && m_server->hasOutput()) {
        ServerOutput out = m_server->takeOutput();
        if (!out.persist.empty())
            propose(std::move(out.persist));
        if (!out.frames.empty() || !out.closeConnections.empty())
            emit(peer_action::Client{std::move(out.frames), std::move(out.closeConnections)});
        for (ForwardedRequest& request : out.forward) {
            QuorumPacket packet;
            packet.type = QuorumPacketType::Request;
            packet.zxid = -1;
            packet.data = encodeRequestData(request);
            packet.authinfo = std::move(request.authIds);
            sendToLeader(packet);
        }
        for (const auto& [session, timeout] : out.revalidate) {
            QuorumPacket packet;
            packet.type = QuorumPacketType::Revalidate;
            packet.zxid = -1;
            packet.data = encodeRevalidateAsk(session, timeout);
            sendToLeader(packet);
        }
        for (LearnerLinkId id : out.syncs) {
            auto it = m_links.find(id);
            if (it != m_links.end())
                sendToLink(it->second, QuorumPacket{QuorumPacketType::Sync, 0, std::nullopt, {}});
        }
    }
}

void QuorumPeer::clientOpened(ConnectionId connection, std::string remoteAddress)
{
    if (m_server) {
        m_server->connectionOpened(connection, std::move(remoteAddress));
        drainServer();
    }
}

void QuorumPeer::clientClosed(ConnectionId connection)
{
    if (m_server) {
        m_server->connectionClosed(connection);
        drainServer();
    }
}

void QuorumPeer::clientFrame(ConnectionId connection, std::span<const std::uint8_t> payload)
{
    if (!m_server || m_server->connections().count(connection) == 0) {
        // "ZooKeeperServer not running": the client tries another server.
        emit(peer_action::Client{{}, {connection}});
        return;
    }
    m_server->receive(connection, payload);
    drainServer();
}

// ---- Time and storage ----

void QuorumPeer::tick(std::int64_t wallMs)
{
    m_nowMs = std::max(m_nowMs, wallMs);
    m_election.tick();
    collectElection();
    if (m_state == ServerState::Looking && m_config.readOnlyModeEnabled && !m_server &&
        m_nowMs - m_lookingSinceMs >= std::max<std::int64_t>(2000, tickTimeMs())) {
        spdlog::info("server {}: no quorum, serving read-only clients", m_config.myId);
        startServer(ServerRole::ReadOnly);
    }
    if (m_server && m_nowMs - m_lastServerTickMs >= tickTimeMs()) {
        m_lastServerTickMs = m_nowMs;
        m_server->tick(m_nowMs);
        drainServer();
    }
    if (m_state == ServerState::Leading)
        leaderTick();
    else if (m_state == ServerState::Following || m_state == ServerState::Observing)
        learnerTick();
}

void QuorumPeer::logged(Zxid lastDurable)
{
    if (lastDurable <= m_lastDurable)
        return;
    m_lastDurable = lastDurable;
    if (m_state == ServerState::Leading) {
        historyLogged();
        for (auto& [zxid, proposal] : m_outstanding) {
            if (zxid > lastDurable)
                break;
            proposal.acks.insert(m_config.myId);
        }
        tryCommit();
    } else if (m_state == ServerState::Following || m_state == ServerState::Observing) {
        learnerLogged();
    }
}

void QuorumPeer::databaseReloaded(DataTree tree, std::map<SessionId, std::int32_t> sessions,
                                  Zxid historyFloor)
{
    ZK_ASSERT(!m_server);
    m_tree.emplace(std::move(tree));
    m_sessions = std::move(sessions);
    m_awaitingReload = false;
    m_durable.lastLoggedZxid = m_tree->lastProcessedZxid();
    m_lastDurable = m_durable.lastLoggedZxid; // the driver restarted its log after the cut
    m_committedLog.clear();
    m_historyFloor = historyFloor;
    if (std::exchange(m_lookAfterReload, false)) {
        m_election.startLooking(m_durable.lastLoggedZxid, m_durable.currentEpoch);
        collectElection();
    }
}

} // namespace zk
