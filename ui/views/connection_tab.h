#pragma once
// ConnectionTab: everything for one connection: the znode tree (with a path filter and a
// search pane below it), the node panel (data, stat, ACL editor), and the zkCli console
// below. The Node menu's operations run through NodeActions; the last edit is kept in an
// EditHistory for Edit ▸ Undo.
//
// Thread: GUI thread. Ownership: owns its ZkSession (child); the model, panel, console,
// search pane, actions and history are children too and are destroyed before the session.

#include "controllers/zk_session.h"

#include <QWidget>

class QLineEdit;
class QSplitter;
class QTreeView;

namespace zoolab {

class ConsolePane;
class EditHistory;
class NodeActions;
class NodePanel;
class SearchPane;
class ZnodeFilterModel;
class ZnodeTreeModel;

class ConnectionTab : public QWidget
{
    Q_OBJECT
public:
    explicit ConnectionTab(ConnectionSpec spec, QWidget* parent = nullptr);
    ~ConnectionTab() override;

    // Opens the session; returns a problem sentence or an empty string.
    QString start();
    // False: no modal questions or message boxes (tests, screenshots); problems still reach
    // statusMessage.
    void setInteractive(bool interactive);

    ZkSession* session() const { return m_session; }
    ZnodeTreeModel* model() const { return m_model; }
    QTreeView* tree() const { return m_tree; }
    NodePanel* panel() const { return m_panel; }
    ConsolePane* console() const { return m_console; }
    SearchPane* search() const { return m_search; }
    NodeActions* actions() const { return m_actions; }
    EditHistory* history() const { return m_history; }
    QString currentPath() const;
    // Loads, expands and selects path, one level at a time as the listings arrive.
    void revealPath(const QString& path);
    QString title() const;

    void newNode();
    void deleteSelected();
    void copySelected();
    void moveSelected();
    void renameSelected();
    void refresh();
    void save();
    void exportSubtree();
    void importSubtree();
    void undo();
    // Shows the search pane, searching below the selected node.
    void showSearch();
    void setConsoleVisible(bool visible);
    bool consoleVisible() const;
    void saveLayout(const QString& key) const;
    void restoreLayout(const QString& key);

signals:
    void statusMessage(const QString& text);
    void titleChanged();
    // The undo state changed (text or availability).
    void undoChanged();

private:
    void buildLeft(QWidget* left);
    void connectParts();
    void onSelection();
    void onExpanded(const QModelIndex& proxyIndex);
    void continueReveal();

    ZkSession* m_session = nullptr;
    ZnodeTreeModel* m_model = nullptr;
    ZnodeFilterModel* m_filter = nullptr;
    EditHistory* m_history = nullptr;
    NodeActions* m_actions = nullptr;
    QLineEdit* m_filterEdit = nullptr;
    QTreeView* m_tree = nullptr;
    SearchPane* m_search = nullptr;
    NodePanel* m_panel = nullptr;
    ConsolePane* m_console = nullptr;
    QSplitter* m_vertical = nullptr;
    QSplitter* m_horizontal = nullptr;
    QSplitter* m_left = nullptr;
    QString m_reveal;
    QString m_lastRelist;
    bool m_interactive = true; // the reveal that already asked for a fresh listing
};

} // namespace zoolab
