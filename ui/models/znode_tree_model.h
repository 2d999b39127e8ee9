#pragma once
// ZnodeTreeModel: the znode tree of one ZkSession as a lazily loaded QAbstractItemModel.
//
// Loading: one level at a time. fetchMore(parent) lists the children (getChildren2 with a
// child watch); the reply's names are sorted on the client thread, then inserted on the GUI
// thread in slices: the first statPrefetchRows children wait for their stats (pipelined
// exists calls) so icons, child counts and expand arrows are right at once; the rest go in
// batches of insertBatchRows rows per event-loop turn and get their stat when a view first
// asks for it (data()). No slice does more than one batch, so a node with 100,000 children
// never holds the GUI thread for long (loadStats() records the longest slice).
//
// Live where the user looks: every listed node holds a child watch, re-armed with each
// re-list; every node whose stat was fetched holds a data (exists) watch, re-armed on each
// event. A changed node flashes (BackgroundRole) for flashMs.
//
// Thread: GUI thread only. Client callbacks come through the model's own GuiInbox, and are
// matched to nodes by path, so results for nodes that vanished meanwhile are dropped.
// Ownership: the model does not own the session; the session must outlive it (make the model
// a child of the session or of an object the session outlives).

#include "bridge/gui_inbox.h"
#include "controllers/zk_session.h"
#include "data/stat.h"
#include "models/znode_kind.h"
#include "proto/opcodes.h"

#include <QAbstractItemModel>
#include <QElapsedTimer>
#include <QTimer>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace zoolab {

class ZnodeTreeModel : public QAbstractItemModel
{
    Q_OBJECT
public:
    enum Column
    {
        NameColumn,
        ChildrenColumn,
        SizeColumn,
        ModifiedColumn,
        ColumnCount
    };
    enum Role
    {
        PathRole = Qt::UserRole + 1,
        StatKnownRole,
        FlashingRole,
        KindRole,
    };

    struct LoadStats
    {
        double maxSliceMs = 0; // longest single GUI-thread slice of model work
        int slices = 0;        // slices run since resetLoadStats()
        qint64 lastLoadMs = 0; // fetchMore to last row inserted, for the last listing
        int lastLoadRows = 0;
    };

    explicit ZnodeTreeModel(ZkSession* session, QObject* parent = nullptr);
    ~ZnodeTreeModel() override;

    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    bool hasChildren(const QModelIndex& parent = {}) const override;
    bool canFetchMore(const QModelIndex& parent) const override;
    void fetchMore(const QModelIndex& parent) override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;

    QString pathOf(const QModelIndex& index) const;
    // The loaded node at path, or an invalid index.
    QModelIndex indexForPath(const QString& path) const;
    std::optional<zk::Stat> statOf(const QModelIndex& index) const;
    // True once the node's children are listed and all inserted.
    bool isLoaded(const QModelIndex& index) const;

    // ZooKeeper reports containers and TTL nodes to clients with ephemeralOwner 0, exactly like
    // persistent nodes (DataNode.copyStat), so the model can only show those kinds for nodes
    // it was told about: the studio notes each node it creates.
    void noteCreated(const QString& path, zk::CreateMode mode, std::int64_t ttlMs = -1);
    // The noted kinds at path and below it (keys are full paths).
    std::map<std::string, CreatedKind> createdKindsUnder(const QString& path) const;

    // F5: re-list the node's children (if listed) and re-read its stat.
    void refresh(const QModelIndex& index);
    // Forget everything and start again from "/" (after a new session).
    void reload();

    LoadStats loadStats() const { return m_stats; }
    void resetLoadStats() { m_stats = {}; }

    int statPrefetchRows = 1000;
    int insertBatchRows = 2000;
    int flashMs = 1500;

signals:
    // The node's children are listed and inserted (also after a re-list).
    void childrenLoaded(const QString& path);
    // A watched node's data or children changed on the server.
    void nodeChanged(const QString& path);
    void loadFailed(const QString& path, const QString& reason);

private:
    struct Node;
    enum class Load
    {
        None,
        Listing,
        Inserting,
        Done
    };

    class SliceTimer;

    Node* nodeOf(const QModelIndex& index) const;
    QModelIndex indexOf(Node* node, int column = 0) const;
    int rowOf(const Node* node) const;
    Node* findNode(const std::string& path) const;
    static std::string pathOf(const Node* node);

    void list(Node* node);
    void onListed(const std::string& path, zk::client::Result<zk::client::ChildrenResult> result);
    void applyFirstListing(Node* node, std::vector<std::string> names);
    void insertNextBatch(const std::string& path);
    void insertRows(Node* node, std::size_t count, std::vector<std::optional<zk::Stat>> stats);
    void applyRelisting(Node* node, const std::vector<std::string>& names);
    void finishLoading(Node* node);

    void requestStat(Node* node) const;
    void flushStatRequests();
    void onStat(const std::string& path, zk::client::Result<zk::Stat> result);
    void onChildWatch(const zk::client::WatchedEvent& event);
    void onDataWatch(const zk::client::WatchedEvent& event);
    void onSessionState(zk::client::SessionState state);
    void flash(Node* node);
    void expireFlashes();
    void recordSlice(double ms);
    std::optional<ZnodeKind> kindFor(const Node* node) const;

    ZkSession* m_session;
    std::shared_ptr<GuiInbox> m_inbox;
    std::unique_ptr<Node> m_invisibleRoot;
    zk::client::WatcherPtr m_childWatcher;
    zk::client::WatcherPtr m_dataWatcher;
    mutable std::vector<std::string> m_statQueue;
    mutable bool m_statFlushQueued = false;
    std::vector<std::string> m_retryListing;
    std::vector<std::string> m_flashing;
    std::map<std::string, CreatedKind> m_createdModes;
    QTimer m_flashTimer;
    QElapsedTimer m_clock;
    LoadStats m_stats;
    std::uint64_t m_generation = 0;
};

} // namespace zoolab
