#include "server/four_letter_words.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>

namespace zk {

namespace {

constexpr std::array<std::string_view, 18> kWords = {
    "conf", "cons", "crst", "dirs", "dump", "envi", "gtmk", "ruok", "stmk",
    "srvr", "srst", "stat", "wchc", "wchp", "wchs", "mntr", "isro", "hash"};

// Java's Double.toString for the small non-negative averages we print.
std::string javaDouble(double value)
{
    std::string text = fmt::format("{}", value);
    if (text.find('.') == std::string::npos && text.find('e') == std::string::npos)
        text += ".0";
    return text;
}

std::string hex(std::int64_t value)
{
    return fmt::format("{:x}", static_cast<std::uint64_t>(value));
}

std::string versionLine()
{
    return fmt::format("{}, built on {}", kZooKeeperVersion, kBuildDate);
}

std::string opName(OpCode op)
{
    switch (op) {
    case OpCode::Ping:
        return "PING";
    case OpCode::Create:
        return "CREA";
    case OpCode::Create2:
        return "CREA";
    case OpCode::Delete:
        return "DELE";
    case OpCode::Exists:
        return "EXIS";
    case OpCode::GetData:
        return "GETD";
    case OpCode::SetData:
        return "SETD";
    case OpCode::GetChildren:
    case OpCode::GetChildren2:
        return "GETC";
    case OpCode::Multi:
        return "MULT";
    case OpCode::Sync:
        return "SYNC";
    case OpCode::SetWatches:
    case OpCode::SetWatches2:
        return "SETW";
    case OpCode::CloseSession:
        return "CLOSE";
    default:
        return "NA";
    }
}

std::string connectionLine(const FourLetterContext& ctx, ConnectionId id,
                           const ServerCore::ConnectionInfo& info, bool brief)
{
    const auto stats = ctx.connectionStats.find(id);
    const ConnectionStats none;
    const ConnectionStats& cs = stats == ctx.connectionStats.end() ? none : stats->second;
    std::string line = fmt::format(" /{}[1](queued={},recved={},sent={}", info.remoteAddress,
                                   cs.queued, info.packetsReceived, info.packetsSent);
    if (!brief) {
        if (info.session != 0) {
            line += fmt::format(",sid=0x{},lop={},est={},to={}", hex(info.session),
                                opName(info.lastOp), cs.establishedWallMs, info.sessionTimeoutMs);
        }
        line += fmt::format(",lcxid=0x{},lzxid=0x{},lresp={},llat={},minlat={},avglat={},maxlat={}",
                            hex(info.lastXid), hex(info.lastZxid), cs.lastResponseWallMs,
                            cs.lastLatencyMs, cs.latency.minMs, javaDouble(cs.latency.avgMs()),
                            cs.latency.maxMs);
    }
    return line + ")";
}

std::string serverStatsText(const FourLetterContext& ctx)
{
    const ServerCore& core = *ctx.core;
    return fmt::format("Latency min/avg/max: {}/{}/{}\n"
                       "Received: {}\n"
                       "Sent: {}\n"
                       "Connections: {}\n"
                       "Outstanding: {}\n"
                       "Zxid: 0x{}\n"
                       "Mode: {}\n"
                       "Node count: {}\n",
                       ctx.latency.minMs, javaDouble(ctx.latency.avgMs()), ctx.latency.maxMs,
                       core.counters().packetsReceived, core.counters().packetsSent,
                       core.connections().size(), core.outstandingRequests(),
                       hex(core.lastProcessedZxid()), ctx.mode, core.tree().nodeCount());
}

std::string statText(const FourLetterContext& ctx, bool withClients)
{
    std::string out = "Zookeeper version: " + versionLine() + "\n";
    if (ctx.readOnly)
        out += "READ-ONLY mode; serving only read-only clients\n";
    if (withClients) {
        out += "Clients:\n";
        for (const auto& [id, info] : ctx.core->connections())
            out += connectionLine(ctx, id, info, true) + "\n";
        out += "\n";
    }
    return out + serverStatsText(ctx);
}

std::string confText(const FourLetterContext& ctx)
{
    if (ctx.core == nullptr && ctx.coreConfig == nullptr)
        return "This ZooKeeper instance is not currently serving requests\n";
    const ServerCoreConfig& config = ctx.core ? ctx.core->config() : *ctx.coreConfig;
    return fmt::format("clientPort={}\n"
                       "clientPortAddress={}\n"
                       "secureClientPort=-1\n"
                       "dataDir={}/version-2\n"
                       "dataDirSize={}\n"
                       "dataLogDir={}/version-2\n"
                       "dataLogSize={}\n"
                       "tickTime={}\n"
                       "maxClientCnxns={}\n"
                       "minSessionTimeout={}\n"
                       "maxSessionTimeout={}\n"
                       "clientPortListenBacklog=-1\n"
                       "serverId={}\n",
                       ctx.clientPort, ctx.clientAddress, ctx.dataDir, ctx.dataDirBytes,
                       ctx.dataLogDir, ctx.dataLogDirBytes, config.tickTimeMs, ctx.maxClientCnxns,
                       config.minSessionTimeoutMs, config.maxSessionTimeoutMs, config.sid);
}

std::string enviText(const FourLetterContext& ctx)
{
    return fmt::format("Environment:\n"
                       "zookeeper.version={}\n"
                       "host.name={}\n"
                       "java.version=none (ZooLab C++ engine)\n"
                       "java.vendor=ZooLab\n"
                       "java.home=\n"
                       "java.class.path=\n"
                       "java.library.path=\n"
                       "java.io.tmpdir=/tmp\n"
                       "java.compiler=<NA>\n"
                       "os.name=Linux\n"
                       "os.arch=amd64\n"
                       "os.version=\n"
                       "user.name=\n"
                       "user.home=\n"
                       "user.dir=\n"
                       "os.memory.free=0MB\n"
                       "os.memory.max=0MB\n"
                       "os.memory.total=0MB\n",
                       versionLine(), ctx.hostName);
}

std::string mntrText(const FourLetterContext& ctx)
{
    const ServerCore& core = *ctx.core;
    const DataTree& tree = core.tree();
    const WatchesSummary watches = tree.watches().summary();
    std::string out;
    auto line = [&out](std::string_view key, const auto& value) {
        out += fmt::format("zk_{}\t{}\n", key, value);
    };
    line("version", versionLine());
    line("server_state", ctx.mode);
    line("avg_latency", javaDouble(ctx.latency.avgMs()));
    line("max_latency", ctx.latency.maxMs);
    line("min_latency", ctx.latency.minMs);
    line("packets_received", core.counters().packetsReceived);
    line("packets_sent", core.counters().packetsSent);
    line("num_alive_connections", core.connections().size());
    line("outstanding_requests", core.outstandingRequests());
    line("znode_count", tree.nodeCount());
    line("watch_count", tree.watches().size());
    line("watch_connections", watches.connections);
    line("ephemerals_count", tree.ephemeralCount());
    line("approximate_data_size", tree.approximateDataSize());
    line("open_file_descriptor_count", ctx.openFileDescriptors);
    line("max_file_descriptor_count", ctx.maxFileDescriptors);
    line("uptime", ctx.uptimeMs);
    line("global_sessions", core.sessions().size());
    line("local_sessions", 0);
    line("last_processed_zxid", core.lastProcessedZxid());
    line("txns_applied", core.counters().txnsApplied);
    line("digest_mismatches_count", tree.digestMismatches());
    return out;
}

std::string watchesByConnection(const FourLetterContext& ctx)
{
    std::string out;
    const auto& connections = ctx.core->connections();
    for (const auto& [watcher, paths] : ctx.core->tree().watches().watchesByWatcher()) {
        auto info = connections.find(static_cast<ConnectionId>(watcher));
        const SessionId session = info == connections.end() ? 0 : info->second.session;
        out += fmt::format("0x{}\n", hex(session));
        for (const std::string& path : paths)
            out += fmt::format("\t{}\n", path);
    }
    return out + "\n";
}

std::string watchesByPath(const FourLetterContext& ctx)
{
    std::string out;
    const auto& connections = ctx.core->connections();
    for (const auto& [path, watchers] : ctx.core->tree().watches().watchesByPath()) {
        out += path + "\n";
        for (WatcherId watcher : watchers) {
            auto info = connections.find(static_cast<ConnectionId>(watcher));
            const SessionId session = info == connections.end() ? 0 : info->second.session;
            out += fmt::format("\t0x{}\n", hex(session));
        }
    }
    return out + "\n";
}

std::string dumpText(const FourLetterContext& ctx)
{
    const ServerCore& core = *ctx.core;
    std::string out = "SessionTracker dump:\n";
    out += fmt::format("Global Sessions({}):\n", core.sessions().size());
    for (const auto& [id, session] : core.sessions().sessions())
        out += fmt::format("0x{}\t{}ms\n", hex(id), session.timeoutMs);
    out += "ephemeral nodes dump:\n";
    const auto owners = core.tree().sessionsWithEphemerals();
    out += fmt::format("Sessions with Ephemerals ({}):\n", owners.size());
    for (SessionId owner : owners) {
        out += fmt::format("0x{}:\n", hex(owner));
        for (const std::string& path : core.tree().ephemerals(owner))
            out += fmt::format("\t{}\n", path);
    }
    out += "Connections dump:\n";
    out += fmt::format("Connections Sets ({})/({})\n", core.connections().size(),
                       core.connections().size());
    for (const auto& [id, info] : core.connections())
        out += fmt::format("0x{}\n", hex(info.session));
    return out;
}

} // namespace

void LatencyStats::add(std::int64_t ms)
{
    if (count == 0 || ms < minMs)
        minMs = ms;
    maxMs = std::max(maxMs, ms);
    totalMs += ms;
    ++count;
}

bool isFourLetterWord(std::string_view word)
{
    return std::find(kWords.begin(), kWords.end(), word) != kWords.end();
}

std::optional<std::string> fourLetterWordFromLength(std::int32_t length)
{
    const auto bits = static_cast<std::uint32_t>(length);
    std::string word;
    for (int shift = 24; shift >= 0; shift -= 8)
        word.push_back(static_cast<char>((bits >> shift) & 0xff));
    if (isFourLetterWord(word))
        return word;
    return std::nullopt;
}

std::string runFourLetterWord(std::string_view word, const FourLetterContext& ctx)
{
    const bool allowed = ctx.whitelist.count("*") != 0 || ctx.whitelist.count(std::string(word));
    if (!allowed)
        return fmt::format("{} is not executed because it is not in the whitelist.\n", word);
    if (word == "ruok")
        return "imok";
    if (word == "isro")
        return ctx.readOnly ? "ro" : "rw";
    if (word == "envi")
        return enviText(ctx);
    if (word == "conf")
        return confText(ctx);
    if (word == "dirs")
        return fmt::format("datadir_size: {}\nlogdir_size: {}\n", ctx.dataDirBytes,
                           ctx.dataLogDirBytes);
    if (word == "gtmk")
        return "0\n";
    if (word == "stmk")
        return "0\n";
    if (!ctx.serving || ctx.core == nullptr)
        return "This ZooKeeper instance is not currently serving requests\n";
    if (word == "srvr")
        return statText(ctx, false);
    if (word == "stat")
        return statText(ctx, true);
    if (word == "mntr")
        return mntrText(ctx);
    if (word == "cons") {
        std::string out;
        for (const auto& [id, info] : ctx.core->connections())
            out += connectionLine(ctx, id, info, false) + "\n";
        return out + "\n";
    }
    if (word == "crst")
        return "Connection stats reset.\n";
    if (word == "srst")
        return "Server stats reset.\n";
    if (word == "wchs") {
        const WatchesSummary summary = ctx.core->tree().watches().summary();
        return fmt::format("{} connections watching {} paths\nTotal watches:{}\n",
                           summary.connections, summary.paths, summary.watches);
    }
    if (word == "wchc")
        return watchesByConnection(ctx);
    if (word == "wchp")
        return watchesByPath(ctx);
    if (word == "dump")
        return dumpText(ctx);
    if (word == "hash")
        return fmt::format("Digest in zxid 0x{}: {}\n", hex(ctx.core->lastProcessedZxid()),
                           ctx.core->tree().digest());
    return fmt::format("Unknown command {}\n", word);
}

} // namespace zk
