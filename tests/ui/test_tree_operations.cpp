// Proves the studio's subtree operations on a live server: recursive delete removes a whole
// subtree with progress, export/import round-trips text, binary and null data, and the
// console runs zkCli commands on its own thread.

#include "controllers/tree_operations.h"
#include "live_server.h"
#include "views/console_pane.h"

#include <QLineEdit>
#include <QPlainTextEdit>
#include <QTest>

using namespace zoolab;
using namespace zoolab::testing;
using zk::CreateMode;

class TreeOperationsTest : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void deletesRecursivelyWithProgress();
    void refusesToDeleteRoot();
    void cancelStopsDelete();
    void exportImportRoundTrip();
    void consoleRunsCommands();

private:
    std::unique_ptr<LiveServer> m_server;
    std::unique_ptr<zk::client::ZkClient> m_raw;
};

void TreeOperationsTest::init()
{
    m_server = std::make_unique<LiveServer>();
    QVERIFY(!m_server->startError);
    m_raw = m_server->rawClient();
    zk::client::SyncClient sync(*m_raw);
    const auto acl = zk::openAclUnsafe();
    QVERIFY(sync.create("/t", bytesOf("top"), acl, CreateMode::Persistent).ok());
    for (int i = 0; i < 5; ++i) {
        const std::string child = "/t/c" + std::to_string(i);
        QVERIFY(sync.create(child, bytesOf("child"), acl, CreateMode::Persistent).ok());
        for (int j = 0; j < 3; ++j)
            QVERIFY(sync.create(child + "/g" + std::to_string(j), {}, acl, CreateMode::Persistent)
                        .ok());
    }
    QVERIFY(sync.create("/t/bin", zk::Bytes{0x00, 0xff, 0x80}, acl, CreateMode::Persistent).ok());
}

void TreeOperationsTest::cleanup()
{
    m_raw.reset();
    m_server.reset();
}

void TreeOperationsTest::deletesRecursivelyWithProgress()
{
    zk::client::SyncClient sync(*m_raw);
    int lastDone = 0;
    int lastTotal = 0;
    const TreeResult result = deleteRecursive(sync, "/t", [&](int done, int total) {
        lastDone = done;
        lastTotal = total;
        return true;
    });
    QVERIFY2(result.error.isEmpty(), qPrintable(result.error));
    QCOMPARE(result.nodes, 1 + 5 + 15 + 1);
    QCOMPARE(lastDone, 22);
    QCOMPARE(lastTotal, 22);
    QCOMPARE(sync.exists("/t").error, zk::ZError::NoNode);
}

void TreeOperationsTest::refusesToDeleteRoot()
{
    zk::client::SyncClient sync(*m_raw);
    QVERIFY(!deleteRecursive(sync, "/", {}).error.isEmpty());
    QVERIFY(!deleteRecursive(sync, "/zookeeper", {}).error.isEmpty());
    QVERIFY(sync.exists("/zookeeper").ok());
}

void TreeOperationsTest::cancelStopsDelete()
{
    zk::client::SyncClient sync(*m_raw);
    const TreeResult result = deleteRecursive(sync, "/t", [](int done, int) { return done < 3; });
    QVERIFY(result.cancelled);
    QCOMPARE(result.nodes, 3);
    QVERIFY(sync.exists("/t").ok()); // the parent outlives a cancelled delete
}

void TreeOperationsTest::exportImportRoundTrip()
{
    zk::client::SyncClient sync(*m_raw);
    QVERIFY(sync.create("/t/null", std::nullopt, zk::openAclUnsafe(), CreateMode::Persistent).ok());
    const TreeResult exported = exportSubtree(sync, "/t", {});
    QVERIFY2(exported.error.isEmpty(), qPrintable(exported.error));
    QCOMPARE(exported.nodes, 1 + 5 + 15 + 2);
    QCOMPARE(exported.tree.value(QStringLiteral("path")).toString(), QStringLiteral("/t"));

    const TreeResult imported = importSubtree(sync, exported.tree, "/copy", {});
    QVERIFY2(imported.error.isEmpty(), qPrintable(imported.error));
    QCOMPARE(imported.nodes, exported.nodes);
    QCOMPARE(sync.getChildren("/copy/c3").value.children.size(), std::size_t(3));
    QCOMPARE(sync.getData("/copy/bin").value.data, (zk::client::OptionalBytes{{0x00, 0xff, 0x80}}));
    QCOMPARE(sync.getData("/copy").value.data, zk::client::OptionalBytes(bytesOf("top")));
    QVERIFY(!sync.getData("/copy/null").value.data.has_value());

    QJsonObject bogus;
    bogus.insert(QStringLiteral("nothing"), 1);
    QVERIFY(!importSubtree(sync, bogus, "/x", {}).error.isEmpty());
}

void TreeOperationsTest::consoleRunsCommands()
{
    ConsolePane console(QString::fromStdString(m_server->cluster->connectString()), {});
    console.run(QStringLiteral("create /fromconsole hello"));
    console.run(QStringLiteral("get /fromconsole"));
    QTRY_VERIFY_WITH_TIMEOUT(console.output()->toPlainText().contains(QStringLiteral("\nhello")),
                             15000);
    QVERIFY(zk::client::SyncClient(*m_raw).exists("/fromconsole").ok());
    QCOMPARE(console.history(), (QStringList{"create /fromconsole hello", "get /fromconsole"}));
    // Up recalls the last command.
    QTest::keyClick(console.input(), Qt::Key_Up);
    QCOMPARE(console.input()->text(), QStringLiteral("get /fromconsole"));
    // Tab completes a path.
    console.input()->setText(QStringLiteral("ls /fromc"));
    QTest::keyClick(console.input(), Qt::Key_Tab);
    QTRY_COMPARE_WITH_TIMEOUT(console.input()->text(), QStringLiteral("ls /fromconsole"), 10000);
}

QTEST_MAIN(TreeOperationsTest)
#include "test_tree_operations.moc"
