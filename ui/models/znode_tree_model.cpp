#include "models/znode_tree_model.h"

#include "models/studio_colors.h"
#include "models/znode_icons.h"
#include "models/znode_kind.h"

#include <QColor>
#include <QDateTime>

#include <algorithm>
#include <atomic>

namespace zoolab {

namespace {
// A listing that loses the connection this many times in a row (e.g. a reply larger than the
// client accepts) is reported instead of retried.
constexpr int maxListFailures = 3;
} // namespace

using zk::client::ChildrenResult;
using zk::client::Result;
using zk::client::WatchedEvent;

struct ZnodeTreeModel::Node
{
    std::string name;
    Node* parent = nullptr;
    std::vector<std::unique_ptr<Node>> children; // sorted by name
    std::optional<zk::Stat> stat;
    bool statRequested = false;
    Load load = Load::None;
    std::vector<std::string> pending; // sorted names still to insert
    std::size_t pendingPos = 0;
    bool relistWanted = false;
    qint64 loadStartMs = 0;
    qint64 flashUntilMs = 0;
    int listFailures = 0; // connection losses in a row; bounded retries
    QString error;
};

// Measures one piece of GUI-thread work and records it in the model's LoadStats.
class ZnodeTreeModel::SliceTimer
{
public:
    explicit SliceTimer(ZnodeTreeModel* model) : m_model(model) { m_timer.start(); }
    ~SliceTimer() { m_model->recordSlice(double(m_timer.nsecsElapsed()) / 1e6); }
    SliceTimer(const SliceTimer&) = delete;
    SliceTimer& operator=(const SliceTimer&) = delete;

private:
    ZnodeTreeModel* m_model;
    QElapsedTimer m_timer;
};

ZnodeTreeModel::ZnodeTreeModel(ZkSession* session, QObject* parent)
    : QAbstractItemModel(parent), m_session(session), m_inbox(GuiInbox::create(this))
{
    m_clock.start();
    auto inbox = m_inbox;
    m_childWatcher = zk::client::makeWatcher([inbox, this](const WatchedEvent& event) {
        inbox->post([this, event] { onChildWatch(event); });
    });
    m_dataWatcher = zk::client::makeWatcher([inbox, this](const WatchedEvent& event) {
        inbox->post([this, event] { onDataWatch(event); });
    });
    m_flashTimer.setInterval(100);
    connect(&m_flashTimer, &QTimer::timeout, this, &ZnodeTreeModel::expireFlashes);
    connect(session, &ZkSession::stateChanged, this, &ZnodeTreeModel::onSessionState);
    connect(session, &ZkSession::reopened, this, &ZnodeTreeModel::reload);
    m_invisibleRoot = std::make_unique<Node>();
    auto root = std::make_unique<Node>();
    root->name = "/";
    root->parent = m_invisibleRoot.get();
    m_invisibleRoot->children.push_back(std::move(root));
    m_invisibleRoot->load = Load::Done;
}

ZnodeTreeModel::~ZnodeTreeModel()
{
    m_inbox->detach();
}

void ZnodeTreeModel::recordSlice(double ms)
{
    m_stats.maxSliceMs = std::max(m_stats.maxSliceMs, ms);
    ++m_stats.slices;
}

ZnodeTreeModel::Node* ZnodeTreeModel::nodeOf(const QModelIndex& index) const
{
    if (!index.isValid())
        return m_invisibleRoot.get();
    return static_cast<Node*>(index.internalPointer());
}

int ZnodeTreeModel::rowOf(const Node* node) const
{
    const auto& siblings = node->parent->children;
    const auto it = std::lower_bound(
        siblings.begin(), siblings.end(), node->name,
        [](const std::unique_ptr<Node>& a, const std::string& name) { return a->name < name; });
    return int(it - siblings.begin());
}

QModelIndex ZnodeTreeModel::indexOf(Node* node, int column) const
{
    if (!node || node == m_invisibleRoot.get())
        return {};
    return createIndex(rowOf(node), column, node);
}

std::string ZnodeTreeModel::pathOf(const Node* node)
{
    std::vector<const std::string*> parts;
    for (const Node* n = node; n && n->parent && n->parent->parent; n = n->parent)
        parts.push_back(&n->name);
    if (parts.empty())
        return "/";
    std::string path;
    for (auto it = parts.rbegin(); it != parts.rend(); ++it) {
        path += '/';
        path += **it;
    }
    return path;
}

ZnodeTreeModel::Node* ZnodeTreeModel::findNode(const std::string& path) const
{
    Node* node = m_invisibleRoot->children.front().get();
    std::size_t start = 1;
    while (start < path.size()) {
        std::size_t end = path.find('/', start);
        if (end == std::string::npos)
            end = path.size();
        const std::string name = path.substr(start, end - start);
        auto& children = node->children;
        auto it = std::lower_bound(
            children.begin(), children.end(), name,
            [](const std::unique_ptr<Node>& a, const std::string& n) { return a->name < n; });
        if (it == children.end() || (*it)->name != name)
            return nullptr;
        node = it->get();
        start = end + 1;
    }
    return node;
}

QModelIndex ZnodeTreeModel::index(int row, int column, const QModelIndex& parent) const
{
    if (row < 0 || column < 0 || column >= ColumnCount || parent.column() > 0)
        return {};
    Node* node = nodeOf(parent);
    if (std::size_t(row) >= node->children.size())
        return {};
    return createIndex(row, column, node->children[std::size_t(row)].get());
}

QModelIndex ZnodeTreeModel::parent(const QModelIndex& child) const
{
    if (!child.isValid())
        return {};
    return indexOf(nodeOf(child)->parent);
}

int ZnodeTreeModel::rowCount(const QModelIndex& parent) const
{
    if (parent.column() > 0)
        return 0;
    return int(nodeOf(parent)->children.size());
}

int ZnodeTreeModel::columnCount(const QModelIndex&) const
{
    return ColumnCount;
}

bool ZnodeTreeModel::hasChildren(const QModelIndex& parent) const
{
    if (parent.column() > 0)
        return false;
    const Node* node = nodeOf(parent);
    if (!node->children.empty())
        return true;
    if (node->load == Load::Done)
        return false;
    if (node->load != Load::None)
        return true;
    return !node->stat || node->stat->numChildren > 0;
}

bool ZnodeTreeModel::canFetchMore(const QModelIndex& parent) const
{
    if (parent.column() > 0)
        return false;
    const Node* node = nodeOf(parent);
    return node->load == Load::None && hasChildren(parent);
}

void ZnodeTreeModel::fetchMore(const QModelIndex& parent)
{
    if (!canFetchMore(parent))
        return;
    list(nodeOf(parent));
}

Qt::ItemFlags ZnodeTreeModel::flags(const QModelIndex& index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable;
}

QVariant ZnodeTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NameColumn:
        return QStringLiteral("Znode");
    case ChildrenColumn:
        return QStringLiteral("Children");
    case SizeColumn:
        return QStringLiteral("Data");
    case ModifiedColumn:
        return QStringLiteral("Modified");
    default:
        return {};
    }
}

QVariant ZnodeTreeModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid())
        return {};
    Node* node = nodeOf(index);
    const bool flashing = node->flashUntilMs > m_clock.elapsed();
    if (!node->stat && (role == Qt::DisplayRole || role == Qt::DecorationRole))
        requestStat(node);
    switch (role) {
    case PathRole:
        return QString::fromStdString(pathOf(node));
    case StatKnownRole:
        return node->stat.has_value();
    case FlashingRole:
        return flashing;
    case KindRole:
        if (const auto kind = kindFor(node))
            return int(*kind);
        return {};
    case Qt::BackgroundRole:
        if (flashing)
            return studioColors().flashBackground;
        return {};
    case Qt::ForegroundRole:
        if (!node->error.isEmpty())
            return studioColors().errorText;
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() != NameColumn)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case Qt::ToolTipRole: {
        QString tip = QString::fromStdString(pathOf(node));
        if (const auto kind = kindFor(node))
            tip += QStringLiteral("\n") + kindName(*kind, looksSequential(node->name));
        if (!node->error.isEmpty())
            tip += QStringLiteral("\n") + node->error;
        return tip;
    }
    default:
        break;
    }
    if (role == Qt::DecorationRole && index.column() == NameColumn) {
        const auto kind = kindFor(node);
        return kind ? znodeIcon(*kind, looksSequential(node->name)) : unknownZnodeIcon();
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case NameColumn:
        return QString::fromStdString(node->name);
    case ChildrenColumn:
        return node->stat ? QVariant(node->stat->numChildren) : QVariant();
    case SizeColumn:
        return node->stat ? QVariant(formatBytes(node->stat->dataLength)) : QVariant();
    case ModifiedColumn:
        if (!node->stat || node->stat->mtime == 0)
            return {};
        return QDateTime::fromMSecsSinceEpoch(node->stat->mtime)
            .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    default:
        return {};
    }
}

std::optional<ZnodeKind> ZnodeTreeModel::kindFor(const Node* node) const
{
    if (!node->stat)
        return std::nullopt;
    const ZnodeKind kind = kindOf(*node->stat);
    if (kind != ZnodeKind::Persistent || m_createdModes.empty())
        return kind;
    const auto it = m_createdModes.find(pathOf(node));
    if (it == m_createdModes.end())
        return kind;
    switch (it->second.mode) {
    case zk::CreateMode::Container:
        return ZnodeKind::Container;
    case zk::CreateMode::PersistentWithTtl:
    case zk::CreateMode::PersistentSequentialWithTtl:
        return ZnodeKind::Ttl;
    default:
        return kind;
    }
}

void ZnodeTreeModel::noteCreated(const QString& path, zk::CreateMode mode, std::int64_t ttlMs)
{
    if (mode != zk::CreateMode::Container && mode != zk::CreateMode::PersistentWithTtl &&
        mode != zk::CreateMode::PersistentSequentialWithTtl)
        return;
    m_createdModes[path.toStdString()] = {mode, ttlMs};
    if (Node* node = findNode(path.toStdString()))
        emit dataChanged(indexOf(node), indexOf(node, ColumnCount - 1));
}

std::map<std::string, CreatedKind> ZnodeTreeModel::createdKindsUnder(const QString& path) const
{
    const std::string root = path.toStdString();
    const std::string prefix = root == "/" ? root : root + "/";
    std::map<std::string, CreatedKind> under;
    // A scan, not a range: "/a-b" sorts between "/a" and "/a/c". The map holds only the
    // containers and TTL nodes this studio created, so it stays small.
    for (const auto& [notedPath, kind] : m_createdModes) {
        if (notedPath == root || notedPath.rfind(prefix, 0) == 0)
            under.emplace(notedPath, kind);
    }
    return under;
}

QString ZnodeTreeModel::pathOf(const QModelIndex& index) const
{
    return index.isValid() ? QString::fromStdString(pathOf(nodeOf(index))) : QString();
}

QModelIndex ZnodeTreeModel::indexForPath(const QString& path) const
{
    Node* node = findNode(path.toStdString());
    return node ? indexOf(node) : QModelIndex();
}

std::optional<zk::Stat> ZnodeTreeModel::statOf(const QModelIndex& index) const
{
    return index.isValid() ? nodeOf(index)->stat : std::nullopt;
}

bool ZnodeTreeModel::isLoaded(const QModelIndex& index) const
{
    return index.isValid() && nodeOf(index)->load == Load::Done;
}

void ZnodeTreeModel::list(Node* node)
{
    const std::string path = pathOf(node);
    auto client = m_session->client();
    if (!client) {
        m_retryListing.push_back(path);
        return;
    }
    if (node->load == Load::None) {
        node->load = Load::Listing;
        node->loadStartMs = m_clock.elapsed();
    }
    const std::uint64_t generation = m_generation;
    auto inbox = m_inbox;
    client->getChildren2(path, m_childWatcher,
                         [inbox, this, path, generation](Result<ChildrenResult> result) {
                             // Sorting 100,000 names takes tens of milliseconds: do it here,
                             // on the client thread, not on the GUI thread.
                             std::sort(result.value.children.begin(), result.value.children.end());
                             inbox->post([this, path, generation, result = std::move(result)] {
                                 if (generation == m_generation)
                                     onListed(path, result);
                             });
                         });
}

void ZnodeTreeModel::onListed(const std::string& path, Result<ChildrenResult> result)
{
    SliceTimer slice(this);
    Node* node = findNode(path);
    if (!node)
        return;
    if (!result.ok()) {
        if (result.error == zk::ZError::ConnectionLoss ||
            result.error == zk::ZError::SessionExpired) {
            if (node->load == Load::Listing)
                node->load = Load::None;
            if (++node->listFailures < maxListFailures) {
                m_retryListing.push_back(path);
                return;
            }
        }
        node->error = ZkSession::describe(result.error);
        if (node->load == Load::Listing || node->load == Load::None)
            node->load = Load::Done;
        emit dataChanged(indexOf(node), indexOf(node, ColumnCount - 1));
        emit loadFailed(QString::fromStdString(path), node->error);
        return;
    }
    node->error.clear();
    node->listFailures = 0;
    node->stat = result.value.stat;
    emit dataChanged(indexOf(node), indexOf(node, ColumnCount - 1));
    if (node->load == Load::Listing)
        applyFirstListing(node, std::move(result.value.children));
    else if (node->load == Load::Done)
        applyRelisting(node, result.value.children);
    else
        node->relistWanted = true;
}

void ZnodeTreeModel::applyFirstListing(Node* node, std::vector<std::string> names)
{
    node->pending = std::move(names);
    node->pendingPos = 0;
    node->load = Load::Inserting;
    if (node->pending.empty()) {
        finishLoading(node);
        return;
    }
    auto client = m_session->client();
    const std::size_t prefetch =
        std::min(node->pending.size(), std::size_t(std::max(0, statPrefetchRows)));
    if (prefetch == 0 || !client) {
        insertNextBatch(pathOf(node));
        return;
    }
    // One GUI slice for the whole prefetched batch: the client thread fills the stats and
    // posts once, when the last exists reply is in.
    struct Batch
    {
        std::vector<std::optional<zk::Stat>> stats;
        std::atomic<std::size_t> remaining;
    };
    auto batch = std::make_shared<Batch>();
    batch->stats.resize(prefetch);
    batch->remaining = prefetch;
    const std::string parentPath = pathOf(node);
    const std::string prefix = parentPath == "/" ? "/" : parentPath + "/";
    const std::uint64_t generation = m_generation;
    auto inbox = m_inbox;
    for (std::size_t i = 0; i < prefetch; ++i) {
        client->exists(prefix + node->pending[i], m_dataWatcher,
                       [batch, i, inbox, this, parentPath, generation](Result<zk::Stat> r) {
                           if (r.ok())
                               batch->stats[i] = r.value;
                           if (--batch->remaining != 0)
                               return;
                           inbox->post([this, batch, parentPath, generation] {
                               if (generation != m_generation)
                                   return;
                               SliceTimer slice(this);
                               Node* parent = findNode(parentPath);
                               // The count first: in one call the moved-from vector
                               // may be measured after the move (unspecified order).
                               const std::size_t count = batch->stats.size();
                               if (parent && parent->load == Load::Inserting)
                                   insertRows(parent, count, std::move(batch->stats));
                           });
                       });
    }
}

void ZnodeTreeModel::insertNextBatch(const std::string& path)
{
    SliceTimer slice(this);
    Node* node = findNode(path);
    if (!node || node->load != Load::Inserting)
        return;
    const std::size_t left = node->pending.size() - node->pendingPos;
    insertRows(node, std::min(left, std::size_t(std::max(1, insertBatchRows))), {});
}

void ZnodeTreeModel::insertRows(Node* node, std::size_t count,
                                std::vector<std::optional<zk::Stat>> stats)
{
    const int first = int(node->children.size());
    beginInsertRows(indexOf(node), first, first + int(count) - 1);
    node->children.reserve(node->pending.size());
    for (std::size_t i = 0; i < count; ++i) {
        auto child = std::make_unique<Node>();
        child->name = std::move(node->pending[node->pendingPos + i]);
        child->parent = node;
        if (i < stats.size()) {
            child->stat = stats[i];
            child->statRequested = true; // its exists call armed the data watch
        }
        node->children.push_back(std::move(child));
    }
    node->pendingPos += count;
    endInsertRows();
    if (node->pendingPos >= node->pending.size()) {
        finishLoading(node);
        return;
    }
    // The next batch waits for the next turn of the event loop, after input and paint.
    QTimer::singleShot(0, this, [this, path = pathOf(node), generation = m_generation] {
        if (generation == m_generation)
            insertNextBatch(path);
    });
}

void ZnodeTreeModel::finishLoading(Node* node)
{
    node->load = Load::Done;
    node->pending = {};
    node->pendingPos = 0;
    m_stats.lastLoadMs = m_clock.elapsed() - node->loadStartMs;
    m_stats.lastLoadRows = int(node->children.size());
    const QString path = QString::fromStdString(pathOf(node));
    emit childrenLoaded(path);
    if (node->relistWanted) {
        node->relistWanted = false;
        list(node);
    }
}

void ZnodeTreeModel::applyRelisting(Node* node, const std::vector<std::string>& names)
{
    const QModelIndex parentIndex = indexOf(node);
    auto& children = node->children;
    bool changed = false;
    // Remove vanished children, in runs, from the back so rows stay valid.
    for (int row = int(children.size()) - 1; row >= 0;) {
        if (std::binary_search(names.begin(), names.end(), children[std::size_t(row)]->name)) {
            --row;
            continue;
        }
        int first = row;
        while (first > 0 && !std::binary_search(names.begin(), names.end(),
                                                children[std::size_t(first - 1)]->name))
            --first;
        beginRemoveRows(parentIndex, first, row);
        children.erase(children.begin() + first, children.begin() + row + 1);
        endRemoveRows();
        changed = true;
        row = first - 1;
    }
    for (const std::string& name : names) {
        auto it = std::lower_bound(
            children.begin(), children.end(), name,
            [](const std::unique_ptr<Node>& a, const std::string& n) { return a->name < n; });
        if (it != children.end() && (*it)->name == name)
            continue;
        const int row = int(it - children.begin());
        beginInsertRows(parentIndex, row, row);
        auto child = std::make_unique<Node>();
        child->name = name;
        child->parent = node;
        Node* raw = child.get();
        children.insert(children.begin() + row, std::move(child));
        endInsertRows();
        flash(raw);
        requestStat(raw);
        changed = true;
    }
    if (changed) {
        flash(node);
        emit nodeChanged(QString::fromStdString(pathOf(node)));
    }
    emit childrenLoaded(QString::fromStdString(pathOf(node)));
}

void ZnodeTreeModel::requestStat(Node* node) const
{
    if (node->statRequested || node == m_invisibleRoot.get())
        return;
    node->statRequested = true;
    m_statQueue.push_back(pathOf(node));
    if (m_statFlushQueued)
        return;
    m_statFlushQueued = true;
    auto* self = const_cast<ZnodeTreeModel*>(this);
    QTimer::singleShot(0, self, [self] { self->flushStatRequests(); });
}

void ZnodeTreeModel::flushStatRequests()
{
    m_statFlushQueued = false;
    auto client = m_session->client();
    std::vector<std::string> queue;
    queue.swap(m_statQueue);
    if (!client) {
        for (const auto& path : queue) {
            if (Node* node = findNode(path))
                node->statRequested = false;
        }
        return;
    }
    const std::uint64_t generation = m_generation;
    auto inbox = m_inbox;
    for (const auto& path : queue) {
        client->exists(path, m_dataWatcher, [inbox, this, path, generation](Result<zk::Stat> r) {
            inbox->post([this, path, generation, r] {
                if (generation == m_generation)
                    onStat(path, r);
            });
        });
    }
}

void ZnodeTreeModel::onStat(const std::string& path, Result<zk::Stat> result)
{
    SliceTimer slice(this);
    Node* node = findNode(path);
    if (!node)
        return;
    if (!result.ok()) {
        // NoNode: the parent's child watch removes it. Connection trouble: ask again later.
        if (result.error != zk::ZError::NoNode)
            node->statRequested = false;
        return;
    }
    node->stat = result.value;
    emit dataChanged(indexOf(node), indexOf(node, ColumnCount - 1));
}

void ZnodeTreeModel::onChildWatch(const WatchedEvent& event)
{
    if (event.type != zk::EventType::NodeChildrenChanged)
        return;
    SliceTimer slice(this);
    Node* node = findNode(event.path);
    if (!node)
        return;
    if (node->load == Load::Done)
        list(node);
    else if (node->load != Load::None)
        node->relistWanted = true;
}

void ZnodeTreeModel::onDataWatch(const WatchedEvent& event)
{
    if (event.type != zk::EventType::NodeDataChanged)
        return;
    SliceTimer slice(this);
    Node* node = findNode(event.path);
    if (!node)
        return;
    node->statRequested = false;
    requestStat(node); // re-arms the watch
    flash(node);
    emit nodeChanged(QString::fromStdString(event.path));
}

void ZnodeTreeModel::onSessionState(zk::client::SessionState state)
{
    using zk::client::SessionState;
    if (state != SessionState::Connected && state != SessionState::ConnectedReadOnly)
        return;
    std::vector<std::string> retry;
    retry.swap(m_retryListing);
    for (const auto& path : retry) {
        Node* node = findNode(path);
        if (node && (node->load == Load::None || node->load == Load::Done))
            list(node);
    }
    // The root's stat may have failed before the first connect.
    Node* root = m_invisibleRoot->children.front().get();
    if (!root->stat) {
        root->statRequested = false;
        requestStat(root);
    }
}

void ZnodeTreeModel::refresh(const QModelIndex& index)
{
    Node* node = index.isValid() ? nodeOf(index) : m_invisibleRoot->children.front().get();
    node->statRequested = false;
    requestStat(node);
    if (node->load == Load::Done)
        list(node);
}

void ZnodeTreeModel::reload()
{
    beginResetModel();
    ++m_generation;
    m_statQueue.clear();
    m_retryListing.clear();
    m_flashing.clear();
    m_invisibleRoot = std::make_unique<Node>();
    m_invisibleRoot->load = Load::Done;
    auto root = std::make_unique<Node>();
    root->name = "/";
    root->parent = m_invisibleRoot.get();
    m_invisibleRoot->children.push_back(std::move(root));
    endResetModel();
}

void ZnodeTreeModel::flash(Node* node)
{
    if (node->flashUntilMs == 0)
        m_flashing.push_back(pathOf(node));
    node->flashUntilMs = m_clock.elapsed() + flashMs;
    const QModelIndex first = indexOf(node);
    emit dataChanged(first, indexOf(node, ColumnCount - 1), {Qt::BackgroundRole, FlashingRole});
    if (!m_flashTimer.isActive())
        m_flashTimer.start();
}

void ZnodeTreeModel::expireFlashes()
{
    const qint64 now = m_clock.elapsed();
    std::vector<std::string> still;
    for (const std::string& path : m_flashing) {
        Node* node = findNode(path);
        if (!node || node->flashUntilMs == 0)
            continue;
        if (node->flashUntilMs > now) {
            still.push_back(path);
            continue;
        }
        node->flashUntilMs = 0;
        emit dataChanged(indexOf(node), indexOf(node, ColumnCount - 1),
                         {Qt::BackgroundRole, FlashingRole});
    }
    m_flashing = std::move(still);
    if (m_flashing.empty())
        m_flashTimer.stop();
}

} // namespace zoolab
