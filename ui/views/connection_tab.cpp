#include "views/connection_tab.h"

#include "controllers/edit_history.h"
#include "models/znode_filter_model.h"
#include "models/znode_tree_model.h"
#include "views/acl_editor.h"
#include "views/console_pane.h"
#include "views/node_actions.h"
#include "views/node_panel.h"
#include "views/search_pane.h"

#include <QHeaderView>
#include <QLineEdit>
#include <QMessageBox>
#include <QSettings>
#include <QSplitter>
#include <QTreeView>
#include <QVBoxLayout>

namespace zoolab {

ConnectionTab::ConnectionTab(ConnectionSpec spec, QWidget* parent) : QWidget(parent)
{
    m_session = new ZkSession(spec, this);
    m_model = new ZnodeTreeModel(m_session, this);
    m_filter = new ZnodeFilterModel(this);
    m_filter->setSourceModel(m_model);
    m_history = new EditHistory(m_session, this);
    m_actions = new NodeActions(this, m_session, m_model, m_history);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_vertical = new QSplitter(Qt::Vertical, this);
    m_horizontal = new QSplitter(Qt::Horizontal, m_vertical);

    auto* left = new QWidget(m_horizontal);
    buildLeft(left);
    m_panel = new NodePanel(m_session, m_horizontal);
    m_horizontal->addWidget(left);
    m_horizontal->addWidget(m_panel);
    m_horizontal->setStretchFactor(0, 3);
    m_horizontal->setStretchFactor(1, 2);

    m_console = new ConsolePane(m_session, m_vertical);
    m_vertical->addWidget(m_horizontal);
    m_vertical->addWidget(m_console);
    m_vertical->setStretchFactor(0, 4);
    m_vertical->setStretchFactor(1, 1);
    layout->addWidget(m_vertical);
    connectParts();
}

void ConnectionTab::buildLeft(QWidget* left)
{
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->setSpacing(2);
    m_filterEdit = new QLineEdit(left);
    m_filterEdit->setPlaceholderText(QStringLiteral("Filter loaded paths…"));
    m_filterEdit->setClearButtonEnabled(true);
    leftLayout->addWidget(m_filterEdit);
    m_left = new QSplitter(Qt::Vertical, left);
    m_tree = new QTreeView(m_left);
    m_tree->setModel(m_filter);
    m_tree->setUniformRowHeights(true);
    m_tree->setAlternatingRowColors(true);
    m_tree->setSelectionMode(QAbstractItemView::SingleSelection);
    m_tree->header()->setStretchLastSection(false);
    m_tree->header()->setSectionResizeMode(ZnodeTreeModel::NameColumn, QHeaderView::Stretch);
    m_tree->header()->resizeSection(ZnodeTreeModel::ChildrenColumn, 70);
    m_tree->header()->resizeSection(ZnodeTreeModel::SizeColumn, 70);
    m_tree->header()->resizeSection(ZnodeTreeModel::ModifiedColumn, 140);
    m_search = new SearchPane(m_session, m_left);
    m_search->hide();
    m_left->addWidget(m_tree);
    m_left->addWidget(m_search);
    m_left->setStretchFactor(0, 3);
    m_left->setStretchFactor(1, 2);
    leftLayout->addWidget(m_left, 1);
}

void ConnectionTab::connectParts()
{
    connect(m_filterEdit, &QLineEdit::textChanged, m_filter, &ZnodeFilterModel::setPathFilter);
    connect(m_tree, &QTreeView::expanded, this, &ConnectionTab::onExpanded);
    connect(m_tree->selectionModel(), &QItemSelectionModel::currentChanged, this,
            &ConnectionTab::onSelection);
    connect(m_panel, &NodePanel::problem, this, &ConnectionTab::statusMessage);
    connect(m_search, &SearchPane::activated, this, &ConnectionTab::revealPath);
    connect(m_search, &SearchPane::closeRequested, m_search, &QWidget::hide);
    connect(m_actions, &NodeActions::statusMessage, this, &ConnectionTab::statusMessage);
    connect(m_actions, &NodeActions::problem, this,
            [this](const QString& title, const QString& text) {
                emit statusMessage(QStringLiteral("%1: %2").arg(title, text));
            });
    connect(m_actions, &NodeActions::reveal, this, &ConnectionTab::revealPath);
    connect(m_history, &EditHistory::changed, this, &ConnectionTab::undoChanged);
    connect(m_history, &EditHistory::undone, this,
            [this](const QString& path, const QString& message) {
                emit statusMessage(message);
                if (m_panel->path() == path)
                    m_panel->reload();
            });
    connect(m_history, &EditHistory::undoFailed, this, [this](const QString& message) {
        emit statusMessage(message);
        if (m_interactive)
            QMessageBox::information(this, QStringLiteral("Undo"), message);
    });
    connect(m_panel, &NodePanel::dataReplaced, this,
            [this](const QString& path, const QByteArray& before, bool beforeIsNull, int version,
                   bool overwrote) {
                if (overwrote) {
                    m_history->forget(QStringLiteral("a save of %1 that overwrote someone "
                                                     "else's change")
                                          .arg(path));
                    return;
                }
                UndoRecord record;
                record.kind = UndoRecord::Kind::DataSave;
                record.path = path;
                if (!beforeIsNull)
                    record.data = before;
                record.version = version;
                m_history->record(record);
            });
    connect(m_panel->aclEditor(), &AclEditor::applied, this, [this](const QString& path) {
        m_history->forget(QStringLiteral("the ACL change of %1").arg(path));
    });
    connect(m_panel->aclEditor(), &AclEditor::appliedToSubtree, this, [this](const QString& path) {
        m_history->forget(QStringLiteral("the ACL change of %1 and below").arg(path));
    });
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
    // These hold callbacks into the session's client; remove them first.
    delete m_console;
    delete m_search;
    delete m_panel;
    delete m_actions;
    delete m_history;
    delete m_model;
}

QString ConnectionTab::start()
{
    return m_session->open();
}

void ConnectionTab::setInteractive(bool interactive)
{
    m_interactive = interactive;
    m_actions->setInteractive(interactive);
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
    m_lastRelist.clear();
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
            // Not listed yet (a node created a moment ago) or gone: ask the server again and
            // keep waiting for the parent's new listing, once.
            const QModelIndex parent =
                m_model->indexForPath(prefix.section(QLatin1Char('/'), 0, -2));
            if (m_reveal != m_lastRelist && parent.isValid()) {
                m_lastRelist = m_reveal;
                m_model->refresh(parent);
                return;
            }
            m_reveal.clear();
            return;
        }
    }
    m_reveal.clear();
    m_lastRelist.clear();
    const QModelIndex proxy = m_filter->mapFromSource(source);
    m_tree->setCurrentIndex(proxy);
    m_tree->scrollTo(proxy);
}

void ConnectionTab::newNode()
{
    m_actions->createUnder(currentPath());
}

void ConnectionTab::deleteSelected()
{
    m_actions->deleteSelected(currentPath());
}

void ConnectionTab::copySelected()
{
    m_actions->copySelected(currentPath());
}

void ConnectionTab::moveSelected()
{
    m_actions->moveSelected(currentPath());
}

void ConnectionTab::renameSelected()
{
    m_actions->renameSelected(currentPath());
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
    m_actions->exportSubtree(currentPath());
}

void ConnectionTab::importSubtree()
{
    m_actions->importSubtree();
}

void ConnectionTab::undo()
{
    m_history->undo();
}

void ConnectionTab::showSearch()
{
    m_search->setRoot(currentPath());
    m_search->show();
    m_search->focusQuery();
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
