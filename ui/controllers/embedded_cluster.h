#pragma once
// EmbeddedCluster: the ZooKeeper ensemble the studio runs in-process. A thin owner of a
// zk::Ensemble (engine/cluster) with the studio's defaults: three participants on
// 127.0.0.1:2181-2183, a tickTime of 500 ms (so clients may ask for sessions up to 10 s, as
// kazoo's default does), extended types on (the studio offers TTL and container znodes), and
// Apache's dataDir format in dataDir/node1..node3. Plain C++ (no Qt).
//
// Thread: construct, start() and stop() on one thread (the GUI thread in the studio). start()
// binds every node's ports and spawns their io threads; it does not wait for an election.
// ensemble() is thread-safe (see ensemble.h): ClusterController drives it from a worker.
// Ownership: owns the ensemble; the destructor stops every node (joins their threads) and
// removes the temporary data folder when it made one.

#include "bridge/engine_ensemble.h"

#include <cstdint>
#include <filesystem>
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
        // Client ports basePort..basePort+nodeCount-1; 0: any free ports.
        std::uint16_t basePort = 2181;
        int nodeCount = 3;
        // Node N keeps its dataDir in dataDir/nodeN. Empty (tests): a temporary folder that
        // stop() removes, written without fsync.
        std::string dataDir;
        std::int32_t tickTimeMs = 500;
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
        bool paused = false;
        std::string role; // "leading", "following", "looking", "observing" or "down"
    };

    explicit EmbeddedCluster(Options options);
    ~EmbeddedCluster();
    EmbeddedCluster(const EmbeddedCluster&) = delete;
    EmbeddedCluster& operator=(const EmbeddedCluster&) = delete;

    // Recovers every node's dataDir, binds the client, quorum and election ports and starts
    // the nodes. On failure nothing keeps running and lastError() names the problem:
    // address_in_use names the port that is taken; io_error means a dataDir could not be
    // recovered or created.
    std::error_code start();
    const std::string& lastError() const { return m_lastError; }
    // Set when start() copied an earlier studio's standalone data into the nodes' dataDirs
    // (see standalone_migration.h): a sentence for the user.
    const std::string& migrationNote() const { return m_migrationNote; }
    void stop();
    bool running() const { return m_ensemble != nullptr; }

    // "127.0.0.1:2181,127.0.0.1:2182,127.0.0.1:2183".
    std::string connectString() const;
    std::vector<NodeInfo> nodes() const;
    const Options& options() const { return m_options; }
    // The ensemble while running(), else null. Thread-safe to use (see ensemble.h).
    zk::Ensemble* ensemble() const { return m_ensemble.get(); }
    std::vector<zk::Sid> sids() const; // 1..nodeCount, known before start()
    // Where every node's PeerEvents go (on the nodes' threads). Set before start() to see the
    // first election; takes effect at once when running. Returns once no node thread is still
    // inside the previous sink.
    void setEventSink(zk::Ensemble::EventSink sink);
    // Where node `sid` keeps its data (valid once start() chose the folder).
    std::filesystem::path nodeDataDir(std::int64_t sid) const;
    // A short honest label for the UI.
    std::string modeLabel() const;

    // The first port from `from` on which 127.0.0.1 accepts a bind, trying `tries` ports.
    static std::optional<std::uint16_t> findFreePort(std::uint16_t from, int tries = 50);
    // The first p >= from with p..p+count-1 all free on 127.0.0.1, trying `tries` values of p.
    static std::optional<std::uint16_t> findFreePorts(std::uint16_t from, int count,
                                                      int tries = 50);
    // Whether something on this machine already listens on host:port.
    static bool portInUse(const std::string& host, std::uint16_t port);
    // Which of from..from+count-1 are in use on host.
    static std::vector<std::uint16_t> portsInUse(const std::string& host, std::uint16_t from,
                                                 int count);

    static constexpr int startAttempts = 3; // when a port picked free is taken meanwhile

private:
    Options m_options;
    std::unique_ptr<zk::Ensemble> m_ensemble;
    zk::Ensemble::EventSink m_sink;
    std::filesystem::path m_baseDir;
    bool m_temporaryDir = false;
    std::string m_lastError;
    std::string m_migrationNote;
};

} // namespace zoolab
