#pragma once
// ServerHost runs one standalone ZooKeeper server on Boost.Asio: one io_context driven by
// exactly one thread, owning the ServerCore, the client listener, the client connections
// and the tick timer. Every input (accepted socket, frame, tick) is handed to the core on
// that thread, then drain() carries out the core's output: txns go to the TxnPersister
// (storage/txn_persister.h), which logs them on its own thread with group commit and posts
// persisted(lastZxid) back; the core releases replies only then. Fuzzy snapshots are
// serialized one bounded step per io turn when the persister asks for one. Without a
// persister every txn counts as durable at once (tests, in-memory servers).
//
// A storage failure stops the io thread; failed() then returns true and failureMessage()
// says why. Public methods are thread-safe: they post into the io thread. stop() joins the
// io thread, then stops the persister (which writes what was queued).

#include "net/asio.h"
#include "net/client_connection.h"
#include "server/four_letter_words.h"
#include "server/server_core.h"
#include "storage/txn_persister.h"

#include <atomic>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <system_error>
#include <thread>

namespace zk {

struct ServerHostOptions
{
    std::string clientAddress = "0.0.0.0";
    std::uint16_t clientPort = 2181; // 0 picks a free port
    ServerCoreConfig core;
    std::set<std::string> fourLetterWhitelist{"srvr"};
    std::int32_t maxClientCnxns = 60; // per client IP; 0 means unlimited
    std::string dataDir;
    std::string dataLogDir;
    bool readOnlyMode = false;
};

class ServerHost final : private ClientConnectionOwner
{
public:
    // restoredSessions: {id, timeout} from recovery (see ServerCore::restoreSessions).
    ServerHost(ServerHostOptions options, DataTree restored,
               std::unique_ptr<TxnPersister> persister = nullptr,
               const std::map<SessionId, std::int32_t>& restoredSessions = {});
    ~ServerHost() override;
    ServerHost(const ServerHost&) = delete;
    ServerHost& operator=(const ServerHost&) = delete;

    // Binds the client port and starts the io thread.
    std::error_code start();
    // Closes every socket and joins the io thread. Idempotent.
    void stop();
    std::uint16_t clientPort() const { return m_boundPort; }
    // True once storage failed; the io thread has stopped serving.
    bool failed() const { return m_failed; }
    std::string failureMessage() const;

    // Runs fn(core) on the io thread and waits for it; for tests, tools and the studio.
    template <typename Fn>
    auto inspect(Fn fn) -> decltype(fn(std::declval<ServerCore&>()))
    {
        using Result = decltype(fn(std::declval<ServerCore&>()));
        std::promise<Result> done;
        auto result = done.get_future();
        asio::post(m_io, [&] {
            if constexpr (std::is_void_v<Result>) {
                fn(*m_core);
                done.set_value();
            } else {
                done.set_value(fn(*m_core));
            }
        });
        return result.get();
    }

private:
    ClientConnectionOwner& owner() { return *this; }
    asio::awaitable<void> acceptLoop();
    void scheduleTick();
    // Hands one frame to the core; drainNow=false lets a connection hand over every frame of
    // one read and then call drainAfterFrames() once.
    void onFrame(ConnectionId id, std::span<const std::uint8_t> payload, bool drainNow) override;
    void drainAfterFrames() override;
    void onClosed(ConnectionId id) override;
    std::string onFourLetterWord(const std::string& word) override;
    void drain();
    void onDurable(Zxid lastDurable);
    void onSnapshotDue();
    void snapshotTurn();
    void onStorageFailed(const std::string& message);

    ServerHostOptions m_options;
    asio::io_context m_io;
    tcp::acceptor m_acceptor;
    asio::steady_timer m_tickTimer;
    std::unique_ptr<ServerCore> m_core;
    std::unique_ptr<TxnPersister> m_persister;
    std::map<ConnectionId, std::shared_ptr<ClientConnection>> m_connections;
    std::map<std::string, int> m_connectionsPerHost;
    ConnectionId m_nextConnectionId = 1;
    LatencyStats m_latency;
    std::int64_t m_startWallMs = 0;
    std::uint16_t m_boundPort = 0;
    std::thread m_thread;
    bool m_stopped = false;
    bool m_snapshotting = false;
    std::atomic<bool> m_failed{false};
    mutable std::mutex m_failureMutex;
    std::string m_failure;
};

} // namespace zk
