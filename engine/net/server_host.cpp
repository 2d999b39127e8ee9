#include "net/server_host.h"

#include "net/client_connection.h"
#include "net/listen.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <filesystem>

#include <sys/resource.h>
#include <unistd.h>

namespace zk {

namespace {

std::int64_t wallMs()
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::int64_t directoryBytes(const std::string& dir)
{
    std::error_code ec;
    std::int64_t total = 0;
    const std::filesystem::path versioned = std::filesystem::path(dir) / "version-2";
    if (dir.empty() || !std::filesystem::exists(versioned, ec))
        return 0;
    for (const auto& entry : std::filesystem::directory_iterator(versioned, ec)) {
        if (entry.is_regular_file(ec))
            total += static_cast<std::int64_t>(entry.file_size(ec));
    }
    return total;
}

std::int64_t openFileDescriptors()
{
    std::error_code ec;
    std::int64_t count = 0;
    for (auto it = std::filesystem::directory_iterator("/proc/self/fd", ec);
         !ec && it != std::filesystem::directory_iterator(); it.increment(ec))
        ++count;
    return count;
}

} // namespace

ServerHost::ServerHost(ServerHostOptions options, DataTree restored,
                       std::unique_ptr<TxnPersister> persister,
                       const std::map<SessionId, std::int32_t>& restoredSessions)
    : m_options(std::move(options)), m_acceptor(m_io), m_tickTimer(m_io),
      m_persister(std::move(persister))
{
    m_startWallMs = wallMs();
    m_core = std::make_unique<ServerCore>(m_options.core, std::move(restored), m_startWallMs);
    m_core->restoreSessions(restoredSessions);
}

std::string ServerHost::failureMessage() const
{
    std::lock_guard lock(m_failureMutex);
    return m_failure;
}

ServerHost::~ServerHost()
{
    stop();
}

std::error_code ServerHost::start()
{
    if (auto ec = listenOn(m_acceptor, m_options.clientAddress, m_options.clientPort))
        return ec;
    m_boundPort = m_acceptor.local_endpoint().port();
    if (m_persister) {
        TxnPersister::Hooks hooks;
        hooks.durable = [this](Zxid zxid) { asio::post(m_io, [this, zxid] { onDurable(zxid); }); };
        hooks.snapshotDue = [this] { asio::post(m_io, [this] { onSnapshotDue(); }); };
        hooks.failed = [this](const StorageError& error) { onStorageFailed(error.message()); };
        if (auto error = m_persister->start(std::move(hooks))) {
            boost::system::error_code ignored;
            m_acceptor.close(ignored);
            return error.code;
        }
    }
    asio::co_spawn(m_io, acceptLoop(), asio::detached);
    scheduleTick();
    m_thread = std::thread([this] { m_io.run(); });
    return {};
}

void ServerHost::stop()
{
    if (m_stopped)
        return;
    m_stopped = true;
    if (m_thread.joinable()) {
        asio::post(m_io, [this] {
            boost::system::error_code ec;
            m_acceptor.close(ec);
            m_tickTimer.cancel();
            auto connections = m_connections;
            for (auto& [id, connection] : connections)
                connection->close();
            m_io.stop();
        });
        m_thread.join();
    }
    m_connections.clear();
    if (m_persister)
        m_persister->stop();
}

void ServerHost::onDurable(Zxid lastDurable)
{
    if (m_failed)
        return;
    m_core->persisted(lastDurable);
    drain();
}

void ServerHost::onSnapshotDue()
{
    if (m_snapshotting || m_failed)
        return;
    m_snapshotting = true;
    snapshotTurn();
}

// One bounded step per turn; requests and acks interleave between steps.
void ServerHost::snapshotTurn()
{
    if (m_failed || !m_persister) {
        m_snapshotting = false;
        return;
    }
    if (m_persister->snapshotStep(m_core->tree(), m_core->sessions())) {
        m_snapshotting = false;
        return;
    }
    asio::post(m_io, [this] { snapshotTurn(); });
}

void ServerHost::onStorageFailed(const std::string& message)
{
    {
        std::lock_guard lock(m_failureMutex);
        m_failure = message;
    }
    m_failed = true;
    spdlog::critical("storage failure, this server stops serving: {}", message);
    m_io.stop();
}

asio::awaitable<void> ServerHost::acceptLoop()
{
    for (;;) {
        boost::system::error_code ec;
        tcp::socket socket =
            co_await m_acceptor.async_accept(asio::redirect_error(asio::use_awaitable, ec));
        if (ec) {
            if (ec == asio::error::operation_aborted || !m_acceptor.is_open())
                co_return;
            spdlog::warn("accept failed: {}", ec.message());
            continue;
        }
        const ConnectionId id = m_nextConnectionId++;
        auto connection = std::make_shared<ClientConnection>(owner(), std::move(socket), id,
                                                             m_options.core.maxBufferBytes);
        const std::string host = connection->remoteHost();
        if (m_options.maxClientCnxns > 0 &&
            m_connectionsPerHost[host] >= m_options.maxClientCnxns) {
            spdlog::warn("Too many connections from {} - max is {}", host,
                         m_options.maxClientCnxns);
            connection->close();
            continue;
        }
        ++m_connectionsPerHost[host];
        m_connections.emplace(id, connection);
        m_core->connectionOpened(id, connection->remoteAddress());
        connection->start();
    }
}

void ServerHost::scheduleTick()
{
    m_tickTimer.expires_after(std::chrono::milliseconds(m_options.core.tickTimeMs));
    m_tickTimer.async_wait([this](boost::system::error_code ec) {
        if (ec)
            return;
        m_core->tick(wallMs());
        drain();
        scheduleTick();
    });
}

void ServerHost::onFrame(ConnectionId id, std::span<const std::uint8_t> payload, bool drainNow)
{
    const auto start = std::chrono::steady_clock::now();
    m_core->receive(id, payload);
    if (drainNow)
        drain();
    const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::steady_clock::now() - start)
                             .count();
    m_latency.add(elapsed);
}

void ServerHost::drainAfterFrames()
{
    drain();
}

void ServerHost::onClosed(ConnectionId id)
{
    auto it = m_connections.find(id);
    if (it == m_connections.end())
        return;
    auto perHost = m_connectionsPerHost.find(it->second->remoteHost());
    if (perHost != m_connectionsPerHost.end() && --perHost->second <= 0)
        m_connectionsPerHost.erase(perHost);
    m_connections.erase(it);
    m_core->connectionClosed(id);
    drain();
}

std::string ServerHost::onFourLetterWord(const std::string& word)
{
    FourLetterContext ctx;
    ctx.core = m_core.get();
    ctx.readOnly = m_options.readOnlyMode;
    ctx.latency = m_latency;
    ctx.uptimeMs = wallMs() - m_startWallMs;
    ctx.nowWallMs = wallMs();
    ctx.clientAddress = m_options.clientAddress;
    ctx.clientPort = m_boundPort;
    ctx.dataDir = m_options.dataDir;
    ctx.dataLogDir = m_options.dataLogDir.empty() ? m_options.dataDir : m_options.dataLogDir;
    ctx.dataDirBytes = directoryBytes(ctx.dataDir);
    ctx.dataLogDirBytes = directoryBytes(ctx.dataLogDir);
    ctx.maxClientCnxns = m_options.maxClientCnxns;
    char host[256] = {};
    if (gethostname(host, sizeof host - 1) == 0)
        ctx.hostName = host;
    ctx.openFileDescriptors = openFileDescriptors();
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0)
        ctx.maxFileDescriptors = static_cast<std::int64_t>(limit.rlim_cur);
    ctx.whitelist = m_options.fourLetterWhitelist;
    std::string text = runFourLetterWord(word, ctx);
    const bool allowed = ctx.whitelist.count("*") != 0 || ctx.whitelist.count(word) != 0;
    if (allowed && word == "srst") {
        m_core->resetCounters();
        m_latency = {};
    }
    if (allowed && word == "crst")
        m_core->resetCounters();
    return text;
}

void ServerHost::drain()
{
    while (m_core->hasOutput()) {
        ServerOutput out = m_core->takeOutput();
        if (!out.persist.empty()) {
            if (m_failed)
                return;
            if (m_persister) {
                m_persister->append(std::move(out.persist));
            } else {
                m_core->persisted(out.persist.back().header.zxid);
            }
        }
        for (OutboundFrame& frame : out.frames) {
            auto it = m_connections.find(frame.connection);
            if (it != m_connections.end()) {
                auto connection = it->second; // a closing write may erase the map entry
                connection->send(std::move(frame.bytes), frame.closeAfter);
            }
        }
        for (ConnectionId id : out.closeConnections) {
            auto it = m_connections.find(id);
            if (it != m_connections.end()) {
                auto connection = it->second; // close() may erase the map entry
                connection->close();
            }
        }
    }
}

} // namespace zk
