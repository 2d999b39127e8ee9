#pragma once
// Setting one ACL on a whole subtree (zkCli's setAcl -R), off the GUI thread.
//
// Thread: a worker thread, like tree_operations.h. `progress` is called after each node
// (done, total) once the subtree is listed, and may return false to cancel; nodes already
// changed keep the new ACL. Bounded by maxTreeNodes.

#include "controllers/tree_operations.h"

namespace zoolab {

// Sets `acl` on path (with rootVersion as the expected aversion; -1 for any) and then on
// every node below it (any aversion, as zkCli does). A node that vanishes meanwhile is
// skipped; any other failure stops the walk with a sentence naming the node.
TreeResult setAclRecursive(zk::client::SyncClient& sync, const std::string& path,
                           const zk::AclList& acl, std::int32_t rootVersion,
                           const Progress& progress);

} // namespace zoolab
