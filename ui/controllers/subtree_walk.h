#pragma once
// The breadth-first listing every subtree operation starts with (recursive delete, recursive
// setACL, copy, move). Blocking, over a SyncClient.
//
// Thread: a worker thread (never the client's own thread, never the GUI thread). `progress`
// is the operations' Progress (tree_operations.h): it is called after each listed node with
// (0, 0) and may return false to cancel. Bounded: at most maxTreeNodes paths.

#include "client/sync_client.h"

#include <QString>

#include <functional>
#include <string>
#include <vector>

namespace zoolab {

using Progress = std::function<bool(int done, int total)>;

constexpr int maxTreeNodes = 1000000;

// "/a" + "b" = "/a/b"; "/" + "b" = "/b".
std::string childPath(const std::string& parent, const std::string& name);
// The parent of "/a/b" is "/a"; of "/a" it is "/".
std::string parentPath(const std::string& path);
// "Could not <what> <path>: <plain words> (<CODE>)."
QString failure(const char* what, const std::string& path, zk::ZError error);

struct SubtreeListing
{
    std::vector<std::string> paths; // breadth-first: parents before their children
    bool cancelled = false;
    QString error; // plain words; empty on success
};

// Lists `path` and everything below it. Nodes that vanish while listing are left out; the
// root's absence is an error. skipZookeeper leaves out /zookeeper under "/".
SubtreeListing listSubtree(zk::client::SyncClient& sync, const std::string& path,
                           const Progress& progress, bool skipZookeeper = true);

} // namespace zoolab
