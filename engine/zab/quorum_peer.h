#pragma once
// QuorumPeer is one member of a ZooKeeper ensemble as a pure state machine: Apache's
// QuorumPeer main loop, FastLeaderElection, Leader + LearnerHandler, and Follower/Observer
// (Learner). Messages, ticks and storage completions in; actions out. No sockets, files,
// threads or clocks: the driver (net/QuorumHost, or the simulator) does the I/O.
//
// Roles. LOOKING runs the election. A decision starts ZAB:
//   leader   discovery: FOLLOWERINFO from a quorum -> epoch = max(acceptedEpoch) + 1,
//            LEADERINFO; ACKEPOCH from a quorum (a follower ahead of us ends the round);
//            sync: each learner gets DIFF (+ PROPOSAL/COMMIT pairs from the committed log),
//            TRUNC or SNAP, then NEWLEADER; a quorum of NEWLEADER ACKs establishes the epoch
//            (the leader counts itself, and writes currentEpoch, once its own history is on
//            disk): UPTODATE, the server starts. Broadcast: PROPOSAL to followers, COMMIT once
//            a quorum (the leader's own durable log included) acked, in zxid order, INFORM to
//            observers. PING every tickTime/2; a learner not heard from within syncLimit
//            ticks is dropped, and the leader steps down when its synced learners and itself
//            no longer form a quorum.
//   learner  FOLLOWERINFO/OBSERVERINFO, ACKEPOCH (acceptedEpoch written first), sync, then
//            on NEWLEADER: snapshot if the sync was SNAP/TRUNC, queued proposals logged, and
//            once they are durable currentEpoch written and the ACK sent; UPTODATE starts the
//            server. A PROPOSAL is ACKed once durable; COMMIT applies it. A learner that
//            leaves a SNAP or TRUNC sync before NEWLEADER reloads its database from disk
//            (TruncateLog at the log's end) before it votes again.
// Any error, timeout (initLimit ticks before NEWLEADER, syncLimit after) or lost connection
// sends the peer back to LOOKING; the client server stops and its connections close. With
// readOnlyModeEnabled, a peer LOOKING for max(2000 ms, tickTime) starts a read-only server
// (QuorumPeer's ReadOnlyZooKeeperServer) until the election ends.
//
// Driver contract: call takeOutput() after every input and carry out `actions` in order
// before the next input. Persist hands txns to the log (group commit) and later reports
// logged(lastDurable). WriteEpoch is durable before the next action. TruncateLog cuts the
// log and reloads the database from disk: the driver calls databaseReloaded() before any
// other input. TakeSnapshot writes database() as it is when the action is carried out.

#include "election/fast_leader_election.h"
#include "proto/quorum_messages.h"
#include "server/server_core.h"
#include "zab/peer_events.h"
#include "zab/zab_payloads.h"

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <variant>
#include <vector>

namespace zk {

// Serializes a database as a SNAP stream (storage/snap_stream.h), injected by the driver.
using SnapEncoder = std::function<std::vector<std::uint8_t>(
    const DataTree& tree, const std::map<SessionId, std::int32_t>& sessions)>;

// Reads this server's own txn log for a DIFF that reaches further back than the committed
// log in memory (LearnerHandler's sync from the txn log): the txns after `after` up to and
// including `upTo`, in order. nullopt when the log does not hold the txn `after` followed by
// every txn up to `upTo`, or when their encoded size passes `byteLimit`; the leader then
// sends a SNAP.
using HistoryReader = std::function<std::optional<std::vector<LoggedTxn>>(Zxid after, Zxid upTo,
                                                                          std::size_t byteLimit)>;

struct QuorumPeerConfig
{
    Sid myId = 0;
    QuorumVerifier quorum;
    ServerCoreConfig server; // sid and tickTimeMs included
    int initLimit = 10;      // ticks of tickTime
    int syncLimit = 5;       // ticks of tickTime
    int peerTickMs = 50;     // how often the driver calls tick()
    // FastLeaderElection's wait for better votes once a quorum agrees. Apache fixes it at
    // 200 ms; ZooLab uses 50: votes cross a LAN in well under that, a worse choice only
    // costs one more round (a leader with a follower ahead of it steps down), and failover
    // time is dominated by this wait.
    int finalizeWaitMs = 50;
    int minNotificationIntervalMs = 200;
    int maxNotificationIntervalMs = 60000;
    std::vector<std::uint8_t> configData; // the QuorumVerifier text (notifications, NEWLEADER)
    std::size_t commitLogCount = 500;     // zookeeper.commitLogCount
    bool readOnlyModeEnabled = false;     // readonlymode.enabled
    SnapEncoder encodeSnap;
    HistoryReader readHistory; // none: a DIFF reaches only as far back as the committed log
    // zookeeper.snapshotSizeFactor: a DIFF from the txn log may carry at most this share of
    // the database's snapshot size (estimated from the tree); below 0 the txn log is never
    // read.
    double snapshotSizeFactor = 0.33;
};

// What survives a restart: the last logged zxid and the two epoch files.
struct PeerDurableState
{
    Zxid lastLoggedZxid = 0;
    Epoch acceptedEpoch = 0;
    Epoch currentEpoch = 0;
    // The txn log holds the database's whole history after this zxid: the snapshot the
    // database was recovered from. Older log entries may belong to a history that a SNAP or
    // TRUNC replaced, so a DIFF from the log never starts at or below it.
    Zxid historyFloor = 0;
};

namespace peer_action {
struct SendVote
{
    Sid to = 0;
    Notification notification;
};
struct ConnectLeader // open the quorum connection to `leader` (replacing any other)
{
    Sid leader = 0;
};
struct DisconnectLeader
{};
struct SendLeader
{
    std::vector<std::uint8_t> bytes; // encoded QuorumPackets
};
struct SendLearner
{
    LearnerLinkId link = 0;
    std::vector<std::uint8_t> bytes; // encoded QuorumPackets and SNAP streams
};
struct CloseLearner
{
    LearnerLinkId link = 0;
};
struct Persist
{
    std::vector<LoggedTxn> txns;
};
struct WriteEpoch
{
    bool accepted = false; // acceptedEpoch, else currentEpoch
    Epoch epoch = 0;
};
struct TruncateLog
{
    Zxid zxid = 0;
};
struct TakeSnapshot
{};
struct Client // frames and closes for client connections
{
    std::vector<OutboundFrame> frames;
    std::vector<ConnectionId> closeConnections;
};
} // namespace peer_action

using PeerAction =
    std::variant<peer_action::SendVote, peer_action::ConnectLeader, peer_action::DisconnectLeader,
                 peer_action::SendLeader, peer_action::SendLearner, peer_action::CloseLearner,
                 peer_action::Persist, peer_action::WriteEpoch, peer_action::TruncateLog,
                 peer_action::TakeSnapshot, peer_action::Client>;

struct PeerOutput
{
    std::vector<PeerAction> actions;
    std::vector<PeerEvent> events;
};

class QuorumPeer
{
public:
    // tree/sessions: the database recovered from disk (every logged txn applied).
    QuorumPeer(QuorumPeerConfig config, PeerDurableState durable, DataTree tree,
               std::map<SessionId, std::int32_t> sessions, std::int64_t wallMs);
    ~QuorumPeer();

    void start(); // the first election round

    // Election channel.
    void receiveVote(Sid from, const Notification& notification);
    // Quorum channel, leader side: a learner connected to our quorum port.
    void learnerConnected(LearnerLinkId link);
    void learnerPacket(LearnerLinkId link, const QuorumPacket& packet);
    void learnerClosed(LearnerLinkId link);
    // Quorum channel, learner side.
    void leaderConnected();
    void leaderPacket(const QuorumPacket& packet);
    // The SNAP stream that followed a SNAP packet, decoded by the driver.
    void leaderSnapshot(Zxid zxid, DataTree tree, std::map<SessionId, std::int32_t> sessions);
    void leaderLost(const std::string& why);
    // Storage.
    void logged(Zxid lastDurable);
    // After a TruncateLog: the database recovered anew, and the zxid of the snapshot it came
    // from (the new history floor).
    void databaseReloaded(DataTree tree, std::map<SessionId, std::int32_t> sessions,
                          Zxid historyFloor);
    // Clients; ignored (the connection is closed) while no server runs.
    void clientOpened(ConnectionId connection, std::string remoteAddress);
    void clientClosed(ConnectionId connection);
    void clientFrame(ConnectionId connection, std::span<const std::uint8_t> payload);
    void tick(std::int64_t wallMs);

    bool hasOutput() const { return !m_output.actions.empty() || !m_output.events.empty(); }
    PeerOutput takeOutput();

    // Views (the driver's thread only).
    ServerState state() const { return m_state; }
    ZabPhase phase() const { return m_phase; }
    // A server runs: read-write (leader, follower, observer) or read-only while LOOKING.
    bool serving() const { return m_server != nullptr; }
    bool readOnly() const { return m_server && m_server->role() == ServerRole::ReadOnly; }
    const ServerCore* server() const { return m_server.get(); }
    ServerCore* server() { return m_server.get(); }
    Sid leaderSid() const { return m_leader; }
    Sid myId() const { return m_config.myId; }
    const PeerDurableState& durable() const { return m_durable; }
    const QuorumPeerConfig& config() const { return m_config; }
    const FastLeaderElection& election() const { return m_election; }
    // The database: the running server's, or the one held between roles.
    const DataTree& database() const;
    std::map<SessionId, std::int32_t> databaseSessions() const;
    Zxid lastLoggedZxid() const { return m_durable.lastLoggedZxid; }
    // Leader: sids of the learners that are synced now (UPTODATE sent, heard lately).
    std::vector<Sid> syncedLearners() const;
    // Leader: how many syncs sent a DIFF read from the txn log (the committed log in memory
    // did not reach back far enough).
    std::int64_t diffsFromLog() const { return m_diffsFromLog; }

private:
    struct LearnerLink
    {
        LearnerLinkId id = 0;
        Sid sid = -1;
        bool observer = false;
        enum class Phase
        {
            AwaitInfo,
            AwaitEpochAck,
            AwaitNewLeaderAck,
            Serving
        } phase = Phase::AwaitInfo;
        Epoch acceptedEpoch = 0;
        Zxid lastZxid = 0;
        Epoch currentEpoch = 0;
        bool leaderInfoSent = false;
        bool epochAcked = false;
        bool newLeaderAcked = false;
        std::optional<QuorumPacket> earlyInfo; // FOLLOWERINFO that came before we led
        bool forwarding = false;               // gets proposals/commits (or informs)
        std::int64_t lastHeardMs = 0;
    };
    struct Proposal
    {
        LoggedTxn txn;
        std::vector<std::uint8_t> data; // encoded txn
        std::set<Sid> acks;
    };
    struct Inflight // learner: a proposal not yet committed
    {
        LoggedTxn txn;
        bool committed = false;
        bool logged = false; // handed to Persist
        bool acked = false;
    };

    // quorum_peer.cpp: election and role changes
    void goLooking(const std::string& why);
    void collectElection();
    void onDecision(const ElectionDecision& decision);
    void startServer(ServerRole role);
    void stopServer();
    void drainServer();
    void emit(PeerAction action) { m_output.actions.push_back(std::move(action)); }
    void event(PeerEvent e);
    void setState(ServerState state, const std::string& why);
    void setPhase(ZabPhase phase);
    void writeAcceptedEpoch(Epoch epoch);
    void writeCurrentEpoch(Epoch epoch);
    DataTree& db();
    void rememberCommitted(const LoggedTxn& txn);
    std::int64_t tickTimeMs() const { return m_config.server.tickTimeMs; }

    // zab_leader.cpp
    void leadStart();
    void leaderTick();
    void onLearnerInfo(LearnerLink& link, const QuorumPacket& packet);
    void onAckEpoch(LearnerLink& link, const QuorumPacket& packet);
    void maybeProposeEpoch();
    void maybeEpochAcked();
    void historyLogged();
    void syncLearner(LearnerLink& link);
    std::optional<std::vector<LoggedTxn>> historyFromLog(Zxid peerZxid, Zxid ourZxid);
    void onLearnerAck(LearnerLink& link, Zxid zxid);
    void maybeEstablish();
    void propose(std::vector<LoggedTxn> txns);
    void tryCommit();
    void sendToLink(LearnerLink& link, const QuorumPacket& packet);
    void sendToForwarding(const QuorumPacket& packet, bool observers);
    void closeLink(LearnerLinkId link, const std::string& why);
    bool learnerQuorum(const std::set<Sid>& sids) const;

    // zab_learner.cpp
    void learnStart();
    void learnerTick();
    void onLeaderInfo(const QuorumPacket& packet);
    void onSyncPacket(const QuorumPacket& packet);
    void onNewLeader(const QuorumPacket& packet);
    void onUpToDate();
    void onBroadcastPacket(const QuorumPacket& packet);
    void sendToLeader(const QuorumPacket& packet);
    void learnerLogged();
    void commitInflight(Zxid zxid);

    QuorumPeerConfig m_config;
    PeerDurableState m_durable;
    FastLeaderElection m_election;
    std::int64_t m_nowMs = 0;
    std::int64_t m_lastServerTickMs = 0;
    ServerState m_state = ServerState::Looking;
    ZabPhase m_phase = ZabPhase::Election;
    Sid m_leader = -1;
    std::int64_t m_roleStartMs = 0;
    std::int64_t m_lookingSinceMs = 0;
    std::uint64_t m_roleGeneration = 0;

    // The database between roles (the running server owns it while serving).
    std::optional<DataTree> m_tree;
    std::map<SessionId, std::int32_t> m_sessions;
    std::unique_ptr<ServerCore> m_server;
    ServerRole m_serverRole = ServerRole::Standalone;
    std::deque<LoggedTxn> m_committedLog; // the newest committed txns, for DIFF
    Zxid m_historyFloor = 0;              // see PeerDurableState::historyFloor
    std::int64_t m_diffsFromLog = 0;      // syncs whose DIFF came from the txn log
    Zxid m_lastDurable = 0;

    // Leader.
    Epoch m_newEpoch = -1; // chosen epoch; -1 before a quorum of FOLLOWERINFO
    bool m_epochAckQuorum = false;
    bool m_established = false;
    std::map<Sid, Epoch> m_connectingEpochs; // voters' acceptedEpoch (us included)
    std::set<Sid> m_epochAcks;
    std::set<Sid> m_newLeaderAcks;
    Zxid m_historyZxid = 0; // the end of the history we sync learners to
    std::map<LearnerLinkId, LearnerLink> m_links;
    std::map<Zxid, Proposal> m_outstanding;
    Zxid m_lastProposed = 0;
    Zxid m_lastCommitted = 0;
    std::int64_t m_lastPingMs = 0;
    std::int64_t m_waitStartMs = 0; // start of the current discovery/sync wait
    std::int64_t m_lastQuorumCheckMs = 0;

    // Learner.
    enum class LearnPhase
    {
        Connecting,
        AwaitLeaderInfo,
        Syncing,
        AwaitUpToDate,
        Serving
    } m_learnPhase = LearnPhase::Connecting;
    Epoch m_learnEpoch = 0;
    bool m_snapshotNeeded = false;
    bool m_newLeaderAckPending = false;
    Zxid m_newLeaderDurableZxid = 0; // what must be durable before the NEWLEADER ACK
    bool m_syncModeKnown = false;
    Zxid m_newLeaderZxid = 0;
    bool m_awaitingReload = false;
    bool m_lookAfterReload = false; // the election waits for databaseReloaded()
    Zxid m_syncLogEnd = 0;          // the log's end while a SNAP/TRUNC sync runs
    std::deque<Inflight> m_inflight;
    std::int64_t m_lastLeaderPacketMs = 0;

    PeerOutput m_output;
};

} // namespace zk
