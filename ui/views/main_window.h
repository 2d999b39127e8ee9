#pragma once
// MainWindow: the studio's frame. A central tab widget holds the "Cluster" tab (ClusterView,
// the home view of the embedded ensemble) and beside it one ConnectionTab (the znode tree) per
// connection. The status bar always shows the current connection's state.
//
// Thread: GUI thread. Ownership: owns the EmbeddedCluster (declared first, destroyed last, so
// connection tabs close their sessions before the servers stop), the ClusterController that
// observes it (detached before the cluster goes) and the tabs (children).

#include "controllers/cluster_controller.h"
#include "controllers/connection_spec.h"
#include "controllers/embedded_cluster.h"

#include <QMainWindow>

#include <memory>

class QAction;
class QLabel;
class QMenu;
class QTabWidget;

namespace zoolab {

class ClusterView;
class ConnectionTab;

class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    // Closes the embedded ensemble's tabs, kills every server, deletes the data folder (every
    // server's dataDir) and starts it empty with a new tab. On failure returns false with a
    // sentence in *error.
    bool wipeAndRestartEmbedded(QString* error);
    struct Options
    {
        bool embedded = true;
        bool interactive = true;           // false: never block on a dialog (screenshots, tests)
        std::uint16_t embeddedPort = 2181; // first of three client ports; 0: free ports
        QString dataDir;                   // servers keep their dataDirs in dataDir/nodeN
        QStringList connect;               // extra connect strings from the command line
    };

    explicit MainWindow(Options options, QWidget* parent = nullptr);
    ~MainWindow() override;

    // Starts the embedded ensemble (if wanted) and opens the initial connections.
    void startUp();
    ConnectionTab* openConnection(const ConnectionSpec& spec);
    ConnectionTab* currentConnection() const;
    QTabWidget* tabs() const { return m_tabs; }
    EmbeddedCluster* cluster() const { return m_cluster.get(); }
    ClusterController* clusterController() const { return m_controller.get(); }
    ClusterView* clusterView() const { return m_clusterView; }
    void showClusterTab();
    QAction* undoAction() const { return m_undoAction; }
    void showConnectDialog();

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void buildActions();
    void buildClusterTab();
    void refreshClusterTab();
    void startEmbedded();
    // Asks, then calls wipeAndRestartEmbedded().
    void resetEmbeddedCluster();
    void updateStatus();
    void updateUndo();
    void rebuildRecentMenu();
    void closeTab(int index);
    void addRemoteClusterTab(ConnectionTab* tab, const QString& connectString);

    Options m_options;
    std::unique_ptr<EmbeddedCluster> m_cluster;
    // Declared after the cluster: destroyed (and detached) before it.
    std::unique_ptr<ClusterController> m_controller;
    QString m_embeddedNote;
    QTabWidget* m_tabs = nullptr;
    ClusterView* m_clusterView = nullptr;
    QLabel* m_stateLabel = nullptr;
    QLabel* m_serverLabel = nullptr;
    QMenu* m_recentMenu = nullptr;
    QAction* m_consoleAction = nullptr;
    QAction* m_undoAction = nullptr;
    QList<QAction*> m_nodeActions;
};

} // namespace zoolab
