// Proves the traffic charts and the load switch on a live 3-server ensemble on free ports:
// with the load on, every server's p50/p99 latency, outstanding requests and watches reach the
// MetricsSeries from its own status and the traffic charts draw them; a killed follower's
// traffic drops to zero inside a shaded "down" period; the switch turns the load off again.

#include "controllers/cluster_controller.h"
#include "controllers/embedded_cluster.h"
#include "models/cluster_model.h"
#include "views/cluster_charts.h"

#include <QLineSeries>
#include <QSignalSpy>
#include <QTest>

#include <memory>

using namespace zoolab;

class ClusterTrafficTest : public QObject
{
    Q_OBJECT
private slots:
    void loadMovesTheTrafficCharts();

private:
    double last(const std::deque<QPointF>& points) const
    {
        return points.empty() ? -1 : points.back().y();
    }
};

void ClusterTrafficTest::loadMovesTheTrafficCharts()
{
    EmbeddedCluster::Options options;
    options.basePort = 0;
    EmbeddedCluster cluster(options);
    ClusterController controller;
    controller.attach(&cluster);
    QVERIFY2(!cluster.start(), cluster.lastError().c_str());
    QTRY_VERIFY_WITH_TIMEOUT(controller.servingLeader().has_value(), 20000);
    const zk::Sid leader = *controller.servingLeader();
    QVERIFY(!controller.loadEnabled()); // off by default

    QSignalSpy changed(&controller, &ClusterController::loadChanged);
    controller.setLoadEnabled(true);
    QVERIFY(controller.loadEnabled());
    QCOMPARE(changed.count(), 1);
    QTRY_VERIFY_WITH_TIMEOUT(controller.loadGenerator()->succeeded() > 40, 15000);
    const MetricsSeries& metrics = controller.metrics();
    // Every server has a session of the load: latency samples and watches on each.
    for (zk::Sid sid : {1, 2, 3}) {
        QTRY_VERIFY_WITH_TIMEOUT(last(metrics.latencyP50(sid)) > 0, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(last(metrics.watches(sid)) >= 1, 10000);
        QVERIFY(last(metrics.latencyP99(sid)) >= last(metrics.latencyP50(sid)));
        QVERIFY(last(metrics.outstanding(sid)) >= 0);
    }

    ClusterCharts charts(&controller);
    charts.refresh();
    for (zk::Sid sid : {1, 2, 3}) {
        ServerChartView* traffic = charts.trafficChart(sid);
        QVERIFY(traffic);
        QCOMPARE(traffic->kind(), ChartKind::Traffic);
        QCOMPARE(traffic->series(0)->name(), QStringLiteral("p50 ms"));
        QCOMPARE(traffic->series(1)->name(), QStringLiteral("p99 ms"));
        QCOMPARE(traffic->series(2)->name(), QStringLiteral("outstanding"));
        QCOMPARE(traffic->series(3)->name(), QStringLiteral("watches"));
        QVERIFY(traffic->series(0)->count() > 0);
        QCOMPARE(traffic->series(0)->points().back().y(), last(metrics.latencyP50(sid)));
        QVERIFY(charts.chart(sid)->zxidSeries()->count() > 0);
    }

    // Kill a follower: its traffic drops to zero inside a "down" period that stays shaded.
    const zk::Sid follower = leader == 1 ? 2 : 1;
    controller.kill(follower);
    QTRY_COMPARE_WITH_TIMEOUT(controller.clusterModel()->role(follower), NodeRole::Down, 5000);
    QTRY_VERIFY_WITH_TIMEOUT(!metrics.outages(follower).empty(), 5000);
    QCOMPARE(metrics.outages(follower).back().kind, OutageKind::Down);
    QCOMPARE(last(metrics.latencyP50(follower)), 0.0);
    QCOMPARE(last(metrics.watches(follower)), 0.0);
    // The others keep serving the load.
    const auto before = controller.loadGenerator()->succeeded();
    QTRY_VERIFY_WITH_TIMEOUT(controller.loadGenerator()->succeeded() > before + 10, 10000);

    controller.setLoadEnabled(false);
    QVERIFY(!controller.loadEnabled());
    QCOMPARE(changed.count(), 2);
    QCOMPARE(changed.back().at(0).toBool(), false);
    controller.detach();
}

QTEST_MAIN(ClusterTrafficTest)
#include "test_cluster_traffic.moc"
