#include "views/node_actions.h"

#include "controllers/edit_history.h"
#include "controllers/subtree_copy.h"
#include "models/znode_tree_model.h"
#include "views/create_node_dialog.h"
#include "views/progress_job.h"

#include <QFile>
#include <QFileDialog>
#include <QInputDialog>
#include <QJsonDocument>
#include <QMessageBox>
#include <QPointer>
#include <QWidget>

#include <memory>

namespace zoolab {

namespace {

QString nameOf(const QString& path)
{
    return path.section(QLatin1Char('/'), -1);
}

QString parentOf(const QString& path)
{
    const QString parent = path.section(QLatin1Char('/'), 0, -2);
    return parent.isEmpty() ? QStringLiteral("/") : parent;
}

} // namespace

NodeActions::NodeActions(QWidget* tab, ZkSession* session, ZnodeTreeModel* model,
                         EditHistory* history)
    : QObject(tab), m_tab(tab), m_session(session), m_model(model), m_history(history)
{}

void NodeActions::report(const QString& title, const QString& text)
{
    emit problem(title, text);
    if (m_interactive)
        QMessageBox::warning(m_tab, title, text);
}

void NodeActions::createUnder(const QString& parent)
{
    CreateNodeDialog dialog(parent.isEmpty() ? QStringLiteral("/") : parent, m_tab);
    if (dialog.exec() != QDialog::Accepted)
        return;
    createNode(dialog.path(), dialog.data(), dialog.mode(), dialog.ttlMs());
}

void NodeActions::createNode(const QString& path, const QByteArray& data, zk::CreateMode mode,
                             qint64 ttlMs)
{
    auto client = m_session->client();
    if (!client) {
        report(QStringLiteral("Create failed"), QStringLiteral("Not connected."));
        return;
    }
    QPointer<NodeActions> self(this);
    client->create(path.toStdString(), zk::Bytes(data.begin(), data.end()), zk::openAclUnsafe(),
                   mode,
                   m_session->onGui<zk::client::CreateResult>(
                       [self, mode, ttlMs](zk::client::Result<zk::client::CreateResult> r) {
                           if (!self)
                               return;
                           if (!r.ok()) {
                               self->report(QStringLiteral("Create failed"),
                                            QStringLiteral("The node was not created: %1.")
                                                .arg(ZkSession::describe(r.error)));
                               return;
                           }
                           const QString created = QString::fromStdString(r.value.path);
                           self->m_model->noteCreated(created, mode, ttlMs);
                           UndoRecord record;
                           record.kind = UndoRecord::Kind::Create;
                           record.path = created;
                           record.czxid = r.value.stat.czxid;
                           self->m_history->record(record);
                           emit self->reveal(created);
                           emit self->statusMessage(QStringLiteral("Created %1").arg(created));
                       }),
                   ttlMs);
}

void NodeActions::deleteSelected(const QString& path)
{
    if (path.isEmpty() || path == QStringLiteral("/"))
        return;
    const auto stat = m_model->statOf(m_model->indexForPath(path));
    const int children = stat ? stat->numChildren : 0;
    QString question = QStringLiteral("Delete %1?").arg(path);
    if (children > 0)
        question = QStringLiteral("Delete %1 and everything below it (%2 children at the first "
                                  "level)? This cannot be undone.")
                       .arg(path)
                       .arg(children);
    if (m_interactive &&
        QMessageBox::question(m_tab, QStringLiteral("Delete znode"), question) != QMessageBox::Yes)
        return;
    deleteNode(path);
}

void NodeActions::deleteNode(const QString& path)
{
    const std::string target = path.toStdString();
    CreatedKind known;
    if (const auto kinds = m_model->createdKindsUnder(path); kinds.count(target))
        known = kinds.at(target);
    auto record = std::make_shared<std::optional<UndoRecord>>();
    const QString title = QStringLiteral("Deleting %1").arg(path);
    QPointer<NodeActions> self(this);
    const bool started = runWithProgress(
        m_tab, m_session, title,
        [target, known, record](zk::client::SyncClient& sync, const Progress& progress) {
            return deleteNodeForUndo(sync, target, progress, known, *record);
        },
        [self, path, record, title](const TreeResult& result) {
            if (!self)
                return;
            if (result.nodes > 0 && *record)
                self->m_history->record(**record);
            else if (result.nodes > 0)
                self->m_history->forget(
                    result.nodes == 1
                        ? QStringLiteral("deleting the ephemeral node %1").arg(path)
                        : QStringLiteral("deleting %1 with everything below it").arg(path));
            if (!result.error.isEmpty())
                self->report(title, result.error);
            else if (result.cancelled)
                emit self->statusMessage(
                    QStringLiteral("%1: cancelled after %2 nodes").arg(title).arg(result.nodes));
            else
                emit self->statusMessage(
                    QStringLiteral("Deleted %1 (%2 nodes)").arg(path).arg(result.nodes));
            emit self->deleteFinished(path, result.error.isEmpty() && !result.cancelled);
        });
    if (!started)
        report(title, QStringLiteral("Not connected."));
}

void NodeActions::copySelected(const QString& path)
{
    if (path.isEmpty())
        return;
    bool ok = false;
    const QString to =
        QInputDialog::getText(m_tab, QStringLiteral("Copy subtree"),
                              QStringLiteral("Copy %1 and everything below it to:").arg(path),
                              QLineEdit::Normal, path + QStringLiteral("-copy"), &ok);
    if (ok && !to.isEmpty())
        copyNode(path, to.trimmed());
}

void NodeActions::moveSelected(const QString& path)
{
    if (path.isEmpty())
        return;
    bool ok = false;
    const QString to =
        QInputDialog::getText(m_tab, QStringLiteral("Move subtree"),
                              QStringLiteral("Move %1 and everything below it to:").arg(path),
                              QLineEdit::Normal, path, &ok);
    if (ok && !to.isEmpty() && to.trimmed() != path)
        moveNode(path, to.trimmed());
}

void NodeActions::renameSelected(const QString& path)
{
    if (path.isEmpty() || path == QStringLiteral("/"))
        return;
    bool ok = false;
    const QString name = QInputDialog::getText(
        m_tab, QStringLiteral("Rename znode"),
        QStringLiteral("New name for %1 (its children move with it):").arg(path), QLineEdit::Normal,
        nameOf(path), &ok);
    if (!ok || name.isEmpty() || name == nameOf(path))
        return;
    if (name.contains(QLatin1Char('/'))) {
        report(QStringLiteral("Rename"),
               QStringLiteral("A name cannot contain \"/\"; use Move to put the node elsewhere."));
        return;
    }
    const QString parent = parentOf(path);
    moveNode(path, (parent == QStringLiteral("/") ? QString() : parent) + QLatin1Char('/') + name);
}

void NodeActions::copyNode(const QString& from, const QString& to)
{
    transfer(from, to, false, QStringLiteral("Copy"));
}

void NodeActions::moveNode(const QString& from, const QString& to)
{
    transfer(from, to, true, QStringLiteral("Move"));
}

void NodeActions::transfer(const QString& from, const QString& to, bool move, const QString& verb)
{
    const std::string source = from.toStdString();
    const std::string target = to.toStdString();
    const QString title = QStringLiteral("%1 %2 to %3").arg(verb, from, to);
    if (QString problem = copyTargetProblem(source, target, move); !problem.isEmpty()) {
        report(title, problem);
        emit copyFinished(from, to, false);
        return;
    }
    CopyOptions options;
    options.move = move;
    options.known = m_model->createdKindsUnder(from);
    options.multiMaxNodes = multiMaxNodes;
    const auto known = options.known;
    QPointer<NodeActions> self(this);
    const bool started = runWithProgress(
        m_tab, m_session, title,
        [source, target, options](zk::client::SyncClient& sync, const Progress& progress) {
            return copySubtree(sync, source, target, options, progress);
        },
        [self, from, to, move, title, known](const TreeResult& result) {
            if (!self)
                return;
            const bool ok = result.error.isEmpty() && !result.cancelled;
            if (result.nodes > 0)
                self->m_history->forget(
                    QStringLiteral("%1 %2 to %3")
                        .arg(move ? QStringLiteral("moving") : QStringLiteral("copying"), from,
                             to));
            for (const auto& [path, kind] : known) {
                const QString copied = to + QString::fromStdString(path).mid(from.size());
                self->m_model->noteCreated(copied, kind.mode, kind.ttlMs);
            }
            if (!ok) {
                self->report(title,
                             result.error.isEmpty() ? QStringLiteral("Cancelled.") : result.error);
                emit self->copyFinished(from, to, false);
                return;
            }
            QString text =
                QStringLiteral("%1 %2 to %3: %4 nodes%5")
                    .arg(move ? QStringLiteral("Moved") : QStringLiteral("Copied"), from, to)
                    .arg(result.nodes)
                    .arg(result.atomic ? QStringLiteral(", in one transaction") : QString());
            if (result.skipped > 0)
                text += QStringLiteral("; %1 ephemeral nodes were left out (they belong to "
                                       "their sessions)")
                            .arg(result.skipped);
            emit self->statusMessage(text);
            emit self->reveal(to);
            emit self->copyFinished(from, to, true);
        });
    if (!started)
        report(title, QStringLiteral("Not connected."));
}

void NodeActions::exportSubtree(const QString& selected)
{
    const QString path = selected.isEmpty() ? QStringLiteral("/") : selected;
    const QString file = QFileDialog::getSaveFileName(
        m_tab, QStringLiteral("Export %1 as JSON").arg(path), QStringLiteral("zoolab-export.json"),
        QStringLiteral("JSON (*.json)"));
    if (file.isEmpty())
        return;
    const std::string target = path.toStdString();
    const QString title = QStringLiteral("Exporting %1").arg(path);
    QPointer<NodeActions> self(this);
    runWithProgress(
        m_tab, m_session, title,
        [target](zk::client::SyncClient& sync, const Progress& progress) {
            return zoolab::exportSubtree(sync, target, progress);
        },
        [self, file, title](const TreeResult& result) {
            if (!self || result.cancelled)
                return;
            if (!result.error.isEmpty()) {
                self->report(title, result.error);
                return;
            }
            QFile out(file);
            if (!out.open(QIODevice::WriteOnly) ||
                out.write(QJsonDocument(result.tree).toJson()) < 0) {
                self->report(QStringLiteral("Export failed"),
                             QStringLiteral("Cannot write %1: %2").arg(file, out.errorString()));
                return;
            }
            emit self->statusMessage(
                QStringLiteral("Exported %1 nodes to %2").arg(result.nodes).arg(file));
        });
}

void NodeActions::importSubtree()
{
    const QString file = QFileDialog::getOpenFileName(m_tab, QStringLiteral("Import JSON subtree"),
                                                      {}, QStringLiteral("JSON (*.json)"));
    if (file.isEmpty())
        return;
    QFile in(file);
    if (!in.open(QIODevice::ReadOnly)) {
        report(QStringLiteral("Import failed"),
               QStringLiteral("Cannot read %1: %2").arg(file, in.errorString()));
        return;
    }
    QJsonParseError error{};
    const QJsonDocument document = QJsonDocument::fromJson(in.readAll(), &error);
    if (!document.isObject()) {
        report(QStringLiteral("Import failed"),
               QStringLiteral("%1 is not a JSON object: %2").arg(file, error.errorString()));
        return;
    }
    const QJsonObject tree = document.object();
    const QString suggested = tree.value(QStringLiteral("path")).toString();
    bool ok = false;
    const QString target = QInputDialog::getText(m_tab, QStringLiteral("Import subtree"),
                                                 QStringLiteral("Create the subtree at:"),
                                                 QLineEdit::Normal, suggested, &ok);
    if (!ok || target.isEmpty())
        return;
    const std::string targetPath = target.toStdString();
    const QString title = QStringLiteral("Importing into %1").arg(target);
    QPointer<NodeActions> self(this);
    runWithProgress(
        m_tab, m_session, title,
        [tree, targetPath](zk::client::SyncClient& sync, const Progress& progress) {
            return zoolab::importSubtree(sync, tree, targetPath, progress);
        },
        [self, target, title](const TreeResult& result) {
            if (!self)
                return;
            if (result.nodes > 0)
                self->m_history->forget(QStringLiteral("importing into %1").arg(target));
            if (!result.error.isEmpty())
                self->report(title, result.error);
            else if (!result.cancelled)
                emit self->statusMessage(
                    QStringLiteral("Imported %1 nodes at %2").arg(result.nodes).arg(target));
        });
}

} // namespace zoolab
