#include "client/watch_manager.h"

#include <algorithm>

namespace zk::client {

namespace {

void appendUnique(std::vector<WatcherPtr>& into, const WatcherPtr& watcher)
{
    if (std::find(into.begin(), into.end(), watcher) == into.end())
        into.push_back(watcher);
}

} // namespace

WatchManager::Table& WatchManager::table(WatchKind kind)
{
    return const_cast<Table&>(std::as_const(*this).table(kind));
}

const WatchManager::Table& WatchManager::table(WatchKind kind) const
{
    switch (kind) {
    case WatchKind::Data:
        return m_data;
    case WatchKind::Exist:
        return m_exist;
    case WatchKind::Child:
        return m_child;
    case WatchKind::Persistent:
        return m_persistent;
    case WatchKind::PersistentRecursive:
        return m_recursive;
    }
    return m_data;
}

void WatchManager::add(WatchKind kind, const std::string& path, WatcherPtr watcher)
{
    if (!watcher)
        return;
    appendUnique(table(kind)[path], watcher);
}

void WatchManager::take(Table& from, const std::string& path, std::vector<WatcherPtr>& into)
{
    const auto it = from.find(path);
    if (it == from.end())
        return;
    for (const WatcherPtr& watcher : it->second)
        appendUnique(into, watcher);
    from.erase(it);
}

std::vector<WatcherPtr> WatchManager::materialize(const WatchedEvent& event)
{
    std::vector<WatcherPtr> result;
    const std::string& path = event.path;
    switch (event.type) {
    case EventType::NodeCreated:
    case EventType::NodeDataChanged:
        take(m_data, path, result);
        take(m_exist, path, result);
        break;
    case EventType::NodeDeleted:
        take(m_data, path, result);
        take(m_exist, path, result);
        take(m_child, path, result);
        break;
    case EventType::NodeChildrenChanged:
        take(m_child, path, result);
        break;
    default:
        return result;
    }
    if (const auto it = m_persistent.find(path); it != m_persistent.end()) {
        for (const WatcherPtr& watcher : it->second)
            appendUnique(result, watcher);
    }
    // Persistent-recursive watches see their whole subtree, but never child-list events.
    if (event.type != EventType::NodeChildrenChanged && !m_recursive.empty()) {
        std::string prefix = path;
        while (true) {
            if (const auto it = m_recursive.find(prefix); it != m_recursive.end()) {
                for (const WatcherPtr& watcher : it->second)
                    appendUnique(result, watcher);
            }
            if (prefix == "/" || prefix.empty())
                break;
            const auto slash = prefix.rfind('/');
            prefix = slash == 0 ? std::string("/") : prefix.substr(0, slash);
        }
    }
    return result;
}

bool WatchManager::contains(const std::string& path, WatcherType type) const
{
    const auto has = [&](const Table& t) { return t.count(path) != 0; };
    switch (type) {
    case WatcherType::Children:
        return has(m_child);
    case WatcherType::Data:
        return has(m_data) || has(m_exist);
    case WatcherType::Persistent:
        return has(m_persistent);
    case WatcherType::PersistentRecursive:
        return has(m_recursive);
    case WatcherType::Any:
        return has(m_child) || has(m_data) || has(m_exist) || has(m_persistent) || has(m_recursive);
    }
    return false;
}

std::vector<WatchManager::Removed> WatchManager::remove(const std::string& path, WatcherType type)
{
    std::vector<Removed> removed;
    const auto removeFrom = [&](std::initializer_list<Table*> tables, EventType eventType) {
        Removed entry{eventType, {}};
        for (Table* t : tables)
            take(*t, path, entry.watchers);
        if (!entry.watchers.empty())
            removed.push_back(std::move(entry));
    };
    const bool any = type == WatcherType::Any;
    if (any || type == WatcherType::Children)
        removeFrom({&m_child}, EventType::ChildWatchRemoved);
    if (any || type == WatcherType::Data)
        removeFrom({&m_data, &m_exist}, EventType::DataWatchRemoved);
    if (any || type == WatcherType::Persistent)
        removeFrom({&m_persistent}, EventType::PersistentWatchRemoved);
    if (any || type == WatcherType::PersistentRecursive)
        removeFrom({&m_recursive}, EventType::PersistentWatchRemoved);
    return removed;
}

std::vector<std::string> WatchManager::paths(WatchKind kind) const
{
    std::vector<std::string> result;
    for (const auto& [path, watchers] : table(kind))
        result.push_back(path);
    return result;
}

bool WatchManager::empty() const
{
    return m_data.empty() && m_exist.empty() && m_child.empty() && m_persistent.empty() &&
           m_recursive.empty();
}

std::vector<WatcherPtr> WatchManager::all() const
{
    std::vector<WatcherPtr> result;
    for (const Table* t : {&m_data, &m_exist, &m_child, &m_persistent, &m_recursive}) {
        for (const auto& [path, watchers] : *t) {
            for (const WatcherPtr& watcher : watchers)
                appendUnique(result, watcher);
        }
    }
    return result;
}

std::vector<WatcherPtr> WatchManager::clear()
{
    std::vector<WatcherPtr> result;
    for (Table* t : {&m_data, &m_exist, &m_child, &m_persistent, &m_recursive}) {
        for (const auto& [path, watchers] : *t) {
            for (const WatcherPtr& watcher : watchers)
                appendUnique(result, watcher);
        }
        t->clear();
    }
    return result;
}

} // namespace zk::client
