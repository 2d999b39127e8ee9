// Proves znode search against a live server: names match by substring (with or without case)
// or regular expression, data matches as text, a bad pattern is refused in words, nodes the
// session may not read are skipped and counted, Cancel stops the walk, and the search pane
// streams results off the GUI thread and selects a result in the tree when it is activated.

#include "controllers/search_job.h"
#include "controllers/znode_search.h"
#include "live_server.h"
#include "models/znode_tree_model.h"
#include "views/connection_tab.h"
#include "views/search_pane.h"

#include <QListWidget>
#include <QProgressBar>
#include <QSignalSpy>
#include <QTest>
#include <QTreeView>

#include <set>

using namespace zoolab;
using namespace zoolab::testing;
using zk::CreateMode;
using zk::client::SessionState;

namespace {

std::set<std::string> run(zk::client::SyncClient& sync, const std::string& root,
                          const SearchQuery& query, SearchResult* summary = nullptr)
{
    std::set<std::string> found;
    const SearchResult result =
        searchSubtree(sync, root, query, {}, [&](const std::string& p) { found.insert(p); });
    if (summary)
        *summary = result;
    return found;
}

SearchQuery nameQuery(const QString& text, bool regex = false, bool caseSensitive = false)
{
    return {text, SearchQuery::Target::Name, regex, caseSensitive};
}

} // namespace

class ZnodeSearchTest : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void matchesNamesBySubstringAndRegex();
    void matchesData();
    void refusesBadPattern();
    void skipsUnreadableNodes();
    void cancelStopsTheWalk();
    void paneFindsAndSelectsInTree();
    void paneStopsASearch();

private:
    std::unique_ptr<LiveServer> m_server;
    std::unique_ptr<zk::client::ZkClient> m_raw;
};

void ZnodeSearchTest::init()
{
    m_server = std::make_unique<LiveServer>();
    QVERIFY(!m_server->startError);
    m_raw = m_server->rawClient();
    zk::client::SyncClient sync(*m_raw);
    const auto acl = zk::openAclUnsafe();
    auto make = [&](const std::string& path, const std::string& data) {
        QVERIFY(sync.create(path, bytesOf(data), acl, CreateMode::Persistent).ok());
    };
    make("/app", "orders service");
    make("/app/config", R"({"region":"eu-west-1","replicas":3})");
    make("/app/Orders-Archive", "old");
    make("/services", "");
    make("/services/orders-1", R"({"host":"10.0.0.11"})");
    make("/services/orders-2", R"({"host":"10.0.0.12"})");
    make("/services/payments", R"({"host":"10.0.0.20","region":"EU-WEST-1"})");
    make("/brokers", "");
    for (int i = 0; i < 12; ++i)
        make("/brokers/ids-" + std::to_string(i), "broker " + std::to_string(i));
    QVERIFY(sync.create("/services/blob", zk::Bytes{0x00, 0xff, 0x80}, acl, CreateMode::Persistent)
                .ok());
}

void ZnodeSearchTest::cleanup()
{
    m_raw.reset();
    m_server.reset();
}

void ZnodeSearchTest::matchesNamesBySubstringAndRegex()
{
    zk::client::SyncClient sync(*m_raw);
    SearchResult summary;
    QCOMPARE(
        run(sync, "/", nameQuery("orders"), &summary),
        (std::set<std::string>{"/app/Orders-Archive", "/services/orders-1", "/services/orders-2"}));
    // Every node was visited once, the root and /zookeeper's included.
    const int total = zk::client::SyncClient(*m_raw).getAllChildrenNumber("/").value + 1;
    QCOMPARE(summary.visited, total);
    QCOMPARE(summary.matches, 3);
    QCOMPARE(run(sync, "/", nameQuery("Orders", false, true)),
             (std::set<std::string>{"/app/Orders-Archive"}));
    QCOMPARE(run(sync, "/brokers", nameQuery("^ids-1[01]?$", true)),
             (std::set<std::string>{"/brokers/ids-1", "/brokers/ids-10", "/brokers/ids-11"}));
    // Only the subtree asked for is searched.
    QCOMPARE(run(sync, "/services", nameQuery("s")),
             (std::set<std::string>{"/services", "/services/orders-1", "/services/orders-2",
                                    "/services/payments"}));
}

void ZnodeSearchTest::matchesData()
{
    zk::client::SyncClient sync(*m_raw);
    const SearchQuery contains{"eu-west", SearchQuery::Target::Data, false, false};
    QCOMPARE(run(sync, "/", contains),
             (std::set<std::string>{"/app/config", "/services/payments"}));
    const SearchQuery exact{"eu-west", SearchQuery::Target::Data, false, true};
    QCOMPARE(run(sync, "/", exact), (std::set<std::string>{"/app/config"}));
    const SearchQuery regex{R"("host":"10\.0\.0\.1\d")", SearchQuery::Target::Data, true, false};
    QCOMPARE(run(sync, "/services", regex),
             (std::set<std::string>{"/services/orders-1", "/services/orders-2"}));
}

void ZnodeSearchTest::refusesBadPattern()
{
    zk::client::SyncClient sync(*m_raw);
    SearchResult summary;
    QVERIFY(run(sync, "/", nameQuery("(unclosed", true), &summary).empty());
    QVERIFY2(summary.error.contains(QStringLiteral("regular expression is not valid")),
             qPrintable(summary.error));
    QCOMPARE(summary.visited, 0);
    run(sync, "/", nameQuery(""), &summary);
    QVERIFY(summary.error.contains(QStringLiteral("Type what to search for")));
    run(sync, "/missing", nameQuery("x"), &summary);
    QVERIFY(summary.error.contains(QStringLiteral("does not exist")));
}

void ZnodeSearchTest::skipsUnreadableNodes()
{
    zk::client::SyncClient sync(*m_raw);
    // Nobody may read or list /services any more (only admin stays).
    QVERIFY(sync.setAcl("/services", {{zk::perms::Admin, {"world", "anyone"}}}).ok());
    SearchResult summary;
    QCOMPARE(run(sync, "/", nameQuery("orders"), &summary),
             (std::set<std::string>{"/app/Orders-Archive"}));
    QCOMPARE(summary.unreadable, 1);
    QVERIFY(summary.error.isEmpty());
    const SearchQuery data{"eu-west", SearchQuery::Target::Data, false, false};
    QCOMPARE(run(sync, "/", data, &summary), (std::set<std::string>{"/app/config"}));
    QCOMPARE(summary.unreadable, 1);
}

void ZnodeSearchTest::cancelStopsTheWalk()
{
    zk::client::SyncClient sync(*m_raw);
    int lastTotal = -1;
    const SearchResult result = searchSubtree(
        sync, "/", nameQuery("ids"),
        [&](int visited, int total) {
            lastTotal = total;
            return visited < 10;
        },
        [](const std::string&) {});
    QVERIFY(result.cancelled);
    QCOMPARE(result.visited, 10);
    QVERIFY(lastTotal > 10); // the server counted the subtree first
}

void ZnodeSearchTest::paneFindsAndSelectsInTree()
{
    ConnectionTab tab(m_server->spec());
    tab.setInteractive(false);
    QVERIFY(tab.start().isEmpty());
    tab.resize(1000, 700);
    tab.show();
    QTRY_COMPARE_WITH_TIMEOUT(tab.session()->state(), SessionState::Connected, 10000);
    tab.showSearch();
    SearchPane* pane = tab.search();
    QVERIFY(pane->isVisible());
    pane->setRoot(QStringLiteral("/"));
    pane->setQuery(QStringLiteral("ids-1"), SearchPane::NameContains);
    QSignalSpy finished(pane->job(), &SearchJob::finished);
    pane->search();
    QVERIFY(pane->running());
    QVERIFY(finished.wait(10000));
    QCOMPARE(pane->results(),
             (QStringList{"/brokers/ids-1", "/brokers/ids-10", "/brokers/ids-11"}));
    QCOMPARE(pane->progressBar()->value(), pane->progressBar()->maximum());
    QVERIFY2(pane->statusText().startsWith(QStringLiteral("3 found in ")),
             qPrintable(pane->statusText()));

    // Activating a result loads its parents and selects it in the tree.
    pane->resultList()->setCurrentRow(1);
    pane->resultList()->setFocus();
    QTest::keyClick(pane->resultList(), Qt::Key_Return);
    QTRY_COMPARE_WITH_TIMEOUT(tab.currentPath(), QStringLiteral("/brokers/ids-10"), 10000);
    QVERIFY(tab.tree()->isExpanded(tab.tree()->currentIndex().parent()));

    // A bad pattern is refused before anything runs, in words.
    pane->setQuery(QStringLiteral("[z-a]"), SearchPane::NameRegex);
    pane->search();
    QVERIFY(!pane->running());
    QVERIFY(pane->statusText().contains(QStringLiteral("not valid")));
}

void ZnodeSearchTest::paneStopsASearch()
{
    zk::client::SyncClient sync(*m_raw);
    QVERIFY(sync.create("/many", {}, zk::openAclUnsafe(), CreateMode::Persistent).ok());
    std::vector<zk::client::Op> ops;
    for (int i = 0; i < 3000; ++i) {
        ops.emplace_back(zk::client::op::Create{"/many/n" + std::to_string(i), bytesOf("x"),
                                                zk::openAclUnsafe(), CreateMode::Persistent});
        if (ops.size() == 500) {
            QVERIFY(sync.multi(ops).ok());
            ops.clear();
        }
    }
    auto session = m_server->connect();
    QTRY_COMPARE_WITH_TIMEOUT(session->state(), SessionState::Connected, 10000);
    SearchPane pane(session.get());
    pane.setRoot(QStringLiteral("/many"));
    pane.setQuery(QStringLiteral("no such data"), SearchPane::DataContains);
    QSignalSpy finished(pane.job(), &SearchJob::finished);
    QSignalSpy progress(pane.job(), &SearchJob::progress);
    pane.search();
    QVERIFY(progress.wait(10000)); // the walk is under way
    pane.stop();
    QVERIFY(finished.wait(10000));
    QVERIFY(pane.job()->lastResult().cancelled);
    QVERIFY(pane.job()->lastResult().visited < 3001);
    QVERIFY2(pane.statusText().startsWith(QStringLiteral("Stopped: ")),
             qPrintable(pane.statusText()));
}

QTEST_MAIN(ZnodeSearchTest)
#include "test_znode_search.moc"
