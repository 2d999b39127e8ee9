// The learner's half of ZAB (Learner.java, Follower.java, Observer.java): registration
// with the leader, synchronisation (DIFF, TRUNC, SNAP, NEWLEADER, UPTODATE) and broadcast.

#include "zab/quorum_peer.h"

#include "data/replay_txn.h"
#include "proto/txn_codec.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

namespace zk {

namespace {

QuorumPacket packetOf(std::int32_t type, Zxid zxid,
                      std::optional<std::vector<std::uint8_t>> data = std::nullopt)
{
    return QuorumPacket{type, zxid, std::move(data), {}};
}

} // namespace

void QuorumPeer::learnStart()
{
    setPhase(ZabPhase::Discovery);
    m_learnPhase = LearnPhase::Connecting;
    m_lastLeaderPacketMs = m_nowMs;
    m_snapshotNeeded = false;
    m_newLeaderAckPending = false;
    m_inflight.clear();
    emit(peer_action::ConnectLeader{m_leader});
}

void QuorumPeer::sendToLeader(const QuorumPacket& packet)
{
    emit(peer_action::SendLeader{encodeQuorumPacket(packet)});
}

void QuorumPeer::leaderConnected()
{
    if ((m_state != ServerState::Following && m_state != ServerState::Observing) ||
        m_learnPhase != LearnPhase::Connecting)
        return;
    LearnerInfo info;
    info.sid = m_config.myId;
    info.protocolVersion = kLearnerProtocolVersion;
    info.configVersion = 0;
    const std::int32_t type = m_state == ServerState::Observing ? QuorumPacketType::ObserverInfo
                                                                : QuorumPacketType::FollowerInfo;
    sendToLeader(packetOf(type, makeZxid(m_durable.acceptedEpoch, 0), encodeLearnerInfo(info)));
    m_learnPhase = LearnPhase::AwaitLeaderInfo;
    m_lastLeaderPacketMs = m_nowMs;
}

void QuorumPeer::leaderLost(const std::string& why)
{
    if (m_state == ServerState::Following || m_state == ServerState::Observing)
        goLooking(why);
}

void QuorumPeer::leaderPacket(const QuorumPacket& packet)
{
    if (m_state != ServerState::Following && m_state != ServerState::Observing)
        return;
    m_lastLeaderPacketMs = m_nowMs;
    switch (m_learnPhase) {
    case LearnPhase::Connecting:
        return;
    case LearnPhase::AwaitLeaderInfo:
        if (packet.type != QuorumPacketType::LeaderInfo) {
            goLooking("First packet from the leader should be LEADERINFO, got " +
                      packet.toString());
            return;
        }
        onLeaderInfo(packet);
        return;
    case LearnPhase::Syncing:
    case LearnPhase::AwaitUpToDate:
        onSyncPacket(packet);
        return;
    case LearnPhase::Serving:
        onBroadcastPacket(packet);
        return;
    }
}

void QuorumPeer::onLeaderInfo(const QuorumPacket& packet)
{
    const Epoch newEpoch = zxidEpoch(packet.zxid);
    Epoch reported = -1;
    if (newEpoch > m_durable.acceptedEpoch) {
        reported = m_durable.currentEpoch;
        writeAcceptedEpoch(newEpoch);
    } else if (newEpoch < m_durable.acceptedEpoch) {
        goLooking(fmt::format("Leaders epoch, {} is less than accepted epoch, {}", newEpoch,
                              m_durable.acceptedEpoch));
        return;
    }
    m_learnEpoch = newEpoch;
    sendToLeader(
        packetOf(QuorumPacketType::AckEpoch, lastLoggedZxid(), encodeAckEpochData(reported)));
    m_learnPhase = LearnPhase::Syncing;
    m_snapshotNeeded = false;
    m_syncModeKnown = false;
    setPhase(ZabPhase::Synchronization);
}

void QuorumPeer::leaderSnapshot(Zxid zxid, DataTree tree,
                                std::map<SessionId, std::int32_t> sessions)
{
    if (m_learnPhase != LearnPhase::Syncing || m_server)
        return;
    tree.setLastProcessedZxid(zxid);
    m_tree.emplace(std::move(tree));
    m_sessions = std::move(sessions);
    m_durable.lastLoggedZxid = zxid;
    m_committedLog.clear();
    m_historyFloor = zxid; // the log below holds a history the snapshot replaced
}

void QuorumPeer::onSyncPacket(const QuorumPacket& packet)
{
    if (!m_syncModeKnown) {
        switch (packet.type) {
        case QuorumPacketType::Diff:
            m_snapshotNeeded = false;
            break;
        case QuorumPacketType::Snap:
            m_snapshotNeeded = true; // the driver hands the stream to leaderSnapshot()
            m_syncLogEnd = m_durable.lastLoggedZxid;
            break;
        case QuorumPacketType::Trunc:
            m_snapshotNeeded = true;
            m_syncLogEnd = packet.zxid;
            m_awaitingReload = true;
            m_committedLog.clear();
            emit(peer_action::TruncateLog{packet.zxid});
            break;
        default:
            goLooking("Expected DIFF, TRUNC or SNAP, got " + packet.toString());
            return;
        }
        m_syncModeKnown = true;
        PeerEvent e;
        e.kind = PeerEvent::Kind::Sync;
        e.peer = m_leader;
        e.zxid = packet.zxid;
        e.text = quorumPacketTypeName(packet.type);
        event(std::move(e));
        return;
    }
    switch (packet.type) {
    case QuorumPacketType::Proposal:
    case QuorumPacketType::Inform: {
        auto txn = decodeTxn(packet.data.value_or(std::vector<std::uint8_t>{}));
        if (!txn) {
            goLooking("malformed txn in " + packet.toString());
            return;
        }
        Inflight inflight;
        inflight.txn = std::move(*txn);
        inflight.committed = packet.type == QuorumPacketType::Inform;
        if (m_learnPhase == LearnPhase::AwaitUpToDate) {
            // After NEWLEADER every proposal is logged (and acked) at once.
            inflight.logged = true;
            m_durable.lastLoggedZxid = inflight.txn.header.zxid;
            emit(peer_action::Persist{{inflight.txn}});
        }
        m_inflight.push_back(std::move(inflight));
        if (packet.type == QuorumPacketType::Inform && m_snapshotNeeded &&
            m_learnPhase == LearnPhase::Syncing)
            commitInflight(packet.zxid);
        return;
    }
    case QuorumPacketType::Commit:
        if (m_snapshotNeeded && m_learnPhase == LearnPhase::Syncing) {
            commitInflight(packet.zxid); // applied now; the NEWLEADER snapshot holds it
            return;
        }
        for (Inflight& inflight : m_inflight) {
            if (inflight.txn.header.zxid == packet.zxid)
                inflight.committed = true;
        }
        return;
    case QuorumPacketType::NewLeader:
        if (m_learnPhase == LearnPhase::Syncing)
            onNewLeader(packet);
        return;
    case QuorumPacketType::UpToDate:
        if (m_learnPhase == LearnPhase::AwaitUpToDate)
            onUpToDate();
        else
            goLooking("UPTODATE before NEWLEADER");
        return;
    case QuorumPacketType::Ping:
        sendToLeader(packetOf(QuorumPacketType::Ping, packet.zxid, std::vector<std::uint8_t>{}));
        return;
    default:
        spdlog::warn("server {}: unexpected {} while syncing", m_config.myId, packet.toString());
        return;
    }
}

void QuorumPeer::onNewLeader(const QuorumPacket& packet)
{
    m_newLeaderZxid = packet.zxid;
    if (m_snapshotNeeded) {
        emit(peer_action::TakeSnapshot{});
        // On disk before the next action: the history up to the snapshot is durable.
        m_lastDurable = std::max(m_lastDurable, database().lastProcessedZxid());
    }
    std::vector<LoggedTxn> toLog;
    for (Inflight& inflight : m_inflight) {
        if (!inflight.logged) {
            inflight.logged = true;
            toLog.push_back(inflight.txn);
        }
    }
    if (!toLog.empty()) {
        m_durable.lastLoggedZxid = toLog.back().header.zxid;
        emit(peer_action::Persist{std::move(toLog)});
    }
    // Everything logged so far, a tail logged before this sync included.
    m_newLeaderDurableZxid = m_durable.lastLoggedZxid;
    m_learnPhase = LearnPhase::AwaitUpToDate;
    m_newLeaderAckPending = true;
    learnerLogged();
}

void QuorumPeer::learnerLogged()
{
    if (m_learnPhase != LearnPhase::AwaitUpToDate && m_learnPhase != LearnPhase::Serving)
        return;
    if (m_newLeaderAckPending) {
        // The ACK of NEWLEADER waits until the txns synced before it are on disk; not for the
        // proposals that keep coming after it, or a slow disk under load would hold it back
        // for good (Apache flushes what it logged at NEWLEADER, then ACKs).
        if (m_lastDurable < m_newLeaderDurableZxid)
            return;
        m_newLeaderAckPending = false;
        // currentEpoch only once the synced txns are durable (ZOOKEEPER-4643): a crash in
        // between must not leave a server that claims the new epoch without its history,
        // for it would win the next election on that epoch and truncate committed txns.
        writeCurrentEpoch(m_learnEpoch);
        sendToLeader(packetOf(QuorumPacketType::Ack, m_newLeaderZxid));
    }
    if (m_state == ServerState::Observing)
        return;
    for (Inflight& inflight : m_inflight) {
        if (inflight.txn.header.zxid > m_lastDurable)
            break;
        if (inflight.logged && !inflight.acked) {
            inflight.acked = true;
            sendToLeader(packetOf(QuorumPacketType::Ack, inflight.txn.header.zxid));
        }
    }
}

void QuorumPeer::onUpToDate()
{
    startServer(m_state == ServerState::Observing ? ServerRole::Observer : ServerRole::Follower);
    while (!m_inflight.empty() && m_inflight.front().committed) {
        const LoggedTxn txn = m_inflight.front().txn;
        m_inflight.pop_front();
        m_server->committed(txn);
        rememberCommitted(txn);
    }
    sendToLeader(packetOf(QuorumPacketType::Ack, makeZxid(m_learnEpoch, 0)));
    m_learnPhase = LearnPhase::Serving;
    setPhase(ZabPhase::Broadcast);
    m_election.updateElectionVote(m_learnEpoch);
    collectElection();
    drainServer();
}

void QuorumPeer::commitInflight(Zxid zxid)
{
    if (m_inflight.empty() || m_inflight.front().txn.header.zxid != zxid) {
        goLooking(fmt::format("Committing zxid 0x{:x} but next pending txn 0x{:x}", zxid,
                              m_inflight.empty() ? 0 : m_inflight.front().txn.header.zxid));
        return;
    }
    const LoggedTxn txn = m_inflight.front().txn;
    const bool logged = m_inflight.front().logged;
    m_inflight.pop_front();
    if (m_server) {
        m_server->committed(txn);
        drainServer();
    } else {
        replayLoggedTxn(txn, *m_tree, m_sessions);
        if (!logged)
            m_durable.lastLoggedZxid = std::max(m_durable.lastLoggedZxid, txn.header.zxid);
    }
    rememberCommitted(txn);
}

void QuorumPeer::onBroadcastPacket(const QuorumPacket& packet)
{
    switch (packet.type) {
    case QuorumPacketType::Proposal:
    case QuorumPacketType::Inform: {
        auto txn = decodeTxn(packet.data.value_or(std::vector<std::uint8_t>{}));
        if (!txn) {
            goLooking("malformed txn in " + packet.toString());
            return;
        }
        Inflight inflight;
        inflight.txn = std::move(*txn);
        inflight.logged = true;
        inflight.acked = packet.type == QuorumPacketType::Inform;
        m_durable.lastLoggedZxid = inflight.txn.header.zxid;
        emit(peer_action::Persist{{inflight.txn}});
        m_inflight.push_back(std::move(inflight));
        if (packet.type == QuorumPacketType::Inform)
            commitInflight(packet.zxid);
        return;
    }
    case QuorumPacketType::Commit:
        commitInflight(packet.zxid);
        return;
    case QuorumPacketType::Ping: {
        auto touches = m_server ? m_server->takeTouches() : std::map<SessionId, std::int32_t>{};
        sendToLeader(packetOf(QuorumPacketType::Ping, packet.zxid, encodeTouches(touches)));
        return;
    }
    case QuorumPacketType::Revalidate: {
        auto reply = decodeRevalidateReply(packet.data.value_or(std::vector<std::uint8_t>{}));
        if (reply && m_server) {
            m_server->revalidated(reply->session, reply->valid);
            drainServer();
        }
        return;
    }
    case QuorumPacketType::Sync:
        if (m_server) {
            m_server->syncArrived();
            drainServer();
        }
        return;
    case QuorumPacketType::UpToDate:
        return;
    default:
        spdlog::warn("server {}: unexpected {} from the leader", m_config.myId, packet.toString());
        return;
    }
}

void QuorumPeer::learnerTick()
{
    const bool synced = m_learnPhase == LearnPhase::Serving;
    const std::int64_t limit =
        static_cast<std::int64_t>(synced ? m_config.syncLimit : m_config.initLimit) * tickTimeMs();
    if (m_nowMs - m_lastLeaderPacketMs > limit)
        goLooking(m_learnPhase == LearnPhase::Connecting
                      ? fmt::format("could not connect to leader {}", m_leader)
                      : fmt::format("no packet from leader {} within the limit", m_leader));
}

} // namespace zk
