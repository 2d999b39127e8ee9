#include "data/watch_manager.h"

#include "core/assert.h"

#include <algorithm>

namespace zk {
namespace {

// The path itself, then each ancestor up to "/" (as PathParentIterator.forAll).
std::vector<std::string_view> pathAndAncestors(std::string_view path, bool withAncestors)
{
    std::vector<std::string_view> out{path};
    if (!withAncestors)
        return out;
    while (path.size() > 1) {
        const std::size_t slash = path.rfind('/');
        if (slash == std::string_view::npos)
            break;
        path = slash == 0 ? path.substr(0, 1) : path.substr(0, slash);
        out.push_back(path);
    }
    return out;
}

} // namespace

bool WatchTable::add(std::string_view path, WatcherId watcher, Mode mode)
{
    auto pathIt = m_byPath.find(path);
    if (pathIt == m_byPath.end())
        pathIt = m_byPath.emplace(std::string(path), PathWatchers{}).first;
    std::uint8_t& modes = pathIt->second[watcher];
    auto& paths = m_byWatcher[watcher];
    if (!paths.contains(path))
        paths.emplace(path);
    if ((modes & mode) != 0)
        return false;
    modes |= mode;
    if (mode == Recursive)
        ++m_recursiveCount;
    return true;
}

std::vector<WatcherId> WatchTable::trigger(std::string_view path)
{
    std::vector<WatcherId> fired;
    const auto levels = pathAndAncestors(path, m_recursiveCount > 0);
    for (std::size_t level = 0; level < levels.size(); ++level) {
        const auto pathIt = m_byPath.find(levels[level]);
        if (pathIt == m_byPath.end())
            continue;
        PathWatchers& watchers = pathIt->second;
        for (auto it = watchers.begin(); it != watchers.end();) {
            const WatcherId watcher = it->first;
            if (level > 0) {
                if ((it->second & Recursive) != 0)
                    fired.push_back(watcher);
                ++it;
                continue;
            }
            fired.push_back(watcher);
            it->second &= static_cast<std::uint8_t>(~Standard);
            if (it->second != 0) {
                ++it;
                continue;
            }
            // Apache keeps the watcher's (possibly now empty) entry in watch2Paths.
            const auto byWatcher = m_byWatcher.find(watcher);
            if (byWatcher != m_byWatcher.end()) {
                const auto entry = byWatcher->second.find(levels[level]);
                if (entry != byWatcher->second.end())
                    byWatcher->second.erase(entry);
            }
            it = watchers.erase(it);
        }
        if (watchers.empty())
            m_byPath.erase(pathIt);
    }
    std::sort(fired.begin(), fired.end());
    fired.erase(std::unique(fired.begin(), fired.end()), fired.end());
    return fired;
}

bool WatchTable::contains(std::string_view path, WatcherId watcher, std::optional<Mode> mode) const
{
    const auto pathIt = m_byPath.find(path);
    if (pathIt == m_byPath.end())
        return false;
    const auto it = pathIt->second.find(watcher);
    if (it == pathIt->second.end())
        return false;
    return !mode || (it->second & *mode) != 0;
}

void WatchTable::unwatch(std::string_view path, WatcherId watcher)
{
    const auto byWatcher = m_byWatcher.find(watcher);
    if (byWatcher != m_byWatcher.end()) {
        const auto pathEntry = byWatcher->second.find(path);
        if (pathEntry != byWatcher->second.end())
            byWatcher->second.erase(pathEntry);
        if (byWatcher->second.empty())
            m_byWatcher.erase(byWatcher);
    }
    const auto pathIt = m_byPath.find(path);
    if (pathIt != m_byPath.end()) {
        pathIt->second.erase(watcher);
        if (pathIt->second.empty())
            m_byPath.erase(pathIt);
    }
}

bool WatchTable::remove(std::string_view path, WatcherId watcher, std::optional<Mode> mode)
{
    const auto pathIt = m_byPath.find(path);
    if (pathIt == m_byPath.end())
        return false;
    const auto it = pathIt->second.find(watcher);
    if (it == pathIt->second.end())
        return false;
    const std::uint8_t oldModes = it->second;
    const std::uint8_t newModes =
        mode ? static_cast<std::uint8_t>(oldModes & ~*mode) : std::uint8_t{0};
    if (newModes == oldModes)
        return false;
    if ((oldModes & Recursive) != 0 && (newModes & Recursive) == 0) {
        ZK_ASSERT(m_recursiveCount > 0);
        --m_recursiveCount;
    }
    if (newModes != 0)
        it->second = newModes;
    else
        unwatch(path, watcher);
    return true;
}

void WatchTable::removeWatcher(WatcherId watcher)
{
    const auto byWatcher = m_byWatcher.find(watcher);
    if (byWatcher == m_byWatcher.end())
        return;
    for (const std::string& path : byWatcher->second) {
        const auto pathIt = m_byPath.find(path);
        if (pathIt == m_byPath.end())
            continue;
        const auto it = pathIt->second.find(watcher);
        if (it != pathIt->second.end()) {
            if ((it->second & Recursive) != 0) {
                ZK_ASSERT(m_recursiveCount > 0);
                --m_recursiveCount;
            }
            pathIt->second.erase(it);
        }
        if (pathIt->second.empty())
            m_byPath.erase(pathIt);
    }
    m_byWatcher.erase(byWatcher);
}

std::size_t WatchTable::size() const
{
    std::size_t total = 0;
    for (const auto& [path, watchers] : m_byPath)
        total += watchers.size();
    return total;
}

WatchesSummary WatchTable::summary() const
{
    WatchesSummary summary{m_byWatcher.size(), m_byPath.size(), 0};
    for (const auto& [watcher, paths] : m_byWatcher)
        summary.watches += paths.size();
    return summary;
}

std::map<WatcherId, std::vector<std::string>> WatchTable::byWatcher() const
{
    std::map<WatcherId, std::vector<std::string>> out;
    for (const auto& [watcher, paths] : m_byWatcher)
        out.emplace(watcher, std::vector<std::string>(paths.begin(), paths.end()));
    return out;
}

std::map<std::string, std::vector<WatcherId>> WatchTable::byPath() const
{
    std::map<std::string, std::vector<WatcherId>> out;
    for (const auto& [path, watchers] : m_byPath) {
        auto& ids = out[path];
        for (const auto& [watcher, modes] : watchers)
            ids.push_back(watcher);
    }
    return out;
}

bool WatchManager::addWatch(std::string_view path, WatcherId watcher, WatchKind kind)
{
    switch (kind) {
    case WatchKind::Data:
        return m_data.add(path, watcher, WatchTable::Standard);
    case WatchKind::Child:
        return m_child.add(path, watcher, WatchTable::Standard);
    case WatchKind::Persistent: {
        const bool addedData = m_data.add(path, watcher, WatchTable::Persistent);
        const bool addedChild = m_child.add(path, watcher, WatchTable::Persistent);
        return addedData || addedChild;
    }
    case WatchKind::PersistentRecursive:
        return m_data.add(path, watcher, WatchTable::Recursive);
    }
    return false;
}

std::vector<FiredWatch> WatchManager::triggerWatch(std::string_view path, EventType type, Zxid zxid,
                                                   AclPtr acl)
{
    std::vector<WatcherId> fromData;
    std::vector<WatcherId> fromChild;
    switch (type) {
    case EventType::NodeCreated:
    case EventType::NodeDataChanged:
        fromData = m_data.trigger(path);
        break;
    case EventType::NodeChildrenChanged:
        fromChild = m_child.trigger(path);
        break;
    case EventType::NodeDeleted: {
        // As DataTree.deleteNode: the child table is triggered with the data table's
        // watchers suppressed, so each connection hears NodeDeleted once.
        fromData = m_data.trigger(path);
        for (const WatcherId watcher : m_child.trigger(path)) {
            if (!std::binary_search(fromData.begin(), fromData.end(), watcher))
                fromChild.push_back(watcher);
        }
        break;
    }
    default:
        break;
    }
    std::vector<FiredWatch> fired;
    fired.reserve(fromData.size() + fromChild.size());
    for (const auto* list : {&fromData, &fromChild}) {
        for (const WatcherId watcher : *list) {
            fired.push_back(FiredWatch{
                watcher, WatchedEvent{type, KeeperState::SyncConnected, std::string(path), zxid},
                acl});
        }
    }
    return fired;
}

bool WatchManager::containsWatcher(std::string_view path, WatcherType type, WatcherId watcher) const
{
    switch (type) {
    case WatcherType::Children:
        return m_child.contains(path, watcher, WatchTable::Standard);
    case WatcherType::Data:
        return m_data.contains(path, watcher, WatchTable::Standard);
    case WatcherType::Persistent:
        return m_data.contains(path, watcher, WatchTable::Persistent);
    case WatcherType::PersistentRecursive:
        return m_data.contains(path, watcher, WatchTable::Recursive);
    case WatcherType::Any:
        return m_child.contains(path, watcher, std::nullopt) ||
               m_data.contains(path, watcher, std::nullopt);
    }
    return false;
}

bool WatchManager::removeWatcher(std::string_view path, WatcherType type, WatcherId watcher)
{
    switch (type) {
    case WatcherType::Children:
        return m_child.remove(path, watcher, WatchTable::Standard);
    case WatcherType::Data:
        return m_data.remove(path, watcher, WatchTable::Standard);
    case WatcherType::Persistent: {
        const bool fromChild = m_child.remove(path, watcher, WatchTable::Persistent);
        const bool fromData = m_data.remove(path, watcher, WatchTable::Persistent);
        return fromChild || fromData;
    }
    case WatcherType::PersistentRecursive:
        return m_data.remove(path, watcher, WatchTable::Recursive);
    case WatcherType::Any: {
        const bool fromChild = m_child.remove(path, watcher, std::nullopt);
        const bool fromData = m_data.remove(path, watcher, std::nullopt);
        return fromChild || fromData;
    }
    }
    return false;
}

void WatchManager::removeWatcher(WatcherId watcher)
{
    m_data.removeWatcher(watcher);
    m_child.removeWatcher(watcher);
}

std::size_t WatchManager::size() const
{
    return m_data.size() + m_child.size();
}

} // namespace zk
