#include "controllers/acl_operations.h"

namespace zoolab {

TreeResult setAclRecursive(zk::client::SyncClient& sync, const std::string& path,
                           const zk::AclList& acl, std::int32_t rootVersion,
                           const Progress& progress)
{
    TreeResult result;
    // List under the old ACLs: the new one may take READ (needed to list) away from us.
    SubtreeListing listing = listSubtree(sync, path, progress);
    if (!listing.error.isEmpty() || listing.cancelled) {
        result.error = listing.error;
        result.cancelled = listing.cancelled;
        return result;
    }
    const int total = int(listing.paths.size());
    for (std::size_t i = 0; i < listing.paths.size(); ++i) {
        const std::string& node = listing.paths[i];
        // The root goes first and is the only node checked against a version, so a conflict
        // stops the walk before anything changed.
        auto set = sync.setAcl(node, acl, i == 0 ? rootVersion : -1);
        if (!set.ok() && (i == 0 || set.error != zk::ZError::NoNode)) {
            result.error = failure("set the ACL of", node, set.error);
            result.errorCode = set.error;
            return result;
        }
        ++result.nodes;
        if (progress && !progress(result.nodes, total)) {
            result.cancelled = true;
            return result;
        }
    }
    return result;
}

} // namespace zoolab
