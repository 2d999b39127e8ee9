// Proves the znode tree model against a live embedded server: lazy one-level loading, kinds,
// live child and data watches with flashing, the path filter, and that a node with 100,000
// children loads without any GUI-thread slice taking more than 100 ms.

#include "live_server.h"
#include "models/znode_filter_model.h"
#include "models/znode_kind.h"
#include "models/znode_tree_model.h"

#include <QAbstractItemModelTester>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>
#include <QTreeView>

#include <atomic>

using namespace zoolab;
using namespace zoolab::testing;
using zk::CreateMode;
using zk::client::SessionState;

class ZnodeTreeModelTest : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void loadsOneLevelAtATime();
    void showsKindsAndCounts();
    void prefetchedRowsArriveWithStats();
    void followsChildAndDataChanges();
    void filterMatchesPaths();
    void loadsHundredThousandChildrenInSlices();

private:
    QModelIndex rootIndex(ZnodeTreeModel& model) { return model.index(0, 0); }
    void loadRoot(ZnodeTreeModel& model);

    std::unique_ptr<LiveServer> m_server;
    std::unique_ptr<ZkSession> m_session;
    std::unique_ptr<zk::client::ZkClient> m_raw;
};

void ZnodeTreeModelTest::init()
{
    m_server = std::make_unique<LiveServer>();
    QVERIFY2(!m_server->startError, m_server->startError.message().c_str());
    m_session = m_server->connect();
    QTRY_COMPARE_WITH_TIMEOUT(m_session->state(), SessionState::Connected, 10000);
    m_raw = m_server->rawClient();
}

void ZnodeTreeModelTest::cleanup()
{
    m_raw.reset();
    m_session.reset();
    m_server.reset();
}

void ZnodeTreeModelTest::loadRoot(ZnodeTreeModel& model)
{
    // The model tester may have fetched already (it walks the model when attached).
    if (model.canFetchMore(rootIndex(model)))
        model.fetchMore(rootIndex(model));
    QVERIFY(!model.canFetchMore(rootIndex(model)));
    QTRY_VERIFY_WITH_TIMEOUT(model.isLoaded(rootIndex(model)), 10000);
}

void ZnodeTreeModelTest::loadsOneLevelAtATime()
{
    zk::client::SyncClient sync(*m_raw);
    QVERIFY(sync.create("/a", bytesOf("x"), zk::openAclUnsafe(), CreateMode::Persistent).ok());
    QVERIFY(sync.create("/a/b", {}, zk::openAclUnsafe(), CreateMode::Persistent).ok());
    QVERIFY(sync.create("/a/b/c", {}, zk::openAclUnsafe(), CreateMode::Persistent).ok());

    // No model tester here: it walks (and so fetches) every level it can reach.
    ZnodeTreeModel model(m_session.get());
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.data(rootIndex(model)).toString(), QStringLiteral("/"));
    QCOMPARE(model.rowCount(rootIndex(model)), 0); // nothing until asked
    QSignalSpy loaded(&model, &ZnodeTreeModel::childrenLoaded);
    loadRoot(model);
    QCOMPARE(loaded.count(), 1);
    QCOMPARE(loaded.first().first().toString(), QStringLiteral("/"));
    // "/" holds /a and the server's own /zookeeper.
    QCOMPARE(model.rowCount(rootIndex(model)), 2);
    const QModelIndex a = model.indexForPath(QStringLiteral("/a"));
    QVERIFY(a.isValid());
    QCOMPARE(model.pathOf(a), QStringLiteral("/a"));
    QCOMPARE(model.rowCount(a), 0);
    QVERIFY(model.hasChildren(a));
    QVERIFY(!model.indexForPath(QStringLiteral("/a/b")).isValid()); // one level only
    model.fetchMore(a);
    QTRY_VERIFY_WITH_TIMEOUT(model.isLoaded(a), 10000);
    QCOMPARE(model.rowCount(a), 1);
    const QModelIndex b = model.indexForPath(QStringLiteral("/a/b"));
    QVERIFY(b.isValid());
    QCOMPARE(model.parent(b), a);
    QVERIFY(!model.isLoaded(b));
}

void ZnodeTreeModelTest::prefetchedRowsArriveWithStats()
{
    // Rows within statPrefetchRows are inserted with their stat, so a view asks hasChildren
    // once and gets the truth: a leaf never shows an expand arrow (QTreeView 6.4 keeps the
    // answer it got at insertion).
    zk::client::SyncClient sync(*m_session->client());
    const auto acl = zk::openAclUnsafe();
    QVERIFY(sync.create("/leaf", {}, acl, CreateMode::Persistent).ok());
    QVERIFY(sync.create("/dir", {}, acl, CreateMode::Persistent).ok());
    QVERIFY(sync.create("/dir/x", {}, acl, CreateMode::Persistent).ok());
    ZnodeTreeModel model(m_session.get());
    int inserted = 0;
    int withoutStat = 0;
    connect(&model, &QAbstractItemModel::rowsInserted, this,
            [&](const QModelIndex& parent, int first, int last) {
                for (int row = first; row <= last; ++row) {
                    ++inserted;
                    if (!model.index(row, 0, parent).data(ZnodeTreeModel::StatKnownRole).toBool())
                        ++withoutStat;
                }
            });
    loadRoot(model);
    QCOMPARE(inserted, 3); // leaf, dir, zookeeper
    QCOMPARE(withoutStat, 0);
    QVERIFY(!model.hasChildren(model.indexForPath(QStringLiteral("/leaf"))));
    QVERIFY(model.hasChildren(model.indexForPath(QStringLiteral("/dir"))));
}

void ZnodeTreeModelTest::showsKindsAndCounts()
{
    zk::client::SyncClient sync(*m_session->client());
    const auto acl = zk::openAclUnsafe();
    QVERIFY(sync.create("/p", bytesOf("12345"), acl, CreateMode::Persistent).ok());
    QVERIFY(sync.create("/p/x", {}, acl, CreateMode::Persistent).ok());
    QVERIFY(sync.create("/p/y", {}, acl, CreateMode::Persistent).ok());
    QVERIFY(sync.create("/e", {}, acl, CreateMode::Ephemeral).ok());
    QVERIFY(sync.create("/c", {}, acl, CreateMode::Container).ok());
    QVERIFY(sync.create("/c2", {}, acl, CreateMode::Container).ok());
    QVERIFY(sync.create("/t", {}, acl, CreateMode::PersistentWithTtl, 60000).ok());
    auto seq = sync.create("/s-", {}, acl, CreateMode::PersistentSequential);
    QVERIFY(seq.ok());

    ZnodeTreeModel model(m_session.get());
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    loadRoot(model);
    // The studio notes what it creates; the server reports containers and TTL nodes to
    // clients as persistent (ephemeralOwner 0), so /c2, not noted, stays "persistent".
    model.noteCreated(QStringLiteral("/c"), CreateMode::Container);
    model.noteCreated(QStringLiteral("/t"), CreateMode::PersistentWithTtl);
    auto kind = [&](const char* path) {
        const QModelIndex index = model.indexForPath(QString::fromLatin1(path));
        return index.isValid() ? model.data(index, ZnodeTreeModel::KindRole).toInt() : -1;
    };
    QCOMPARE(kind("/p"), int(ZnodeKind::Persistent));
    QCOMPARE(kind("/e"), int(ZnodeKind::Ephemeral));
    QCOMPARE(kind("/c"), int(ZnodeKind::Container));
    QCOMPARE(kind("/t"), int(ZnodeKind::Ttl));
    QCOMPARE(kind("/c2"), int(ZnodeKind::Persistent));
    const QModelIndex s = model.indexForPath(QString::fromStdString(seq.value.path));
    QVERIFY(s.isValid());
    QVERIFY(looksSequential(seq.value.path));
    const QModelIndex p = model.indexForPath(QStringLiteral("/p"));
    QCOMPARE(model.data(p.siblingAtColumn(ZnodeTreeModel::ChildrenColumn)).toInt(), 2);
    QCOMPARE(model.data(p.siblingAtColumn(ZnodeTreeModel::SizeColumn)).toString(),
             QStringLiteral("5 B"));
    QVERIFY(!model.hasChildren(model.indexForPath(QStringLiteral("/e"))));
    QVERIFY(model.hasChildren(p));
}

void ZnodeTreeModelTest::followsChildAndDataChanges()
{
    ZnodeTreeModel model(m_session.get());
    model.flashMs = 60000; // keep the flash on while the test looks at it
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    loadRoot(model);
    QCOMPARE(model.rowCount(rootIndex(model)), 1);

    zk::client::SyncClient other(*m_raw);
    QVERIFY(other.create("/live", bytesOf("v1"), zk::openAclUnsafe(), CreateMode::Persistent).ok());
    QTRY_VERIFY_WITH_TIMEOUT(model.indexForPath(QStringLiteral("/live")).isValid(), 10000);
    const QModelIndex live = model.indexForPath(QStringLiteral("/live"));
    QVERIFY(model.data(live, ZnodeTreeModel::FlashingRole).toBool());
    QTRY_VERIFY_WITH_TIMEOUT(model.statOf(live).has_value(), 10000);

    // The child watch was re-armed: a second change arrives too.
    QVERIFY(other.create("/live2", {}, zk::openAclUnsafe(), CreateMode::Persistent).ok());
    QTRY_VERIFY_WITH_TIMEOUT(model.indexForPath(QStringLiteral("/live2")).isValid(), 10000);

    QSignalSpy changed(&model, &ZnodeTreeModel::nodeChanged);
    QVERIFY(other.setData("/live", bytesOf("v2-longer")).ok());
    QTRY_VERIFY_WITH_TIMEOUT(changed.contains(QVariantList{QStringLiteral("/live")}), 10000);
    QTRY_COMPARE_WITH_TIMEOUT(model.statOf(model.indexForPath(QStringLiteral("/live")))->dataLength,
                              9, 10000);

    QVERIFY(other.deleteNode("/live").ok());
    QTRY_VERIFY_WITH_TIMEOUT(!model.indexForPath(QStringLiteral("/live")).isValid(), 10000);
    QCOMPARE(model.rowCount(rootIndex(model)), 2);
}

void ZnodeTreeModelTest::filterMatchesPaths()
{
    zk::client::SyncClient sync(*m_raw);
    QVERIFY(sync.create("/app", {}, zk::openAclUnsafe(), CreateMode::Persistent).ok());
    QVERIFY(sync.create("/other", {}, zk::openAclUnsafe(), CreateMode::Persistent).ok());
    ZnodeTreeModel model(m_session.get());
    ZnodeFilterModel filter;
    filter.setSourceModel(&model);
    QAbstractItemModelTester tester(&filter,
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    loadRoot(model);
    const QModelIndex root = filter.index(0, 0);
    QCOMPARE(filter.rowCount(root), 3);
    filter.setPathFilter(QStringLiteral("app"));
    QCOMPARE(filter.rowCount(root), 1);
    QCOMPARE(filter.data(filter.index(0, 0, root)).toString(), QStringLiteral("app"));
    filter.setPathFilter(QString());
    QCOMPARE(filter.rowCount(root), 3);
}

void ZnodeTreeModelTest::loadsHundredThousandChildrenInSlices()
{
    constexpr int childCount = 100000;
    constexpr int perMulti = 1000;
    zk::client::SyncClient sync(*m_raw);
    QVERIFY(sync.create("/big", {}, zk::openAclUnsafe(), CreateMode::Persistent).ok());
    QElapsedTimer createClock;
    createClock.start();
    // Pipelined multis of 1000 creates each: 100 requests instead of 100,000 round trips.
    std::atomic<int> done{0};
    std::atomic<int> failed{0};
    for (int m = 0; m < childCount / perMulti; ++m) {
        std::vector<zk::client::Op> ops;
        ops.reserve(perMulti);
        for (int i = 0; i < perMulti; ++i) {
            zk::client::op::Create create;
            create.path = "/big/n" + std::to_string(m * perMulti + i);
            create.acl = zk::openAclUnsafe();
            ops.push_back(std::move(create));
        }
        m_raw->multi(std::move(ops), [&](zk::client::Result<std::vector<zk::client::OpResult>> r) {
            if (!r.ok())
                ++failed;
            ++done;
        });
    }
    QTRY_COMPARE_WITH_TIMEOUT(done.load(), childCount / perMulti, 120000);
    QCOMPARE(failed.load(), 0);
    qInfo("created %d children in %lld ms", childCount, createClock.elapsed());

    ZnodeTreeModel model(m_session.get());
    ZnodeFilterModel filter;
    filter.setSourceModel(&model);
    QTreeView view;
    view.setUniformRowHeights(true);
    view.setModel(&filter);
    view.resize(800, 600);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    loadRoot(model);
    const QModelIndex big = model.indexForPath(QStringLiteral("/big"));
    QVERIFY(big.isValid());

    // A 2 ms ticker measures how long the event loop was blocked at a time.
    QElapsedTimer gapClock;
    qint64 maxGapMs = 0;
    QTimer ticker;
    ticker.setInterval(2);
    QObject::connect(&ticker, &QTimer::timeout,
                     [&] { maxGapMs = std::max(maxGapMs, gapClock.restart()); });
    model.resetLoadStats();
    QElapsedTimer loadClock;
    loadClock.start();
    gapClock.start();
    ticker.start();
    // As ConnectionTab does when the user expands a node: expand, and fetch through the proxy.
    const QModelIndex bigInView = filter.mapFromSource(big);
    view.expand(bigInView);
    QVERIFY(filter.canFetchMore(bigInView));
    filter.fetchMore(bigInView);
    QTRY_VERIFY_WITH_TIMEOUT(model.isLoaded(big), 120000);
    const qint64 totalMs = loadClock.elapsed();
    ticker.stop();
    QCOMPARE(model.rowCount(big), childCount);
    QCOMPARE(filter.rowCount(filter.mapFromSource(big)), childCount);
    const auto stats = model.loadStats();
    qInfo("100k children: total %lld ms, model slices %d, max model slice %.1f ms, "
          "max event-loop gap %lld ms",
          totalMs, stats.slices, stats.maxSliceMs, maxGapMs);
    QVERIFY2(stats.maxSliceMs < 100.0, qPrintable(QString::number(stats.maxSliceMs)));
    QVERIFY2(maxGapMs < 150, qPrintable(QString::number(maxGapMs)));
    // Rows are sorted by name and the last one is there.
    QCOMPARE(model.data(model.index(0, 0, big)).toString(), QStringLiteral("n0"));
    QVERIFY(model.indexForPath(QStringLiteral("/big/n99999")).isValid());
}

QTEST_MAIN(ZnodeTreeModelTest)
#include "test_znode_tree_model.moc"
