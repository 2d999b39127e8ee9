#pragma once
// EmbeddedCluster: the ZooKeeper servers the studio runs in-process. Plain C++ (no Qt), so the
// engine team can grow it into a real ensemble: today it is one standalone zk::ServerHost,
// because the engine has no quorum yet; with the quorum issue it becomes N nodes on
// basePort..basePort+N-1 and only this class changes.
//
// Thread: construct, start() and stop() on one thread (the GUI thread in the studio). start()
// only binds sockets and spawns the server's io thread; it does not wait for clients.
// Ownership: owns its hosts; the destructor stops them (joins their threads).
//
// Storage: with a dataDir the server keeps Apache's txn log and snapshots there, so the data
// survives a restart of the studio; without one (tests) it lives in memory.

#include "net/server_host.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

namespace zoolab {

class EmbeddedCluster
{
public:
    struct Options
    {
        std::string host = "127.0.0.1";
        std::uint16_t basePort = 2181; // 0: any free port
        std::string dataDir;
        std::int32_t tickTimeMs = 2000;
        // Accept "sasl" ACL entries (Apache does once a SASL provider is configured).
        bool saslAclScheme = false;
        // How often empty containers and expired TTL nodes are removed (checked each tick).
        std::int64_t containerCheckIntervalMs = 60000;
    };

    struct NodeInfo
    {
        std::int64_t sid = 0;
        std::string host;
        std::uint16_t clientPort = 0;
        bool running = false;
        std::string role; // "standalone" today
    };

    explicit EmbeddedCluster(Options options);
    ~EmbeddedCluster();
    EmbeddedCluster(const EmbeddedCluster&) = delete;
    EmbeddedCluster& operator=(const EmbeddedCluster&) = delete;

    // Recovers dataDir, binds the client port(s) and starts serving. On failure nothing keeps
    // running; the error is the bind error (address_in_use when another process holds the
    // port), or io_error when the data directory cannot be recovered (see lastError()).
    std::error_code start();
    const std::string& lastError() const { return m_lastError; }
    void stop();
    bool running() const { return m_host != nullptr; }

    // "127.0.0.1:2181" (all nodes, comma-separated, once there are several).
    std::string connectString() const;
    std::vector<NodeInfo> nodes() const;
    const Options& options() const { return m_options; }
    // A short honest label for the UI.
    static std::string modeLabel();

    // The first port from `from` on which 127.0.0.1 accepts a bind, trying `tries` ports.
    static std::optional<std::uint16_t> findFreePort(std::uint16_t from, int tries = 50);
    // Whether something on this machine already listens on host:port.
    static bool portInUse(const std::string& host, std::uint16_t port);

private:
    Options m_options;
    std::unique_ptr<zk::ServerHost> m_host;
    std::string m_lastError;
};

} // namespace zoolab
