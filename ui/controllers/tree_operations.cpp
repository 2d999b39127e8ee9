#include "controllers/tree_operations.h"

#include "controllers/zk_session.h"
#include "models/data_codec.h"

#include <QJsonArray>

namespace zoolab {

TreeResult deleteRecursive(zk::client::SyncClient& sync, const std::string& path,
                           const Progress& progress)
{
    TreeResult result;
    if (path == "/" || path.rfind("/zookeeper", 0) == 0) {
        result.error = QStringLiteral("The root and /zookeeper cannot be deleted.");
        return result;
    }
    // Breadth-first listing; deleting the list backwards removes children before parents.
    SubtreeListing listing = listSubtree(sync, path, progress, false);
    if (!listing.error.isEmpty() || listing.cancelled) {
        result.error = listing.error;
        result.cancelled = listing.cancelled;
        return result;
    }
    const std::vector<std::string>& order = listing.paths;
    const int total = int(order.size());
    for (auto it = order.rbegin(); it != order.rend(); ++it) {
        auto deleted = sync.deleteNode(*it);
        if (!deleted.ok() && deleted.error != zk::ZError::NoNode) {
            result.error = failure("delete", *it, deleted.error);
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

namespace {

QJsonObject encodeNode(const std::string& path, const zk::client::OptionalBytes& data)
{
    QJsonObject node;
    node.insert(QStringLiteral("path"), QString::fromStdString(path));
    if (!data) {
        node.insert(QStringLiteral("encoding"), QStringLiteral("null"));
        return node;
    }
    const QByteArray bytes(reinterpret_cast<const char*>(data->data()), qsizetype(data->size()));
    const bool text = isValidUtf8(bytes);
    node.insert(QStringLiteral("encoding"),
                text ? QStringLiteral("utf8") : QStringLiteral("base64"));
    node.insert(QStringLiteral("data"),
                text ? QString::fromUtf8(bytes) : QString::fromLatin1(bytes.toBase64()));
    return node;
}

// Depth-first export; `count` bounds the whole walk.
bool exportNode(zk::client::SyncClient& sync, const std::string& path, const Progress& progress,
                TreeResult& result, QJsonObject& out)
{
    auto data = sync.getData(path);
    if (!data.ok()) {
        result.error = failure("read", path, data.error);
        return false;
    }
    out = encodeNode(path, data.value.data);
    ++result.nodes;
    if (result.nodes > maxTreeNodes) {
        result.error = QStringLiteral("The subtree has more than %1 nodes.").arg(maxTreeNodes);
        return false;
    }
    if (progress && !progress(result.nodes, 0)) {
        result.cancelled = true;
        return false;
    }
    auto children = sync.getChildren(path);
    if (!children.ok()) {
        result.error = failure("list", path, children.error);
        return false;
    }
    auto names = children.value.children;
    std::sort(names.begin(), names.end());
    QJsonArray array;
    for (const auto& name : names) {
        if (path == "/" && name == "zookeeper")
            continue; // the server's own subtree
        QJsonObject child;
        if (!exportNode(sync, childPath(path, name), progress, result, child))
            return false;
        array.append(child);
    }
    if (!array.isEmpty())
        out.insert(QStringLiteral("children"), array);
    return true;
}

bool importNode(zk::client::SyncClient& sync, const QJsonObject& node, const std::string& path,
                const Progress& progress, TreeResult& result)
{
    const QString encoding = node.value(QStringLiteral("encoding")).toString();
    const QString text = node.value(QStringLiteral("data")).toString();
    zk::client::OptionalBytes data;
    if (encoding != QStringLiteral("null")) {
        const QByteArray bytes = encoding == QStringLiteral("base64")
                                     ? QByteArray::fromBase64(text.toLatin1())
                                     : text.toUtf8();
        data = zk::Bytes(bytes.begin(), bytes.end());
    }
    if (path != "/") {
        auto created = sync.create(path, data, zk::openAclUnsafe(), zk::CreateMode::Persistent);
        if (created.error == zk::ZError::NodeExists) {
            auto set = sync.setData(path, data);
            if (!set.ok()) {
                result.error = failure("update", path, set.error);
                return false;
            }
        } else if (!created.ok()) {
            result.error = failure("create", path, created.error);
            return false;
        }
    }
    ++result.nodes;
    if (progress && !progress(result.nodes, 0)) {
        result.cancelled = true;
        return false;
    }
    for (const QJsonValue& child : node.value(QStringLiteral("children")).toArray()) {
        const QJsonObject childObject = child.toObject();
        const QString childName =
            childObject.value(QStringLiteral("path")).toString().section(QLatin1Char('/'), -1);
        if (childName.isEmpty()) {
            result.error = QStringLiteral("The file has a node without a path under %1.")
                               .arg(QString::fromStdString(path));
            return false;
        }
        if (!importNode(sync, childObject, childPath(path, childName.toStdString()), progress,
                        result))
            return false;
    }
    return true;
}

} // namespace

TreeResult exportSubtree(zk::client::SyncClient& sync, const std::string& path,
                         const Progress& progress)
{
    TreeResult result;
    QJsonObject tree;
    if (exportNode(sync, path, progress, result, tree))
        result.tree = tree;
    return result;
}

TreeResult importSubtree(zk::client::SyncClient& sync, const QJsonObject& tree,
                         const std::string& targetPath, const Progress& progress)
{
    TreeResult result;
    if (!tree.contains(QStringLiteral("path"))) {
        result.error = QStringLiteral("This is not a ZooLab subtree export (no \"path\").");
        return result;
    }
    importNode(sync, tree, targetPath, progress, result);
    return result;
}

} // namespace zoolab
