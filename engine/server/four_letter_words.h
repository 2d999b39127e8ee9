#pragma once
// Four-letter words (ruok, srvr, stat, conf, cons, envi, mntr, wchs, wchc, wchp, dump, isro,
// crst, srst, dirs) rendered as Apache ZooKeeper renders them, so that zkServer.sh status,
// kazoo and monitoring scripts that parse srvr and mntr work unchanged
// (server/command/*Command.java, ServerStats.toString).
//
// Pure text building: the driver gathers the figures it owns (latency, uptime, directory
// sizes) into FourLetterContext and calls runFourLetterWord on the node's thread.

#include "server/server_core.h"

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>

namespace zk {

// The version we report: Apache's protocol level, in a form every parser accepts.
inline constexpr std::string_view kZooKeeperVersion = "3.9.4-zoolab";
inline constexpr std::string_view kBuildDate = "01/15/2026 10:00 GMT";

struct LatencyStats
{
    std::int64_t minMs = 0;
    std::int64_t maxMs = 0;
    std::int64_t totalMs = 0;
    std::int64_t count = 0;

    void add(std::int64_t ms);
    double avgMs() const { return count == 0 ? 0.0 : static_cast<double>(totalMs) / count; }
};

struct ConnectionStats
{
    std::int64_t queued = 0;
    LatencyStats latency;
    std::int64_t lastLatencyMs = 0;
    std::int64_t establishedWallMs = 0;
    std::int64_t lastResponseWallMs = 0;
};

struct FourLetterContext
{
    const ServerCore* core = nullptr;
    // The configuration conf reports when there is no core (a quorum member before it serves:
    // conf answers then too, as Apache's does).
    const ServerCoreConfig* coreConfig = nullptr;
    std::string mode = "standalone"; // standalone | leader | follower | observer | read-only
    bool serving = true;
    bool readOnly = false;
    LatencyStats latency;
    std::map<ConnectionId, ConnectionStats> connectionStats;
    std::int64_t uptimeMs = 0;
    std::int64_t nowWallMs = 0;
    // conf
    std::string clientAddress;
    std::int32_t clientPort = 0;
    std::string dataDir;
    std::string dataLogDir;
    std::int64_t dataDirBytes = 0;
    std::int64_t dataLogDirBytes = 0;
    std::int32_t maxClientCnxns = 60;
    std::string hostName;
    std::int64_t openFileDescriptors = 0;
    std::int64_t maxFileDescriptors = 0;
    // whitelist; "*" in it enables all
    std::set<std::string> whitelist{"srvr"};
};

bool isFourLetterWord(std::string_view word);
// The 4 bytes a client sent first, read as a word if it is one ("ruok" etc.).
std::optional<std::string> fourLetterWordFromLength(std::int32_t length);

// Text to send back; the caller closes the connection after writing it. crst and srst
// reset counters, so the caller passes the core mutably through the context's owner.
std::string runFourLetterWord(std::string_view word, const FourLetterContext& context);

} // namespace zk
