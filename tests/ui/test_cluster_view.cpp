// Proves the cluster view on a live 3-server ensemble on free ports, driven as a user drives
// it: the scene draws a card per server and a line per link, the speed box slows elections
// down, "Kill the leader" sets off an election whose VoteSent messages travel the links, a
// click on a link cuts it and a second click heals it, a card's Kill button kills its server,
// and the charts draw every server's series.

#include "controllers/cluster_controller.h"
#include "controllers/embedded_cluster.h"
#include "models/link_model.h"
#include "views/cluster_charts.h"
#include "views/cluster_items.h"
#include "views/cluster_scene.h"
#include "views/cluster_view.h"

#include <QComboBox>
#include <QGraphicsView>
#include <QLabel>
#include <QLineSeries>
#include <QPushButton>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace zoolab;

class ClusterViewTest : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void drawsTheEnsembleAndAnimatesAnElection();
    void clicksCutLinksAndKillServers();
    void chartsDrawEveryServer();

private:
    void clickScene(const QPointF& scenePoint);
    zk::Sid waitServing(int timeoutMs = 15000);

    std::unique_ptr<EmbeddedCluster> m_cluster;
    std::unique_ptr<ClusterController> m_controller;
    std::unique_ptr<ClusterView> m_view;
};

void ClusterViewTest::init()
{
    EmbeddedCluster::Options options;
    options.basePort = 0; // never 2181-2183: the drills test holds them
    m_cluster = std::make_unique<EmbeddedCluster>(options);
    m_controller = std::make_unique<ClusterController>();
    m_view = std::make_unique<ClusterView>(m_controller.get());
    m_view->resize(1400, 820);
    m_view->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_view.get()));
    m_controller->attach(m_cluster.get());
    QVERIFY2(!m_cluster->start(), m_cluster->lastError().c_str());
}

void ClusterViewTest::cleanup()
{
    m_view.reset();
    m_controller.reset();
    m_cluster.reset();
}

zk::Sid ClusterViewTest::waitServing(int timeoutMs)
{
    QElapsedTimer clock;
    clock.start();
    while (clock.elapsed() < timeoutMs) {
        if (auto leader = m_controller->servingLeader();
            leader && m_view->banner()->text() == QStringLiteral("serving, leader %1").arg(*leader))
            return *leader;
        QTest::qWait(20);
    }
    return 0;
}

void ClusterViewTest::clickScene(const QPointF& scenePoint)
{
    QGraphicsView* view = m_view->graphicsView();
    const QPoint at = view->mapFromScene(scenePoint);
    QVERIFY(view->viewport()->rect().contains(at));
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, at);
}

void ClusterViewTest::drawsTheEnsembleAndAnimatesAnElection()
{
    const zk::Sid old = waitServing();
    QVERIFY2(old != 0, qPrintable(m_view->banner()->text()));
    ClusterScene* scene = m_view->scene();
    for (zk::Sid sid : {1, 2, 3}) {
        QVERIFY(scene->nodeItem(sid));
        QCOMPARE(scene->nodeItem(sid)->killButton()->text(), QStringLiteral("Kill"));
    }
    QTRY_COMPARE_WITH_TIMEOUT(scene->nodeItem(old)->role(), NodeRole::Leading, 5000);
    QVERIFY(scene->linkItem(1, 2) && scene->linkItem(1, 3) && scene->linkItem(2, 3));
    // Slow motion from the speed box reaches the controller and every link.
    QComboBox* speed = m_view->speedBox();
    speed->setCurrentIndex(speed->findData(300)); // 1/30
    QCOMPARE(m_controller->electionDelay(), std::chrono::milliseconds(300));
    QCOMPARE(m_controller->linkModel()->delayMs(), 300);
    const int shownBefore = scene->messagesShown();
    auto* kill = m_view->findChild<QPushButton*>(QStringLiteral("killLeaderButton"));
    QVERIFY(kill);
    QCOMPARE(kill->text(), QStringLiteral("Kill the leader"));
    QTest::mouseClick(kill, Qt::LeftButton);
    // The survivors' votes travel their links while the election runs.
    QTRY_VERIFY_WITH_TIMEOUT(scene->messagesInFlight() > 0, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(
        m_view->banner()->text().startsWith(QStringLiteral("serving, leader")) &&
            !m_view->banner()->text().startsWith(QStringLiteral("serving, leader %1").arg(old)),
        40000);
    QVERIFY(scene->messagesShown() > shownBefore);
    QCOMPARE(scene->nodeItem(old)->role(), NodeRole::Down);
    QCOMPARE(scene->nodeItem(old)->killButton()->text(), QStringLiteral("Restart"));
    QVERIFY(m_view->banner()->text().endsWith(QStringLiteral(" · 2 of 3 alive")));
    // Messages leave the scene once delivered.
    speed->setCurrentIndex(0);
    QTRY_COMPARE_WITH_TIMEOUT(scene->messagesInFlight(), 0, 15000);
}

void ClusterViewTest::clicksCutLinksAndKillServers()
{
    QVERIFY(waitServing() != 0);
    ClusterScene* scene = m_view->scene();
    LinkItem* link = scene->linkItem(1, 2);
    QVERIFY(link);
    const QPointF middle = (link->from() + link->to()) / 2;
    clickScene(middle);
    QTRY_COMPARE_WITH_TIMEOUT(m_controller->linkModel()->state(1, 2), LinkState::Cut, 2000);
    QCOMPARE(link->state(), LinkState::Cut);
    clickScene(middle);
    QTRY_COMPARE_WITH_TIMEOUT(m_controller->linkModel()->state(1, 2), LinkState::Up, 2000);
    // The Kill button on a card kills that server; the same button then restarts it.
    NodeItem* card = scene->nodeItem(3);
    ButtonItem* button = card->killButton();
    clickScene(button->mapToScene(button->boundingRect().center()));
    QTRY_COMPARE_WITH_TIMEOUT(card->role(), NodeRole::Down, 10000);
    QCOMPARE(button->text(), QStringLiteral("Restart"));
    clickScene(button->mapToScene(button->boundingRect().center()));
    QTRY_VERIFY_WITH_TIMEOUT(
        card->role() == NodeRole::Following || card->role() == NodeRole::Leading, 20000);
}

void ClusterViewTest::chartsDrawEveryServer()
{
    const zk::Sid leader = waitServing();
    QVERIFY(leader != 0);
    m_view->showCharts();
    QCOMPARE(m_view->historyTabs()->currentWidget(), m_view->charts());
    for (zk::Sid sid : {1, 2, 3}) {
        ServerChartView* chart = m_view->charts()->chart(sid);
        QVERIFY(chart);
        QTRY_VERIFY_WITH_TIMEOUT(chart->zxidSeries()->count() > 2, 5000);
        QVERIFY(chart->sessionSeries()->count() > 2);
        QVERIFY(chart->rateSeries()->count() > 0);
    }
    QTRY_VERIFY_WITH_TIMEOUT(
        m_view->charts()->chart(leader)->chart()->title().contains(QStringLiteral("LEADING")),
        5000);
    QTemporaryDir dir;
    QString error;
    QVERIFY2(m_view->exportTimeline(dir.filePath(QStringLiteral("t.jsonl")), &error),
             qPrintable(error));
    QVERIFY(!m_view->grab().isNull());
}

QTEST_MAIN(ClusterViewTest)
#include "test_cluster_view.moc"
