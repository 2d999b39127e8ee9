#pragma once
// Request types (ZooDefs.OpCode), special xids (ClientCnxn) and watch enums (Watcher).

#include <cstdint>

namespace zk {

enum class OpCode : std::int32_t
{
    Notification = 0,
    Create = 1,
    Delete = 2,
    Exists = 3,
    GetData = 4,
    SetData = 5,
    GetAcl = 6,
    SetAcl = 7,
    GetChildren = 8,
    Sync = 9,
    Ping = 11,
    GetChildren2 = 12,
    Check = 13,
    Multi = 14,
    Create2 = 15,
    Reconfig = 16,
    CheckWatches = 17,
    RemoveWatches = 18,
    CreateContainer = 19,
    DeleteContainer = 20,
    CreateTtl = 21,
    MultiRead = 22,
    Auth = 100,
    SetWatches = 101,
    Sasl = 102,
    GetEphemerals = 103,
    GetAllChildrenNumber = 104,
    SetWatches2 = 105,
    AddWatch = 106,
    WhoAmI = 107,
    CreateSession = -10,
    CloseSession = -11,
    Error = -1,
};

namespace xids {
constexpr std::int32_t Notification = -1;
constexpr std::int32_t Ping = -2;
constexpr std::int32_t Auth = -4;
constexpr std::int32_t SetWatches = -8;
} // namespace xids

enum class EventType : std::int32_t
{
    None = -1,
    NodeCreated = 1,
    NodeDeleted = 2,
    NodeDataChanged = 3,
    NodeChildrenChanged = 4,
    DataWatchRemoved = 5,
    ChildWatchRemoved = 6,
    PersistentWatchRemoved = 7,
};

enum class KeeperState : std::int32_t
{
    Disconnected = 0,
    SyncConnected = 3,
    AuthFailed = 4,
    ConnectedReadOnly = 5,
    SaslAuthenticated = 6,
    Expired = -112,
    Closed = 7,
};

// Used by checkWatches and removeWatches.
enum class WatcherType : std::int32_t
{
    Children = 1,
    Data = 2,
    Any = 3,
    Persistent = 4,
    PersistentRecursive = 5,
};

// addWatch modes (ZooDefs.AddWatchModes).
enum class AddWatchMode : std::int32_t
{
    Persistent = 0,
    PersistentRecursive = 1,
};

// CreateMode.fromFlag.
enum class CreateMode : std::int32_t
{
    Persistent = 0,
    Ephemeral = 1,
    PersistentSequential = 2,
    EphemeralSequential = 3,
    Container = 4,
    PersistentWithTtl = 5,
    PersistentSequentialWithTtl = 6,
};

// ZooDefs.Perms.
namespace perms {
constexpr std::int32_t Read = 1;
constexpr std::int32_t Write = 2;
constexpr std::int32_t Create = 4;
constexpr std::int32_t Delete = 8;
constexpr std::int32_t Admin = 16;
constexpr std::int32_t All = 31;
} // namespace perms

} // namespace zk
