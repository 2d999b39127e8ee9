#include "views/connection_tab.h"

#include "controllers/tree_operations.h"
#include "models/znode_filter_model.h"
#include "models/znode_tree_model.h"
#include "views/console_pane.h"
#include "views/create_node_dialog.h"
#include "views/node_panel.h"

#include <QFile>
#include <QFileDialog>
#include <QHeaderView>
#include <QInputDialog>
#include <QJsonDocument>
#include <QLineEdit>
#include <QMessageBox>
#include <QPointer>
#include <QProgressDialog>
#include <QSettings>
#include <QSplitter>
#include <QTreeView>
#include <QVBoxLayout>

#include <atomic>

namespace zoolab {

ConnectionTab::ConnectionTab(ConnectionSpec spec, QWidget* parent) : QWidget(parent)
{
    m_session = new ZkSession(spec, this);
    m_model = new ZnodeTreeModel(m_session, this);
    m_filter = new ZnodeFilterModel(this);
    m_filter->setSourceModel(m_model);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_vertical = new QSplitter(Qt::Vertical, this);
    m_horizontal = new QSplitter(Qt::Horizontal, m_vertical);

    auto* left = new QWidget(m_horizontal);
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->setSpacing(2);
    m_filterEdit = new QLineEdit(left);
    m_filterEdit->setPlaceholderText(QStringLiteral("Filter loaded paths…"));
    m_filterEdit->setClearButtonEnabled(true);
    leftLayout->addWidget(m_filterEdit);
    m_tree = new QTreeView(left);
    m_tree->setModel(m_filter);
    m_tree->setUniformRowHeights(true);
    m_tree->setAlternatingRowColors(true);
    m_tree->setSelectionMode(QAbstractItemView::SingleSelection);
    m_tree->header()->setStretchLastSection(false);
    m_tree->header()->setSectionResizeMode(ZnodeTreeModel::NameColumn, QHeaderView::Stretch);
    m_tree->header()->resizeSection(ZnodeTreeModel::ChildrenColumn, 70);
    m_tree->header()->resizeSection(ZnodeTreeModel::SizeColumn, 70);
    m_tree->header()->resizeSection(ZnodeTreeModel::ModifiedColumn, 140);
    leftLayout->addWidget(m_tree, 1);

    m_panel = new NodePanel(m_session, m_horizontal);
    m_horizontal->addWidget(left);
    m_horizontal->addWidget(m_panel);
    m_horizontal->setStretchFactor(0, 3);
    m_horizontal->setStretchFactor(1, 2);

    QString credentials;
    if (!spec.authUser.isEmpty())
        credentials = spec.authUser + QLatin1Char(':') + spec.authPassword;
    m_console = new ConsolePane(spec.connectString.trimmed(), credentials, m_vertical);
    m_vertical->addWidget(m_horizontal);
    m_vertical->addWidget(m_console);
    m_vertical->setStretchFactor(0, 4);
    m_vertical->setStretchFactor(1, 1);
    layout->addWidget(m_vertical);

    connect(m_filterEdit, &QLineEdit::textChanged, m_filter, &ZnodeFilterModel::setPathFilter);
    connect(m_tree, &QTreeView::expanded, this, &ConnectionTab::onExpanded);
    connect(m_tree->selectionModel(), &QItemSelectionModel::currentChanged, this,
            &ConnectionTab::onSelection);
    connect(m_panel, &NodePanel::problem, this, &ConnectionTab::statusMessage);
    connect(m_model, &ZnodeTreeModel::loadFailed, this,
            [this](const QString& path, const QString& reason) {
                emit statusMessage(QStringLiteral("Cannot list %1: %2").arg(path, reason));
            });
    connect(m_session, &ZkSession::stateChanged, this, &ConnectionTab::titleChanged);
    connect(m_session, &ZkSession::message, this, &ConnectionTab::statusMessage);
    // Open "/" as soon as its children are known.
    connect(m_model, &ZnodeTreeModel::childrenLoaded, this, [this](const QString& path) {
        if (path == QStringLiteral("/"))
            m_tree->expand(m_filter->mapFromSource(m_model->indexForPath(path)));
        continueReveal();
    });
    connect(m_session, &ZkSession::stateChanged, this, [this](zk::client::SessionState state) {
        using zk::client::SessionState;
        const QModelIndex root = m_model->index(0, 0);
        if ((state == SessionState::Connected || state == SessionState::ConnectedReadOnly) &&
            m_model->canFetchMore(root))
            m_model->fetchMore(root);
    });
}

ConnectionTab::~ConnectionTab()
{
    // The panel and model hold callbacks into the session's client; remove them first.
    delete m_console;
    delete m_panel;
    delete m_model;
}

QString ConnectionTab::start()
{
    return m_session->open();
}

QString ConnectionTab::title() const
{
    return m_session->spec().label();
}

QString ConnectionTab::currentPath() const
{
    return m_filter->mapToSource(m_tree->currentIndex()).data(ZnodeTreeModel::PathRole).toString();
}

void ConnectionTab::onExpanded(const QModelIndex& proxyIndex)
{
    // QTreeView does not always fetch on expand (it waits for a layout); ask explicitly.
    if (m_filter->canFetchMore(proxyIndex))
        m_filter->fetchMore(proxyIndex);
}

void ConnectionTab::onSelection()
{
    m_panel->showNode(currentPath());
}

void ConnectionTab::revealPath(const QString& path)
{
    m_reveal = path;
    continueReveal();
}

void ConnectionTab::continueReveal()
{
    if (m_reveal.isEmpty())
        return;
    // Walk down from "/" through what is loaded; fetch the first level that is not.
    QString prefix;
    const QStringList parts = m_reveal.split(QLatin1Char('/'), Qt::SkipEmptyParts);
    QModelIndex source = m_model->indexForPath(QStringLiteral("/"));
    for (const QString& part : parts) {
        if (!m_model->isLoaded(source)) {
            if (m_model->canFetchMore(source))
                m_model->fetchMore(source);
            return; // childrenLoaded brings us back here
        }
        m_tree->expand(m_filter->mapFromSource(source));
        prefix += QLatin1Char('/') + part;
        source = m_model->indexForPath(prefix);
        if (!source.isValid()) {
            m_reveal.clear(); // not there (any more)
            return;
        }
    }
    m_reveal.clear();
    const QModelIndex proxy = m_filter->mapFromSource(source);
    m_tree->setCurrentIndex(proxy);
    m_tree->scrollTo(proxy);
}

void ConnectionTab::newNode()
{
    QString parent = currentPath();
    if (parent.isEmpty())
        parent = QStringLiteral("/");
    CreateNodeDialog dialog(parent, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    auto client = m_session->client();
    if (!client)
        return;
    const QByteArray bytes = dialog.data();
    const zk::CreateMode mode = dialog.mode();
    QPointer<ConnectionTab> self(this);
    client->create(dialog.path().toStdString(), zk::Bytes(bytes.begin(), bytes.end()),
                   zk::openAclUnsafe(), mode,
                   m_session->onGui<zk::client::CreateResult>(
                       [self, mode](zk::client::Result<zk::client::CreateResult> r) {
                           if (!self)
                               return;
                           if (!r.ok()) {
                               QMessageBox::warning(self, QStringLiteral("Create failed"),
                                                    QStringLiteral("The node was not created: %1.")
                                                        .arg(ZkSession::describe(r.error)));
                               return;
                           }
                           const QString path = QString::fromStdString(r.value.path);
                           self->m_model->noteCreated(path, mode);
                           self->revealPath(path);
                           emit self->statusMessage(QStringLiteral("Created %1").arg(path));
                       }),
                   dialog.ttlMs());
}

void ConnectionTab::deleteSelected()
{
    const QString path = currentPath();
    if (path.isEmpty() || path == QStringLiteral("/"))
        return;
    const auto stat = m_model->statOf(m_model->indexForPath(path));
    const int children = stat ? stat->numChildren : 0;
    QString question = QStringLiteral("Delete %1?").arg(path);
    if (children > 0)
        question = QStringLiteral("Delete %1 and everything below it (%2 children at the first "
                                  "level)?")
                       .arg(path)
                       .arg(children);
    if (QMessageBox::question(this, QStringLiteral("Delete znode"), question) != QMessageBox::Yes)
        return;
    const std::string target = path.toStdString();
    runTreeJob(
        QStringLiteral("Deleting %1").arg(path),
        [target](zk::client::SyncClient& sync, const std::function<bool(int, int)>& progress) {
            return deleteRecursive(sync, target, progress);
        },
        [this, path](const TreeResult& result) {
            if (result.error.isEmpty() && !result.cancelled)
                emit statusMessage(
                    QStringLiteral("Deleted %1 (%2 nodes)").arg(path).arg(result.nodes));
        });
}

void ConnectionTab::refresh()
{
    const QModelIndex index = m_model->indexForPath(currentPath());
    m_model->refresh(index);
    m_panel->reload();
}

void ConnectionTab::save()
{
    m_panel->save();
}

void ConnectionTab::exportSubtree()
{
    QString path = currentPath();
    if (path.isEmpty())
        path = QStringLiteral("/");
    const QString file = QFileDialog::getSaveFileName(
        this, QStringLiteral("Export %1 as JSON").arg(path), QStringLiteral("zoolab-export.json"),
        QStringLiteral("JSON (*.json)"));
    if (file.isEmpty())
        return;
    const std::string target = path.toStdString();
    runTreeJob(
        QStringLiteral("Exporting %1").arg(path),
        [target](zk::client::SyncClient& sync, const std::function<bool(int, int)>& progress) {
            return zoolab::exportSubtree(sync, target, progress);
        },
        [this, file](const TreeResult& result) {
            if (!result.error.isEmpty() || result.cancelled)
                return;
            QFile out(file);
            if (!out.open(QIODevice::WriteOnly) ||
                out.write(QJsonDocument(result.tree).toJson()) < 0) {
                QMessageBox::warning(
                    this, QStringLiteral("Export failed"),
                    QStringLiteral("Cannot write %1: %2").arg(file, out.errorString()));
                return;
            }
            emit statusMessage(
                QStringLiteral("Exported %1 nodes to %2").arg(result.nodes).arg(file));
        });
}

void ConnectionTab::importSubtree()
{
    const QString file = QFileDialog::getOpenFileName(this, QStringLiteral("Import JSON subtree"),
                                                      {}, QStringLiteral("JSON (*.json)"));
    if (file.isEmpty())
        return;
    QFile in(file);
    if (!in.open(QIODevice::ReadOnly)) {
        QMessageBox::warning(this, QStringLiteral("Import failed"),
                             QStringLiteral("Cannot read %1: %2").arg(file, in.errorString()));
        return;
    }
    QJsonParseError error{};
    const QJsonDocument document = QJsonDocument::fromJson(in.readAll(), &error);
    if (!document.isObject()) {
        QMessageBox::warning(
            this, QStringLiteral("Import failed"),
            QStringLiteral("%1 is not a JSON object: %2").arg(file, error.errorString()));
        return;
    }
    const QJsonObject tree = document.object();
    const QString suggested = tree.value(QStringLiteral("path")).toString();
    bool ok = false;
    const QString target = QInputDialog::getText(this, QStringLiteral("Import subtree"),
                                                 QStringLiteral("Create the subtree at:"),
                                                 QLineEdit::Normal, suggested, &ok);
    if (!ok || target.isEmpty())
        return;
    const std::string targetPath = target.toStdString();
    runTreeJob(
        QStringLiteral("Importing into %1").arg(target),
        [tree, targetPath](zk::client::SyncClient& sync,
                           const std::function<bool(int, int)>& progress) {
            return zoolab::importSubtree(sync, tree, targetPath, progress);
        },
        [this, target](const TreeResult& result) {
            if (result.error.isEmpty() && !result.cancelled)
                emit statusMessage(
                    QStringLiteral("Imported %1 nodes at %2").arg(result.nodes).arg(target));
        });
}

void ConnectionTab::runTreeJob(
    const QString& title,
    std::function<TreeResult(zk::client::SyncClient&, const std::function<bool(int, int)>&)> job,
    std::function<void(const TreeResult&)> done)
{
    auto* dialog = new QProgressDialog(title, QStringLiteral("Cancel"), 0, 0, this);
    dialog->setWindowModality(Qt::WindowModal);
    dialog->setMinimumDuration(300);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    auto cancelled = std::make_shared<std::atomic<bool>>(false);
    connect(dialog, &QProgressDialog::canceled, this, [cancelled] { *cancelled = true; });
    QPointer<QProgressDialog> guard(dialog);
    auto inbox = m_session->inbox();
    // Progress reports are coalesced: at most one queued update at a time.
    auto reportQueued = std::make_shared<std::atomic<bool>>(false);
    auto progress = [inbox, guard, cancelled, reportQueued](int doneCount, int total) {
        if (!reportQueued->exchange(true)) {
            inbox->post([guard, doneCount, total, reportQueued] {
                reportQueued->store(false);
                if (!guard)
                    return;
                guard->setMaximum(total);
                guard->setValue(total == 0 ? 0 : doneCount);
                guard->setLabelText(guard->labelText().section(QLatin1Char('\n'), 0, 0) +
                                    QStringLiteral("\n%1 nodes").arg(doneCount));
            });
        }
        return !cancelled->load();
    };
    QPointer<ConnectionTab> self(this);
    const bool started = m_session->runInBackground<TreeResult>(
        [job, progress](zk::client::SyncClient& sync) { return job(sync, progress); },
        [self, guard, done, title](TreeResult result) {
            if (guard)
                guard->close();
            if (!self)
                return;
            if (!result.error.isEmpty())
                QMessageBox::warning(self, title, result.error);
            else if (result.cancelled)
                emit self->statusMessage(
                    QStringLiteral("%1: cancelled after %2 nodes").arg(title).arg(result.nodes));
            done(result);
        });
    if (!started) {
        dialog->close();
        emit statusMessage(QStringLiteral("Not connected."));
    }
}

void ConnectionTab::setConsoleVisible(bool visible)
{
    m_console->setVisible(visible);
}

bool ConnectionTab::consoleVisible() const
{
    return m_console->isVisible();
}

void ConnectionTab::saveLayout(const QString& key) const
{
    QSettings settings;
    settings.setValue(key + QStringLiteral("/vertical"), m_vertical->saveState());
    settings.setValue(key + QStringLiteral("/horizontal"), m_horizontal->saveState());
    settings.setValue(key + QStringLiteral("/tree"), m_tree->header()->saveState());
}

void ConnectionTab::restoreLayout(const QString& key)
{
    QSettings settings;
    m_vertical->restoreState(settings.value(key + QStringLiteral("/vertical")).toByteArray());
    m_horizontal->restoreState(settings.value(key + QStringLiteral("/horizontal")).toByteArray());
    m_tree->header()->restoreState(settings.value(key + QStringLiteral("/tree")).toByteArray());
}

} // namespace zoolab
