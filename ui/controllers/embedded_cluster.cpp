#include "controllers/embedded_cluster.h"

#include "controllers/standalone_migration.h"

#include <fmt/format.h>

#include <cstdlib>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace zoolab {

namespace {

// Tries to bind host:port; true when the bind succeeds (the port is free).
bool canBind(const std::string& host, std::uint16_t port)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return false;
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    ::inet_pton(AF_INET, host.c_str(), &address.sin_addr);
    // SO_REUSEADDR as Asio's acceptor sets it, so TIME_WAIT leftovers do not count as taken.
    int one = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    const bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
    ::close(fd);
    return ok;
}

// A fresh folder under the system's temporary directory, or empty on failure.
std::filesystem::path makeTemporaryDir()
{
    std::error_code ec;
    const auto base = std::filesystem::temp_directory_path(ec);
    if (ec)
        return {};
    std::string pattern = (base / "zoolab-embedded-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr)
        return {};
    return pattern;
}

std::string roleName(const std::optional<zk::QuorumStatus>& status)
{
    if (!status)
        return "down";
    switch (status->state) {
    case zk::ServerState::Leading:
        return "leading";
    case zk::ServerState::Following:
        return "following";
    case zk::ServerState::Observing:
        return "observing";
    case zk::ServerState::Looking:
        break;
    }
    return "looking";
}

} // namespace

EmbeddedCluster::EmbeddedCluster(Options options) : m_options(std::move(options))
{}

EmbeddedCluster::~EmbeddedCluster()
{
    stop();
}

std::error_code EmbeddedCluster::start()
{
    if (m_ensemble)
        return {};
    m_lastError.clear();
    zk::EnsembleOptions ensembleOptions;
    ensembleOptions.participants = m_options.nodeCount;
    ensembleOptions.host = m_options.host;
    if (m_options.basePort != 0) {
        for (int i = 0; i < m_options.nodeCount; ++i)
            ensembleOptions.clientPorts.push_back(
                static_cast<std::uint16_t>(m_options.basePort + i));
    }
    if (m_options.dataDir.empty()) {
        m_baseDir = makeTemporaryDir();
        m_temporaryDir = true;
        ensembleOptions.forceSync = false;
    } else {
        m_baseDir = m_options.dataDir;
        m_temporaryDir = false;
    }
    std::error_code ec;
    if (m_baseDir.empty() || (!std::filesystem::create_directories(m_baseDir, ec) && ec)) {
        m_lastError = fmt::format("cannot create the data folder {}", m_baseDir.string());
        return std::make_error_code(std::errc::io_error);
    }
    if (!m_temporaryDir) {
        std::string note;
        const auto migration = migrateStandaloneData(m_baseDir, m_options.nodeCount, note);
        if (migration == MigrationResult::Failed) {
            m_lastError = note;
            return std::make_error_code(std::errc::io_error);
        }
        if (migration == MigrationResult::Migrated)
            m_migrationNote = note;
    }
    ensembleOptions.baseDir = m_baseDir;
    ensembleOptions.tickTimeMs = m_options.tickTimeMs;
    // At speed 1/100 every quorum packet waits a second on its link, and a follower's sync
    // (FOLLOWERINFO, LEADERINFO, ACKEPOCH, NEWLEADER, ACK) takes five of them: give it 20 ticks.
    ensembleOptions.initLimit = 20;
    ensembleOptions.fourLetterWhitelist = {"srvr", "stat", "ruok", "conf", "mntr", "cons", "envi"};
    ensembleOptions.server.extendedTypesEnabled = true;
    ensembleOptions.server.saslEnabled = m_options.saslAclScheme;
    ensembleOptions.server.containerCheckIntervalMs = m_options.containerCheckIntervalMs;
    // prepare() picks the quorum and election ports (and free client ports) by binding and
    // releasing them, so another process may take one before its node binds it for good. Such
    // a race is tried again with fresh ports; a named client port that is taken is reported.
    for (int attempt = 1;; ++attempt) {
        auto ensemble = std::make_unique<zk::Ensemble>(ensembleOptions);
        ensemble->setEventSink(m_sink);
        std::string error;
        if (auto taken = ensemble->prepare(error)) {
            m_lastError = error;
            return taken;
        }
        if (ensemble->startAll(error)) {
            m_ensemble = std::move(ensemble);
            return {};
        }
        ensemble->killAll();
        m_lastError = error; // "server 2: cannot listen: Address already in use", ...
        const bool bindFailed = error.find("listen") != std::string::npos;
        if (!bindFailed || attempt == startAttempts)
            return std::make_error_code(bindFailed ? std::errc::address_in_use
                                                   : std::errc::io_error);
    }
}

void EmbeddedCluster::stop()
{
    if (m_ensemble) {
        m_ensemble->killAll();
        m_ensemble.reset();
    }
    if (m_temporaryDir && !m_baseDir.empty()) {
        std::error_code ignored;
        std::filesystem::remove_all(m_baseDir, ignored);
        m_baseDir.clear();
    }
}

std::string EmbeddedCluster::connectString() const
{
    if (m_ensemble)
        return m_ensemble->connectString();
    std::string out;
    for (int i = 0; i < m_options.nodeCount; ++i)
        out += fmt::format("{}{}:{}", i ? "," : "", m_options.host, m_options.basePort + i);
    return out;
}

std::vector<EmbeddedCluster::NodeInfo> EmbeddedCluster::nodes() const
{
    std::vector<NodeInfo> out;
    for (int i = 0; i < m_options.nodeCount; ++i) {
        NodeInfo info;
        info.sid = i + 1;
        info.host = m_options.host;
        info.clientPort = static_cast<std::uint16_t>(m_options.basePort + i);
        if (m_ensemble) {
            info.clientPort = m_ensemble->clientPort(info.sid);
            info.running = m_ensemble->isRunning(info.sid);
            info.paused = m_ensemble->isPaused(info.sid);
            info.role = roleName(m_ensemble->status(info.sid));
        } else {
            info.role = "down";
        }
        out.push_back(info);
    }
    return out;
}

std::vector<zk::Sid> EmbeddedCluster::sids() const
{
    std::vector<zk::Sid> out;
    for (int i = 1; i <= m_options.nodeCount; ++i)
        out.push_back(i);
    return out;
}

void EmbeddedCluster::setEventSink(zk::Ensemble::EventSink sink)
{
    m_sink = std::move(sink);
    if (m_ensemble)
        m_ensemble->setEventSink(m_sink);
}

std::filesystem::path EmbeddedCluster::nodeDataDir(std::int64_t sid) const
{
    return m_baseDir / ("node" + std::to_string(sid));
}

std::string EmbeddedCluster::modeLabel() const
{
    return fmt::format("embedded ensemble of {} servers", m_options.nodeCount);
}

std::optional<std::uint16_t> EmbeddedCluster::findFreePort(std::uint16_t from, int tries)
{
    return findFreePorts(from, 1, tries);
}

std::optional<std::uint16_t> EmbeddedCluster::findFreePorts(std::uint16_t from, int count,
                                                            int tries)
{
    for (int i = 0; i < tries && int(from) + i + count - 1 <= 65535; ++i) {
        const auto first = static_cast<std::uint16_t>(from + i);
        if (portsInUse("127.0.0.1", first, count).empty())
            return first;
    }
    return std::nullopt;
}

bool EmbeddedCluster::portInUse(const std::string& host, std::uint16_t port)
{
    return !canBind(host, port);
}

std::vector<std::uint16_t> EmbeddedCluster::portsInUse(const std::string& host, std::uint16_t from,
                                                       int count)
{
    std::vector<std::uint16_t> taken;
    for (int i = 0; i < count && int(from) + i <= 65535; ++i) {
        const auto port = static_cast<std::uint16_t>(from + i);
        if (!canBind(host, port))
            taken.push_back(port);
    }
    return taken;
}

} // namespace zoolab
