#pragma once
// ConnectionTab: everything for one connection: the znode tree (with a path filter), the node
// panel, and the zkCli console below. Tree operations (create, delete, recursive delete,
// export, import) start here; blocking ones run on pool threads with a progress dialog.
//
// Thread: GUI thread. Ownership: owns its ZkSession (child); the model and panel are children
// too and are destroyed before the session (declared after it, children deleted in reverse).

#include "controllers/zk_session.h"

#include <QWidget>

class QLineEdit;
class QSplitter;
class QTreeView;

namespace zoolab {

class ConsolePane;
class NodePanel;
class ZnodeFilterModel;
class ZnodeTreeModel;
struct TreeResult;

class ConnectionTab : public QWidget
{
    Q_OBJECT
public:
    explicit ConnectionTab(ConnectionSpec spec, QWidget* parent = nullptr);
    ~ConnectionTab() override;

    // Opens the session; returns a problem sentence or an empty string.
    QString start();

    ZkSession* session() const { return m_session; }
    ZnodeTreeModel* model() const { return m_model; }
    QTreeView* tree() const { return m_tree; }
    NodePanel* panel() const { return m_panel; }
    ConsolePane* console() const { return m_console; }
    QString currentPath() const;
    // Loads, expands and selects path, one level at a time as the listings arrive.
    void revealPath(const QString& path);
    QString title() const;

    void newNode();
    void deleteSelected();
    void refresh();
    void save();
    void exportSubtree();
    void importSubtree();
    void setConsoleVisible(bool visible);
    bool consoleVisible() const;
    void saveLayout(const QString& key) const;
    void restoreLayout(const QString& key);

signals:
    void statusMessage(const QString& text);
    void titleChanged();

private:
    void onSelection();
    void onExpanded(const QModelIndex& proxyIndex);
    void continueReveal();
    void runTreeJob(
        const QString& title,
        std::function<TreeResult(zk::client::SyncClient&, const std::function<bool(int, int)>&)>
            job,
        std::function<void(const TreeResult&)> done);

    ZkSession* m_session = nullptr;
    ZnodeTreeModel* m_model = nullptr;
    ZnodeFilterModel* m_filter = nullptr;
    QLineEdit* m_filterEdit = nullptr;
    QTreeView* m_tree = nullptr;
    NodePanel* m_panel = nullptr;
    ConsolePane* m_console = nullptr;
    QSplitter* m_vertical = nullptr;
    QSplitter* m_horizontal = nullptr;
    QString m_reveal;
};

} // namespace zoolab
