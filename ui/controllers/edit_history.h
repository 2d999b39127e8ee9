#pragma once
// EditHistory: the last edit made in one connection tab, and undoing it when that is safe.
//
// Undoable edits: a data save, creating a node, deleting a single leaf node. Each is undone
// only if nobody touched the node since: a save is reverted with setData checked against the
// version our save produced; a create is undone with a delete checked against version 0 and
// the creating zxid; a deleted leaf is created again (same data, ACL and, when known, kind)
// unless a node exists there again. Anything else the tab does (recursive delete, ACL change,
// copy, move, import, an overwriting save) replaces the record with a reason why it cannot be
// undone. There is one level of undo and no redo.
//
// Thread: GUI thread (a QObject). undo() is asynchronous through the session's client; the
// outcome arrives as undone() or undoFailed() with a sentence. Ownership: does not own the
// session; the session must outlive it.

#include "controllers/tree_operations.h"
#include "controllers/zk_session.h"
#include "models/znode_kind.h"

#include <QByteArray>
#include <QObject>
#include <QString>

#include <optional>

namespace zoolab {

struct UndoRecord
{
    enum class Kind
    {
        DataSave,
        Create,
        DeleteLeaf
    };
    Kind kind = Kind::DataSave;
    QString path;
    // DataSave: the bytes the save replaced; DeleteLeaf: the deleted node's data. nullopt is
    // ZooKeeper's null data.
    std::optional<QByteArray> data;
    std::int32_t version = 0; // DataSave: the version our save produced
    zk::Zxid czxid = 0;       // Create: the zxid that created our node
    zk::AclList acl;          // DeleteLeaf
    CreatedKind created;      // DeleteLeaf: how to create it again
};

// Deletes path. A leaf (no children) that is not ephemeral goes alone, checked against the
// version just read, and `record` is filled so the delete can be undone (`known` is how the
// studio created it, if it did). A node with children goes with deleteRecursive and an
// ephemeral node without a record. Worker thread, like tree_operations.h.
TreeResult deleteNodeForUndo(zk::client::SyncClient& sync, const std::string& path,
                             const Progress& progress, const CreatedKind& known,
                             std::optional<UndoRecord>& record);

class EditHistory : public QObject
{
    Q_OBJECT
public:
    explicit EditHistory(ZkSession* session, QObject* parent = nullptr);

    void record(UndoRecord record);
    // The last edit cannot be undone; `why` says so in words ("a recursive delete of /a").
    void forget(const QString& why);

    bool canUndo() const { return m_record.has_value() && !m_busy; }
    // "Undo save of /a", or "Undo" when there is nothing.
    QString undoText() const;
    // Why there is nothing to undo, in words; empty when canUndo().
    QString whyNot() const;
    std::optional<UndoRecord> last() const { return m_record; }
    void undo();

signals:
    void changed();
    void undone(const QString& path, const QString& message);
    void undoFailed(const QString& message);

private:
    void undoSave(const UndoRecord& record);
    void undoCreate(const UndoRecord& record);
    void undoDelete(const UndoRecord& record);
    void finish(const QString& path, const QString& message);
    void fail(const QString& message);

    ZkSession* m_session;
    std::optional<UndoRecord> m_record;
    QString m_whyNot = QStringLiteral("Nothing has been edited in this tab yet.");
    bool m_busy = false;
};

} // namespace zoolab
