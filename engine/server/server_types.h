#pragma once
// Values that cross between the server core and its driver (net/ or sim/).

#include "core/ids.h"
#include "data/acl.h"
#include "data/txn.h"

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace zk {

// One accepted client connection; chosen by the driver, never reused while open.
using ConnectionId = std::uint64_t;

// A learner's connection at the leader (LearnerHandler); chosen by the driver.
using LearnerLinkId = std::uint64_t;

// What the request pipeline does with writes (ZooKeeperServer and its quorum subclasses):
// Standalone and Leader prepare txns themselves (the leader's "persisted" is its commit
// point); Follower and Observer forward writes to the leader and apply what it commits;
// ReadOnly serves reads to clients that allow it and answers writes with NOTREADONLY.
enum class ServerRole
{
    Standalone,
    Leader,
    Follower,
    Observer,
    ReadOnly // a quorum member cut off from its quorum (ReadOnlyZooKeeperServer)
};

inline bool isLearnerRole(ServerRole role)
{
    return role == ServerRole::Follower || role == ServerRole::Observer;
}

// A client request a learner hands to its leader (Learner.request: the REQUEST packet).
struct ForwardedRequest
{
    SessionId session = 0;
    Xid xid = 0;
    OpCode type = OpCode::Error;
    std::vector<std::uint8_t> body;
    std::vector<Id> authIds;
};

// Limits and switches of one server, taken from zoo.cfg and system properties.
struct ServerCoreConfig
{
    Sid sid = 0;
    std::int32_t tickTimeMs = 2000;
    std::int32_t minSessionTimeoutMs = 4000;
    std::int32_t maxSessionTimeoutMs = 40000;
    std::int32_t maxBufferBytes = 0xfffff;
    // "super:<base64 sha1>" from zookeeper.DigestAuthenticationProvider.superDigest, or empty.
    std::string superDigest;
    bool extendedTypesEnabled = false;
    bool closeSessionTxnEnabled = true;
    // zookeeper.digest.enabled: every txn carries the tree digest it leads to (TxnDigest),
    // which whoever applies it compares.
    bool digestEnabled = true;
    bool reconfigEnabled = false;
    std::int64_t containerCheckIntervalMs = 60000;
    std::int32_t maxClientConnectionsPerHost = 60;
    // SASL DIGEST-MD5 users (JAAS Server section) and whether the "sasl" ACL scheme is
    // known (SASLAuthenticationProvider registered or JAAS configured).
    std::map<std::string, std::string> saslUsers;
    bool saslEnabled = false;
    // Seeds SASL nonces; the driver passes an unpredictable value.
    std::uint64_t nonceSeed = 0;
};

// A frame for one connection (the 4-byte length prefix included). closeAfter closes the
// connection once this frame is written.
struct OutboundFrame
{
    ConnectionId connection = 0;
    std::vector<std::uint8_t> bytes;
    bool closeAfter = false;
};

// Everything the driver must do, in order (see ServerCore for the contract).
struct ServerOutput
{
    std::vector<LoggedTxn> persist;
    std::vector<OutboundFrame> frames;
    std::vector<ConnectionId> closeConnections;
    // Learner roles: requests for the leader, and sessions to revalidate ({id, timeout}).
    std::vector<ForwardedRequest> forward;
    std::vector<std::pair<SessionId, std::int32_t>> revalidate;
    // Leader: learners whose sync request is due (everything before it is committed).
    std::vector<LearnerLinkId> syncs;

    bool empty() const
    {
        return persist.empty() && frames.empty() && closeConnections.empty() && forward.empty() &&
               revalidate.empty() && syncs.empty();
    }
};

} // namespace zk
