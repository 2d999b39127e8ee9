// Proves the studio's start-up: the embedded 3-server ensemble starts, the Cluster tab (the
// home view) observes it and the first connection tab connects to all three servers; when a
// chosen port is taken, a non-interactive start moves to three free ports and says so; data
// survives a restart of the studio and "Reset embedded cluster" wipes it.

#include "controllers/cluster_controller.h"
#include "controllers/embedded_cluster.h"
#include "controllers/zk_session.h"
#include "views/cluster_view.h"
#include "views/connection_tab.h"
#include "views/main_window.h"

#include "client/sync_client.h"

#include <QComboBox>
#include <QCoreApplication>
#include <QDir>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace zoolab;
using zk::client::SessionState;

class MainWindowTest : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void startsEmbeddedAndConnects();
    void movesToFreePortWhenTaken();
    void keepsDataAcrossRestartsAndResets();
};

void MainWindowTest::initTestCase()
{
    QCoreApplication::setOrganizationName(QStringLiteral("ZooLabTest"));
    QCoreApplication::setApplicationName(QStringLiteral("zoolab-test"));
}

void MainWindowTest::startsEmbeddedAndConnects()
{
    MainWindow::Options options;
    options.interactive = false;
    options.embeddedPort = 0;
    MainWindow window(options);
    window.startUp();
    QVERIFY(window.cluster() && window.cluster()->running());
    QCOMPARE(window.tabs()->count(), 2);
    QCOMPARE(window.tabs()->tabText(0), QStringLiteral("Cluster"));
    QCOMPARE(window.tabs()->widget(0), window.clusterView());
    QVERIFY(window.clusterController()->attached());
    QCOMPARE(window.cluster()->nodes().size(), std::size_t(3));
    auto* tab = window.currentConnection();
    QVERIFY(tab);
    QVERIFY(tab->session()->spec().embedded);
    // The tab names all three servers, so the session moves when one goes away.
    QCOMPARE(tab->session()->spec().connectString.split(QLatin1Char(',')).size(), 3);
    QCOMPARE(tab->session()->spec().connectString,
             QString::fromStdString(window.cluster()->connectString()));
    QTRY_VERIFY_WITH_TIMEOUT(
        window.clusterController()->bannerText().startsWith(QStringLiteral("serving, leader ")),
        15000);
    QTRY_COMPARE_WITH_TIMEOUT(tab->session()->state(), SessionState::Connected, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(window.tabs()->tabText(1).contains(QStringLiteral("(connected)")),
                             5000);
}

void MainWindowTest::movesToFreePortWhenTaken()
{
    // Hold a port the way another server would.
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    QCOMPARE(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
    QCOMPARE(::listen(fd, 1), 0);
    socklen_t length = sizeof address;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
    const std::uint16_t taken = ntohs(address.sin_port);
    QVERIFY(EmbeddedCluster::portInUse("127.0.0.1", taken));

    MainWindow::Options options;
    options.interactive = false;
    options.embeddedPort = taken;
    {
        MainWindow window(options);
        window.startUp();
        QVERIFY(window.cluster() && window.cluster()->running());
        for (const auto& node : window.cluster()->nodes())
            QVERIFY(node.clientPort != taken);
        auto* tab = window.currentConnection();
        QVERIFY(tab);
        QTRY_COMPARE_WITH_TIMEOUT(tab->session()->state(), SessionState::Connected, 10000);
    }
    ::close(fd);
}

namespace {

// Whether `path` exists on the window's embedded server, asked by a fresh client.
zk::ZError existsOnEmbedded(MainWindow& window, const std::string& path, bool create)
{
    zk::client::ClientOptions options;
    options.connectString = window.cluster()->connectString();
    zk::client::ZkClient client(options);
    zk::client::SyncClient sync(client);
    if (sync.waitConnected(std::chrono::seconds(10)) != SessionState::Connected)
        return zk::ZError::ConnectionLoss;
    if (create)
        return sync
            .create(path, zk::client::Bytes{'v'}, zk::openAclUnsafe(), zk::CreateMode::Persistent)
            .error;
    return sync.exists(path, nullptr).error;
}

} // namespace

void MainWindowTest::keepsDataAcrossRestartsAndResets()
{
    QTemporaryDir dir;
    MainWindow::Options options;
    options.interactive = false;
    options.embeddedPort = 0;
    options.dataDir = dir.path() + QStringLiteral("/embedded");
    {
        MainWindow window(options);
        window.startUp();
        QVERIFY(window.cluster() && window.cluster()->running());
        QCOMPARE(existsOnEmbedded(window, "/kept", true), zk::ZError::Ok);
    }
    MainWindow window(options);
    window.startUp();
    QVERIFY(window.cluster() && window.cluster()->running());
    QCOMPARE(existsOnEmbedded(window, "/kept", false), zk::ZError::Ok);
    // Slow motion set on this ensemble does not outlive it.
    window.clusterView()->setElectionDelayMs(300);
    QCOMPARE(window.clusterController()->electionDelay(), std::chrono::milliseconds(300));
    QString error;
    QVERIFY2(window.wipeAndRestartEmbedded(&error), qPrintable(error));
    QCOMPARE(existsOnEmbedded(window, "/kept", false), zk::ZError::NoNode);
    QVERIFY(window.currentConnection() && window.currentConnection()->session()->spec().embedded);
    // Each server has its own dataDir under the data folder, and the view follows the new
    // ensemble.
    for (int sid = 1; sid <= 3; ++sid)
        QVERIFY(QDir(options.dataDir + QStringLiteral("/node%1").arg(sid)).exists());
    QVERIFY(window.clusterController()->attached());
    QCOMPARE(window.clusterController()->cluster(), window.cluster());
    QCOMPARE(window.clusterController()->electionDelay(), std::chrono::milliseconds(0));
    QCOMPARE(window.clusterView()->speedBox()->currentData().toInt(), 0);
}

QTEST_MAIN(MainWindowTest)
#include "test_main_window.moc"
