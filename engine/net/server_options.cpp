#include "net/server_options.h"

#include "server/sasl_digest_md5.h"

#include <spdlog/spdlog.h>

#include <charconv>
#include <exception>
#include <random>
#include <string>

namespace zk {

namespace {

std::int64_t longProperty(const ServerConfig& config, std::string_view name, std::int64_t fallback)
{
    const auto text = config.systemProperty(name);
    if (!text)
        return fallback;
    std::int64_t value = 0;
    const auto* end = text->data() + text->size();
    const auto [ptr, ec] = std::from_chars(text->data(), end, value);
    return ec == std::errc() && ptr == end ? value : fallback;
}

double doubleProperty(const ServerConfig& config, std::string_view name, double fallback)
{
    const auto text = config.systemProperty(name);
    if (!text)
        return fallback;
    try {
        std::size_t used = 0;
        const double value = std::stod(*text, &used);
        return used == text->size() ? value : fallback;
    } catch (const std::exception&) {
        return fallback;
    }
}

} // namespace

ServerHostOptions hostOptionsFrom(const ServerConfig& config)
{
    ServerHostOptions options;
    options.clientAddress =
        config.clientPortAddress.empty() ? std::string("0.0.0.0") : config.clientPortAddress;
    options.clientPort = static_cast<std::uint16_t>(config.clientPort);
    options.core.sid = config.myId.value_or(0);
    options.core.tickTimeMs = config.tickTimeMs;
    options.core.minSessionTimeoutMs = config.effectiveMinSessionTimeoutMs();
    options.core.maxSessionTimeoutMs = config.effectiveMaxSessionTimeoutMs();
    options.core.maxBufferBytes = config.juteMaxBuffer();
    options.core.superDigest = config.superDigest().value_or("");
    options.core.extendedTypesEnabled = config.extendedTypesEnabled();
    options.core.reconfigEnabled = config.reconfigEnabled;
    options.core.closeSessionTxnEnabled =
        config.systemProperty("zookeeper.closeSessionTxn.enabled").value_or("true") != "false";
    options.core.digestEnabled =
        config.systemProperty("zookeeper.digest.enabled").value_or("true") != "false";
    options.core.containerCheckIntervalMs =
        longProperty(config, "znode.container.checkIntervalMs", 60000);
    options.fourLetterWhitelist = config.fourLetterWordWhitelist();
    options.maxClientCnxns = config.maxClientCnxns;
    options.dataDir = config.dataDir;
    options.dataLogDir = config.dataLogDir.empty() ? config.dataDir : config.dataLogDir;
    options.readOnlyMode = false;
    if (auto jaas = config.systemProperty("java.security.auth.login.config")) {
        if (auto users = readJaasServerUsers(*jaas))
            options.core.saslUsers = std::move(*users);
    }
    for (const auto& [name, value] : config.systemProperties) {
        if (name.rfind("zookeeper.authProvider.", 0) == 0 &&
            value.find("SASLAuthenticationProvider") != std::string::npos)
            options.core.saslEnabled = true;
    }
    options.core.saslEnabled = options.core.saslEnabled || !options.core.saslUsers.empty();
    options.core.nonceSeed = (std::uint64_t{std::random_device{}()} << 32) | std::random_device{}();
    return options;
}

StorageOptions storageOptionsFrom(const ServerConfig& config, std::uint64_t seed)
{
    StorageOptions options;
    options.dataDir = config.dataDir;
    options.dataLogDir = config.dataLogDir.empty() ? config.dataDir : config.dataLogDir;
    options.preAllocBytes = config.preAllocSizeBytes();
    options.forceSync = config.forceSync();
    options.snapCount = config.snapCount();
    options.snapSizeLimitBytes = config.snapSizeLimitBytes();
    const std::string compression = config.snapshotCompressionMethod();
    if (compression == "gz")
        options.snapshotCompression = SnapshotCompression::Gzip;
    else if (!compression.empty())
        spdlog::warn("snapshot.compression.method={} is not written by zoolab-server; snapshots "
                     "are written uncompressed (\"gz\" is supported)",
                     compression);
    // zoolab.snapshotSeed as a -D flag, or snapshotSeed=N in zoo.cfg (zookeeper.snapshotSeed).
    const auto fallback = static_cast<std::int64_t>(seed);
    options.seed = static_cast<std::uint64_t>(longProperty(
        config, "zoolab.snapshotSeed", longProperty(config, "zookeeper.snapshotSeed", fallback)));
    options.snapRetainCount = config.snapRetainCount;
    options.purgeIntervalHours = config.purgeIntervalHours;
    options.extendedTypesEnabled = config.extendedTypesEnabled();
    return options;
}

std::string quorumConfigText(const ServerConfig& config)
{
    std::string text;
    for (const auto& [sid, server] : config.servers)
        text += "server." + std::to_string(sid) + "=" + server.toString() + "\n";
    text += "version=0";
    return text;
}

QuorumHostOptions quorumHostOptionsFrom(const ServerConfig& config, std::uint64_t seed)
{
    const ServerHostOptions host = hostOptionsFrom(config);
    QuorumHostOptions options;
    options.peer.myId = config.myId.value_or(0);
    options.peer.server = host.core;
    options.peer.initLimit = config.initLimit;
    options.peer.syncLimit = config.syncLimit;
    const std::string text = quorumConfigText(config);
    options.peer.configData.assign(text.begin(), text.end());
    // zoolab.finalizeWaitMs (zoo.cfg or -D): ZooLab waits 50 ms after a quorum agrees, not
    // Apache's fixed 200 ms; see QuorumPeerConfig::finalizeWaitMs.
    options.peer.finalizeWaitMs = static_cast<int>(longProperty(
        config, "zoolab.finalizeWaitMs",
        longProperty(config, "zookeeper.zoolab.finalizeWaitMs", options.peer.finalizeWaitMs)));
    options.peer.minNotificationIntervalMs =
        static_cast<int>(longProperty(config, "zookeeper.fastleader.minNotificationInterval", 200));
    options.peer.maxNotificationIntervalMs = static_cast<int>(
        longProperty(config, "zookeeper.fastleader.maxNotificationInterval", 60000));
    options.peer.readOnlyModeEnabled = config.readOnlyModeEnabled();
    options.peer.commitLogCount =
        static_cast<std::size_t>(longProperty(config, "zookeeper.commitLogCount", 500));
    options.peer.snapshotSizeFactor =
        doubleProperty(config, "zookeeper.snapshotSizeFactor", options.peer.snapshotSizeFactor);
    for (const auto& [sid, server] : config.servers) {
        QuorumMember member;
        member.sid = sid;
        if (!server.addresses.empty()) {
            member.host = server.addresses.front().host;
            member.quorumPort = static_cast<std::uint16_t>(server.addresses.front().quorumPort);
            member.electionPort = static_cast<std::uint16_t>(server.addresses.front().electionPort);
        }
        member.observer = server.type == PeerType::Observer;
        options.members[sid] = member;
    }
    options.clientAddress = host.clientAddress;
    options.clientPort = host.clientPort;
    options.quorumListenOnAllIps = config.quorumListenOnAllIPs;
    options.storage = storageOptionsFrom(config, seed);
    options.fourLetterWhitelist = host.fourLetterWhitelist;
    options.maxClientCnxns = host.maxClientCnxns;
    return options;
}

} // namespace zk
