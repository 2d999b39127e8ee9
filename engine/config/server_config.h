#pragma once
// ServerConfig is what one ZooLab server reads from zoo.cfg, its dataDir/myid and its -D flags:
// the subset of Apache's QuorumPeerConfig that ZooLab acts on, with Apache's defaults and
// checks. Parsing is pure (text in, value out) and never throws; loadServerConfig() and
// readMyId() are the only functions here that touch the file system. Used once at startup by
// the server binary and by the studio; the result is a plain value, safe to copy anywhere.
//
// zoo.cfg is a Java .properties file (see properties.h). Keys and values are trimmed, and the
// last occurrence of a key wins, as in QuorumPeerConfig.parseProperties. Server lines:
//
//   server.<sid> = address { '|' address } [ ';' client ]
//   address      = host ':' quorumPort ':' electionPort [ ':' ( participant | observer ) ]
//   host         = name | ipv4 | '[' ipv6 ']'
//   client       = [ host ':' ] clientPort        host defaults to 0.0.0.0
//   group.<gid>  = sid { ':' sid }                 hierarchical quorums
//   weight.<sid> = integer
//
// More than one address needs multiAddress.enabled=true (or -Dzookeeper.multiAddress.enabled).
// Any key ZooLab does not know becomes the system property "zookeeper.<key>", as Apache does;
// keys outside the documented pass-through set also produce a warning.

#include "core/ids.h"

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace zk {

enum class PeerType
{
    Participant,
    Observer
};

// A problem found in a configuration file. `line` is 1-based, or 0 when the problem is about
// the file as a whole (a missing key). toString() gives `zoo.cfg:7: clientPort: "abc" is not
// a number`, or `zoo.cfg: tickTime: is not set` without a line.
struct ConfigIssue
{
    std::string fileName;
    int line = 0;
    std::string key;
    std::string message;

    std::string toString() const;
};

struct HostPort
{
    std::string host;
    int port = 0;
};

// One host of a server line. IPv6 hosts are stored without brackets.
struct QuorumAddress
{
    std::string host;
    int quorumPort = 0;
    int electionPort = 0;
};

// One server.N line.
struct QuorumServer
{
    Sid sid = 0;
    std::vector<QuorumAddress> addresses; // One, or several with multiAddress.
    PeerType type = PeerType::Participant;
    std::optional<HostPort> clientAddress; // From ";[host:]port"; host "0.0.0.0" if omitted.
    int line = 0;                          // Where it was defined, for later messages.

    // Apache's canonical form, as `config` znode and reconfig print it:
    // "host:2888:3888:participant;0.0.0.0:2181" (IPv6 hosts in brackets).
    std::string toString() const;
};

// The four-letter words Apache knows (FourLetterCommands), sorted.
const std::set<std::string>& knownFourLetterWords();

struct ServerConfig
{
    std::string configFile; // As given to the parser; prefixes every message.

    // Storage and ports. A port of 0 means "not set"; an empty address means the wildcard.
    std::string dataDir;
    std::string dataLogDir; // Defaults to dataDir.
    int clientPort = 0;
    std::string clientPortAddress;
    int secureClientPort = 0;
    std::string secureClientPortAddress;
    int observerMasterPort = 0;
    int clientPortListenBacklog = -1;

    // Timing. initLimit, syncLimit and connectToLearnerMasterLimit count ticks.
    int tickTimeMs = 0; // Required.
    int initLimit = 0;  // Required in quorum mode.
    int syncLimit = 0;  // Required in quorum mode.
    int connectToLearnerMasterLimit = 0;
    int minSessionTimeoutMs = -1; // -1: 2 x tickTime, see effectiveMinSessionTimeoutMs().
    int maxSessionTimeoutMs = -1; // -1: 20 x tickTime.

    // Limits, sessions, election.
    int maxClientCnxns = 60;
    int electionAlg = 3; // Only FastLeaderElection (3) exists.
    PeerType peerType = PeerType::Participant;
    bool standaloneEnabled = true;
    bool reconfigEnabled = false;
    bool localSessionsEnabled = false;
    bool localSessionsUpgradingEnabled = false;
    bool syncEnabled = true;
    bool quorumListenOnAllIPs = false;
    bool multiAddressEnabled = false;
    std::string dynamicConfigFile;

    // autopurge; a snapRetainCount below 3 is raised to 3 with a warning.
    int snapRetainCount = 3;
    int purgeIntervalHours = 0; // 0 disables purging.

    // Quorum membership from server.N, group.N and weight.N.
    std::map<Sid, QuorumServer> servers;
    std::map<std::int64_t, std::vector<Sid>> groups;
    std::map<Sid, std::int64_t> weights;

    // This server's id from dataDir/myid, once applyMyId() ran.
    std::optional<Sid> myId;

    // Java system properties: -D flags, plus "zookeeper.<key>" for every unknown zoo.cfg key.
    std::map<std::string, std::string> systemProperties;
    // Keys Apache knows that ZooLab accepts and ignores (sslQuorum, metricsProvider.*, ...).
    std::map<std::string, std::string> ignoredSettings;
    std::vector<ConfigIssue> warnings;

    int effectiveMinSessionTimeoutMs() const;
    int effectiveMaxSessionTimeoutMs() const;

    int participantCount() const;
    int observerCount() const;
    // Quorum mode, as QuorumPeerConfig.isDistributed: more than one participant, or any
    // participant when standaloneEnabled=false. Otherwise the server runs standalone.
    bool isDistributed() const;
    bool isStandalone() const { return !isDistributed(); }

    // Sets a Java system property, as a -Dname=value flag would.
    void applySystemProperty(std::string name, std::string value);
    std::optional<std::string> systemProperty(std::string_view name) const;

    // Typed views of the system properties ZooLab honours. Bad numbers fall back to the
    // default, as Integer.getInteger does.
    bool readOnlyModeEnabled() const; // readonlymode.enabled, default false
    std::optional<std::string>
    superDigest() const;                     // zookeeper.DigestAuthenticationProvider.superDigest
    bool extendedTypesEnabled() const;       // zookeeper.extendedTypesEnabled, default false
    int juteMaxBuffer() const;               // jute.maxbuffer, default 0xfffff
    std::int64_t snapCount() const;          // zookeeper.snapCount, default 100000
    std::int64_t snapSizeLimitBytes() const; // zookeeper.snapSizeLimitInKb, default 4 GiB
    std::int64_t preAllocSizeBytes() const;  // zookeeper.preAllocSize (KiB), default 64 MiB
    bool forceSync() const;                  // zookeeper.forceSync, false only for "no"
    // zookeeper.snapshot.compression.method: "gz", "snappy" or "" (SnapStream.StreamMode).
    std::string snapshotCompressionMethod() const;

    // zookeeper.4lw.commands.whitelist as FourLetterCommands reads it: comma-separated words,
    // "*" for all known words; "srvr" is always in, "isro" too when read-only mode is on.
    std::set<std::string> fourLetterWordWhitelist() const;
    bool isFourLetterWordEnabled(std::string_view word) const;
};

struct ServerConfigResult
{
    ServerConfig config; // Meaningful only when ok().
    std::vector<ConfigIssue> errors;

    bool ok() const { return errors.empty(); }
    // Every error's toString(), one per line.
    std::string errorText() const;
};

// Parses zoo.cfg text. `fileName` names the file in messages. `systemProperties` are the -D
// flags given before the file is read; zoo.cfg keys override them, as in Apache. Checks that
// need myid (quorum membership, client port from the server line) are left to applyMyId().
ServerConfigResult parseServerConfig(std::string_view text, std::string fileName,
                                     std::map<std::string, std::string> systemProperties = {});

// Reads the server, group and weight lines of a dynamic config file (zoo.cfg.dynamic.N) into
// `config`, replacing any membership it had. Returns the problems found.
std::vector<ConfigIssue> parseDynamicConfig(std::string_view text, const std::string& fileName,
                                            ServerConfig& config);

// Parses one server line value (after "server.<sid>="). Returns the message on failure.
struct QuorumServerParse
{
    std::optional<QuorumServer> server;
    std::string error;
};
QuorumServerParse parseQuorumServer(Sid sid, std::string_view value, bool multiAddressEnabled);

// The content of <dataDir>/myid: nothing when the file does not exist (fine for standalone),
// an error when it exists but does not hold a number.
struct MyIdResult
{
    std::optional<Sid> myId;
    std::optional<std::string> error;
};
MyIdResult readMyId(const std::string& dataDir);

// Completes a parsed config with this server's id, as QuorumPeerConfig.setupMyId,
// setupClientPort, setupPeerType and checkValidity do: in quorum mode myid is required and
// must name a server line; that line's client address becomes clientPort/clientPortAddress;
// its role overrides peerType (with a warning). Returns errors; warnings go to config.
std::vector<ConfigIssue> applyMyId(ServerConfig& config, std::optional<Sid> myId);

// Reads `path`, parses it, reads its dynamicConfigFile if any, then myid, and applies it.
ServerConfigResult loadServerConfig(const std::string& path,
                                    std::map<std::string, std::string> systemProperties = {});

} // namespace zk
