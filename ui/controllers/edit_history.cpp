#include "controllers/edit_history.h"

#include <QPointer>

namespace zoolab {

using zk::client::Result;

namespace {

zk::client::OptionalBytes toBytes(const std::optional<QByteArray>& data)
{
    if (!data)
        return std::nullopt;
    return zk::Bytes(data->begin(), data->end());
}

QString kindWord(UndoRecord::Kind kind)
{
    switch (kind) {
    case UndoRecord::Kind::DataSave:
        return QStringLiteral("save of");
    case UndoRecord::Kind::Create:
        return QStringLiteral("create of");
    case UndoRecord::Kind::DeleteLeaf:
        return QStringLiteral("delete of");
    }
    return {};
}

} // namespace

EditHistory::EditHistory(ZkSession* session, QObject* parent) : QObject(parent), m_session(session)
{}

void EditHistory::record(UndoRecord record)
{
    m_record = std::move(record);
    m_whyNot.clear();
    emit changed();
}

void EditHistory::forget(const QString& why)
{
    m_record.reset();
    m_whyNot = QStringLiteral("The last edit, %1, cannot be undone.").arg(why);
    emit changed();
}

QString EditHistory::undoText() const
{
    if (!m_record)
        return QStringLiteral("Undo");
    return QStringLiteral("Undo %1 %2").arg(kindWord(m_record->kind), m_record->path);
}

QString EditHistory::whyNot() const
{
    if (m_busy)
        return QStringLiteral("An undo is already on its way.");
    return m_record ? QString() : m_whyNot;
}

void EditHistory::undo()
{
    if (!canUndo()) {
        emit undoFailed(whyNot());
        return;
    }
    if (!m_session->client()) {
        emit undoFailed(QStringLiteral("Not connected; the undo needs a live session."));
        return;
    }
    m_busy = true;
    emit changed();
    const UndoRecord record = *m_record;
    switch (record.kind) {
    case UndoRecord::Kind::DataSave:
        undoSave(record);
        break;
    case UndoRecord::Kind::Create:
        undoCreate(record);
        break;
    case UndoRecord::Kind::DeleteLeaf:
        undoDelete(record);
        break;
    }
}

void EditHistory::finish(const QString& path, const QString& message)
{
    m_busy = false;
    m_record.reset();
    m_whyNot = QStringLiteral("The last edit was already undone.");
    emit changed();
    emit undone(path, message);
}

void EditHistory::fail(const QString& message)
{
    // The record stays only when trying again may work (connection trouble).
    m_busy = false;
    emit changed();
    emit undoFailed(message);
}

void EditHistory::undoSave(const UndoRecord& record)
{
    QPointer<EditHistory> self(this);
    const QString path = record.path;
    const std::int32_t ours = record.version;
    m_session->client()->setData(
        path.toStdString(), toBytes(record.data), ours,
        m_session->onGui<zk::Stat>([self, path, ours](Result<zk::Stat> r) {
            if (!self)
                return;
            if (r.ok()) {
                self->finish(path, QStringLiteral("Undone: %1 has its data from before the save "
                                                  "again (now version %2).")
                                       .arg(path)
                                       .arg(r.value.version));
                return;
            }
            if (r.error == zk::ZError::BadVersion) {
                self->forget(QStringLiteral("the save of %1").arg(path));
                self->fail(QStringLiteral("Cannot undo: %1 was changed again after your save "
                                          "(your save made version %2). Undo only restores "
                                          "data nobody has touched since.")
                               .arg(path)
                               .arg(ours));
                return;
            }
            if (r.error == zk::ZError::NoNode) {
                self->forget(QStringLiteral("the save of %1").arg(path));
                self->fail(
                    QStringLiteral("Cannot undo: %1 was deleted after your save.").arg(path));
                return;
            }
            self->fail(QStringLiteral("Cannot undo the save of %1: %2.")
                           .arg(path, ZkSession::describe(r.error)));
        }));
}

void EditHistory::undoCreate(const UndoRecord& record)
{
    QPointer<EditHistory> self(this);
    const QString path = record.path;
    const zk::Zxid czxid = record.czxid;
    // exists first: a delete checked against version 0 alone would also remove a node someone
    // else created at the same path after ours was gone.
    m_session->client()->exists(
        path.toStdString(), nullptr,
        m_session->onGui<zk::Stat>([self, path, czxid](Result<zk::Stat> stat) {
            if (!self)
                return;
            QString why;
            if (stat.error == zk::ZError::NoNode)
                why = QStringLiteral("%1 was already deleted.").arg(path);
            else if (!stat.ok())
                return self->fail(QStringLiteral("Cannot undo the create of %1: %2.")
                                      .arg(path, ZkSession::describe(stat.error)));
            else if (stat.value.czxid != czxid)
                why = QStringLiteral("%1 was deleted and created again by someone else.").arg(path);
            else if (stat.value.numChildren > 0)
                why = QStringLiteral("%1 has children now.").arg(path);
            else if (stat.value.version != 0)
                why = QStringLiteral("%1 was changed after you created it (it is at version %2).")
                          .arg(path)
                          .arg(stat.value.version);
            if (!why.isEmpty()) {
                self->forget(QStringLiteral("the create of %1").arg(path));
                return self->fail(QStringLiteral("Cannot undo: ") + why);
            }
            auto client = self->m_session->client();
            if (!client)
                return self->fail(QStringLiteral("Not connected; the undo needs a live session."));
            client->deleteNode(
                path.toStdString(), 0,
                self->m_session->onGui<zk::client::Unit>([self, path](Result<zk::client::Unit> r) {
                    if (!self)
                        return;
                    if (r.ok())
                        return self->finish(
                            path, QStringLiteral("Undone: %1 is deleted again.").arg(path));
                    if (r.error == zk::ZError::BadVersion || r.error == zk::ZError::NotEmpty ||
                        r.error == zk::ZError::NoNode)
                        self->forget(QStringLiteral("the create of %1").arg(path));
                    self->fail(QStringLiteral("Cannot undo the create of %1: %2.")
                                   .arg(path, ZkSession::describe(r.error)));
                }));
        }));
}

void EditHistory::undoDelete(const UndoRecord& record)
{
    QPointer<EditHistory> self(this);
    const QString path = record.path;
    m_session->client()->create(
        path.toStdString(), toBytes(record.data), record.acl, record.created.mode,
        m_session->onGui<zk::client::CreateResult>([self,
                                                    path](Result<zk::client::CreateResult> r) {
            if (!self)
                return;
            if (r.ok())
                return self->finish(path, QStringLiteral("Undone: %1 exists again with its data "
                                                         "and ACL (as a new node: its version and "
                                                         "zxids start over).")
                                              .arg(path));
            if (r.error == zk::ZError::NodeExists) {
                self->forget(QStringLiteral("the delete of %1").arg(path));
                return self->fail(QStringLiteral("Cannot undo: someone created %1 again after you "
                                                 "deleted it.")
                                      .arg(path));
            }
            if (r.error == zk::ZError::NoNode) {
                self->forget(QStringLiteral("the delete of %1").arg(path));
                return self->fail(
                    QStringLiteral("Cannot undo: the parent of %1 was deleted.").arg(path));
            }
            self->fail(QStringLiteral("Cannot undo the delete of %1: %2.")
                           .arg(path, ZkSession::describe(r.error)));
        }),
        record.created.ttlMs);
}

TreeResult deleteNodeForUndo(zk::client::SyncClient& sync, const std::string& path,
                             const Progress& progress, const CreatedKind& known,
                             std::optional<UndoRecord>& record)
{
    TreeResult result;
    if (path == "/" || path == "/zookeeper" || path.rfind("/zookeeper/", 0) == 0)
        return deleteRecursive(sync, path, progress); // refuses with its own sentence
    auto data = sync.getData(path);
    if (!data.ok()) {
        result.error = failure("read", path, data.error);
        result.errorCode = data.error;
        return result;
    }
    const zk::Stat& stat = data.value.stat;
    if (stat.numChildren > 0)
        return deleteRecursive(sync, path, progress);
    const bool ephemeral = kindOf(stat) == ZnodeKind::Ephemeral;
    auto acl = ephemeral ? zk::client::Result<zk::client::AclResult>{} : sync.getAcl(path);
    if (!acl.ok()) {
        result.error = failure("read the ACL of", path, acl.error);
        result.errorCode = acl.error;
        return result;
    }
    auto deleted = sync.deleteNode(path, stat.version);
    if (!deleted.ok()) {
        result.errorCode = deleted.error;
        if (deleted.error == zk::ZError::BadVersion || deleted.error == zk::ZError::NotEmpty)
            result.error = QStringLiteral("%1 changed while it was being deleted; nothing was "
                                          "deleted. Look at it again and retry.")
                               .arg(QString::fromStdString(path));
        else
            result.error = failure("delete", path, deleted.error);
        return result;
    }
    result.nodes = 1;
    if (ephemeral)
        return result;
    UndoRecord undo;
    undo.kind = UndoRecord::Kind::DeleteLeaf;
    undo.path = QString::fromStdString(path);
    if (const auto& bytes = data.value.data)
        undo.data =
            QByteArray(reinterpret_cast<const char*>(bytes->data()), qsizetype(bytes->size()));
    undo.acl = acl.value.acl;
    // Created again under the same name, so never in a sequential mode.
    if (known.mode == zk::CreateMode::Container)
        undo.created = known;
    else if ((known.mode == zk::CreateMode::PersistentWithTtl ||
              known.mode == zk::CreateMode::PersistentSequentialWithTtl) &&
             known.ttlMs > 0)
        undo.created = {zk::CreateMode::PersistentWithTtl, known.ttlMs};
    record = undo;
    return result;
}

} // namespace zoolab
