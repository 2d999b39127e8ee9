#include "controllers/subtree_walk.h"

#include "controllers/zk_session.h"

namespace zoolab {

std::string childPath(const std::string& parent, const std::string& name)
{
    return parent == "/" ? "/" + name : parent + "/" + name;
}

std::string parentPath(const std::string& path)
{
    const std::size_t slash = path.rfind('/');
    if (slash == std::string::npos || slash == 0)
        return "/";
    return path.substr(0, slash);
}

QString failure(const char* what, const std::string& path, zk::ZError error)
{
    return QStringLiteral("Could not %1 %2: %3.")
        .arg(QString::fromLatin1(what), QString::fromStdString(path), ZkSession::describe(error));
}

SubtreeListing listSubtree(zk::client::SyncClient& sync, const std::string& path,
                           const Progress& progress, bool skipZookeeper)
{
    SubtreeListing listing;
    listing.paths.push_back(path);
    for (std::size_t i = 0; i < listing.paths.size(); ++i) {
        const std::string current = listing.paths[i];
        auto children = sync.getChildren(current);
        if (children.error == zk::ZError::NoNode && i > 0)
            continue; // deleted by someone else while we walked
        if (!children.ok()) {
            listing.error = failure("list", current, children.error);
            return listing;
        }
        for (const auto& name : children.value.children) {
            if (skipZookeeper && current == "/" && name == "zookeeper")
                continue;
            listing.paths.push_back(childPath(current, name));
        }
        if (listing.paths.size() > std::size_t(maxTreeNodes)) {
            listing.error = QStringLiteral("The subtree has more than %1 nodes.").arg(maxTreeNodes);
            return listing;
        }
        if (progress && !progress(0, 0)) {
            listing.cancelled = true;
            return listing;
        }
    }
    return listing;
}

} // namespace zoolab
