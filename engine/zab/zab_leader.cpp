// The leader's half of ZAB (Leader.java and LearnerHandler.java): discovery, learner sync,
// establishment, broadcast with in-order commits, pings and the synced-quorum check.

#include "zab/quorum_peer.h"

#include "proto/txn_codec.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>

namespace zk {

namespace {

QuorumPacket packetOf(std::int32_t type, Zxid zxid,
                      std::optional<std::vector<std::uint8_t>> data = std::nullopt)
{
    return QuorumPacket{type, zxid, std::move(data), {}};
}

std::string sidList(const std::set<Sid>& sids)
{
    return joinSids(std::vector<Sid>(sids.begin(), sids.end()));
}

} // namespace

bool QuorumPeer::learnerQuorum(const std::set<Sid>& sids) const
{
    return m_config.quorum.containsQuorum(sids);
}

void QuorumPeer::leadStart()
{
    setPhase(ZabPhase::Discovery);
    m_waitStartMs = m_nowMs;
    m_lastPingMs = m_nowMs;
    m_lastQuorumCheckMs = m_nowMs;
    m_newEpoch = -1;
    m_epochAckQuorum = false;
    m_established = false;
    m_connectingEpochs = {{m_config.myId, m_durable.acceptedEpoch}};
    m_epochAcks = {};
    m_newLeaderAcks = {};
    m_lastProposed = m_durable.lastLoggedZxid;
    m_lastCommitted = database().lastProcessedZxid();
    maybeProposeEpoch();
    std::vector<LearnerLinkId> early;
    for (auto& [id, link] : m_links) {
        if (link.earlyInfo)
            early.push_back(id);
    }
    for (LearnerLinkId id : early) {
        auto it = m_links.find(id);
        if (it == m_links.end() || m_state != ServerState::Leading)
            continue;
        QuorumPacket info = std::move(*it->second.earlyInfo);
        it->second.earlyInfo.reset();
        it->second.lastHeardMs = m_nowMs;
        learnerPacket(id, info);
    }
}

void QuorumPeer::learnerConnected(LearnerLinkId link)
{
    // A learner may decide before we do: its connection waits until we lead (or follow).
    if (m_state == ServerState::Following || m_state == ServerState::Observing) {
        emit(peer_action::CloseLearner{link});
        return;
    }
    LearnerLink state;
    state.id = link;
    state.lastHeardMs = m_nowMs;
    m_links[link] = state;
}

void QuorumPeer::learnerClosed(LearnerLinkId link)
{
    m_links.erase(link);
}

void QuorumPeer::closeLink(LearnerLinkId link, const std::string& why)
{
    auto it = m_links.find(link);
    if (it == m_links.end())
        return;
    spdlog::info("server {}: dropping learner {}: {}", m_config.myId, it->second.sid, why);
    m_links.erase(it);
    emit(peer_action::CloseLearner{link});
}

void QuorumPeer::sendToLink(LearnerLink& link, const QuorumPacket& packet)
{
    emit(peer_action::SendLearner{link.id, encodeQuorumPacket(packet)});
}

void QuorumPeer::sendToForwarding(const QuorumPacket& packet, bool observers)
{
    for (auto& [id, link] : m_links) {
        if (link.forwarding && link.observer == observers)
            sendToLink(link, packet);
    }
}

void QuorumPeer::learnerPacket(LearnerLinkId id, const QuorumPacket& packet)
{
    auto it = m_links.find(id);
    if (it == m_links.end())
        return;
    LearnerLink& link = it->second;
    link.lastHeardMs = m_nowMs;
    if (m_state != ServerState::Leading) {
        if (link.phase == LearnerLink::Phase::AwaitInfo && !link.earlyInfo)
            link.earlyInfo = packet;
        return;
    }
    using Phase = LearnerLink::Phase;
    switch (link.phase) {
    case Phase::AwaitInfo:
        if (packet.type != QuorumPacketType::FollowerInfo &&
            packet.type != QuorumPacketType::ObserverInfo) {
            closeLink(id, "First packet " + packet.toString() + " is not FOLLOWERINFO");
            return;
        }
        onLearnerInfo(link, packet);
        return;
    case Phase::AwaitEpochAck:
        if (packet.type != QuorumPacketType::AckEpoch) {
            closeLink(id, "Expected ACKEPOCH, got " + packet.toString());
            return;
        }
        onAckEpoch(link, packet);
        return;
    case Phase::AwaitNewLeaderAck:
    case Phase::Serving:
        break;
    }
    switch (packet.type) {
    case QuorumPacketType::Ack:
        onLearnerAck(link, packet.zxid);
        return;
    case QuorumPacketType::Ping: {
        auto touches = decodeTouches(packet.data.value_or(std::vector<std::uint8_t>{}));
        if (touches && m_server) {
            for (const auto& [session, timeout] : *touches)
                m_server->touchSession(session, timeout);
        }
        return;
    }
    case QuorumPacketType::Revalidate: {
        auto ask = decodeRevalidateAsk(packet.data.value_or(std::vector<std::uint8_t>{}));
        if (!ask)
            return;
        const bool valid = m_server && m_server->revalidateSession(ask->session, ask->timeoutMs);
        sendToLink(link, packetOf(QuorumPacketType::Revalidate, packet.zxid,
                                  encodeRevalidateReply(ask->session, valid)));
        return;
    }
    case QuorumPacketType::Request: {
        auto request = decodeRequestData(packet.data.value_or(std::vector<std::uint8_t>{}));
        if (!request || !m_server)
            return;
        request->authIds = packet.authinfo;
        m_server->submitLearnerRequest(link.id, *request);
        drainServer();
        return;
    }
    default:
        spdlog::warn("server {}: unexpected {} from learner {}", m_config.myId, packet.toString(),
                     link.sid);
        return;
    }
}

void QuorumPeer::onLearnerInfo(LearnerLink& link, const QuorumPacket& packet)
{
    auto info = decodeLearnerInfo(packet.data.value_or(std::vector<std::uint8_t>{}));
    if (!info) {
        closeLink(link.id, "FOLLOWERINFO without a server id");
        return;
    }
    const Sid sid = info->info.sid;
    for (auto& [otherId, other] : m_links) {
        if (otherId != link.id && other.sid == sid) {
            closeLink(otherId, "the learner connected again");
            break;
        }
    }
    link.sid = sid;
    link.observer = packet.type == QuorumPacketType::ObserverInfo || !m_config.quorum.isVoter(sid);
    link.acceptedEpoch = zxidEpoch(packet.zxid);
    link.phase = LearnerLink::Phase::AwaitEpochAck;
    if (m_newEpoch < 0 && !link.observer) {
        m_connectingEpochs[sid] = link.acceptedEpoch;
        maybeProposeEpoch();
        return;
    }
    if (m_newEpoch >= 0 && !link.leaderInfoSent) {
        link.leaderInfoSent = true;
        sendToLink(link, packetOf(QuorumPacketType::LeaderInfo, makeZxid(m_newEpoch, 0),
                                  encodeLeaderInfoData(kLearnerProtocolVersion)));
    }
}

void QuorumPeer::maybeProposeEpoch()
{
    if (m_newEpoch >= 0)
        return;
    std::set<Sid> sids;
    Epoch maxEpoch = -1;
    for (const auto& [sid, epoch] : m_connectingEpochs) {
        sids.insert(sid);
        maxEpoch = std::max(maxEpoch, epoch);
    }
    if (!learnerQuorum(sids))
        return;
    m_newEpoch = maxEpoch + 1;
    writeAcceptedEpoch(m_newEpoch);
    m_lastProposed = makeZxid(m_newEpoch, 0);
    m_waitStartMs = m_nowMs;
    m_epochAcks = {m_config.myId};
    for (auto& [id, link] : m_links) {
        if (link.phase == LearnerLink::Phase::AwaitEpochAck && !link.leaderInfoSent) {
            link.leaderInfoSent = true;
            sendToLink(link, packetOf(QuorumPacketType::LeaderInfo, makeZxid(m_newEpoch, 0),
                                      encodeLeaderInfoData(kLearnerProtocolVersion)));
        }
    }
    maybeEpochAcked();
}

void QuorumPeer::onAckEpoch(LearnerLink& link, const QuorumPacket& packet)
{
    if (!link.leaderInfoSent)
        return;
    auto epoch = decodeAckEpochData(packet.data.value_or(std::vector<std::uint8_t>{}));
    if (!epoch) {
        closeLink(link.id, "malformed ACKEPOCH");
        return;
    }
    link.currentEpoch = *epoch;
    link.lastZxid = packet.zxid;
    link.epochAcked = true;
    if (!link.observer && !m_epochAckQuorum) {
        // waitForEpochAck: a follower more recent than us means a better leader exists.
        const bool ahead =
            link.currentEpoch > m_durable.currentEpoch ||
            (link.currentEpoch == m_durable.currentEpoch && link.lastZxid > lastLoggedZxid());
        if (ahead) {
            goLooking(fmt::format("Follower {} is ahead of the leader (epoch {}, zxid 0x{:x})",
                                  link.sid, link.currentEpoch, link.lastZxid));
            return;
        }
        m_epochAcks.insert(link.sid);
        maybeEpochAcked();
        return; // maybeEpochAcked synced every acked learner once the quorum was there
    }
    if (m_epochAckQuorum)
        syncLearner(link);
}

void QuorumPeer::maybeEpochAcked()
{
    if (m_epochAckQuorum || m_newEpoch < 0 || !learnerQuorum(m_epochAcks))
        return;
    m_epochAckQuorum = true;
    setPhase(ZabPhase::Synchronization);
    m_waitStartMs = m_nowMs;
    m_newLeaderAcks = {};
    m_historyZxid = m_durable.lastLoggedZxid;
    for (auto& [id, link] : m_links) {
        if (link.phase == LearnerLink::Phase::AwaitEpochAck && link.epochAcked)
            syncLearner(link);
    }
    historyLogged();
}

// The leader is one of the NEWLEADER quorum, under the learners' rule: only once the history
// it syncs them to is on its own disk, and currentEpoch is written then. It may still be
// logging txns it applied as a follower; were currentEpoch written first, a crash would leave
// a server that claims the epoch without the history and wins the next election on it.
void QuorumPeer::historyLogged()
{
    if (!m_epochAckQuorum || m_newLeaderAcks.contains(m_config.myId) ||
        m_lastDurable < m_historyZxid)
        return;
    writeCurrentEpoch(m_newEpoch);
    m_newLeaderAcks.insert(m_config.myId);
    maybeEstablish();
}

// The txns after `peerZxid` up to `ourZxid` from our own txn log, when the log holds that
// stretch of our history and it is small enough to beat a snapshot.
std::optional<std::vector<LoggedTxn>> QuorumPeer::historyFromLog(Zxid peerZxid, Zxid ourZxid)
{
    if (!m_config.readHistory || m_config.snapshotSizeFactor < 0 || peerZxid <= m_historyFloor)
        return std::nullopt;
    // Apache takes the factor of its newest snapshot file's size; ours is estimated from the
    // tree: paths and data, plus each node's stat, ACL reference and framing.
    constexpr std::int64_t kSnapshotBytesPerNode = 100;
    const DataTree& tree = database();
    const double snapshotBytes =
        static_cast<double>(tree.approximateDataSize() +
                            kSnapshotBytesPerNode * static_cast<std::int64_t>(tree.nodeCount()));
    const auto limit = static_cast<std::size_t>(m_config.snapshotSizeFactor * snapshotBytes);
    auto txns = m_config.readHistory(peerZxid, ourZxid, limit);
    if (!txns || txns->empty() || txns->back().header.zxid != ourZxid ||
        txns->front().header.zxid <= peerZxid)
        return std::nullopt;
    return txns;
}

void QuorumPeer::syncLearner(LearnerLink& link)
{
    const Zxid peerZxid = link.lastZxid;
    const Zxid ourZxid = database().lastProcessedZxid();
    std::string mode;
    if (peerZxid == ourZxid) {
        mode = "DIFF";
        sendToLink(link, packetOf(QuorumPacketType::Diff, ourZxid));
    } else if (peerZxid > ourZxid) {
        mode = "TRUNC";
        sendToLink(link, packetOf(QuorumPacketType::Trunc, ourZxid));
    } else {
        auto from = std::find_if(m_committedLog.begin(), m_committedLog.end(),
                                 [&](const LoggedTxn& t) { return t.header.zxid == peerZxid; });
        const bool contiguous =
            !m_committedLog.empty() && m_committedLog.back().header.zxid == ourZxid;
        std::optional<std::vector<LoggedTxn>> fromLog;
        if (from == m_committedLog.end() || !contiguous)
            fromLog = historyFromLog(peerZxid, ourZxid);
        const auto sendDiff = [&](auto first, auto last) {
            mode = "DIFF";
            sendToLink(link, packetOf(QuorumPacketType::Diff, ourZxid));
            for (auto it = first; it != last; ++it) {
                sendToLink(link,
                           packetOf(QuorumPacketType::Proposal, it->header.zxid, encodeTxn(*it)));
                sendToLink(link, packetOf(QuorumPacketType::Commit, it->header.zxid));
            }
        };
        if (from != m_committedLog.end() && contiguous) {
            sendDiff(std::next(from), m_committedLog.end());
        } else if (fromLog) {
            sendDiff(fromLog->begin(), fromLog->end());
            ++m_diffsFromLog;
        } else {
            mode = "SNAP";
            sendToLink(link, packetOf(QuorumPacketType::Snap, ourZxid));
            emit(peer_action::SendLearner{link.id,
                                          m_config.encodeSnap(database(), databaseSessions())});
        }
    }
    // startForwarding: what is proposed and not committed yet follows the sync. An ACK the
    // learner sent for one of these before it reconnected no longer holds: a TRUNC has just
    // removed it from its log (it was above our last commit), and it acks again once the
    // proposal is logged anew. Counting the old ACK could commit a txn on fewer disks than a
    // quorum.
    if (!link.observer) {
        for (auto& [zxid, proposal] : m_outstanding) {
            proposal.acks.erase(link.sid);
            sendToLink(link, packetOf(QuorumPacketType::Proposal, zxid, proposal.data));
        }
    }
    sendToLink(link,
               packetOf(QuorumPacketType::NewLeader, makeZxid(m_newEpoch, 0), m_config.configData));
    link.phase = LearnerLink::Phase::AwaitNewLeaderAck;
    link.forwarding = true;
    PeerEvent e;
    e.kind = PeerEvent::Kind::Sync;
    e.peer = link.sid;
    e.zxid = ourZxid;
    e.text = mode;
    event(std::move(e));
}

void QuorumPeer::onLearnerAck(LearnerLink& link, Zxid zxid)
{
    if (zxidCounter(zxid) == 0) {
        // The ACK of NEWLEADER (and, after UPTODATE, one more that carries no news).
        if (link.phase != LearnerLink::Phase::AwaitNewLeaderAck || zxid != makeZxid(m_newEpoch, 0))
            return;
        link.newLeaderAcked = true;
        if (!link.observer)
            m_newLeaderAcks.insert(link.sid);
        if (m_established) {
            sendToLink(link, packetOf(QuorumPacketType::UpToDate, -1));
            link.phase = LearnerLink::Phase::Serving;
        } else {
            maybeEstablish();
        }
        return;
    }
    if (link.observer)
        return;
    auto it = m_outstanding.find(zxid);
    if (it == m_outstanding.end())
        return; // committed already, or from an older epoch
    it->second.acks.insert(link.sid);
    PeerEvent e;
    e.kind = PeerEvent::Kind::Ack;
    e.peer = link.sid;
    e.zxid = zxid;
    if (m_outstanding.size() < 4) // acks are sampled under load
        event(std::move(e));
    tryCommit();
}

void QuorumPeer::maybeEstablish()
{
    if (m_established || !m_epochAckQuorum || !m_newLeaderAcks.contains(m_config.myId) ||
        !learnerQuorum(m_newLeaderAcks))
        return;
    m_established = true;
    setPhase(ZabPhase::Broadcast);
    startServer(ServerRole::Leader);
    m_lastProposed = makeZxid(m_newEpoch, 0);
    m_election.updateElectionVote(m_newEpoch);
    collectElection();
    PeerEvent e;
    e.kind = PeerEvent::Kind::Established;
    e.epoch = m_newEpoch;
    e.text = sidList(m_newLeaderAcks);
    event(std::move(e));
    spdlog::info("server {}: LEADING epoch {} with {}", m_config.myId, m_newEpoch,
                 sidList(m_newLeaderAcks));
    for (auto& [id, link] : m_links) {
        if (link.phase == LearnerLink::Phase::AwaitNewLeaderAck && link.newLeaderAcked) {
            sendToLink(link, packetOf(QuorumPacketType::UpToDate, -1));
            link.phase = LearnerLink::Phase::Serving;
        }
    }
}

void QuorumPeer::propose(std::vector<LoggedTxn> txns)
{
    if (txns.empty())
        return;
    for (const LoggedTxn& txn : txns) {
        Proposal proposal;
        proposal.txn = txn;
        proposal.data = encodeTxn(txn);
        const Zxid zxid = txn.header.zxid;
        sendToForwarding(packetOf(QuorumPacketType::Proposal, zxid, proposal.data), false);
        m_outstanding.emplace(zxid, std::move(proposal));
        m_lastProposed = zxid;
    }
    m_durable.lastLoggedZxid = m_lastProposed;
    PeerEvent e;
    e.kind = PeerEvent::Kind::Proposal;
    e.zxid = m_lastProposed;
    event(std::move(e));
    emit(peer_action::Persist{std::move(txns)});
}

void QuorumPeer::tryCommit()
{
    Zxid last = 0;
    while (!m_outstanding.empty()) {
        auto it = m_outstanding.begin();
        if (!learnerQuorum(it->second.acks))
            break;
        const Zxid zxid = it->first;
        sendToForwarding(packetOf(QuorumPacketType::Commit, zxid), false);
        sendToForwarding(packetOf(QuorumPacketType::Inform, zxid, it->second.data), true);
        rememberCommitted(it->second.txn);
        m_outstanding.erase(it);
        last = zxid;
    }
    if (last == 0 || !m_server)
        return;
    m_lastCommitted = last;
    m_server->persisted(last);
    PeerEvent e;
    e.kind = PeerEvent::Kind::Commit;
    e.zxid = last;
    event(std::move(e));
    drainServer();
}

std::vector<Sid> QuorumPeer::syncedLearners() const
{
    std::vector<Sid> out;
    for (const auto& [id, link] : m_links) {
        if (link.phase == LearnerLink::Phase::Serving)
            out.push_back(link.sid);
    }
    std::sort(out.begin(), out.end());
    return out;
}

void QuorumPeer::leaderTick()
{
    const std::int64_t initMs = static_cast<std::int64_t>(m_config.initLimit) * tickTimeMs();
    const std::int64_t syncMs = static_cast<std::int64_t>(m_config.syncLimit) * tickTimeMs();
    if (!m_established && m_nowMs - m_waitStartMs > initMs) {
        const char* what = m_newEpoch < 0      ? "Timeout while waiting for epoch from quorum"
                           : !m_epochAckQuorum ? "Timeout while waiting for epoch to be acked"
                                               : "Timeout while waiting for NEWLEADER to be acked";
        goLooking(fmt::format("{} (have {})", what,
                              sidList(m_newEpoch < 0 ? std::set<Sid>{} : m_newLeaderAcks)));
        return;
    }
    std::vector<LearnerLinkId> silent;
    for (const auto& [id, link] : m_links) {
        const std::int64_t limit = link.phase == LearnerLink::Phase::Serving ? syncMs : initMs;
        if (m_nowMs - link.lastHeardMs > limit)
            silent.push_back(id);
    }
    for (LearnerLinkId id : silent)
        closeLink(id, "no packet within the sync limit");
    if (m_nowMs - m_lastPingMs >= tickTimeMs() / 2) {
        m_lastPingMs = m_nowMs;
        for (auto& [id, link] : m_links) {
            if (link.phase == LearnerLink::Phase::Serving)
                sendToLink(link, packetOf(QuorumPacketType::Ping, m_lastProposed));
        }
    }
    if (m_established && m_nowMs - m_lastQuorumCheckMs >= tickTimeMs()) {
        m_lastQuorumCheckMs = m_nowMs;
        std::set<Sid> synced{m_config.myId};
        for (const auto& [id, link] : m_links) {
            if (!link.observer && link.phase == LearnerLink::Phase::Serving)
                synced.insert(link.sid);
        }
        if (!learnerQuorum(synced))
            goLooking("Not sufficient followers synced, only synced with sids: [ " +
                      sidList(synced) + " ]");
    }
}

} // namespace zk
