#pragma once
// Value types of the ZooKeeper client API (zk_client.h): results, watch events, session
// states and multi operations. Plain data, no threads.

#include "core/error.h"
#include "core/ids.h"
#include "data/acl.h"
#include "data/stat.h"
#include "proto/client_records.h"
#include "proto/opcodes.h"
#include "proto/record_names.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace zk::client {

using Bytes = zk::Bytes;
// Jute buffers may be null (length -1); zkCli prints a null buffer as "null", so the
// client keeps the difference between "no data" and "empty data".
using OptionalBytes = std::optional<Bytes>;

// An empty result value for operations that return only a code.
struct Unit
{
    bool operator==(const Unit&) const = default;
};

// The outcome of one request: error is Ok when value is meaningful. For failures the value
// is default-constructed, except where a method documents otherwise.
template <typename T>
struct Result
{
    ZError error = ZError::Ok;
    T value{};

    bool ok() const { return error == ZError::Ok; }
};

struct CreateResult
{
    std::string path; // The created path with the chroot removed (sequential suffix included).
    Stat stat;        // Filled by create2/container/TTL creates (the client always uses them).
};

struct DataResult
{
    OptionalBytes data;
    Stat stat;
};

struct ChildrenResult
{
    std::vector<std::string> children; // In server order (unspecified); callers sort.
    Stat stat;                         // Only meaningful for getChildren2.
};

struct AclResult
{
    AclList acl;
    Stat stat;
};

// whoAmI's reply items (authScheme, user), from the protocol records.
using ClientInfo = zk::ClientInfo;

// The client's session state as the state listener sees it (Watcher.Event.KeeperState plus
// the Java client's connecting/suspended distinction).
enum class SessionState
{
    Connecting,        // Before the first handshake, or between hosts after a drop.
    Connected,         // Handshake done, read-write server.
    ConnectedReadOnly, // Handshake done with a read-only server (canBeReadOnly was set).
    Suspended,         // The connection dropped; the session may still be alive.
    Expired,           // The server said the session is gone. Terminal.
    Closed,            // close() finished. Terminal.
    AuthFailed,        // An auth packet was rejected; the server closed us. Terminal.
};

std::string_view sessionStateName(SessionState state);
// The KeeperState a Java watcher would see for this state (Suspended maps to Disconnected,
// Connecting has no KeeperState and maps to Disconnected too).
KeeperState keeperStateOf(SessionState state);

// A watch notification with the chroot already removed from path. State-only events
// (type None) have an empty path.
struct WatchedEvent
{
    EventType type = EventType::None;
    KeeperState state = KeeperState::SyncConnected;
    std::string path;
};

// "WatchedEvent state:SyncConnected type:NodeDataChanged path:/a" as Java's
// WatchedEvent.toString() (an empty path prints as null).
std::string toString(const WatchedEvent& event);
using zk::eventTypeName;
using zk::keeperStateName;

// Called on the client thread for each event a watch receives.
using Watcher = std::function<void(const WatchedEvent&)>;

// Operations inside multi(); check is only meaningful here.
namespace op {
struct Create
{
    std::string path;
    OptionalBytes data;
    AclList acl;
    CreateMode mode = CreateMode::Persistent;
    std::int64_t ttlMs = -1; // Only for the *_WITH_TTL modes.
};
struct Delete
{
    std::string path;
    std::int32_t version = -1;
};
struct SetData
{
    std::string path;
    OptionalBytes data;
    std::int32_t version = -1;
};
struct Check
{
    std::string path;
    std::int32_t version = -1;
};
// multiRead only.
struct GetChildren
{
    std::string path;
};
struct GetData
{
    std::string path;
};
} // namespace op

using Op =
    std::variant<op::Create, op::Delete, op::SetData, op::Check, op::GetChildren, op::GetData>;

// One sub-result of multi/multiRead. error is the sub-op's code (for a failed multi, ops
// before the failing one carry Ok and later ones RuntimeInconsistency, as the server sends).
struct OpResult
{
    OpCode type = OpCode::Error;
    ZError error = ZError::Ok;
    std::string path;                  // create
    Stat stat;                         // create2, setData, getData
    OptionalBytes data;                // getData
    std::vector<std::string> children; // getChildren
};

} // namespace zk::client
