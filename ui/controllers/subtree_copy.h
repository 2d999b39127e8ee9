#pragma once
// Copying, moving and renaming a subtree. ZooKeeper has no rename: a move creates a copy
// (data, ACL, kind) and deletes the original. Blocking, over a SyncClient.
//
// Small subtrees (at most multiMaxNodes nodes and multiMaxBytes of requests, and no container
// or TTL node, see copySubtree) go in one multi transaction: for a move, the creates and the
// deletes (each checked against the version that was read) commit together or not at all.
// Larger ones are written node by node with progress and may be cancelled; the result then
// says exactly what exists where.
//
// Kinds: the copy of a persistent node is persistent (a sequential node keeps its name);
// containers and TTL nodes look persistent to clients, so they are recreated as such only
// when `known` says so (what the studio noted when it created them). Ephemeral nodes belong to
// another session: a move refuses to start when the subtree holds any, a copy leaves them out
// and counts them in TreeResult::skipped.
//
// Thread: a worker thread, like tree_operations.h. Bounded by maxTreeNodes.

#include "controllers/tree_operations.h"
#include "models/znode_kind.h"

#include <map>

namespace zoolab {

struct CopyOptions
{
    bool move = false;
    std::map<std::string, CreatedKind> known; // full source paths
    int multiMaxNodes = 1000;
    std::size_t multiMaxBytes = 512 * 1024; // well under the server's 1 MB jute.maxbuffer
};

// Empty when `to` is a valid destination path for copying or moving `from` (syntax, not the
// server's state), otherwise a sentence.
QString copyTargetProblem(const std::string& from, const std::string& to, bool move);

TreeResult copySubtree(zk::client::SyncClient& sync, const std::string& from, const std::string& to,
                       const CopyOptions& options, const Progress& progress);

} // namespace zoolab
