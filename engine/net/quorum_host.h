#pragma once
// QuorumHost runs one QuorumPeer live: one io_context driven by exactly one thread, owning
// the election transport (QuorumCnxManager), the quorum port (the leader accepts learners
// there), the learner's connection to its leader, the client port and its connections, the
// peer tick timer, and the dataDir (FileStorage with group commit, the epoch files, log
// truncation and sync snapshots). After every input the host carries out the peer's actions
// in order (quorum_peer.h). Public methods are thread-safe: they post into the io thread.
//
// Partitions for tests and the studio: the shared LinkFilter cuts, delays and holds election
// messages (in ElectionTransport) and the ZAB stream in each direction (QuorumChannel::shape):
// a cut stalls the stream as a partition would, so leader and learner part after syncLimit;
// a learner does not connect to its leader while either direction is cut. pause() freezes the io
// thread as SIGSTOP would; kill is stop(): sockets close, the thread ends, the dataDir stays as it
// is.

#include "election/quorum_verifier.h"
#include "net/asio.h"
#include "net/client_connection.h"
#include "net/election_transport.h"
#include "net/request_latency.h"
#include "server/four_letter_words.h"
#include "storage/file_storage.h"
#include "zab/quorum_peer.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>

namespace zk {

class QuorumChannel;

struct QuorumMember
{
    Sid sid = 0;
    std::string host = "127.0.0.1";
    std::uint16_t quorumPort = 0;
    std::uint16_t electionPort = 0;
    bool observer = false;
};

struct QuorumHostOptions
{
    QuorumPeerConfig peer; // myId, timing, server config; quorum is built from `members`
    std::map<Sid, QuorumMember> members;
    std::string clientAddress = "127.0.0.1";
    std::uint16_t clientPort = 0; // 0 picks a free port
    bool quorumListenOnAllIps = false;
    StorageOptions storage;
    std::set<std::string> fourLetterWhitelist{"srvr"};
    std::int32_t maxClientCnxns = 60;
    std::shared_ptr<LinkFilter> filter = nullptr;
    // Every PeerEvent, on the io thread; keep it short and thread-safe on the other side.
    std::function<void(const PeerEvent&)> onEvent = nullptr;
};

// A copy of what the peer looks like now, for tests, 4lw-like tools and the studio.
struct QuorumStatus
{
    Sid sid = 0;
    ServerState state = ServerState::Looking;
    ZabPhase phase = ZabPhase::Election;
    Sid leader = -1;
    bool serving = false;  // read-write
    bool readOnly = false; // a read-only server runs (readonlymode.enabled, no quorum)
    Zxid lastZxid = 0;     // last processed (applied)
    Zxid lastLoggedZxid = 0;
    Epoch acceptedEpoch = 0;
    Epoch currentEpoch = 0;
    std::size_t znodes = 0;
    std::size_t sessions = 0;
    std::size_t clientConnections = 0;
    std::vector<Sid> syncedLearners;
    std::uint16_t clientPort = 0;
    // Client traffic (RequestLatency): requests waiting for their reply, watches set (both
    // tables, as mntr's zk_watch_count), and the reply latency of the last second.
    std::size_t outstandingRequests = 0;
    std::size_t watches = 0;
    double latencyP50Ms = 0;
    double latencyP99Ms = 0;
    std::size_t latencySamples = 0;
};

// What cons and dump say, for the studio: the client sessions one server holds a connection
// for, and every session's ephemerals as this server's data tree knows them (sessions attached
// elsewhere, or to no server while they wait to expire, included).
struct AttachedSession
{
    SessionId session = 0;
    std::string remoteAddress;
    std::int32_t timeoutMs = 0;
};

struct SessionsSnapshot
{
    std::vector<AttachedSession> attached;
    std::map<SessionId, std::vector<std::string>> ephemerals; // sorted paths per owner
};

class QuorumHost final : private ClientConnectionOwner
{
public:
    // Recovers the dataDir; on failure returns null and says why in `error`.
    static std::unique_ptr<QuorumHost> open(QuorumHostOptions options, std::string& error);
    ~QuorumHost() override;
    QuorumHost(const QuorumHost&) = delete;
    QuorumHost& operator=(const QuorumHost&) = delete;

    // Binds the client, quorum and election ports and starts the io thread.
    std::error_code start();
    void stop(); // Idempotent; joins the thread.
    void pause();
    void resume();
    bool paused() const { return m_paused; }

    QuorumStatus status() const;
    // Runs on the io thread and waits (via inspect): not while paused or after a failure.
    SessionsSnapshot sessionsSnapshot();
    std::uint16_t clientPort() const { return m_boundClientPort; }
    Sid sid() const { return m_options.peer.myId; }
    bool failed() const { return m_failed; }
    std::string failureMessage() const;

    // Runs fn(peer) on the io thread and waits; not while paused.
    template <typename Fn>
    auto inspect(Fn fn) -> decltype(fn(std::declval<QuorumPeer&>()))
    {
        using Result = decltype(fn(std::declval<QuorumPeer&>()));
        std::promise<Result> done;
        auto result = done.get_future();
        asio::post(m_io, [&] {
            if constexpr (std::is_void_v<Result>) {
                fn(*m_peer);
                done.set_value();
            } else {
                done.set_value(fn(*m_peer));
            }
        });
        return result.get();
    }

private:
    QuorumHost(QuorumHostOptions options, RecoveredState state, PeerDurableState durable);
    ClientConnectionOwner& owner() { return *this; }

    void onFrame(ConnectionId id, std::span<const std::uint8_t> payload, bool drainNow) override;
    void drainAfterFrames() override;
    void onClosed(ConnectionId id) override;
    std::string onFourLetterWord(const std::string& word) override;

    asio::awaitable<void> acceptClients();
    asio::awaitable<void> acceptLearners();
    void scheduleTick();
    void drain();
    void carryOut(PeerAction& action);
    void connectLeader();
    void dropLeader();
    void shapeLearner(LearnerLinkId id, const QuorumPacket& packet);
    bool linkAllowed(Sid other) const;
    void startStorage(Zxid lastLogged);
    void onSnapshotDue();
    void snapshotTurn();
    void fail(const std::string& why);
    void updateStatus();

    QuorumHostOptions m_options;
    asio::io_context m_io;
    tcp::acceptor m_clientAcceptor;
    tcp::acceptor m_quorumAcceptor;
    asio::steady_timer m_tickTimer;
    asio::steady_timer m_retryTimer;
    std::unique_ptr<QuorumPeer> m_peer;
    std::unique_ptr<ElectionTransport> m_election;
    std::unique_ptr<FileStorage> m_storage;
    std::uint64_t m_storageGeneration = 0;

    std::map<ConnectionId, std::shared_ptr<ClientConnection>> m_clients;
    std::map<std::string, int> m_clientsPerHost;
    ConnectionId m_nextClientId = 1;
    std::map<LearnerLinkId, std::shared_ptr<QuorumChannel>> m_learners;
    LearnerLinkId m_nextLinkId = 1;
    std::shared_ptr<QuorumChannel> m_leaderChannel;
    Sid m_wantedLeader = -1;
    std::uint64_t m_leaderGeneration = 0;
    std::chrono::steady_clock::time_point m_leaderConnectSince;

    LatencyStats m_latency;
    RequestLatency m_requestLatency;
    std::int64_t m_startWallMs = 0;
    std::uint16_t m_boundClientPort = 0;
    std::thread m_thread;
    bool m_started = false;
    bool m_stopped = false;
    bool m_snapshotting = false;
    std::atomic<bool> m_failed{false};
    std::atomic<bool> m_paused{false};
    mutable std::mutex m_mutex; // guards m_status, m_failure and the pause gate
    std::condition_variable m_resume;
    QuorumStatus m_status;
    std::string m_failure;
};

} // namespace zk
