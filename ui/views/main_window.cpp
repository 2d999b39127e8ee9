#include "views/main_window.h"

#include "controllers/edit_history.h"
#include "controllers/port_offer.h"
#include "models/znode_icons.h"
#include "views/cluster_view.h"
#include "views/connect_dialog.h"
#include "views/connection_tab.h"
#include "views/ports_in_use_dialog.h"
#include "views/remote_cluster_view.h"

#include <filesystem>

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QKeySequence>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QPainter>
#include <QPushButton>
#include <QSettings>
#include <QSignalBlocker>
#include <QStatusBar>
#include <QTabBar>
#include <QTabWidget>
#include <QToolBar>
#include <QVBoxLayout>

namespace zoolab {

using zk::client::SessionState;

namespace {

QColor stateColor(SessionState state)
{
    switch (state) {
    case SessionState::Connected:
        return QColor(0x16, 0xa3, 0x4a);
    case SessionState::ConnectedReadOnly:
        return QColor(0x25, 0x63, 0xeb);
    case SessionState::Connecting:
    case SessionState::Suspended:
        return QColor(0xf5, 0x9e, 0x0b);
    default:
        return QColor(0xdc, 0x26, 0x26);
    }
}

QIcon stateIcon(SessionState state)
{
    QPixmap pixmap(16, 16);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(Qt::NoPen);
    painter.setBrush(stateColor(state));
    painter.drawEllipse(QRectF(3, 3, 10, 10));
    return QIcon(pixmap);
}

const QString layoutKey = QStringLiteral("layout/connection");

} // namespace

MainWindow::MainWindow(Options options, QWidget* parent)
    : QMainWindow(parent), m_options(std::move(options))
{
    setWindowTitle(QStringLiteral("ZooLab Studio"));
    setWindowIcon(appIcon());
    m_tabs = new QTabWidget(this);
    m_tabs->setDocumentMode(true);
    m_tabs->setTabsClosable(true);
    m_tabs->setMovable(true);
    setCentralWidget(m_tabs);
    buildClusterTab();
    buildActions();
    m_stateLabel = new QLabel(this);
    m_serverLabel = new QLabel(this);
    statusBar()->addPermanentWidget(m_serverLabel);
    statusBar()->addPermanentWidget(m_stateLabel);
    connect(m_tabs, &QTabWidget::currentChanged, this, &MainWindow::updateStatus);
    connect(m_tabs, &QTabWidget::tabCloseRequested, this, &MainWindow::closeTab);
    QSettings settings;
    if (!restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray()))
        resize(1400, 900);
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    updateStatus();
}

MainWindow::~MainWindow()
{
    // Close every connection (and the cluster view) before the embedded ensemble stops.
    while (m_tabs->count() > 0) {
        QWidget* page = m_tabs->widget(0);
        m_tabs->removeTab(0);
        delete page;
    }
    m_controller->detach();
}

void MainWindow::buildActions()
{
    QMenu* file = menuBar()->addMenu(QStringLiteral("&File"));
    QAction* connectAction = file->addAction(QStringLiteral("&Connect to ensemble…"), this,
                                             &MainWindow::showConnectDialog);
    connectAction->setShortcut(QKeySequence(QStringLiteral("Ctrl+O")));
    m_recentMenu = file->addMenu(QStringLiteral("&Recent connections"));
    rebuildRecentMenu();
    QAction* reconnect = file->addAction(QStringLiteral("Re&connect (new session)"), this, [this] {
        if (auto* tab = currentConnection())
            tab->session()->reopen();
    });
    reconnect->setShortcut(QKeySequence(QStringLiteral("Ctrl+R")));
    QAction* closeTabAction = file->addAction(QStringLiteral("Close &tab"), this, [this] {
        if (currentConnection())
            closeTab(m_tabs->currentIndex());
    });
    closeTabAction->setShortcut(QKeySequence::Close);
    file->addAction(QStringLiteral("Reset &embedded cluster…"), this,
                    &MainWindow::resetEmbeddedCluster);
    file->addAction(QStringLiteral("Open t&imeline…"), this, [this] {
        showClusterTab();
        m_clusterView->openTimelineDialog();
    });
    file->addSeparator();
    QAction* quit = file->addAction(QStringLiteral("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence(QStringLiteral("Ctrl+Q")));

    QMenu* edit = menuBar()->addMenu(QStringLiteral("&Edit"));
    m_undoAction = edit->addAction(QStringLiteral("&Undo"), this, [this] {
        if (auto* tab = currentConnection())
            tab->undo();
    });
    // A focused text field keeps Ctrl+Z for its own typing (it overrides the shortcut).
    m_undoAction->setShortcut(QKeySequence::Undo);
    m_undoAction->setIconText(QStringLiteral("Undo")); // the toolbar keeps a short label
    QAction* find = edit->addAction(QStringLiteral("&Find znodes…"), this, [this] {
        if (auto* tab = currentConnection())
            tab->showSearch();
    });
    find->setShortcut(QKeySequence::Find);
    find->setIconText(QStringLiteral("Find"));
    m_nodeActions << find;

    QMenu* node = menuBar()->addMenu(QStringLiteral("&Node"));
    auto addNodeAction = [&](const QString& text, const QKeySequence& key,
                             void (ConnectionTab::*method)()) {
        QAction* action = node->addAction(text, this, [this, method] {
            if (auto* tab = currentConnection())
                (tab->*method)();
        });
        action->setShortcut(key);
        m_nodeActions << action;
        return action;
    };
    QAction* newNode =
        addNodeAction(QStringLiteral("&New znode…"), QKeySequence::New, &ConnectionTab::newNode);
    QAction* deleteNode = addNodeAction(QStringLiteral("&Delete…"), QKeySequence::Delete,
                                        &ConnectionTab::deleteSelected);
    QAction* refresh =
        addNodeAction(QStringLiteral("&Refresh"), QKeySequence::Refresh, &ConnectionTab::refresh);
    QAction* save =
        addNodeAction(QStringLiteral("&Save data"), QKeySequence::Save, &ConnectionTab::save);
    node->addSeparator();
    addNodeAction(QStringLiteral("Re&name…"), QKeySequence(Qt::Key_F2),
                  &ConnectionTab::renameSelected);
    addNodeAction(QStringLiteral("&Copy subtree to…"), {}, &ConnectionTab::copySelected);
    addNodeAction(QStringLiteral("&Move subtree to…"), {}, &ConnectionTab::moveSelected);
    node->addSeparator();
    addNodeAction(QStringLiteral("&Export subtree as JSON…"), {}, &ConnectionTab::exportSubtree);
    addNodeAction(QStringLiteral("&Import subtree from JSON…"), {}, &ConnectionTab::importSubtree);

    QMenu* view = menuBar()->addMenu(QStringLiteral("&View"));
    m_consoleAction = view->addAction(QStringLiteral("&Console"));
    m_consoleAction->setCheckable(true);
    m_consoleAction->setChecked(true);
    m_consoleAction->setShortcut(QKeySequence(QStringLiteral("Ctrl+`")));
    connect(m_consoleAction, &QAction::toggled, this, [this](bool on) {
        for (int i = 0; i < m_tabs->count(); ++i) {
            if (auto* tab = qobject_cast<ConnectionTab*>(m_tabs->widget(i)))
                tab->setConsoleVisible(on);
        }
    });
    QAction* clusterAction =
        view->addAction(QStringLiteral("C&luster"), this, &MainWindow::showClusterTab);
    clusterAction->setShortcut(QKeySequence(QStringLiteral("Ctrl+1")));

    QMenu* help = menuBar()->addMenu(QStringLiteral("&Help"));
    help->addAction(QStringLiteral("&About ZooLab"), this, [this] {
        QMessageBox::about(
            this, QStringLiteral("About ZooLab Studio"),
            QStringLiteral("<b>ZooLab Studio</b> %1<br>A ZooKeeper-compatible "
                           "coordination server and its desktop studio.<br>Qt %2")
                .arg(QApplication::applicationVersion(), QString::fromLatin1(qVersion())));
    });

    QToolBar* toolbar = addToolBar(QStringLiteral("Main"));
    toolbar->setObjectName(QStringLiteral("mainToolbar"));
    toolbar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    toolbar->addAction(connectAction);
    toolbar->addSeparator();
    toolbar->addAction(newNode);
    toolbar->addAction(deleteNode);
    toolbar->addAction(refresh);
    toolbar->addAction(save);
    toolbar->addSeparator();
    toolbar->addAction(find);
    toolbar->addAction(m_undoAction);
    toolbar->addSeparator();
    // The built-in load generator: a light mix of writes and reads on the embedded ensemble,
    // so the cluster charts move. Off by default.
    QAction* load = toolbar->addAction(QStringLiteral("Load"));
    load->setObjectName(QStringLiteral("loadAction"));
    load->setCheckable(true);
    load->setToolTip(QStringLiteral("Run a light load (about 40 requests/s, one write for three "
                                    "reads) against the embedded ensemble"));
    connect(load, &QAction::toggled, m_controller.get(), &ClusterController::setLoadEnabled);
    connect(m_controller.get(), &ClusterController::loadChanged, load, [load](bool on) {
        const QSignalBlocker blocker(load);
        load->setChecked(on);
    });
}

void MainWindow::rebuildRecentMenu()
{
    m_recentMenu->clear();
    const auto recent = loadRecentConnections();
    for (const ConnectionSpec& spec : recent) {
        m_recentMenu->addAction(spec.label(), this, [this, spec] {
            ConnectDialog dialog(this);
            dialog.setSpec(spec);
            if (spec.authUser.isEmpty()) {
                openConnection(spec);
                return;
            }
            if (dialog.exec() == QDialog::Accepted)
                openConnection(dialog.spec());
        });
    }
    m_recentMenu->setEnabled(!recent.isEmpty());
}

void MainWindow::buildClusterTab()
{
    m_controller = std::make_unique<ClusterController>();
    m_clusterView = new ClusterView(m_controller.get(), m_tabs);
    m_tabs->addTab(m_clusterView, QStringLiteral("Cluster"));
    // The cluster tab stays; only connection tabs close.
    m_tabs->tabBar()->setTabButton(0, QTabBar::RightSide, nullptr);
    m_tabs->tabBar()->setTabButton(0, QTabBar::LeftSide, nullptr);
    connect(m_controller.get(), &ClusterController::message, this,
            [this](const QString& text) { statusBar()->showMessage(text, 8000); });
    refreshClusterTab();
}

void MainWindow::showClusterTab()
{
    // Without an embedded ensemble, the cluster worth showing is the first remote one.
    if (!m_cluster) {
        for (int i = 0; i < m_tabs->count(); ++i) {
            if (qobject_cast<RemoteClusterView*>(m_tabs->widget(i))) {
                m_tabs->setCurrentIndex(i);
                return;
            }
        }
    }
    m_tabs->setCurrentWidget(m_clusterView);
}

void MainWindow::refreshClusterTab()
{
    if (!m_cluster || !m_cluster->running()) {
        m_clusterView->setNote(
            QStringLiteral("No embedded ensemble is running%1.")
                .arg(m_embeddedNote.isEmpty() ? QString() : QStringLiteral(": ") + m_embeddedNote));
        m_clusterView->setFooter({});
        return;
    }
    m_clusterView->setNote(m_embeddedNote);
    m_clusterView->setFooter(
        QStringLiteral("%1 in this process · clients connect to %2 · each server keeps Apache "
                       "ZooKeeper's txn log and snapshots in %3/node1…node%4, kept across "
                       "restarts of the studio")
            .arg(QString::fromStdString(m_cluster->modeLabel()),
                 QString::fromStdString(m_cluster->connectString()),
                 m_options.dataDir.isEmpty() ? QStringLiteral("a temporary folder")
                                             : m_options.dataDir)
            .arg(m_cluster->options().nodeCount));
}

void MainWindow::startUp()
{
    if (m_options.embedded)
        startEmbedded();
    else
        m_embeddedNote = QStringLiteral("started with --no-embedded");
    refreshClusterTab();
    for (const QString& target : m_options.connect) {
        ConnectionSpec spec;
        spec.connectString = target;
        openConnection(spec);
    }
    if (m_tabs->count() > 1 && m_options.connect.isEmpty())
        m_tabs->setCurrentIndex(1);
}

void MainWindow::startEmbedded()
{
    std::uint16_t port = m_options.embeddedPort;
    const std::string host = "127.0.0.1";
    const PortOffer offer =
        makePortOffer(QString::fromStdString(host), port, EmbeddedCluster::Options().nodeCount);
    if (offer.needed()) {
        auto choice = PortsInUseDialog::Choice::FreePorts;
        if (m_options.interactive) {
            PortsInUseDialog box(offer, this);
            box.exec();
            choice = box.choice();
        }
        const QString problem = offer.problem();
        if (choice == PortsInUseDialog::Choice::ConnectThere) {
            m_embeddedNote = problem + QStringLiteral("; connected to it instead");
            ConnectionSpec spec;
            spec.connectString = offer.takenConnectString();
            openConnection(spec);
            return;
        }
        if (choice == PortsInUseDialog::Choice::None || !offer.freeBase) {
            m_embeddedNote = problem;
            return;
        }
        m_embeddedNote =
            problem +
            QStringLiteral("; the embedded ensemble uses ports %1 instead").arg(offer.freeRange());
        statusBar()->showMessage(m_embeddedNote, 15000);
        port = *offer.freeBase;
    }
    EmbeddedCluster::Options options;
    options.host = host;
    options.basePort = port;
    options.dataDir = m_options.dataDir.toStdString();
    m_cluster = std::make_unique<EmbeddedCluster>(options);
    // Observed before it starts, so the view shows the first election.
    m_controller->attach(m_cluster.get());
    if (auto ec = m_cluster->start()) {
        m_controller->detach();
        m_embeddedNote = m_cluster->lastError().empty()
                             ? QStringLiteral("it could not listen on 127.0.0.1:%1: %2")
                                   .arg(port)
                                   .arg(QString::fromStdString(ec.message()))
                             : QString::fromStdString(m_cluster->lastError());
        m_cluster.reset();
        if (m_options.interactive)
            QMessageBox::warning(
                this, QStringLiteral("Embedded cluster"),
                QStringLiteral("The embedded ensemble did not start: %1.").arg(m_embeddedNote));
        return;
    }
    if (!m_cluster->migrationNote().empty())
        statusBar()->showMessage(
            QStringLiteral("Upgrade: %1.").arg(QString::fromStdString(m_cluster->migrationNote())),
            30000);
    ConnectionSpec spec;
    spec.connectString = QString::fromStdString(m_cluster->connectString());
    spec.embedded = true;
    openConnection(spec);
}

ConnectionTab* MainWindow::openConnection(const ConnectionSpec& spec)
{
    auto* tab = new ConnectionTab(spec, m_tabs);
    const QString problem = tab->start();
    if (!problem.isEmpty()) {
        delete tab;
        QMessageBox::warning(this, QStringLiteral("Cannot connect"), problem);
        return nullptr;
    }
    if (!spec.embedded) {
        rememberConnection(spec);
        rebuildRecentMenu();
    }
    const int index = m_tabs->addTab(tab, stateIcon(SessionState::Connecting), tab->title());
    if (!spec.embedded)
        addRemoteClusterTab(tab, spec.connectString);
    tab->restoreLayout(layoutKey);
    tab->setConsoleVisible(m_consoleAction->isChecked());
    m_tabs->setCurrentIndex(index);
    tab->setInteractive(m_options.interactive);
    connect(tab, &ConnectionTab::statusMessage, this,
            [this](const QString& text) { statusBar()->showMessage(text, 10000); });
    connect(tab, &ConnectionTab::undoChanged, this, &MainWindow::updateUndo);
    connect(tab, &ConnectionTab::titleChanged, this, [this, tab] {
        const int at = m_tabs->indexOf(tab);
        if (at < 0)
            return;
        const SessionState state = tab->session()->state();
        m_tabs->setTabIcon(at, stateIcon(state));
        m_tabs->setTabText(
            at, QStringLiteral("%1 (%2)").arg(tab->title(), ZkSession::stateName(state)));
        if (state == SessionState::Expired)
            statusBar()->showMessage(QStringLiteral("%1: the session expired. File ▸ Reconnect "
                                                    "(Ctrl+R) opens a new one.")
                                         .arg(tab->title()));
        updateStatus();
    });
    updateStatus();
    return tab;
}

ConnectionTab* MainWindow::currentConnection() const
{
    return qobject_cast<ConnectionTab*>(m_tabs->currentWidget());
}

void MainWindow::showConnectDialog()
{
    ConnectDialog dialog(this);
    if (dialog.exec() == QDialog::Accepted)
        openConnection(dialog.spec());
}

void MainWindow::resetEmbeddedCluster()
{
    if (m_options.dataDir.isEmpty() || !m_options.embedded)
        return;
    const auto answer = QMessageBox::question(
        this, QStringLiteral("Reset embedded cluster"),
        QStringLiteral("Delete every znode and session of the embedded ensemble and start it "
                       "empty?\n\nIts data folder %1 (every server's dataDir) is wiped. This "
                       "cannot be undone.")
            .arg(m_options.dataDir),
        QMessageBox::Reset | QMessageBox::Cancel, QMessageBox::Cancel);
    if (answer != QMessageBox::Reset)
        return;
    QString error;
    if (!wipeAndRestartEmbedded(&error)) {
        QMessageBox::warning(this, QStringLiteral("Reset embedded cluster"), error);
        return;
    }
    statusBar()->showMessage(QStringLiteral("The embedded cluster was reset"), 10000);
}

bool MainWindow::wipeAndRestartEmbedded(QString* error)
{
    for (int i = m_tabs->count() - 1; i >= 0; --i) {
        auto* tab = qobject_cast<ConnectionTab*>(m_tabs->widget(i));
        if (tab && tab->session()->spec().embedded)
            closeTab(i);
    }
    m_controller->detach();
    m_cluster.reset();
    std::error_code ec;
    std::filesystem::remove_all(m_options.dataDir.toStdString(), ec);
    if (ec) {
        *error = QStringLiteral("Could not delete %1: %2")
                     .arg(m_options.dataDir, QString::fromStdString(ec.message()));
        return false;
    }
    m_embeddedNote.clear();
    startEmbedded();
    refreshClusterTab();
    updateStatus();
    if (!m_cluster || !m_cluster->running()) {
        *error =
            QStringLiteral("The embedded ensemble did not start again: %1").arg(m_embeddedNote);
        return false;
    }
    return true;
}

void MainWindow::addRemoteClusterTab(ConnectionTab* tab, const QString& connectString)
{
    // Roles and votes of an ensemble the studio does not run, beside its connection tab.
    auto* view = new RemoteClusterView(m_tabs);
    if (!view->start(connectString).isEmpty()) {
        delete view;
        return;
    }
    m_tabs->addTab(view, QStringLiteral("Cluster · %1").arg(tab->title()));
    connect(tab, &QObject::destroyed, view, &QObject::deleteLater);
}

void MainWindow::closeTab(int index)
{
    if (auto* remote = qobject_cast<RemoteClusterView*>(m_tabs->widget(index))) {
        m_tabs->removeTab(index);
        delete remote;
        return;
    }
    auto* tab = qobject_cast<ConnectionTab*>(m_tabs->widget(index));
    if (!tab)
        return;
    tab->saveLayout(layoutKey);
    m_tabs->removeTab(index);
    delete tab;
}

void MainWindow::updateUndo()
{
    ConnectionTab* tab = currentConnection();
    const EditHistory* history = tab ? tab->history() : nullptr;
    // Enabled even with nothing to undo: pressing it then says why in the status bar.
    m_undoAction->setEnabled(history != nullptr);
    m_undoAction->setText(history ? history->undoText() : QStringLiteral("Undo"));
    m_undoAction->setStatusTip(history ? history->whyNot() : QString());
}

void MainWindow::updateStatus()
{
    ConnectionTab* tab = currentConnection();
    updateUndo();
    for (QAction* action : m_nodeActions)
        action->setEnabled(tab != nullptr);
    if (!tab) {
        m_stateLabel->setText(m_cluster && m_cluster->running()
                                  ? QStringLiteral("Embedded ensemble on %1")
                                        .arg(QString::fromStdString(m_cluster->connectString()))
                                  : QStringLiteral("No connection selected"));
        m_serverLabel->clear();
        return;
    }
    const SessionState state = tab->session()->state();
    m_stateLabel->setText(QStringLiteral("<span style='color:%1'>●</span> %2")
                              .arg(stateColor(state).name(), tab->session()->stateText()));
    m_serverLabel->setText(tab->session()->serverText());
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    if (auto* tab = currentConnection())
        tab->saveLayout(layoutKey);
    event->accept();
}

} // namespace zoolab
