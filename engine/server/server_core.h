#pragma once
// ServerCore is one standalone ZooKeeper server as a pure state machine: connection
// events, request frames and ticks in; txns to persist and frames to send out. It has no
// sockets, files, threads or clocks: the wall time arrives with tick(). Not thread-safe:
// exactly one thread (the node's io thread, or the simulator) calls it.
//
// Driver contract, for each ServerOutput taken:
//   1. append `persist` to the txn log and fsync (group commit), then call persisted()
//      with the last zxid that is durable;
//   2. write `frames` to their connections in order, closing those marked closeAfter;
//   3. close `closeConnections` without writing anything more.
// Replies never leave before their txn is durable, and replies on one connection leave in
// request order (reads wait behind earlier writes, as in ZooKeeper's request pipeline).
//
// In a quorum the role decides where txns come from (see ServerRole). Leader: the driver
// proposes `persist` and calls persisted() with the commit point; learners' requests come in
// through submitLearnerRequest(). Follower/Observer: writes, session creation, closeSession
// and sync leave as `forward`, reconnects as `revalidate`; committed() applies what the
// leader commits, in zxid order, answering the local request it belongs to.

#include "data/data_tree.h"
#include "proto/client_records.h"
#include "server/prep_stage.h"
#include "server/sasl_digest_md5.h"
#include "server/server_types.h"
#include "server/session_tracker.h"

#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <span>
#include <string>
#include <vector>

namespace zk {

class ServerCore
{
public:
    struct ConnectionInfo
    {
        std::string remoteAddress;
        SessionId session = 0;
        bool established = false;
        bool hasReadOnlyByte = false;
        std::vector<Id> authIds;
        std::int64_t packetsReceived = 0;
        std::int64_t packetsSent = 0;
        std::int32_t sessionTimeoutMs = 0;
        Zxid lastZxid = 0;
        Xid lastXid = 0;
        OpCode lastOp = OpCode::Error;
        std::shared_ptr<DigestMd5Server> sasl; // an exchange in progress or done
    };

    struct Counters
    {
        std::int64_t packetsReceived = 0;
        std::int64_t packetsSent = 0;
        std::int64_t txnsApplied = 0;
    };

    // tree holds the restored state (a fresh DataTree for a new server).
    ServerCore(ServerCoreConfig config, DataTree tree, std::int64_t wallMs,
               ServerRole role = ServerRole::Standalone);

    // Sessions restored from storage ({id, timeout}): tracked from now on and expiring
    // normally, as SessionTrackerImpl does with ZKDatabase's sessions after a restart.
    // nextZxid (when above lastProcessedZxid + 1) is the first zxid to hand out. Call once,
    // before any other input.
    void restoreSessions(const std::map<SessionId, std::int32_t>& sessions, Zxid nextZxid = 0);

    void connectionOpened(ConnectionId connection, std::string remoteAddress);
    void connectionClosed(ConnectionId connection);
    // One frame's payload, without the 4-byte length prefix.
    void receive(ConnectionId connection, std::span<const std::uint8_t> payload);
    void tick(std::int64_t wallMs);
    void persisted(Zxid lastDurable);

    bool hasOutput() const { return !m_output.empty(); }
    ServerOutput takeOutput();

    // ---- Quorum roles (server_core_quorum.cpp) ----
    ServerRole role() const { return m_role; }
    // Leader: a request a learner forwarded (LearnerHandler REQUEST). Its reply goes out at
    // the learner; a sync is answered with `syncs` once what precedes it is committed.
    void submitLearnerRequest(LearnerLinkId link, const ForwardedRequest& request);
    // Leader: a learner's PING touches and REVALIDATE (checkIfValidGlobalSession).
    void touchSession(SessionId session, std::int32_t timeoutMs);
    bool revalidateSession(SessionId session, std::int32_t timeoutMs);
    // Learner: one txn the leader committed, in zxid order.
    void committed(const LoggedTxn& txn);
    // Learner: the leader's answer to a `revalidate`, and a SYNC for the oldest pending sync.
    void revalidated(SessionId session, bool valid);
    void syncArrived();
    // Learner: sessions touched since the last call ({id, timeout}), for the PING reply.
    std::map<SessionId, std::int32_t> takeTouches();
    // Ends this server (the peer leaves its role): every client connection is closed.
    void closeAllConnections();
    // Hands the tree to the next role's server; this core must not be used afterwards.
    DataTree releaseTree() { return std::move(m_tree); }
    std::map<SessionId, std::int32_t> sessionTimeouts() const;

    // Read-only views for four-letter words, the studio and tests.
    const DataTree& tree() const { return m_tree; }
    DataTree& tree() { return m_tree; }
    const SessionTracker& sessions() const { return m_sessions; }
    const std::map<ConnectionId, ConnectionInfo>& connections() const { return m_connections; }
    const ServerCoreConfig& config() const { return m_config; }
    const Counters& counters() const { return m_counters; }
    void resetCounters();
    std::size_t outstandingRequests() const { return m_pending.size(); }
    Zxid lastProcessedZxid() const;
    Zxid nextZxid() const { return m_nextZxid; }
    std::int64_t tickCount() const { return m_tickCount; }

private:
    enum class PendingKind
    {
        Request,
        Connect,
        Expire,
        Internal,
        LearnerSync
    };

    struct Pending
    {
        PendingKind kind = PendingKind::Request;
        ConnectionId connection = 0;
        SessionId session = 0;
        Xid xid = 0;
        OpCode type = OpCode::Error;
        std::vector<std::uint8_t> body;
        std::optional<LoggedTxn> txn;
        ZError error = ZError::Ok; // set for requests answered with an error without a txn
        ConnectResponse connectResponse;
        bool waiting = false; // learner: for the leader's commit, revalidation or SYNC
        std::optional<ProcessTxnResult> result; // learner: applied before it reached the front
        LearnerLinkId link = 0;
    };

    void handleConnect(ConnectionId connection, ConnectionInfo& info,
                       std::span<const std::uint8_t> payload);
    void handleRequest(ConnectionId connection, ConnectionInfo& info,
                       std::span<const std::uint8_t> payload);
    void handleAuth(ConnectionId connection, ConnectionInfo& info,
                    std::span<const std::uint8_t> body);
    void handleSasl(ConnectionId connection, ConnectionInfo& info, Xid xid,
                    std::span<const std::uint8_t> body);
    void enqueueTxn(Pending pending, LoggedTxn txn);
    void release();
    void complete(Pending& pending);
    void applyTxn(Pending& pending, ProcessTxnResult& result);
    void replyRead(Pending& pending);
    void flushWatchEvents(Zxid zxid);
    void checkContainers();

    void sendReply(ConnectionId connection, Xid xid, Zxid zxid, ZError err,
                   const std::vector<std::uint8_t>& body, bool closeAfter = false);
    void sendFrame(ConnectionId connection, std::vector<std::uint8_t> payload, bool closeAfter);
    void closeConnection(ConnectionId connection);
    std::int32_t negotiateTimeout(std::int32_t requestedMs) const;
    void forward(Pending pending, std::span<const std::uint8_t> body,
                 const std::vector<Id>& authIds);
    void applyForeign(const LoggedTxn& txn);

    ServerCoreConfig m_config;
    ServerRole m_role = ServerRole::Standalone;
    DataTree m_tree;
    SessionTracker m_sessions;
    PrepStage m_prep;
    std::map<ConnectionId, ConnectionInfo> m_connections;
    std::map<SessionId, ConnectionId> m_sessionConnection;
    std::deque<Pending> m_pending;
    ServerOutput m_output;
    Counters m_counters;
    Zxid m_nextZxid = 1;
    Zxid m_lastDurable = 0;
    std::int64_t m_nowMs = 0;
    std::int64_t m_tickCount = 0;
    std::int64_t m_lastContainerCheckMs = 0;
    std::mt19937_64 m_nonceRandom;
    std::map<SessionId, std::int32_t> m_touched; // learner: since the last PING
};

} // namespace zk
