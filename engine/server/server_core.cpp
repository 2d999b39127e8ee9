#include "server/server_core.h"

#include "core/assert.h"
#include "data/acl_check.h"
#include "proto/client_records.h"
#include "server/session_password.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>

namespace zk {

namespace {

std::string hostOf(const std::string& remoteAddress)
{
    // "1.2.3.4:5678" or "[::1]:5678" -> the address part.
    if (!remoteAddress.empty() && remoteAddress.front() == '[') {
        const auto end = remoteAddress.find(']');
        return remoteAddress.substr(1, end == std::string::npos ? std::string::npos : end - 1);
    }
    const auto colon = remoteAddress.rfind(':');
    return colon == std::string::npos ? remoteAddress : remoteAddress.substr(0, colon);
}

} // namespace

ServerCore::ServerCore(ServerCoreConfig config, DataTree tree, std::int64_t wallMs, ServerRole role)
    : m_config(std::move(config)), m_role(role), m_tree(std::move(tree)),
      m_sessions(m_config.sid, m_config.tickTimeMs), m_prep(m_tree, m_config), m_nowMs(wallMs),
      m_lastContainerCheckMs(wallMs), m_nonceRandom(m_config.nonceSeed)
{
    m_sessions.initializeNextSessionId(wallMs);
    m_lastDurable = m_tree.lastProcessedZxid();
    m_nextZxid = m_lastDurable + 1;
}

void ServerCore::restoreSessions(const std::map<SessionId, std::int32_t>& sessions, Zxid nextZxid)
{
    ZK_ASSERT(m_pending.empty());
    ZK_ASSERT(m_connections.empty());
    for (const auto& [id, timeoutMs] : sessions)
        m_sessions.addSession(id, timeoutMs, m_tickCount);
    if (nextZxid > m_nextZxid) {
        m_nextZxid = nextZxid;
        m_lastDurable = nextZxid - 1;
    }
}

Zxid ServerCore::lastProcessedZxid() const
{
    return m_tree.lastProcessedZxid();
}

void ServerCore::resetCounters()
{
    m_counters = {};
    for (auto& [id, info] : m_connections) {
        info.packetsReceived = 0;
        info.packetsSent = 0;
    }
}

ServerOutput ServerCore::takeOutput()
{
    ServerOutput out = std::move(m_output);
    m_output = {};
    return out;
}

void ServerCore::connectionOpened(ConnectionId connection, std::string remoteAddress)
{
    ConnectionInfo info;
    info.authIds.push_back(Id{"ip", hostOf(remoteAddress)});
    info.remoteAddress = std::move(remoteAddress);
    m_connections.emplace(connection, std::move(info));
}

void ServerCore::connectionClosed(ConnectionId connection)
{
    auto it = m_connections.find(connection);
    if (it == m_connections.end())
        return;
    const SessionId session = it->second.session;
    if (session != 0) {
        auto bound = m_sessionConnection.find(session);
        if (bound != m_sessionConnection.end() && bound->second == connection)
            m_sessionConnection.erase(bound);
    }
    m_tree.watches().removeWatcher(connection);
    m_connections.erase(it);
}

void ServerCore::closeConnection(ConnectionId connection)
{
    if (m_connections.count(connection) == 0)
        return;
    m_output.closeConnections.push_back(connection);
    connectionClosed(connection);
}

std::int32_t ServerCore::negotiateTimeout(std::int32_t requestedMs) const
{
    return std::clamp(requestedMs, m_config.minSessionTimeoutMs, m_config.maxSessionTimeoutMs);
}

void ServerCore::sendFrame(ConnectionId connection, std::vector<std::uint8_t> payload,
                           bool closeAfter)
{
    auto it = m_connections.find(connection);
    if (it == m_connections.end())
        return;
    OutboundFrame frame;
    frame.connection = connection;
    frame.bytes.reserve(payload.size() + 4);
    const auto length = static_cast<std::uint32_t>(payload.size());
    for (int shift = 24; shift >= 0; shift -= 8)
        frame.bytes.push_back(static_cast<std::uint8_t>(length >> shift));
    frame.bytes.insert(frame.bytes.end(), payload.begin(), payload.end());
    frame.closeAfter = closeAfter;
    m_output.frames.push_back(std::move(frame));
    ++it->second.packetsSent;
    ++m_counters.packetsSent;
    if (closeAfter)
        connectionClosed(connection);
}

void ServerCore::sendReply(ConnectionId connection, Xid xid, Zxid zxid, ZError err,
                           const std::vector<std::uint8_t>& body, bool closeAfter)
{
    JuteWriter writer;
    ReplyHeader{xid, zxid, static_cast<std::int32_t>(err)}.write(writer);
    if (err == ZError::Ok)
        writer.writeRaw(body);
    auto it = m_connections.find(connection);
    if (it != m_connections.end())
        it->second.lastZxid = zxid;
    sendFrame(connection, writer.take(), closeAfter);
}

void ServerCore::receive(ConnectionId connection, std::span<const std::uint8_t> payload)
{
    auto it = m_connections.find(connection);
    if (it == m_connections.end())
        return;
    ++it->second.packetsReceived;
    ++m_counters.packetsReceived;
    if (!it->second.established)
        handleConnect(connection, it->second, payload);
    else
        handleRequest(connection, it->second, payload);
}

void ServerCore::handleConnect(ConnectionId connection, ConnectionInfo& info,
                               std::span<const std::uint8_t> payload)
{
    auto request = decodeRecord<ConnectRequest>(payload, m_config.maxBufferBytes);
    if (!request) {
        spdlog::warn("connection {}: malformed ConnectRequest, closing", info.remoteAddress);
        closeConnection(connection);
        return;
    }
    info.hasReadOnlyByte = request->hasReadOnly;
    if (m_role == ServerRole::ReadOnly && !request->readOnly) {
        spdlog::info("Refusing session request for not-read-only client {}", info.remoteAddress);
        closeConnection(connection);
        return;
    }
    if (request->lastZxidSeen > lastProcessedZxid()) {
        spdlog::info("refusing session for client {}: it has seen zxid 0x{:x}, our last is 0x{:x}"
                     " (client must try another server)",
                     info.remoteAddress, request->lastZxidSeen, lastProcessedZxid());
        closeConnection(connection);
        return;
    }
    const std::int32_t timeout = negotiateTimeout(request->timeOut);
    ConnectResponse response;
    response.protocolVersion = 0;
    response.hasReadOnly = request->hasReadOnly;
    response.readOnly = m_role == ServerRole::ReadOnly;
    info.established = true;

    if (request->sessionId == 0) {
        const SessionId session = m_sessions.nextSessionId();
        if (isLearnerRole(m_role)) {
            // The session is created through the leader (Learner.request createSession).
            const auto password = sessionPassword(session);
            response.timeOut = timeout;
            response.sessionId = session;
            response.passwd.assign(password.begin(), password.end());
            info.session = session;
            info.sessionTimeoutMs = timeout;
            m_sessionConnection[session] = connection;
            Pending pending;
            pending.kind = PendingKind::Connect;
            pending.connection = connection;
            pending.session = session;
            pending.type = OpCode::CreateSession;
            pending.connectResponse = std::move(response);
            JuteWriter body;
            body.writeInt(timeout);
            forward(std::move(pending), body.bytes(), info.authIds);
            return;
        }
        m_sessions.addSession(session, timeout, m_tickCount);
        const auto password = sessionPassword(session);
        response.timeOut = timeout;
        response.sessionId = session;
        response.passwd.assign(password.begin(), password.end());
        info.session = session;
        info.sessionTimeoutMs = timeout;
        m_sessionConnection[session] = connection;
        Pending pending;
        pending.kind = PendingKind::Connect;
        pending.connection = connection;
        pending.session = session;
        pending.connectResponse = std::move(response);
        if (m_role == ServerRole::ReadOnly) {
            // A read-only server keeps its sessions to itself: nothing is logged.
            m_pending.push_back(std::move(pending));
            release();
            return;
        }
        enqueueTxn(std::move(pending),
                   m_prep.prepareCreateSession(session, timeout, m_nextZxid++, m_nowMs));
        return;
    }

    const SessionId session = request->sessionId;
    const auto password = sessionPassword(session);
    const bool passwordOk = request->passwd.size() == password.size() &&
                            std::equal(password.begin(), password.end(), request->passwd.begin());
    const SessionTracker::Session* known = m_sessions.find(session);
    const bool learner = isLearnerRole(m_role);
    if (!passwordOk || (!learner && (known == nullptr || known->closing))) {
        response.timeOut = 0;
        response.sessionId = 0;
        response.passwd.assign(16, 0);
        sendFrame(connection, encodeRecord(response), true);
        return;
    }
    // The session moves to this connection; the old one is closed, as Apache does.
    auto previous = m_sessionConnection.find(session);
    if (previous != m_sessionConnection.end() && previous->second != connection)
        closeConnection(previous->second);
    if (!learner)
        m_sessions.addSession(session, timeout, m_tickCount);
    m_sessionConnection[session] = connection;
    info.session = session;
    info.sessionTimeoutMs = timeout;
    response.timeOut = timeout;
    response.sessionId = session;
    response.passwd.assign(password.begin(), password.end());
    // Queue behind earlier work so that the reply cannot overtake a txn still being written.
    Pending pending;
    pending.kind = PendingKind::Connect;
    pending.connection = connection;
    pending.session = session;
    pending.connectResponse = std::move(response);
    if (learner) {
        // Only the leader knows whether the session is alive (Learner.validateSession).
        pending.waiting = true;
        m_touched[session] = timeout;
        m_output.revalidate.emplace_back(session, timeout);
    }
    m_pending.push_back(std::move(pending));
    release();
}

void ServerCore::handleAuth(ConnectionId connection, ConnectionInfo& info,
                            std::span<const std::uint8_t> body)
{
    auto packet = decodeRecord<AuthPacket>(body, m_config.maxBufferBytes);
    if (!packet || packet->scheme != "digest") {
        sendReply(connection, xids::Auth, 0, ZError::AuthFailed, {}, true);
        return;
    }
    const std::string credentials(packet->auth.begin(), packet->auth.end());
    if (credentials.find(':') == std::string::npos) {
        sendReply(connection, xids::Auth, 0, ZError::AuthFailed, {}, true);
        return;
    }
    const std::string digest = generateDigest(credentials);
    if (std::find(info.authIds.begin(), info.authIds.end(), Id{"digest", digest}) ==
        info.authIds.end())
        info.authIds.push_back(Id{"digest", digest});
    if (!m_config.superDigest.empty() && digest == m_config.superDigest &&
        std::find(info.authIds.begin(), info.authIds.end(), Id{"super", ""}) == info.authIds.end())
        info.authIds.push_back(Id{"super", ""});
    sendReply(connection, xids::Auth, 0, ZError::Ok, {});
}

void ServerCore::handleSasl(ConnectionId connection, ConnectionInfo& info, Xid xid,
                            std::span<const std::uint8_t> body)
{
    auto request = decodeRecord<GetSaslRequest>(body, m_config.maxBufferBytes);
    if (!request || m_config.saslUsers.empty()) {
        sendReply(connection, xid, 0, ZError::AuthFailed, {}, true);
        return;
    }
    if (!info.sasl) {
        const std::string nonce = fmt::format("{:016x}{:016x}", m_nonceRandom(), m_nonceRandom());
        info.sasl = std::make_shared<DigestMd5Server>(&m_config.saslUsers, nonce);
    }
    const std::string token(request->token.begin(), request->token.end());
    auto reply = info.sasl->step(token);
    if (!reply) {
        spdlog::info("SASL authentication failed for {}", info.remoteAddress);
        sendReply(connection, xid, 0, ZError::AuthFailed, {}, true);
        return;
    }
    if (info.sasl->complete())
        info.authIds.push_back(Id{"sasl", info.sasl->authorizationId()});
    JuteWriter writer;
    SetSaslResponse{std::move(*reply)}.write(writer);
    sendReply(connection, xid, 0, ZError::Ok, writer.bytes());
}

void ServerCore::handleRequest(ConnectionId connection, ConnectionInfo& info,
                               std::span<const std::uint8_t> payload)
{
    JuteReader reader(payload, m_config.maxBufferBytes);
    RequestHeader header;
    header.read(reader);
    if (!reader.ok()) {
        spdlog::warn("connection {}: malformed request header, closing", info.remoteAddress);
        closeConnection(connection);
        return;
    }
    const auto body = reader.rest();
    const auto type = static_cast<OpCode>(header.type);
    info.lastXid = header.xid;
    info.lastOp = type;
    m_sessions.touch(info.session, m_tickCount);
    if (isLearnerRole(m_role))
        m_touched[info.session] = info.sessionTimeoutMs;

    if (type == OpCode::Auth) {
        handleAuth(connection, info, body);
        return;
    }
    if (type == OpCode::Sasl) {
        handleSasl(connection, info, header.xid, body);
        return;
    }
    Pending pending;
    pending.connection = connection;
    pending.session = info.session;
    pending.xid = header.xid;
    pending.type = type;

    if (isLearnerRole(m_role) &&
        (type == OpCode::CloseSession || type == OpCode::Sync || PrepStage::isWrite(type))) {
        forward(std::move(pending), body, info.authIds);
        return;
    }
    if (m_role == ServerRole::ReadOnly &&
        (type == OpCode::CloseSession || type == OpCode::Sync || PrepStage::isWrite(type))) {
        if (type == OpCode::CloseSession) {
            m_sessions.removeSession(info.session);
            m_sessionConnection.erase(info.session);
            sendReply(connection, header.xid, lastProcessedZxid(), ZError::Ok, {}, true);
            return;
        }
        // ReadOnlyRequestProcessor: everything that would change the tree is refused.
        pending.error = ZError::NotReadOnly;
        m_pending.push_back(std::move(pending));
        release();
        return;
    }
    if (type == OpCode::CloseSession) {
        m_sessions.setClosing(info.session);
        enqueueTxn(std::move(pending),
                   m_prep.prepareCloseSession(info.session, m_nextZxid++, m_nowMs));
        return;
    }
    if (PrepStage::isWrite(type)) {
        // PrepRequestProcessor.checkSession: a session that expired (closeSession on its way
        // to the log) or is gone writes nothing more, not even an ephemeral it would outlive.
        const SessionTracker::Session* known = m_sessions.find(info.session);
        if (known == nullptr || known->closing) {
            LoggedTxn error;
            error.header =
                TxnHeader{info.session, header.xid, m_nextZxid++, m_nowMs, OpCode::Error};
            error.txn =
                Txn{OpCode::Error, ErrorTxn{static_cast<std::int32_t>(ZError::SessionExpired)}};
            enqueueTxn(std::move(pending), std::move(error));
            return;
        }
        PrepStage::Request request{info.session, header.xid, type, body, &info.authIds};
        auto txn = m_prep.prepare(request, m_nextZxid, m_nowMs);
        if (!txn) {
            pending.error = ZError::MarshallingError;
            m_pending.push_back(std::move(pending));
            release();
            return;
        }
        ++m_nextZxid;
        enqueueTxn(std::move(pending), std::move(*txn));
        return;
    }
    pending.body.assign(body.begin(), body.end());
    m_pending.push_back(std::move(pending));
    release();
}

void ServerCore::enqueueTxn(Pending pending, LoggedTxn txn)
{
    // The txn was the last one prepared, so the prep stage's prediction is its digest.
    if (m_config.digestEnabled)
        txn.digest = TxnDigest{DataTree::digestVersion, m_prep.predictedDigest()};
    m_output.persist.push_back(txn);
    pending.txn = std::move(txn);
    m_pending.push_back(std::move(pending));
    release();
}

void ServerCore::persisted(Zxid lastDurable)
{
    ZK_ASSERT(lastDurable >= m_lastDurable);
    m_lastDurable = lastDurable;
    release();
}

void ServerCore::release()
{
    while (!m_pending.empty()) {
        Pending& front = m_pending.front();
        if (front.waiting || (front.txn && front.txn->header.zxid > m_lastDurable))
            return;
        Pending pending = std::move(front);
        m_pending.pop_front();
        complete(pending);
    }
}

void ServerCore::complete(Pending& pending)
{
    if (!pending.txn) {
        if (pending.kind == PendingKind::LearnerSync) {
            m_output.syncs.push_back(pending.link);
            return;
        }
        if (pending.kind == PendingKind::Connect) {
            sendFrame(pending.connection, encodeRecord(pending.connectResponse), false);
            return;
        }
        if (pending.error != ZError::Ok) {
            sendReply(pending.connection, pending.xid, lastProcessedZxid(), pending.error, {});
            return;
        }
        replyRead(pending);
        return;
    }
    if (pending.result) {
        applyTxn(pending, *pending.result); // a learner applied it already, in zxid order
        return;
    }
    ProcessTxnResult result = m_tree.processTxn(*pending.txn);
    m_prep.applied(pending.txn->header.zxid);
    ++m_counters.txnsApplied;
    flushWatchEvents(pending.txn->header.zxid);
    applyTxn(pending, result);
}

void ServerCore::flushWatchEvents(Zxid zxid)
{
    for (FiredWatch& fired : m_tree.takeFiredWatches()) {
        const auto connection = static_cast<ConnectionId>(fired.watcher);
        auto info = m_connections.find(connection);
        if (info == m_connections.end())
            continue;
        // Watchers that may no longer read the node hear nothing (ZOOKEEPER-4465).
        if (fired.acl && !checkAcl(*fired.acl, perms::Read, info->second.authIds))
            continue;
        JuteWriter writer;
        ReplyHeader{xids::Notification, zxid, 0}.write(writer);
        WatcherEvent{fired.event.type, fired.event.state, fired.event.path}.write(writer);
        sendFrame(connection, writer.take(), false);
    }
}

void ServerCore::tick(std::int64_t wallMs)
{
    m_nowMs = std::max(m_nowMs, wallMs);
    ++m_tickCount;
    if (isLearnerRole(m_role) || m_role == ServerRole::ReadOnly)
        return; // the leader expires sessions and deletes containers
    for (SessionId session : m_sessions.expire(m_tickCount)) {
        spdlog::info("Expiring session 0x{:x}", session);
        Pending pending;
        pending.kind = PendingKind::Expire;
        pending.session = session;
        enqueueTxn(std::move(pending), m_prep.prepareCloseSession(session, m_nextZxid++, m_nowMs));
    }
    if (m_nowMs - m_lastContainerCheckMs >= m_config.containerCheckIntervalMs) {
        m_lastContainerCheckMs = m_nowMs;
        checkContainers();
    }
}

void ServerCore::checkContainers()
{
    for (const std::string& path : m_tree.candidateContainers(m_nowMs)) {
        auto txn = m_prep.prepareDeleteContainer(path, m_nextZxid, m_nowMs);
        if (!txn)
            continue;
        ++m_nextZxid;
        Pending pending;
        pending.kind = PendingKind::Internal;
        enqueueTxn(std::move(pending), std::move(*txn));
    }
}

} // namespace zk
