#pragma once
// Server-side watches, as Apache's DataTree keeps them in two server/watch/WatchManager
// tables: the data table (exists, getData, persistent, persistent-recursive) and the child
// table (getChildren, persistent). Rules (PROTOCOL.md 1.6):
//
//   - Standard watches are one-shot: firing removes them; persistent ones stay.
//   - A persistent-recursive watch on P also fires for every path below P; it lives in the
//     data table only, so it never sees NodeChildrenChanged.
//   - NodeCreated and NodeDataChanged fire the data table, NodeChildrenChanged the child
//     table, NodeDeleted both, each watcher at most once.
//
// A watcher is one client connection. Firing returns the events; the caller delivers
// them (after checking READ on `acl` when it is set). Output is deterministic: watchers
// fire in id order and the reports are sorted. Not thread-safe; owned by the DataTree.

#include "core/ids.h"
#include "data/acl_cache.h"
#include "proto/opcodes.h"

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace zk {

using WatcherId = std::uint64_t;

struct WatchedEvent
{
    EventType type = EventType::None;
    KeeperState state = KeeperState::SyncConnected;
    std::string path;
    // The txn that fired it (3.9 sends it in the notification); -1 when none.
    Zxid zxid = -1;
    bool operator==(const WatchedEvent&) const = default;
};

struct FiredWatch
{
    WatcherId watcher = 0;
    WatchedEvent event;
    // The znode's ACL for the delivery-time READ check; null means deliver unchecked
    // (as Apache passes null for a node that is gone in setWatches).
    AclPtr acl;
};

// What a request registers: getData/exists -> Data, getChildren -> Child, addWatch mode 0
// -> Persistent (both tables), addWatch mode 1 -> PersistentRecursive (data table).
enum class WatchKind
{
    Data,
    Child,
    Persistent,
    PersistentRecursive
};

// wchs: "<connections> connections watching <paths> paths\nTotal watches:<watches>".
struct WatchesSummary
{
    std::size_t connections = 0;
    std::size_t paths = 0;
    std::size_t watches = 0;
    bool operator==(const WatchesSummary&) const = default;
};

// One Apache WatchManager: path -> watcher -> modes, plus the reverse index.
class WatchTable
{
public:
    enum Mode : std::uint8_t
    {
        Standard = 1,
        Persistent = 2,
        Recursive = 4
    };

    // True when the mode was not set yet for (path, watcher).
    bool add(std::string_view path, WatcherId watcher, Mode mode);
    // Watchers that match `path` (exact path: every mode; ancestors: Recursive only),
    // sorted; Standard modes at the exact path are consumed (as triggerWatch).
    std::vector<WatcherId> trigger(std::string_view path);
    // `mode` nullopt means any mode.
    bool contains(std::string_view path, WatcherId watcher, std::optional<Mode> mode) const;
    bool remove(std::string_view path, WatcherId watcher, std::optional<Mode> mode);
    void removeWatcher(WatcherId watcher);

    // Number of (path, watcher) pairs (as size()).
    std::size_t size() const;
    WatchesSummary summary() const;
    std::map<WatcherId, std::vector<std::string>> byWatcher() const;
    std::map<std::string, std::vector<WatcherId>> byPath() const;

private:
    using PathWatchers = std::map<WatcherId, std::uint8_t>;

    void unwatch(std::string_view path, WatcherId watcher);

    std::map<std::string, PathWatchers, std::less<>> m_byPath;
    // A watcher whose one-shot watches all fired stays here with no paths until it is
    // removed, as in Apache (it still counts as a connection in wchs).
    std::map<WatcherId, std::set<std::string, std::less<>>> m_byWatcher;
    std::size_t m_recursiveCount = 0;
};

class WatchManager
{
public:
    bool addWatch(std::string_view path, WatcherId watcher, WatchKind kind);

    // Fires `type` at `path` (see the rules above) and returns the events, watchers in id
    // order (for NodeDeleted: data-table watchers first, then the remaining child-table
    // ones).
    std::vector<FiredWatch> triggerWatch(std::string_view path, EventType type, Zxid zxid = -1,
                                         AclPtr acl = nullptr);

    // checkWatches/removeWatches (as DataTree.containsWatcher/removeWatch): Children and
    // Data mean the one-shot kinds, Persistent and PersistentRecursive those modes, Any
    // every watch in both tables.
    bool containsWatcher(std::string_view path, WatcherType type, WatcherId watcher) const;
    bool removeWatcher(std::string_view path, WatcherType type, WatcherId watcher);
    // A closed connection (as DataTree.removeCnxn).
    void removeWatcher(WatcherId watcher);

    // Total watches in both tables (as DataTree.getWatchCount, mntr zk_watch_count).
    std::size_t size() const;
    // wchs, wchc and wchp cover the data table only, as Apache's DataTree reports them.
    WatchesSummary summary() const { return m_data.summary(); }
    std::map<WatcherId, std::vector<std::string>> watchesByWatcher() const
    {
        return m_data.byWatcher();
    }
    std::map<std::string, std::vector<WatcherId>> watchesByPath() const { return m_data.byPath(); }

    const WatchTable& dataTable() const { return m_data; }
    const WatchTable& childTable() const { return m_child; }

private:
    WatchTable m_data;
    WatchTable m_child;
};

} // namespace zk
