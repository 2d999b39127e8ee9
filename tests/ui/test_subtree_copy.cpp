// Proves copy, move and rename of subtrees against a live server: a copy keeps data (text,
// binary, null), ACLs and the container and TTL kinds the studio knows (the server's reaper
// proves the kind); ephemerals are left out of a copy and make a move refuse to start; small
// moves are one atomic multi, large ones go node by node with progress and cancel; bad
// targets are refused in words; and through a connection tab the tree follows the rename.

#include "controllers/edit_history.h"
#include "controllers/subtree_copy.h"
#include "live_server.h"
#include "models/znode_tree_model.h"
#include "views/connection_tab.h"
#include "views/node_actions.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace zoolab;
using namespace zoolab::testing;
using zk::CreateMode;
using zk::client::SessionState;

namespace {

// Everyone reads; this machine (the test's clients) may do everything.
zk::AclList guardedAcl()
{
    return {{zk::perms::Read, {"world", "anyone"}}, {zk::perms::All, {"ip", "127.0.0.1"}}};
}

} // namespace

class SubtreeCopyTest : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void copyKeepsDataAclAndKinds();
    void copyLeavesOutEphemerals();
    void moveIsOneTransaction();
    void moveRefusesEphemerals();
    void largeMoveGoesNodeByNode();
    void cancelledCopyLeavesSourceAlone();
    void refusesBadTargets();
    void renameInTabUpdatesTree();

private:
    zk::client::SyncClient sync() { return zk::client::SyncClient(*m_raw); }
    void makeSource();
    void makeWide(const std::string& root, int count);

    std::unique_ptr<LiveServer> m_server;
    std::unique_ptr<zk::client::ZkClient> m_raw;
};

void SubtreeCopyTest::init()
{
    // A short tick and container check, so the reaper shows which copies are containers.
    EmbeddedCluster::Options options;
    options.tickTimeMs = 200;
    options.containerCheckIntervalMs = 200;
    m_server = std::make_unique<LiveServer>(options);
    QVERIFY(!m_server->startError);
    m_raw = m_server->rawClient();
}

void SubtreeCopyTest::cleanup()
{
    m_raw.reset();
    m_server.reset();
}

void SubtreeCopyTest::makeSource()
{
    auto s = sync();
    const auto open = zk::openAclUnsafe();
    QVERIFY(s.create("/src", bytesOf("root"), open, CreateMode::Persistent).ok());
    QVERIFY(s.create("/src/text", bytesOf("héllo"), guardedAcl(), CreateMode::Persistent).ok());
    QVERIFY(
        s.create("/src/text/bin", zk::Bytes{0x00, 0xff, 0x80}, open, CreateMode::Persistent).ok());
    QVERIFY(s.create("/src/null", std::nullopt, open, CreateMode::Persistent).ok());
    QVERIFY(s.create("/src/jobs", {}, open, CreateMode::Container).ok());
    QVERIFY(s.create("/src/jobs/job-1", bytesOf("pending"), open, CreateMode::Persistent).ok());
    QVERIFY(s.create("/src/hint", bytesOf("ttl"), open, CreateMode::PersistentWithTtl, 400).ok());
    QVERIFY(s.create("/src/hint/keep", {}, open, CreateMode::Persistent).ok());
    QVERIFY(s.create("/src/lock-", {}, open, CreateMode::PersistentSequential).ok());
}

void SubtreeCopyTest::makeWide(const std::string& root, int count)
{
    auto s = sync();
    QVERIFY(s.create(root, bytesOf("wide"), zk::openAclUnsafe(), CreateMode::Persistent).ok());
    for (int i = 0; i < count; ++i)
        QVERIFY(s.create(root + "/n" + std::to_string(i), bytesOf(std::to_string(i)),
                         zk::openAclUnsafe(), CreateMode::Persistent)
                    .ok());
}

void SubtreeCopyTest::copyKeepsDataAclAndKinds()
{
    makeSource();
    auto s = sync();
    CopyOptions options;
    options.known["/src/jobs"] = {CreateMode::Container, -1};
    options.known["/src/hint"] = {CreateMode::PersistentWithTtl, 400};
    const TreeResult result = copySubtree(s, "/src", "/dst", options, {});
    QVERIFY2(result.error.isEmpty(), qPrintable(result.error));
    // Containers and TTL nodes are created one by one (the server's multi answer for them
    // cannot be decoded; see subtree_copy.cpp).
    QVERIFY(!result.atomic);
    QCOMPARE(result.nodes, 9);
    QCOMPARE(s.getData("/dst").value.data, zk::client::OptionalBytes(bytesOf("root")));
    QCOMPARE(s.getData("/dst/text").value.data, zk::client::OptionalBytes(bytesOf("héllo")));
    QCOMPARE(s.getData("/dst/text/bin").value.data,
             (zk::client::OptionalBytes{{0x00, 0xff, 0x80}}));
    QVERIFY(s.exists("/dst/null").ok());
    QVERIFY(!s.getData("/dst/null").value.data.has_value());
    QCOMPARE(s.getAcl("/dst/text").value.acl, guardedAcl());
    QCOMPARE(s.getAcl("/dst").value.acl, zk::openAclUnsafe());
    QVERIFY(s.exists("/src/lock-0000000004").ok());
    QVERIFY(s.exists("/dst/lock-0000000004").ok()); // a sequential node keeps its name
    // The source is untouched.
    QCOMPARE(s.getAllChildrenNumber("/src").value, 8);

    // Emptied, the container copy and the TTL copy are reaped; a persistent one stays.
    QVERIFY(s.deleteNode("/dst/jobs/job-1").ok());
    QVERIFY(s.deleteNode("/dst/hint/keep").ok());
    QVERIFY(s.deleteNode("/dst/text/bin").ok());
    QTRY_COMPARE_WITH_TIMEOUT(s.exists("/dst/jobs").error, zk::ZError::NoNode, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(s.exists("/dst/hint").error, zk::ZError::NoNode, 10000);
    QVERIFY(s.exists("/dst/text").ok());
    QVERIFY(s.exists("/src/jobs").ok());
}

void SubtreeCopyTest::copyLeavesOutEphemerals()
{
    makeSource();
    auto owner = m_server->rawClient();
    QVERIFY(zk::client::SyncClient(*owner)
                .create("/src/member", bytesOf("me"), zk::openAclUnsafe(), CreateMode::Ephemeral)
                .ok());
    auto s = sync();
    const TreeResult result = copySubtree(s, "/src", "/dst", {}, {});
    QVERIFY2(result.error.isEmpty(), qPrintable(result.error));
    QCOMPARE(result.skipped, 1);
    QCOMPARE(result.nodes, 9);
    QCOMPARE(s.exists("/dst/member").error, zk::ZError::NoNode);
}

void SubtreeCopyTest::moveIsOneTransaction()
{
    makeSource();
    auto s = sync();
    CopyOptions options;
    options.move = true;
    const TreeResult result = copySubtree(s, "/src", "/moved", options, {});
    QVERIFY2(result.error.isEmpty(), qPrintable(result.error));
    QVERIFY(result.atomic);
    QCOMPARE(s.exists("/src").error, zk::ZError::NoNode);
    QCOMPARE(s.getAllChildrenNumber("/moved").value, 8);
    QCOMPARE(s.getAcl("/moved/text").value.acl, guardedAcl());
}

void SubtreeCopyTest::moveRefusesEphemerals()
{
    makeSource();
    auto owner = m_server->rawClient();
    QVERIFY(zk::client::SyncClient(*owner)
                .create("/src/jobs/worker", {}, zk::openAclUnsafe(), CreateMode::Ephemeral)
                .ok());
    auto s = sync();
    CopyOptions options;
    options.move = true;
    const TreeResult result = copySubtree(s, "/src", "/moved", options, {});
    QVERIFY(result.error.contains(QStringLiteral("/src/jobs/worker is an ephemeral node")));
    QVERIFY(result.error.contains(QStringLiteral("Nothing was changed")));
    QCOMPARE(s.exists("/moved").error, zk::ZError::NoNode);
    QCOMPARE(s.getAllChildrenNumber("/src").value, 9);
}

void SubtreeCopyTest::largeMoveGoesNodeByNode()
{
    makeWide("/wide", 40);
    auto s = sync();
    CopyOptions options;
    options.move = true;
    options.multiMaxNodes = 10;
    int lastDone = 0;
    int lastTotal = 0;
    const TreeResult result = copySubtree(s, "/wide", "/wide2", options, [&](int done, int total) {
        if (total > 0) {
            lastDone = done;
            lastTotal = total;
        }
        return true;
    });
    QVERIFY2(result.error.isEmpty(), qPrintable(result.error));
    QVERIFY(!result.atomic);
    QCOMPARE(result.nodes, 41);
    QCOMPARE(lastTotal, 3 * 41); // read, create, delete
    QCOMPARE(lastDone, lastTotal);
    QCOMPARE(s.exists("/wide").error, zk::ZError::NoNode);
    QCOMPARE(s.getData("/wide2/n39").value.data, zk::client::OptionalBytes(bytesOf("39")));
}

void SubtreeCopyTest::cancelledCopyLeavesSourceAlone()
{
    makeWide("/wide", 40);
    auto s = sync();
    CopyOptions options;
    options.move = true;
    options.multiMaxNodes = 10;
    // Cancel during the writes: after the 41 reads and 5 creates.
    const TreeResult result =
        copySubtree(s, "/wide", "/wide2", options, [](int done, int) { return done < 46; });
    QVERIFY(result.cancelled);
    QCOMPARE(result.nodes, 5);
    QVERIFY2(result.error.contains(QStringLiteral("partial (5 of 41 nodes)")),
             qPrintable(result.error));
    QVERIFY(result.error.contains(QStringLiteral("source is untouched")));
    QCOMPARE(s.getAllChildrenNumber("/wide").value, 40);
    QCOMPARE(s.getAllChildrenNumber("/wide2").value, 4);
}

void SubtreeCopyTest::refusesBadTargets()
{
    makeSource();
    auto s = sync();
    CopyOptions move;
    move.move = true;
    QVERIFY(copySubtree(s, "/src", "/src/inner", move, {})
                .error.contains(QStringLiteral("into itself")));
    QVERIFY(copySubtree(s, "/src", "/src", move, {}).error.contains(QStringLiteral("same")));
    QVERIFY(copySubtree(s, "/", "/x", {}, {}).error.contains(QStringLiteral("root")));
    QVERIFY(copySubtree(s, "/src", "/bad//path", {}, {})
                .error.contains(QStringLiteral("not a valid znode path")));
    QVERIFY(copySubtree(s, "/src", "/zookeeper/x", {}, {})
                .error.contains(QStringLiteral("belongs to the server")));
    QVERIFY(copySubtree(s, "/src/text", "/src/null", {}, {})
                .error.contains(QStringLiteral("/src/null already exists")));
    QVERIFY(copySubtree(s, "/src", "/no/parent", {}, {})
                .error.contains(QStringLiteral("does not exist")));
    QCOMPARE(s.getAllChildrenNumber("/src").value, 8);
}

void SubtreeCopyTest::renameInTabUpdatesTree()
{
    makeSource();
    ConnectionTab tab(m_server->spec());
    tab.setInteractive(false);
    QVERIFY(tab.start().isEmpty());
    QAbstractItemModelTester tester(tab.model());
    tab.show();
    QTRY_COMPARE_WITH_TIMEOUT(tab.session()->state(), SessionState::Connected, 10000);
    tab.revealPath(QStringLiteral("/src/jobs"));
    QTRY_COMPARE_WITH_TIMEOUT(tab.currentPath(), QStringLiteral("/src/jobs"), 10000);
    tab.model()->noteCreated(QStringLiteral("/src/jobs"), CreateMode::Container);

    QSignalSpy finished(tab.actions(), &NodeActions::copyFinished);
    tab.actions()->moveNode(QStringLiteral("/src/jobs"), QStringLiteral("/src/queue"));
    QVERIFY(finished.wait(10000));
    QCOMPARE(finished.first().at(2).toBool(), true);
    // The tree drops the old name, shows the new one (selected) and still knows its kind.
    QTRY_VERIFY_WITH_TIMEOUT(!tab.model()->indexForPath(QStringLiteral("/src/jobs")).isValid(),
                             10000);
    QTRY_COMPARE_WITH_TIMEOUT(tab.currentPath(), QStringLiteral("/src/queue"), 10000);
    const QModelIndex moved = tab.model()->indexForPath(QStringLiteral("/src/queue"));
    QTRY_COMPARE_WITH_TIMEOUT(moved.data(ZnodeTreeModel::KindRole).toInt(),
                              int(ZnodeKind::Container), 10000);
    QVERIFY(!tab.history()->canUndo());
    QVERIFY(tab.history()->whyNot().contains(QStringLiteral("moving /src/jobs to /src/queue")));

    // A refused move says why through the tab's status line, and changes nothing.
    QSignalSpy status(&tab, &ConnectionTab::statusMessage);
    tab.actions()->moveNode(QStringLiteral("/src"), QStringLiteral("/src/queue/x"));
    QVERIFY(status.count() > 0);
    QVERIFY(status.last().first().toString().contains(QStringLiteral("into itself")));
}

QTEST_MAIN(SubtreeCopyTest)
#include "test_subtree_copy.moc"
