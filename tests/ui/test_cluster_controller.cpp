// Proves the cluster controller on a live 3-server ensemble on free ports: what the models hold
// after the ensemble settles, and after the drills a user runs from the cluster view (kill the
// leader, kill two, cut links, restart), as the banner, the server table, the vote table, the
// link table and the timeline show them. Every model runs under QAbstractItemModelTester.

#include "controllers/cluster_controller.h"
#include "controllers/embedded_cluster.h"
#include "models/cluster_model.h"
#include "models/event_timeline_model.h"
#include "models/link_model.h"
#include "models/vote_table_model.h"

#include <QAbstractItemModelTester>
#include <QTest>

#include <memory>

using namespace zoolab;

class ClusterControllerTest : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void restStateShowsLeaderFollowersAndVotes();

private:
    // Waits for "serving, leader N" and returns N (0 on timeout).
    zk::Sid waitServing(int timeoutMs = 15000);

    std::unique_ptr<EmbeddedCluster> m_cluster;
    std::unique_ptr<ClusterController> m_controller;
    std::vector<std::unique_ptr<QAbstractItemModelTester>> m_testers;
};

void ClusterControllerTest::init()
{
    EmbeddedCluster::Options options;
    options.basePort = 0; // never 2181-2183: the drills test holds them
    m_cluster = std::make_unique<EmbeddedCluster>(options);
    m_controller = std::make_unique<ClusterController>();
    const auto mode = QAbstractItemModelTester::FailureReportingMode::QtTest;
    m_testers.push_back(
        std::make_unique<QAbstractItemModelTester>(m_controller->clusterModel(), mode));
    m_testers.push_back(
        std::make_unique<QAbstractItemModelTester>(m_controller->voteModel(), mode));
    m_testers.push_back(
        std::make_unique<QAbstractItemModelTester>(m_controller->linkModel(), mode));
    m_testers.push_back(
        std::make_unique<QAbstractItemModelTester>(m_controller->timelineModel(), mode));
    // Attached before start(), so the first election is in the event stream.
    m_controller->attach(m_cluster.get());
    QVERIFY2(!m_cluster->start(), m_cluster->lastError().c_str());
}

void ClusterControllerTest::cleanup()
{
    m_controller->detach();
    m_testers.clear();
    m_controller.reset();
    m_cluster.reset();
}

zk::Sid ClusterControllerTest::waitServing(int timeoutMs)
{
    QElapsedTimer clock;
    clock.start();
    while (clock.elapsed() < timeoutMs) {
        if (m_controller->bannerText().startsWith(QStringLiteral("serving, leader ")) &&
            m_controller->servingLeader())
            return *m_controller->servingLeader();
        QTest::qWait(20);
    }
    return 0;
}

void ClusterControllerTest::restStateShowsLeaderFollowersAndVotes()
{
    const zk::Sid leader = waitServing();
    QVERIFY2(leader != 0, qPrintable(m_controller->bannerText()));
    QTRY_COMPARE_WITH_TIMEOUT(m_controller->bannerText(),
                              QStringLiteral("serving, leader %1").arg(leader), 5000);
    const ClusterModel& nodes = *m_controller->clusterModel();
    QCOMPARE(nodes.rowCount(), 3);
    QTRY_COMPARE_WITH_TIMEOUT(nodes.leader(), std::optional<zk::Sid>(leader), 5000);
    for (zk::Sid sid : {1, 2, 3}) {
        const int row = nodes.rowOf(sid);
        const QString role = nodes.index(row, ClusterModel::RoleColumn).data().toString();
        QCOMPARE(role, sid == leader ? QStringLiteral("LEADING") : QStringLiteral("FOLLOWING"));
        QCOMPARE(nodes.index(row, ClusterModel::PortColumn).data().toInt(),
                 int(m_cluster->ensemble()->clientPort(sid)));
        QVERIFY(nodes.index(row, ClusterModel::EpochColumn).data().toLongLong() >= 1);
        QVERIFY(nodes.index(row, ClusterModel::ZxidColumn).data().toString().contains(':'));
    }
    // The election came through the event stream: every voter ended on the leader.
    const VoteTableModel& votes = *m_controller->voteModel();
    QTRY_VERIFY_WITH_TIMEOUT(votes.proposal(1) == leader && votes.proposal(2) == leader &&
                                 votes.proposal(3) == leader,
                             5000);
    for (zk::Sid sid : {1, 2, 3}) {
        QVERIFY(votes.index(votes.rowOf(sid), votes.candidateColumn(leader))
                    .data(VoteTableModel::ProposedRole)
                    .toBool());
        QVERIFY(!votes.changes(sid).empty());
        QVERIFY(votes.outcome(sid).contains(QStringLiteral("leader %1").arg(leader)));
    }
    const EventTimelineModel& timeline = *m_controller->timelineModel();
    QVERIFY(timeline.count(QStringLiteral("LeaderElected")) >= 3);
    QVERIFY(timeline.count(QStringLiteral("VoteSent")) >= 2);
    // Both followers synced with the leader, and each row says how.
    for (zk::Sid sid : {1, 2, 3}) {
        if (sid == leader)
            continue;
        QTRY_VERIFY_WITH_TIMEOUT(!nodes.node(sid)->syncMode.isEmpty(), 5000);
        QVERIFY(QStringList({"DIFF", "TRUNC", "SNAP"}).contains(nodes.node(sid)->syncMode));
        QCOMPARE(nodes.node(sid)->syncLeader, leader);
    }
    const LinkModel& links = *m_controller->linkModel();
    QCOMPARE(links.rowCount(), 3);
    QVERIFY(links.partitionText().isEmpty());
    QVERIFY(m_controller->pollCount() > 0);
}

QTEST_MAIN(ClusterControllerTest)
#include "test_cluster_controller.moc"
