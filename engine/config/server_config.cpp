#include "config/server_config.h"

#include "config/properties.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <fstream>
#include <sstream>

namespace zk {

namespace {

constexpr int kMinSnapRetainCount = 3;
constexpr int kDefaultJuteMaxBuffer = 0xfffff;
constexpr std::int64_t kDefaultSnapCount = 100000;
constexpr std::int64_t kDefaultSnapSizeLimitKiB = 4194304; // 4 GiB, as ZooKeeperServer
constexpr std::int64_t kDefaultPreAllocSizeKiB = 64 * 1024;

// A zoo.cfg entry after QuorumPeerConfig's trim.
struct ConfigEntry
{
    std::string key;
    std::string value;
    int line = 0;
};

std::string_view trim(std::string_view s)
{
    const auto isSpace = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
    while (!s.empty() && isSpace(s.front()))
        s.remove_prefix(1);
    while (!s.empty() && isSpace(s.back()))
        s.remove_suffix(1);
    return s;
}

bool iequals(std::string_view a, std::string_view b)
{
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

bool startsWith(std::string_view s, std::string_view prefix)
{
    return s.substr(0, prefix.size()) == prefix;
}

// Integer.parseInt / Long.parseLong: optional sign, decimal digits, nothing else.
template <typename T>
std::optional<T> parseInteger(std::string_view s)
{
    if (!s.empty() && s.front() == '+' && s.size() > 1 && s[1] != '-')
        s.remove_prefix(1);
    T value{};
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (s.empty() || ec != std::errc{} || end != s.data() + s.size())
        return std::nullopt;
    return value;
}

// QuorumPeerConfig.parseBoolean: "true" or "false" in any case, nothing else.
std::optional<bool> parseBool(std::string_view s)
{
    if (iequals(s, "true"))
        return true;
    if (iequals(s, "false"))
        return false;
    return std::nullopt;
}

const char* peerTypeName(PeerType type)
{
    return type == PeerType::Observer ? "observer" : "participant";
}

std::string bracketed(const std::string& host)
{
    return host.find(':') != std::string::npos ? "[" + host + "]" : host;
}

struct IntKey
{
    std::string_view name;
    int ServerConfig::*field;
    int min;
    int max;
};

constexpr int kIntMax = 2147483647;
constexpr int kIntMin = -kIntMax - 1;

const std::array<IntKey, 13> kIntKeys{{
    {"clientPort", &ServerConfig::clientPort, 0, 65535},
    {"secureClientPort", &ServerConfig::secureClientPort, 0, 65535},
    {"observerMasterPort", &ServerConfig::observerMasterPort, 0, 65535},
    {"clientPortListenBacklog", &ServerConfig::clientPortListenBacklog, kIntMin, kIntMax},
    {"tickTime", &ServerConfig::tickTimeMs, 1, kIntMax},
    {"initLimit", &ServerConfig::initLimit, 0, kIntMax},
    {"syncLimit", &ServerConfig::syncLimit, 0, kIntMax},
    {"connectToLearnerMasterLimit", &ServerConfig::connectToLearnerMasterLimit, 0, kIntMax},
    {"minSessionTimeout", &ServerConfig::minSessionTimeoutMs, -1, kIntMax},
    {"maxSessionTimeout", &ServerConfig::maxSessionTimeoutMs, -1, kIntMax},
    {"maxClientCnxns", &ServerConfig::maxClientCnxns, 0, kIntMax},
    {"autopurge.snapRetainCount", &ServerConfig::snapRetainCount, kIntMin, kIntMax},
    {"autopurge.purgeInterval", &ServerConfig::purgeIntervalHours, kIntMin, kIntMax},
}};

struct BoolKey
{
    std::string_view name;
    bool ServerConfig::*field;
};

const std::array<BoolKey, 8> kBoolKeys{{
    {"localSessionsEnabled", &ServerConfig::localSessionsEnabled},
    {"localSessionsUpgradingEnabled", &ServerConfig::localSessionsUpgradingEnabled},
    {"quorumListenOnAllIPs", &ServerConfig::quorumListenOnAllIPs},
    {"syncEnabled", &ServerConfig::syncEnabled},
    {"standaloneEnabled", &ServerConfig::standaloneEnabled},
    {"reconfigEnabled", &ServerConfig::reconfigEnabled},
    {"multiAddress.enabled", &ServerConfig::multiAddressEnabled},
    {"sslQuorum", nullptr}, // Validated like Apache, then ignored.
}};

struct StringKey
{
    std::string_view name;
    std::string ServerConfig::*field;
};

const std::array<StringKey, 5> kStringKeys{{
    {"dataDir", &ServerConfig::dataDir},
    {"dataLogDir", &ServerConfig::dataLogDir},
    {"clientPortAddress", &ServerConfig::clientPortAddress},
    {"secureClientPortAddress", &ServerConfig::secureClientPortAddress},
    {"dynamicConfigFile", &ServerConfig::dynamicConfigFile},
}};

// Keys QuorumPeerConfig handles itself that ZooLab has no use for.
bool isIgnoredApacheKey(std::string_view key)
{
    static const std::set<std::string_view> keys{
        "portUnification",
        "sslQuorumReloadCertFiles",
        "quorum.auth.enableSasl",
        "quorum.auth.serverRequireSasl",
        "quorum.auth.learnerRequireSasl",
        "quorum.auth.learner.saslLoginContext",
        "quorum.auth.server.saslLoginContext",
        "quorum.auth.kerberos.servicePrincipal",
        "quorum.cnxn.threads.size",
        "jvm.pause.info-threshold.ms",
        "jvm.pause.warn-threshold.ms",
        "jvm.pause.sleep.time.ms",
        "jvm.pause.monitor",
        "multiAddress.reachabilityCheckTimeoutMs",
        "multiAddress.reachabilityCheckEnabled",
        "oraclePath",
    };
    return keys.contains(key) || startsWith(key, "metricsProvider.");
}

// Documented ZooKeeper settings that reach the server as "zookeeper.<key>" system
// properties. They pass through silently; any other unknown key gets a warning.
bool isKnownPassThroughKey(std::string_view key)
{
    static const std::set<std::string_view> keys{
        "4lw.commands.whitelist",
        "snapCount",
        "snapSizeLimitInKb",
        "txnLogSizeLimitInKb",
        "preAllocSize",
        "extendedTypesEnabled",
        "emulate353TTLNodes",
        "forceSync",
        "fsync.warningthresholdms",
        "maxCnxns",
        "globalOutstandingLimit",
        "commitLogCount",
        "skipACL",
        "superUser",
        "DigestAuthenticationProvider.superDigest",
        "requireClientAuthScheme",
        "sessionRequireClientSASLAuth",
        "enforceQuota",
        "digest.enabled",
        "serverCnxnFactory",
        "snapshot.trust.empty",
        "snapshot.compression.method",
        "audit.enable",
        "flushDelay",
        "maxBatchSize",
        "leaderServes",
        "closeSessionTxn.enabled",
        "watchManagerName",
        "connection_throttle_tokens",
        "learner.asyncSending",
        "client.secure",
    };
    return keys.contains(key) || startsWith(key, "admin.") || startsWith(key, "authProvider.") ||
           startsWith(key, "ssl.") || startsWith(key, "znode.container.") ||
           startsWith(key, "kerberos.");
}

// Splits host:port:port... where the host may be "[ipv6]" (ConfigUtils.getHostAndPort).
std::optional<std::vector<std::string>> splitHostAndPorts(std::string_view s)
{
    std::vector<std::string> parts;
    if (startsWith(s, "[")) {
        const std::size_t close = s.find("]:");
        if (close == std::string_view::npos)
            return std::nullopt;
        parts.emplace_back(s.substr(1, close - 1));
        s.remove_prefix(close + 2);
    }
    std::size_t start = 0;
    while (true) {
        const std::size_t colon = s.find(':', start);
        parts.emplace_back(s.substr(start, colon - start));
        if (colon == std::string_view::npos)
            break;
        start = colon + 1;
    }
    return parts;
}

std::optional<int> parsePort(std::string_view s)
{
    const auto port = parseInteger<int>(s);
    if (!port || *port < 0 || *port > 65535)
        return std::nullopt;
    return port;
}

std::optional<PeerType> parsePeerType(std::string_view s)
{
    if (iequals(trim(s), "participant"))
        return PeerType::Participant;
    if (iequals(trim(s), "observer"))
        return PeerType::Observer;
    return std::nullopt;
}

} // namespace

std::string ConfigIssue::toString() const
{
    std::string out = fileName;
    if (line > 0)
        out += fmt::format(":{}", line);
    out += ": ";
    if (!key.empty())
        out += key + ": ";
    out += message;
    return out;
}

std::string QuorumServer::toString() const
{
    std::string out;
    for (std::size_t i = 0; i < addresses.size(); ++i) {
        const QuorumAddress& a = addresses[i];
        out += fmt::format("{}{}:{}:{}", i == 0 ? "" : "|", bracketed(a.host), a.quorumPort,
                           a.electionPort);
    }
    out += fmt::format(":{}", peerTypeName(type));
    if (clientAddress)
        out += fmt::format(";{}:{}", bracketed(clientAddress->host), clientAddress->port);
    return out;
}

const std::set<std::string>& knownFourLetterWords()
{
    static const std::set<std::string> words{"conf", "cons", "crst", "dirs", "dump", "envi",
                                             "gtmk", "ruok", "stmk", "srvr", "srst", "stat",
                                             "wchc", "wchp", "wchs", "mntr", "isro", "hash"};
    return words;
}

QuorumServerParse parseQuorumServer(Sid sid, std::string_view value, bool multiAddressEnabled)
{
    const std::string wrongForm =
        fmt::format("\"{}\" does not have the form "
                    "host:quorumPort:electionPort[:participant|observer][;[clientHost:]clientPort]",
                    value);
    QuorumServerParse result;
    QuorumServer server;
    server.sid = sid;
    const std::size_t semicolon = value.find(';');
    const std::string_view serverPart = value.substr(0, semicolon);
    if (semicolon != std::string_view::npos) {
        const std::string_view clientPart = value.substr(semicolon + 1);
        const auto parts = splitHostAndPorts(clientPart);
        if (clientPart.find(';') != std::string_view::npos || !parts || parts->size() > 2) {
            result.error = wrongForm;
            return result;
        }
        const auto port = parsePort(parts->back());
        if (!port) {
            result.error = fmt::format("\"{}\" is not a valid client port", parts->back());
            return result;
        }
        const std::string host = parts->size() == 2 ? parts->front() : "0.0.0.0";
        if (host.empty()) {
            result.error = wrongForm;
            return result;
        }
        server.clientAddress = HostPort{host, *port};
    }
    std::optional<PeerType> type;
    std::size_t start = 0;
    while (start <= serverPart.size()) {
        const std::size_t bar = serverPart.find('|', start);
        const std::string_view address = serverPart.substr(start, bar - start);
        const auto parts = splitHostAndPorts(address);
        if (!parts || parts->size() < 3 || parts->size() > 4 || parts->front().empty()) {
            result.error = wrongForm;
            return result;
        }
        const auto quorumPort = parsePort((*parts)[1]);
        const auto electionPort = parsePort((*parts)[2]);
        if (!quorumPort || !electionPort) {
            result.error =
                fmt::format("\"{}\" is not a valid port", quorumPort ? (*parts)[2] : (*parts)[1]);
            return result;
        }
        if (*quorumPort == *electionPort) {
            result.error = "quorum and election port must be different";
            return result;
        }
        if (parts->size() == 4) {
            const auto thisType = parsePeerType((*parts)[3]);
            if (!thisType) {
                result.error = fmt::format("unrecognised peer type \"{}\"", (*parts)[3]);
                return result;
            }
            if (type && *type != *thisType) {
                result.error = "multiple addresses must have the same role";
                return result;
            }
            type = thisType;
        }
        server.addresses.push_back({parts->front(), *quorumPort, *electionPort});
        if (bar == std::string_view::npos)
            break;
        start = bar + 1;
    }
    if (server.addresses.size() > 1 && !multiAddressEnabled) {
        result.error = "multiple addresses need multiAddress.enabled=true";
        return result;
    }
    server.type = type.value_or(PeerType::Participant);
    result.server = std::move(server);
    return result;
}

namespace {

// Turns zoo.cfg entries into a ServerConfig, collecting errors instead of throwing.
class ConfigParser
{
public:
    ConfigParser(ServerConfigResult& result, std::string fileName)
        : m_result(result), m_config(result.config), m_fileName(std::move(fileName))
    {
        m_config.configFile = m_fileName;
    }

    void error(int line, std::string key, std::string message)
    {
        m_result.errors.push_back({m_fileName, line, std::move(key), std::move(message)});
    }
    void warn(int line, std::string key, std::string message)
    {
        m_config.warnings.push_back({m_fileName, line, std::move(key), std::move(message)});
    }

    // Collapses duplicate keys (the last wins) and returns entries in file order.
    std::vector<ConfigEntry> lastWins(const std::vector<PropertyEntry>& raw)
    {
        std::map<std::string, ConfigEntry> byKey;
        for (const PropertyEntry& p : raw) {
            ConfigEntry e{std::string(trim(p.key)), std::string(trim(p.value)), p.line};
            const auto it = byKey.find(e.key);
            if (it != byKey.end()) {
                warn(e.line, e.key,
                     fmt::format("overrides the value from line {}", it->second.line));
            }
            byKey[e.key] = std::move(e);
        }
        std::vector<ConfigEntry> entries;
        for (auto& [key, entry] : byKey)
            entries.push_back(std::move(entry));
        std::sort(entries.begin(), entries.end(),
                  [](const ConfigEntry& a, const ConfigEntry& b) { return a.line < b.line; });
        return entries;
    }

    static bool isMembershipKey(std::string_view key)
    {
        return startsWith(key, "server.") || startsWith(key, "group.") ||
               startsWith(key, "weight.");
    }

    void handleStaticEntry(const ConfigEntry& e)
    {
        m_lines[e.key] = e.line;
        if (isMembershipKey(e.key)) {
            m_membership.push_back(e);
        } else if (!handleKnownKey(e)) {
            m_config.systemProperties["zookeeper." + e.key] = e.value;
            if (!isKnownPassThroughKey(e.key)) {
                warn(e.line, e.key,
                     fmt::format("unknown key; passed on as system property zookeeper.{}", e.key));
            }
        }
    }

    bool handleKnownKey(const ConfigEntry& e)
    {
        for (const IntKey& k : kIntKeys) {
            if (e.key == k.name) {
                setInt(e, k);
                return true;
            }
        }
        for (const BoolKey& k : kBoolKeys) {
            if (e.key == k.name) {
                const auto value = parseBool(e.value);
                if (!value)
                    error(e.line, e.key, fmt::format("\"{}\" is not true or false", e.value));
                else if (k.field)
                    m_config.*k.field = *value;
                else
                    m_config.ignoredSettings[e.key] = e.value;
                return true;
            }
        }
        for (const StringKey& k : kStringKeys) {
            if (e.key == k.name) {
                m_config.*k.field = e.value;
                return true;
            }
        }
        return handleSpecialKey(e);
    }

    void setInt(const ConfigEntry& e, const IntKey& k)
    {
        const auto value = parseInteger<int>(e.value);
        if (!value) {
            error(e.line, e.key, fmt::format("\"{}\" is not a number", e.value));
        } else if (*value < k.min || *value > k.max) {
            error(e.line, e.key, fmt::format("{} is out of range {}..{}", *value, k.min, k.max));
        } else {
            m_config.*k.field = *value;
        }
    }

    bool handleSpecialKey(const ConfigEntry& e)
    {
        if (e.key == "electionAlg") {
            const auto value = parseInteger<int>(e.value);
            if (!value)
                error(e.line, e.key, fmt::format("\"{}\" is not a number", e.value));
            else if (*value != 3)
                error(e.line, e.key, fmt::format("{} is not supported; only 3 is", *value));
            else
                m_config.electionAlg = *value;
            return true;
        }
        if (e.key == "peerType") {
            const auto type = parsePeerType(e.value);
            if (!type)
                error(e.line, e.key, fmt::format("unrecognised peer type \"{}\"", e.value));
            else
                m_config.peerType = *type;
            return true;
        }
        if (isIgnoredApacheKey(e.key)) {
            m_config.ignoredSettings[e.key] = e.value;
            warn(e.line, e.key, "accepted but ignored by ZooLab");
            return true;
        }
        return false;
    }

    bool multiAddressEnabled() const
    {
        const auto property = m_config.systemProperty("zookeeper.multiAddress.enabled");
        return m_config.multiAddressEnabled || (property && iequals(*property, "true"));
    }

    // server.N, group.N and weight.N, from zoo.cfg or from a dynamic file.
    void parseMembership(const std::vector<ConfigEntry>& entries)
    {
        m_config.servers.clear();
        m_config.groups.clear();
        m_config.weights.clear();
        for (const ConfigEntry& e : entries) {
            if (startsWith(e.key, "server."))
                parseServerEntry(e);
        }
        const std::size_t errorsBefore = m_result.errors.size();
        for (const ConfigEntry& e : entries) {
            if (startsWith(e.key, "group."))
                parseGroupEntry(e);
            else if (startsWith(e.key, "weight."))
                parseWeightEntry(e);
        }
        if (m_result.errors.size() == errorsBefore) // A bad group line would only cascade.
            checkGroups(entries);
    }

    std::optional<std::int64_t> idSuffix(const ConfigEntry& e, std::string_view what)
    {
        const auto id = parseInteger<std::int64_t>(e.key.substr(e.key.find('.') + 1));
        if (!id || *id < 0) {
            error(e.line, e.key,
                  fmt::format("\"{}\" is not a valid {}", e.key.substr(e.key.find('.') + 1), what));
            return std::nullopt;
        }
        return id;
    }

    void parseServerEntry(const ConfigEntry& e)
    {
        const auto sid = idSuffix(e, "server id");
        if (!sid)
            return;
        QuorumServerParse parsed = parseQuorumServer(*sid, e.value, multiAddressEnabled());
        if (!parsed.server) {
            error(e.line, e.key, parsed.error);
            return;
        }
        if (const auto it = m_config.servers.find(*sid); it != m_config.servers.end()) {
            error(e.line, e.key,
                  fmt::format("server {} is already defined on line {}", *sid, it->second.line));
            return;
        }
        parsed.server->line = e.line;
        m_config.servers.emplace(*sid, std::move(*parsed.server));
    }

    void parseGroupEntry(const ConfigEntry& e)
    {
        const auto gid = idSuffix(e, "group id");
        if (!gid)
            return;
        std::vector<Sid> members;
        std::string_view rest = e.value;
        while (true) {
            const std::size_t colon = rest.find(':');
            const auto sid = parseInteger<Sid>(trim(rest.substr(0, colon)));
            if (!sid) {
                error(e.line, e.key,
                      fmt::format("\"{}\" is not a list of server ids like 1:2:3", e.value));
                return;
            }
            if (!m_config.servers.contains(*sid)) {
                error(e.line, e.key, fmt::format("server {} has no server.{} line", *sid, *sid));
                return;
            }
            members.push_back(*sid);
            if (colon == std::string_view::npos)
                break;
            rest.remove_prefix(colon + 1);
        }
        m_config.groups[*gid] = std::move(members);
    }

    void parseWeightEntry(const ConfigEntry& e)
    {
        const auto sid = idSuffix(e, "server id");
        if (!sid)
            return;
        const auto weight = parseInteger<std::int64_t>(e.value);
        if (!weight || *weight < 0) {
            error(e.line, e.key, fmt::format("\"{}\" is not a valid weight", e.value));
            return;
        }
        if (!m_config.servers.contains(*sid)) {
            error(e.line, e.key, fmt::format("server {} has no server.{} line", *sid, *sid));
            return;
        }
        m_config.weights[*sid] = *weight;
    }

    // With groups, every participant must be in exactly one group (QuorumHierarchical).
    void checkGroups(const std::vector<ConfigEntry>& entries)
    {
        if (m_config.groups.empty())
            return;
        std::map<Sid, std::int64_t> groupOf;
        for (const auto& [gid, members] : m_config.groups) {
            for (Sid sid : members) {
                const auto [it, inserted] = groupOf.emplace(sid, gid);
                if (!inserted) {
                    error(lineOf(entries, fmt::format("group.{}", gid)),
                          fmt::format("group.{}", gid),
                          fmt::format("server {} is already in group {}", sid, it->second));
                }
            }
        }
        for (const auto& [sid, server] : m_config.servers) {
            if (server.type == PeerType::Participant && !groupOf.contains(sid))
                error(server.line, fmt::format("server.{}", sid), "participant is in no group");
        }
    }

    static int lineOf(const std::vector<ConfigEntry>& entries, const std::string& key)
    {
        for (const ConfigEntry& e : entries) {
            if (e.key == key)
                return e.line;
        }
        return 0;
    }

    int lineOf(const std::string& key) const
    {
        const auto it = m_lines.find(key);
        return it == m_lines.end() ? 0 : it->second;
    }

    void parse(const std::vector<ConfigEntry>& entries)
    {
        for (const ConfigEntry& e : entries)
            handleStaticEntry(e);
        if (!m_config.dynamicConfigFile.empty()) {
            for (const ConfigEntry& e : m_membership)
                error(e.line, e.key,
                      "must be in the dynamic config file when dynamicConfigFile "
                      "is set");
        } else {
            parseMembership(m_membership);
        }
        checkStorageAndPorts();
        checkTiming();
        checkMembership();
    }

    void checkStorageAndPorts()
    {
        if (m_config.dataDir.empty())
            error(0, "dataDir", "is not set");
        if (m_config.dataLogDir.empty())
            m_config.dataLogDir = m_config.dataDir;
        if (m_config.clientPort == 0 && !m_config.clientPortAddress.empty())
            error(lineOf("clientPortAddress"), "clientPortAddress", "is set but clientPort is not");
        if (m_config.secureClientPort == 0 && !m_config.secureClientPortAddress.empty()) {
            error(lineOf("secureClientPortAddress"), "secureClientPortAddress",
                  "is set but secureClientPort is not");
        }
        if (m_config.snapRetainCount < kMinSnapRetainCount) {
            warn(lineOf("autopurge.snapRetainCount"), "autopurge.snapRetainCount",
                 fmt::format("{} is below the minimum; using {}", m_config.snapRetainCount,
                             kMinSnapRetainCount));
            m_config.snapRetainCount = kMinSnapRetainCount;
        }
    }

    void checkTiming()
    {
        if (m_config.tickTimeMs == 0) {
            if (!m_lines.contains("tickTime"))
                error(0, "tickTime", "is not set");
            return;
        }
        if (m_config.effectiveMinSessionTimeoutMs() > m_config.effectiveMaxSessionTimeoutMs()) {
            const std::string key =
                m_lines.contains("minSessionTimeout") ? "minSessionTimeout" : "maxSessionTimeout";
            error(lineOf(key), key,
                  fmt::format("minSessionTimeout ({}) must not be larger than maxSessionTimeout "
                              "({})",
                              m_config.effectiveMinSessionTimeoutMs(),
                              m_config.effectiveMaxSessionTimeoutMs()));
        }
    }

    // QuorumPeerConfig.parseDynamicConfig and the quorum half of checkValidity.
    void checkMembership()
    {
        const int participants = m_config.participantCount();
        const int observers = m_config.observerCount();
        if (participants == 0) {
            if (!m_config.standaloneEnabled && m_config.dynamicConfigFile.empty()) {
                error(lineOf("standaloneEnabled"), "standaloneEnabled",
                      "is false, so at least one participant server.N line is needed");
            }
            if (observers > 0)
                error(0, "server.N", "observers without participants are not a valid quorum");
        } else if (participants == 1 && m_config.standaloneEnabled) {
            warn(0, "server.N", "only one server is listed; running standalone (ignoring it)");
            if (observers > 0)
                error(0, "server.N", "observers without a quorum are not a valid quorum");
        }
        if (m_config.isDistributed()) {
            if (m_config.initLimit == 0)
                error(lineOf("initLimit"), "initLimit", "is not set (needed in quorum mode)");
            if (m_config.syncLimit == 0)
                error(lineOf("syncLimit"), "syncLimit", "is not set (needed in quorum mode)");
        }
    }

private:
    std::vector<ConfigEntry> m_membership;
    ServerConfigResult& m_result;
    ServerConfig& m_config;
    std::string m_fileName;
    std::map<std::string, int> m_lines;
};

} // namespace

int ServerConfig::effectiveMinSessionTimeoutMs() const
{
    return minSessionTimeoutMs == -1 ? tickTimeMs * 2 : minSessionTimeoutMs;
}

int ServerConfig::effectiveMaxSessionTimeoutMs() const
{
    return maxSessionTimeoutMs == -1 ? tickTimeMs * 20 : maxSessionTimeoutMs;
}

int ServerConfig::participantCount() const
{
    return static_cast<int>(std::count_if(servers.begin(), servers.end(), [](const auto& s) {
        return s.second.type == PeerType::Participant;
    }));
}

int ServerConfig::observerCount() const
{
    return static_cast<int>(servers.size()) - participantCount();
}

bool ServerConfig::isDistributed() const
{
    const int participants = participantCount();
    return standaloneEnabled ? participants > 1 : participants > 0;
}

void ServerConfig::applySystemProperty(std::string name, std::string value)
{
    systemProperties[std::move(name)] = std::move(value);
}

std::optional<std::string> ServerConfig::systemProperty(std::string_view name) const
{
    const auto it = systemProperties.find(std::string(name));
    if (it == systemProperties.end())
        return std::nullopt;
    return it->second;
}

bool ServerConfig::readOnlyModeEnabled() const
{
    const auto value = systemProperty("readonlymode.enabled");
    return value && iequals(*value, "true");
}

std::optional<std::string> ServerConfig::superDigest() const
{
    return systemProperty("zookeeper.DigestAuthenticationProvider.superDigest");
}

bool ServerConfig::extendedTypesEnabled() const
{
    const auto value = systemProperty("zookeeper.extendedTypesEnabled");
    return value && iequals(*value, "true");
}

int ServerConfig::juteMaxBuffer() const
{
    const auto value = systemProperty("jute.maxbuffer");
    const auto parsed = value ? parseInteger<int>(trim(*value)) : std::nullopt;
    return parsed.value_or(kDefaultJuteMaxBuffer);
}

std::int64_t ServerConfig::snapCount() const
{
    const auto value = systemProperty("zookeeper.snapCount");
    const auto parsed = value ? parseInteger<std::int64_t>(trim(*value)) : std::nullopt;
    return parsed.value_or(kDefaultSnapCount);
}

std::int64_t ServerConfig::snapSizeLimitBytes() const
{
    const auto value = systemProperty("zookeeper.snapSizeLimitInKb");
    const auto parsed = value ? parseInteger<std::int64_t>(trim(*value)) : std::nullopt;
    const std::int64_t kib = parsed.value_or(kDefaultSnapSizeLimitKiB);
    // Far above any real setting; keeps the product in range.
    return kib > (std::int64_t{1} << 40) ? (std::int64_t{1} << 50) : kib * 1024;
}

std::int64_t ServerConfig::preAllocSizeBytes() const
{
    const auto value = systemProperty("zookeeper.preAllocSize");
    const auto parsed = value ? parseInteger<std::int64_t>(trim(*value)) : std::nullopt;
    return parsed.value_or(kDefaultPreAllocSizeKiB) * 1024;
}

std::string ServerConfig::snapshotCompressionMethod() const
{
    const std::string value = systemProperty("zookeeper.snapshot.compression.method").value_or("");
    return std::string(trim(value));
}

bool ServerConfig::forceSync() const
{
    return systemProperty("zookeeper.forceSync") != std::optional<std::string>("no");
}

std::set<std::string> ServerConfig::fourLetterWordWhitelist() const
{
    std::set<std::string> words;
    if (const auto list = systemProperty("zookeeper.4lw.commands.whitelist")) {
        std::string_view rest = *list;
        while (true) {
            const std::size_t comma = rest.find(',');
            const std::string_view word = trim(rest.substr(0, comma));
            if (word == "*") {
                words = knownFourLetterWords();
                break;
            }
            if (!word.empty())
                words.emplace(word);
            if (comma == std::string_view::npos)
                break;
            rest.remove_prefix(comma + 1);
        }
    }
    if (readOnlyModeEnabled())
        words.insert("isro");
    words.insert("srvr"); // zkServer.sh status needs it, so Apache always allows it.
    return words;
}

bool ServerConfig::isFourLetterWordEnabled(std::string_view word) const
{
    return fourLetterWordWhitelist().contains(std::string(word));
}

std::string ServerConfigResult::errorText() const
{
    std::string out;
    for (const ConfigIssue& issue : errors)
        out += issue.toString() + "\n";
    return out;
}

ServerConfigResult parseServerConfig(std::string_view text, std::string fileName,
                                     std::map<std::string, std::string> systemProperties)
{
    ServerConfigResult result;
    result.config.systemProperties = std::move(systemProperties);
    ConfigParser parser(result, fileName);
    const PropertiesResult properties = parseProperties(text);
    if (!properties.ok()) {
        parser.error(properties.error->line, "", properties.error->message);
        return result;
    }
    parser.parse(parser.lastWins(properties.entries));
    return result;
}

std::vector<ConfigIssue> parseDynamicConfig(std::string_view text, const std::string& fileName,
                                            ServerConfig& config)
{
    const std::string staticFile = config.configFile;
    ServerConfigResult scratch;
    scratch.config = std::move(config);
    ConfigParser parser(scratch, fileName);
    const PropertiesResult properties = parseProperties(text);
    if (!properties.ok()) {
        parser.error(properties.error->line, "", properties.error->message);
    } else {
        std::vector<ConfigEntry> membership;
        for (ConfigEntry& e : parser.lastWins(properties.entries)) {
            if (ConfigParser::isMembershipKey(e.key))
                membership.push_back(std::move(e));
            else if (e.key != "version")
                parser.error(e.line, e.key, "is not allowed in a dynamic config file");
        }
        parser.parseMembership(membership);
        parser.checkMembership();
    }
    config = std::move(scratch.config);
    config.configFile = staticFile;
    return std::move(scratch.errors);
}

MyIdResult readMyId(const std::string& dataDir)
{
    MyIdResult result;
    const std::string path = dataDir + "/myid";
    std::ifstream in(path);
    if (!in)
        return result;
    std::string line;
    std::getline(in, line);
    const auto sid = parseInteger<Sid>(trim(line));
    if (!sid || *sid < 0)
        result.error = fmt::format("{}: \"{}\" is not a server id", path, std::string(trim(line)));
    else
        result.myId = sid;
    return result;
}

std::vector<ConfigIssue> applyMyId(ServerConfig& config, std::optional<Sid> myId)
{
    std::vector<ConfigIssue> errors;
    config.myId = myId;
    const auto fail = [&](int line, std::string key, std::string message) {
        errors.push_back({config.configFile, line, std::move(key), std::move(message)});
    };
    if (!myId) {
        if (config.isDistributed())
            fail(0, "myid",
                 fmt::format("{}/myid is missing (needed in quorum mode)", config.dataDir));
        return errors;
    }
    const auto it = config.servers.find(*myId);
    if (it == config.servers.end()) {
        if (config.isDistributed())
            fail(0, "myid", fmt::format("server {} has no server.{} line", *myId, *myId));
        return errors;
    }
    const QuorumServer& self = it->second;
    if (self.clientAddress) {
        const bool wildcard =
            config.clientPortAddress.empty() || config.clientPortAddress == "0.0.0.0";
        if (config.clientPort != 0 &&
            (config.clientPort != self.clientAddress->port ||
             (!wildcard && config.clientPortAddress != self.clientAddress->host))) {
            fail(self.line, fmt::format("server.{}", *myId),
                 "client address differs from clientPort/clientPortAddress");
        }
        config.clientPort = self.clientAddress->port;
        config.clientPortAddress = self.clientAddress->host;
    }
    if (self.type != config.peerType) {
        config.warnings.push_back(
            {config.configFile, self.line, fmt::format("server.{}", *myId),
             fmt::format("is {} but peerType is {}; using the server line", peerTypeName(self.type),
                         peerTypeName(config.peerType))});
        config.peerType = self.type;
    }
    return errors;
}

namespace {

std::optional<std::string> readWholeFile(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return std::nullopt;
    std::ostringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

} // namespace

ServerConfigResult loadServerConfig(const std::string& path,
                                    std::map<std::string, std::string> systemProperties)
{
    const auto text = readWholeFile(path);
    if (!text) {
        ServerConfigResult result;
        result.config.configFile = path;
        result.errors.push_back({path, 0, "", "cannot be read"});
        return result;
    }
    ServerConfigResult result = parseServerConfig(*text, path, std::move(systemProperties));
    if (!result.ok())
        return result;
    if (!result.config.dynamicConfigFile.empty()) {
        const std::string dynamicPath = result.config.dynamicConfigFile;
        const auto dynamicText = readWholeFile(dynamicPath);
        if (!dynamicText) {
            result.errors.push_back(
                {path, 0, "dynamicConfigFile", fmt::format("\"{}\" cannot be read", dynamicPath)});
            return result;
        }
        auto errors = parseDynamicConfig(*dynamicText, dynamicPath, result.config);
        result.errors.insert(result.errors.end(), errors.begin(), errors.end());
        if (!result.ok())
            return result;
    }
    const MyIdResult myId = readMyId(result.config.dataDir);
    if (myId.error) {
        result.errors.push_back({path, 0, "myid", *myId.error});
        return result;
    }
    auto errors = applyMyId(result.config, myId.myId);
    result.errors.insert(result.errors.end(), errors.begin(), errors.end());
    return result;
}

} // namespace zk
