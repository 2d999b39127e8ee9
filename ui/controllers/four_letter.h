#pragma once
// ZooKeeper's four-letter words as the studio uses them on remote servers: ask one word over
// a short TCP connection (the server answers and closes), and read srvr, mntr and conf
// answers. zoolab-server and Apache ZooKeeper answer alike; a word left out of
// 4lw.commands.whitelist is answered "<word> is not executed because it is not in the
// whitelist.", which notWhitelisted() recognizes.
//
// Thread: askFourLetter() blocks (at most about 2 x timeoutMs); call it off the GUI thread.
// The parsers are pure.

#include <QString>

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace zoolab {

struct FourLetterReply
{
    bool reached = false; // connected, sent and read until the server closed
    std::string text;     // the answer (empty when not reached)
    std::string error;    // why not reached ("connection refused", "timed out", ...)
};

FourLetterReply askFourLetter(const std::string& host, std::uint16_t port, const std::string& word,
                              std::chrono::milliseconds timeout = std::chrono::milliseconds(800));

// True when the server refused `text`'s word because of 4lw.commands.whitelist.
bool notWhitelisted(const std::string& text);

// What srvr says (ZooKeeper's Zookeeper version/Latency/Connections/Zxid/Mode/Node count).
struct SrvrInfo
{
    std::string version;
    std::string mode; // "leader", "follower", "observer", "standalone", "read-only"
    std::int64_t zxid = -1;
    std::int64_t connections = -1;
    std::int64_t outstanding = -1;
    std::int64_t nodeCount = -1;
    std::string latency; // "min/avg/max"
};
std::optional<SrvrInfo> parseSrvr(const std::string& text);

// mntr's "key<TAB>value" lines (zk_server_state, zk_znode_count, zk_avg_latency, ...).
std::map<std::string, std::string> parseMntr(const std::string& text);

// conf's serverId, when the answer has one (quorum members).
std::optional<std::int64_t> serverIdFromConf(const std::string& text);

} // namespace zoolab
