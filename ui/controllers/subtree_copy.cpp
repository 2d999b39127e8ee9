#include "controllers/subtree_copy.h"

#include "controllers/zk_session.h"
#include "data/path_utils.h"

namespace zoolab {

namespace {

// One node as read from the source.
struct NodeImage
{
    std::string path;
    zk::client::OptionalBytes data;
    zk::AclList acl;
    zk::Stat stat;
};

QString quoted(const std::string& path)
{
    return QString::fromStdString(path);
}

std::string targetOf(const std::string& node, const std::string& from, const std::string& to)
{
    return to + node.substr(from.size());
}

zk::client::op::Create createOp(const NodeImage& node, const std::string& target,
                                const CopyOptions& options)
{
    zk::client::op::Create create{target, node.data, node.acl, zk::CreateMode::Persistent, -1};
    if (auto it = options.known.find(node.path); it != options.known.end()) {
        // A sequential TTL node keeps its name, so it is recreated as a plain TTL node.
        const bool ttl = it->second.mode == zk::CreateMode::PersistentWithTtl ||
                         it->second.mode == zk::CreateMode::PersistentSequentialWithTtl;
        if (it->second.mode == zk::CreateMode::Container)
            create.mode = zk::CreateMode::Container;
        else if (ttl && it->second.ttlMs > 0) {
            create.mode = zk::CreateMode::PersistentWithTtl;
            create.ttlMs = it->second.ttlMs;
        }
    }
    return create;
}

std::size_t requestBytes(const NodeImage& node)
{
    std::size_t bytes = 2 * node.path.size() + 64 + (node.data ? node.data->size() : 0);
    for (const zk::Acl& entry : node.acl)
        bytes += entry.id.scheme.size() + entry.id.id.size() + 16;
    return bytes;
}

// Reads every node (data, ACL, stat). False when the copy must not go on (error set).
bool readSubtree(zk::client::SyncClient& sync, const std::string& from, const CopyOptions& options,
                 const Progress& progress, TreeResult& result, std::vector<NodeImage>& nodes,
                 int& total)
{
    SubtreeListing listing = listSubtree(sync, from, progress);
    if (!listing.error.isEmpty() || listing.cancelled) {
        result.error = listing.error;
        result.cancelled = listing.cancelled;
        return false;
    }
    const int count = int(listing.paths.size());
    total = count * (options.move ? 3 : 2);
    int done = 0;
    for (const std::string& path : listing.paths) {
        auto data = sync.getData(path);
        auto acl = data.ok() ? sync.getAcl(path) : zk::client::Result<zk::client::AclResult>{};
        if (data.error == zk::ZError::NoNode || acl.error == zk::ZError::NoNode) {
            if (path == from) {
                result.error = failure("read", path, zk::ZError::NoNode);
                return false;
            }
            continue; // gone meanwhile
        }
        if (!data.ok() || !acl.ok()) {
            const zk::ZError error = data.ok() ? acl.error : data.error;
            result.error = failure("read", path, error);
            result.errorCode = error;
            return false;
        }
        if (kindOf(data.value.stat) == ZnodeKind::Ephemeral) {
            if (options.move) {
                result.error = QStringLiteral("%1 is an ephemeral node: it belongs to the session "
                                              "0x%2 and cannot be moved, because a copy would "
                                              "belong to this studio's session instead. Nothing "
                                              "was changed.")
                                   .arg(quoted(path))
                                   .arg(quint64(data.value.stat.ephemeralOwner), 0, 16);
                return false;
            }
            ++result.skipped;
        } else {
            nodes.push_back(
                {path, std::move(data.value.data), std::move(acl.value.acl), data.value.stat});
        }
        if (progress && !progress(++done, total)) {
            result.cancelled = true;
            return false;
        }
    }
    return true;
}

// The first sub-operation that failed in a multi, in words.
QString multiFailure(const std::vector<zk::client::OpResult>& results,
                     const std::vector<zk::client::Op>& ops, zk::ZError headerError)
{
    for (std::size_t i = 0; i < results.size() && i < ops.size(); ++i) {
        const zk::ZError error = results[i].error;
        if (error == zk::ZError::Ok || error == zk::ZError::RuntimeInconsistency)
            continue;
        if (const auto* create = std::get_if<zk::client::op::Create>(&ops[i]))
            return failure("create", create->path, error);
        if (const auto* remove = std::get_if<zk::client::op::Delete>(&ops[i])) {
            if (error == zk::ZError::BadVersion)
                return QStringLiteral("%1 changed while it was being moved.")
                    .arg(quoted(remove->path));
            return failure("delete", remove->path, error);
        }
    }
    return QStringLiteral("The transaction failed: %1.").arg(ZkSession::describe(headerError));
}

void writeAtomically(zk::client::SyncClient& sync, const std::vector<NodeImage>& nodes,
                     const std::string& from, const std::string& to, const CopyOptions& options,
                     TreeResult& result)
{
    std::vector<zk::client::Op> ops;
    for (const NodeImage& node : nodes)
        ops.emplace_back(createOp(node, targetOf(node.path, from, to), options));
    if (options.move) {
        for (auto it = nodes.rbegin(); it != nodes.rend(); ++it)
            ops.emplace_back(zk::client::op::Delete{it->path, it->stat.version});
    }
    auto committed = sync.multi(ops);
    if (committed.error == zk::ZError::ConnectionLoss ||
        committed.error == zk::ZError::MarshallingError) {
        // The request may have committed; only its answer is missing.
        result.error = QStringLiteral("The server's answer to the transaction was lost (%1), so "
                                      "it may or may not have happened; look at %2 and %3.")
                           .arg(ZkSession::describe(committed.error), quoted(from), quoted(to));
        result.errorCode = committed.error;
        return;
    }
    if (!committed.ok()) {
        result.error = multiFailure(committed.value, ops, committed.error) +
                       QStringLiteral(" Nothing was changed.");
        result.errorCode = committed.error;
        return;
    }
    result.atomic = true;
    result.nodes = int(nodes.size());
}

void writeNodeByNode(zk::client::SyncClient& sync, const std::vector<NodeImage>& nodes,
                     const std::string& from, const std::string& to, const CopyOptions& options,
                     const Progress& progress, TreeResult& result, int total)
{
    int done = int(nodes.size());
    for (const NodeImage& node : nodes) {
        const zk::client::op::Create op = createOp(node, targetOf(node.path, from, to), options);
        auto created = sync.create(op.path, op.data, op.acl, op.mode, op.ttlMs);
        if (!created.ok()) {
            result.error = failure("create", op.path, created.error) +
                           QStringLiteral(" The copy at %1 is partial (%2 nodes); the source is "
                                          "untouched.")
                               .arg(quoted(to))
                               .arg(result.nodes);
            result.errorCode = created.error;
            return;
        }
        ++result.nodes;
        if (progress && !progress(++done, total)) {
            result.cancelled = true;
            result.error = QStringLiteral("Cancelled: the copy at %1 is partial (%2 of %3 nodes); "
                                          "the source is untouched.")
                               .arg(quoted(to))
                               .arg(result.nodes)
                               .arg(nodes.size());
            return;
        }
    }
    if (!options.move)
        return;
    // Children first; each delete checks the version that was copied.
    for (auto it = nodes.rbegin(); it != nodes.rend(); ++it) {
        auto deleted = sync.deleteNode(it->path, it->stat.version);
        if (!deleted.ok() && deleted.error != zk::ZError::NoNode) {
            result.error =
                (deleted.error == zk::ZError::BadVersion
                     ? QStringLiteral("%1 changed while it was being moved.").arg(quoted(it->path))
                     : failure("delete", it->path, deleted.error)) +
                QStringLiteral(" The copy at %1 is complete; the source is partly deleted.")
                    .arg(quoted(to));
            result.errorCode = deleted.error;
            return;
        }
        if (progress && !progress(++done, total)) {
            result.cancelled = true;
            result.error = QStringLiteral("Cancelled: the copy at %1 is complete, the source at "
                                          "%2 is partly deleted.")
                               .arg(quoted(to), quoted(from));
            return;
        }
    }
}

} // namespace

QString copyTargetProblem(const std::string& from, const std::string& to, bool move)
{
    const char* verb = move ? "moved" : "copied";
    if (from == "/" || from == "/zookeeper" || from.rfind("/zookeeper/", 0) == 0)
        return QStringLiteral("The root and /zookeeper cannot be %1.").arg(QLatin1String(verb));
    if (to == "/" || zk::validatePath(to) != zk::ZError::Ok)
        return QStringLiteral("\"%1\" is not a valid znode path (it starts with /, has no empty "
                              "or . or .. parts and no trailing /).")
            .arg(quoted(to));
    if (to == from)
        return QStringLiteral("The new path is the same as the old one.");
    if (to.rfind(from + "/", 0) == 0)
        return QStringLiteral("%1 cannot be %2 into itself.")
            .arg(quoted(from), QLatin1String(verb));
    if (to == "/zookeeper" || to.rfind("/zookeeper/", 0) == 0)
        return QStringLiteral("/zookeeper belongs to the server.");
    return {};
}

TreeResult copySubtree(zk::client::SyncClient& sync, const std::string& from, const std::string& to,
                       const CopyOptions& options, const Progress& progress)
{
    TreeResult result;
    if (QString problem = copyTargetProblem(from, to, options.move); !problem.isEmpty()) {
        result.error = problem;
        return result;
    }
    if (sync.exists(to).ok()) {
        result.error = QStringLiteral("%1 already exists; choose another name or delete it first.")
                           .arg(quoted(to));
        result.errorCode = zk::ZError::NodeExists;
        return result;
    }
    const std::string parent = parentPath(to);
    if (auto there = sync.exists(parent); !there.ok()) {
        result.error = failure("find the new parent", parent, there.error);
        result.errorCode = there.error;
        return result;
    }
    std::vector<NodeImage> nodes;
    int total = 0;
    if (!readSubtree(sync, from, options, progress, result, nodes, total))
        return result;
    std::size_t bytes = 0;
    bool extendedKinds = false;
    for (const NodeImage& node : nodes) {
        bytes += requestBytes(node);
        extendedKinds =
            extendedKinds || createOp(node, {}, options).mode != zk::CreateMode::Persistent;
    }
    // Containers and TTL nodes stay out of multi: ZooLab's server answers their sub-results
    // with opcodes 19/21 where Apache answers create2 (OpResult.CreateResult), which no
    // client decodes (MarshallingError) although the transaction committed.
    const bool small = !extendedKinds &&
                       int(nodes.size()) * (options.move ? 2 : 1) <= options.multiMaxNodes &&
                       bytes * (options.move ? 2 : 1) <= options.multiMaxBytes;
    if (small)
        writeAtomically(sync, nodes, from, to, options, result);
    else
        writeNodeByNode(sync, nodes, from, to, options, progress, result, total);
    return result;
}

} // namespace zoolab
