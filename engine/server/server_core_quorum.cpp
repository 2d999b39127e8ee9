// The parts of ServerCore that only a quorum member uses: a leader taking learners'
// requests, and a learner forwarding writes and applying what its leader commits
// (LearnerHandler/Leader and FollowerRequestProcessor/FollowerZooKeeperServer in Apache).

#include "server/server_core.h"

#include "core/assert.h"
#include "proto/jute_reader.h"

#include <spdlog/spdlog.h>

namespace zk {

std::map<SessionId, std::int32_t> ServerCore::sessionTimeouts() const
{
    std::map<SessionId, std::int32_t> out;
    for (const auto& [id, session] : m_sessions.sessions())
        out.emplace(id, session.timeoutMs);
    return out;
}

void ServerCore::closeAllConnections()
{
    std::vector<ConnectionId> ids;
    for (const auto& [id, info] : m_connections)
        ids.push_back(id);
    for (ConnectionId id : ids)
        closeConnection(id);
}

// ---- Leader ----

void ServerCore::submitLearnerRequest(LearnerLinkId link, const ForwardedRequest& request)
{
    ZK_ASSERT(m_role == ServerRole::Leader);
    Pending pending;
    pending.session = request.session;
    pending.xid = request.xid;
    pending.type = request.type;
    pending.link = link;
    m_sessions.touch(request.session, m_tickCount);

    if (request.type == OpCode::CreateSession) {
        JuteReader reader(request.body, m_config.maxBufferBytes);
        const std::int32_t timeout = reader.readInt();
        if (!reader.ok())
            return;
        m_sessions.addSession(request.session, timeout, m_tickCount);
        pending.kind = PendingKind::Internal;
        enqueueTxn(std::move(pending),
                   m_prep.prepareCreateSession(request.session, timeout, m_nextZxid++, m_nowMs));
        return;
    }
    if (request.type == OpCode::Sync) {
        pending.kind = PendingKind::LearnerSync;
        m_pending.push_back(std::move(pending));
        release();
        return;
    }
    auto errorTxn = [&](ZError err) {
        LoggedTxn txn;
        txn.header = TxnHeader{request.session, request.xid, m_nextZxid++, m_nowMs, OpCode::Error};
        txn.txn = Txn{OpCode::Error, ErrorTxn{static_cast<std::int32_t>(err)}};
        return txn;
    };
    const SessionTracker::Session* known = m_sessions.find(request.session);
    if (request.type == OpCode::CloseSession) {
        if (known == nullptr) {
            enqueueTxn(std::move(pending), errorTxn(ZError::SessionExpired));
            return;
        }
        m_sessions.setClosing(request.session);
        LoggedTxn txn = m_prep.prepareCloseSession(request.session, m_nextZxid++, m_nowMs);
        txn.header.cxid = request.xid; // the learner answers the request this txn belongs to
        enqueueTxn(std::move(pending), std::move(txn));
        return;
    }
    if (!PrepStage::isWrite(request.type)) {
        spdlog::warn("learner link {}: request type {} is not a write, ignored", link,
                     static_cast<int>(request.type));
        return;
    }
    // PrepRequestProcessor.checkSession: a write from a session that is gone fails.
    if (known == nullptr || known->closing) {
        enqueueTxn(std::move(pending), errorTxn(ZError::SessionExpired));
        return;
    }
    PrepStage::Request prep{request.session, request.xid, request.type, request.body,
                            &request.authIds};
    auto txn = m_prep.prepare(prep, m_nextZxid, m_nowMs);
    if (!txn) {
        enqueueTxn(std::move(pending), errorTxn(ZError::MarshallingError));
        return;
    }
    ++m_nextZxid;
    enqueueTxn(std::move(pending), std::move(*txn));
}

void ServerCore::touchSession(SessionId session, std::int32_t /*timeoutMs*/)
{
    m_sessions.touch(session, m_tickCount);
}

bool ServerCore::revalidateSession(SessionId session, std::int32_t /*timeoutMs*/)
{
    return m_sessions.touch(session, m_tickCount);
}

// ---- Learner ----

void ServerCore::forward(Pending pending, std::span<const std::uint8_t> body,
                         const std::vector<Id>& authIds)
{
    ForwardedRequest request;
    request.session = pending.session;
    request.xid = pending.xid;
    request.type = pending.type;
    request.body.assign(body.begin(), body.end());
    request.authIds = authIds;
    if (pending.type == OpCode::Sync)
        pending.body = request.body; // answered locally once the leader's SYNC arrives
    m_output.forward.push_back(std::move(request));
    pending.waiting = true;
    m_pending.push_back(std::move(pending));
}

void ServerCore::applyForeign(const LoggedTxn& txn)
{
    m_tree.processTxn(txn);
    ++m_counters.txnsApplied;
    flushWatchEvents(txn.header.zxid);
    if (txn.header.type == OpCode::CloseSession) {
        // Expired or closed by the leader: a client still connected here is told so by the
        // connection closing (ServerCnxnFactory.closeSession).
        m_sessions.removeSession(txn.header.clientId);
        auto bound = m_sessionConnection.find(txn.header.clientId);
        if (bound != m_sessionConnection.end())
            closeConnection(bound->second);
    }
}

void ServerCore::committed(const LoggedTxn& txn)
{
    ZK_ASSERT(isLearnerRole(m_role));
    const TxnHeader& header = txn.header;
    if (header.zxid > m_lastDurable)
        m_lastDurable = header.zxid;
    if (header.type == OpCode::CreateSession) {
        const auto* body = std::get_if<CreateSessionTxn>(&txn.txn.body);
        m_sessions.addSession(header.clientId, body ? body->timeOut : 0, m_tickCount);
    }
    Pending* match = nullptr;
    for (Pending& pending : m_pending) {
        if (!pending.waiting || pending.session != header.clientId || pending.txn)
            continue;
        const bool connect = pending.kind == PendingKind::Connect &&
                             pending.type == OpCode::CreateSession &&
                             header.type == OpCode::CreateSession;
        const bool request = pending.kind == PendingKind::Request && pending.type != OpCode::Sync &&
                             pending.xid == header.cxid;
        if (connect || request) {
            match = &pending;
            break;
        }
    }
    if (match == nullptr) {
        applyForeign(txn);
        release();
        return;
    }
    match->txn = txn;
    match->waiting = false;
    if (match != &m_pending.front()) {
        // Txns apply in zxid order; the reply waits for the requests before it.
        match->result = m_tree.processTxn(txn);
        ++m_counters.txnsApplied;
        flushWatchEvents(header.zxid);
    }
    release();
}

void ServerCore::revalidated(SessionId session, bool valid)
{
    for (auto it = m_pending.begin(); it != m_pending.end(); ++it) {
        if (!it->waiting || it->kind != PendingKind::Connect || it->session != session ||
            it->type == OpCode::CreateSession)
            continue;
        if (valid) {
            it->waiting = false;
            const SessionTracker::Session* known = m_sessions.find(session);
            if (known == nullptr)
                m_sessions.addSession(session, it->connectResponse.timeOut, m_tickCount);
            release();
            return;
        }
        const ConnectionId connection = it->connection;
        m_pending.erase(it);
        m_sessionConnection.erase(session);
        ConnectResponse refused;
        refused.hasReadOnly =
            m_connections.count(connection) != 0 && m_connections.at(connection).hasReadOnlyByte;
        refused.passwd.assign(16, 0);
        sendFrame(connection, encodeRecord(refused), true);
        release();
        return;
    }
}

void ServerCore::syncArrived()
{
    for (Pending& pending : m_pending) {
        if (pending.waiting && pending.kind == PendingKind::Request &&
            pending.type == OpCode::Sync) {
            pending.waiting = false;
            release();
            return;
        }
    }
}

std::map<SessionId, std::int32_t> ServerCore::takeTouches()
{
    return std::exchange(m_touched, {});
}

} // namespace zk
