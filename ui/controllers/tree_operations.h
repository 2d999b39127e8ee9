#pragma once
// Subtree operations the studio runs off the GUI thread: recursive delete, and export/import
// of a subtree as JSON. Blocking functions over a SyncClient.
//
// Thread: a worker thread (never the client's own thread, never the GUI thread). `progress`
// is called on that thread after each node (done, total; total is 0 while unknown) and may
// return false to cancel. Bounded: at most maxNodes nodes per operation.
//
// Export format (one object per znode, children nested):
//   {"path": "/a", "data": "...", "encoding": "utf8" | "base64" | "null",
//    "children": [ ... ]}
// Import recreates the tree under a new parent as persistent nodes; existing nodes get the
// imported data.

#include "client/sync_client.h"
#include "controllers/subtree_walk.h"

#include <QJsonObject>
#include <QString>

namespace zoolab {

struct TreeResult
{
    int nodes = 0;       // nodes deleted, exported, imported, changed or copied
    int skipped = 0;     // copy: ephemeral nodes left out
    bool atomic = false; // copy and move: done in one multi transaction
    bool cancelled = false;
    QString error;                         // plain words; empty on success
    zk::ZError errorCode = zk::ZError::Ok; // the server's code behind `error`, when there is one
    QJsonObject tree;                      // export only
};

// Deletes path and everything below it, deepest nodes first.
TreeResult deleteRecursive(zk::client::SyncClient& sync, const std::string& path,
                           const Progress& progress);
TreeResult exportSubtree(zk::client::SyncClient& sync, const std::string& path,
                         const Progress& progress);
// Recreates `tree` (as exported) with its root at targetPath.
TreeResult importSubtree(zk::client::SyncClient& sync, const QJsonObject& tree,
                         const std::string& targetPath, const Progress& progress);

} // namespace zoolab
