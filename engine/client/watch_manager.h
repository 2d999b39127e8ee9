#pragma once
// The client's table of registered watches (ZKWatchManager.java). Pure bookkeeping: it
// decides which watchers an event reaches and what removeWatches takes away; the client
// delivers the calls. Not thread-safe: only the client thread uses it.
//
// Watchers are compared by identity (the shared_ptr), so one watcher registered twice on a
// path, or as both data and child watcher, gets one call per event, as with Java's HashSet.

#include "client/client_types.h"

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace zk::client {

using WatcherPtr = std::shared_ptr<const Watcher>;

inline WatcherPtr makeWatcher(Watcher watcher)
{
    return std::make_shared<const Watcher>(std::move(watcher));
}

enum class WatchKind
{
    Data,
    Exist,
    Child,
    Persistent,
    PersistentRecursive
};

class WatchManager
{
public:
    void add(WatchKind kind, const std::string& path, WatcherPtr watcher);

    // Removes one-shot watchers the event fires and returns every watcher to call.
    std::vector<WatcherPtr> materialize(const WatchedEvent& event);

    // Whether any watcher of `type` is registered on path (removeWatches' local check).
    bool contains(const std::string& path, WatcherType type) const;

    struct Removed
    {
        EventType eventType; // DataWatchRemoved, ChildWatchRemoved or PersistentWatchRemoved.
        std::vector<WatcherPtr> watchers;
    };
    // Removes all watchers of `type` on path; empty when there were none.
    std::vector<Removed> remove(const std::string& path, WatcherType type);

    // Paths to replay in SetWatches/SetWatches2 after a reconnect.
    std::vector<std::string> paths(WatchKind kind) const;
    bool empty() const;
    // Every registered watcher once, in a stable order (for state events).
    std::vector<WatcherPtr> all() const;
    // Removes everything and returns each watcher once (for Closed/Expired delivery).
    std::vector<WatcherPtr> clear();

private:
    using Table = std::map<std::string, std::vector<WatcherPtr>>;
    Table& table(WatchKind kind);
    const Table& table(WatchKind kind) const;
    static void take(Table& from, const std::string& path, std::vector<WatcherPtr>& into);

    Table m_data;
    Table m_exist;
    Table m_child;
    Table m_persistent;
    Table m_recursive;
};

} // namespace zk::client
