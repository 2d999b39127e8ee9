#pragma once
// NodeActions: what the Node menu does to the tree of one connection tab: create, delete
// (a leaf, or a subtree recursively), copy, move and rename a subtree, export and import
// JSON. Blocking work runs on pool threads behind a progress dialog with Cancel; every
// outcome is reported in words (statusMessage, or problem for failures). Each edit is handed
// to the tab's EditHistory: undoable ones as a record, the others as a reason.
//
// The *Node() functions take their arguments directly (tests, scripts); the *Selected() ones
// ask with a dialog first. After a change the model follows through its watches; reveal()
// asks the tab to show the node that was created.
//
// Thread: GUI thread. Ownership: a QObject child of the tab; the session, model and history
// must outlive it (they are the tab's too, destroyed after it).

#include "proto/opcodes.h"

#include <QObject>
#include <QString>

class QWidget;

namespace zoolab {

class EditHistory;
class ZkSession;
class ZnodeTreeModel;

class NodeActions : public QObject
{
    Q_OBJECT
public:
    NodeActions(QWidget* tab, ZkSession* session, ZnodeTreeModel* model, EditHistory* history);

    // When false, nothing blocks on a question or a message box: deletes are not confirmed
    // and problems only go to problem() (tests and screenshots).
    void setInteractive(bool interactive) { m_interactive = interactive; }

    void createNode(const QString& path, const QByteArray& data, zk::CreateMode mode,
                    qint64 ttlMs = -1);
    void deleteNode(const QString& path);
    void copyNode(const QString& from, const QString& to);
    void moveNode(const QString& from, const QString& to);

    void createUnder(const QString& parent);
    void deleteSelected(const QString& path);
    void copySelected(const QString& path);
    void moveSelected(const QString& path);
    void renameSelected(const QString& path);
    void exportSubtree(const QString& path);
    void importSubtree();

    // Multi transactions are used up to this many nodes (tests lower it).
    int multiMaxNodes = 1000;

signals:
    void statusMessage(const QString& text);
    void problem(const QString& title, const QString& text);
    void reveal(const QString& path);
    // A copy, move or rename finished (successfully or not); `to` is the new path.
    void copyFinished(const QString& from, const QString& to, bool ok);
    void deleteFinished(const QString& path, bool ok);

private:
    void report(const QString& title, const QString& text);
    void transfer(const QString& from, const QString& to, bool move, const QString& verb);

    QWidget* m_tab;
    ZkSession* m_session;
    ZnodeTreeModel* m_model;
    EditHistory* m_history;
    bool m_interactive = true;
};

} // namespace zoolab
