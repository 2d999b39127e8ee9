#include "controllers/embedded_cluster.h"

#include "net/durable_host.h"

#include <fmt/format.h>

#include <filesystem>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace zoolab {

EmbeddedCluster::EmbeddedCluster(Options options) : m_options(std::move(options))
{}

EmbeddedCluster::~EmbeddedCluster()
{
    stop();
}

std::error_code EmbeddedCluster::start()
{
    if (m_host)
        return {};
    if (!m_options.dataDir.empty()) {
        std::error_code ignored;
        std::filesystem::create_directories(m_options.dataDir, ignored);
    }
    zk::ServerHostOptions hostOptions;
    hostOptions.clientAddress = m_options.host;
    hostOptions.clientPort = m_options.basePort;
    hostOptions.core.sid = 1;
    hostOptions.core.tickTimeMs = m_options.tickTimeMs;
    hostOptions.core.minSessionTimeoutMs = 2 * m_options.tickTimeMs;
    hostOptions.core.maxSessionTimeoutMs = 20 * m_options.tickTimeMs;
    // The studio offers TTL nodes, so the embedded server enables them
    // (zookeeper.extendedTypesEnabled=true).
    hostOptions.core.extendedTypesEnabled = true;
    hostOptions.core.saslEnabled = m_options.saslAclScheme;
    hostOptions.core.containerCheckIntervalMs = m_options.containerCheckIntervalMs;
    hostOptions.maxClientCnxns = 0;
    hostOptions.dataDir = m_options.dataDir;
    hostOptions.dataLogDir = m_options.dataDir;
    hostOptions.fourLetterWhitelist = {"srvr", "stat", "ruok", "conf", "mntr", "cons", "envi"};
    std::unique_ptr<zk::ServerHost> host;
    if (m_options.dataDir.empty()) {
        host = std::make_unique<zk::ServerHost>(hostOptions, zk::DataTree(true));
    } else {
        zk::StorageOptions storage;
        storage.dataDir = m_options.dataDir;
        storage.extendedTypesEnabled = true;
        storage.seed = static_cast<std::uint64_t>(m_options.basePort) * 7919 + 1;
        zk::RecoveryReport report;
        host = zk::openDurableHost(hostOptions, storage, report, m_lastError);
        if (!host)
            return std::make_error_code(std::errc::io_error);
    }
    if (auto ec = host->start())
        return ec;
    m_host = std::move(host);
    return {};
}

void EmbeddedCluster::stop()
{
    if (!m_host)
        return;
    m_host->stop();
    m_host.reset();
}

std::string EmbeddedCluster::connectString() const
{
    const std::uint16_t port = m_host ? m_host->clientPort() : m_options.basePort;
    return fmt::format("{}:{}", m_options.host, port);
}

std::vector<EmbeddedCluster::NodeInfo> EmbeddedCluster::nodes() const
{
    NodeInfo info;
    info.sid = 1;
    info.host = m_options.host;
    info.clientPort = m_host ? m_host->clientPort() : m_options.basePort;
    info.running = m_host != nullptr;
    info.role = "standalone";
    return {info};
}

std::string EmbeddedCluster::modeLabel()
{
    return "embedded (standalone until quorum lands)";
}

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

} // namespace

std::optional<std::uint16_t> EmbeddedCluster::findFreePort(std::uint16_t from, int tries)
{
    for (int i = 0; i < tries && int(from) + i <= 65535; ++i) {
        const auto port = static_cast<std::uint16_t>(from + i);
        if (canBind("127.0.0.1", port))
            return port;
    }
    return std::nullopt;
}

bool EmbeddedCluster::portInUse(const std::string& host, std::uint16_t port)
{
    return !canBind(host, port);
}

} // namespace zoolab
