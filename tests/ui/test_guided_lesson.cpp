// Proves the guided lessons on a live 3-server ensemble on free ports, driven through the
// cluster controller as a user clicks: each lesson waits on its step while polls and events
// come in and nothing changes, and advances to the next caption only once the engine reports
// what the user's action caused (a server down, a new LEADING sid, the serving banner, the
// old leader FOLLOWING). The five drills run in a chain, as the tutorials teach them.

#include "controllers/cluster_controller.h"
#include "controllers/embedded_cluster.h"
#include "controllers/guided_lesson.h"
#include "models/cluster_model.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

#include <memory>

using namespace zoolab;

class GuidedLessonTest : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void keysAndTitles();
    void killTheLeaderThenRestartIt();
    void killAFollowerThenTwoThenRestartOne();

private:
    // Waits with the ensemble reporting (polls, events) and checks the lesson did not move.
    void holdsStill(const GuidedLesson& lesson, int step, int ms = 800);
    // Restarts every server that is down and waits until all serve.
    void restoreAll();
    zk::Sid otherFollower(zk::Sid leader, zk::Sid except) const;

    std::unique_ptr<EmbeddedCluster> m_cluster;
    std::unique_ptr<ClusterController> m_controller;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
};

void GuidedLessonTest::initTestCase()
{
    EmbeddedCluster::Options options;
    options.basePort = 0;
    m_cluster = std::make_unique<EmbeddedCluster>(options);
    m_controller = std::make_unique<ClusterController>();
    m_tester = std::make_unique<QAbstractItemModelTester>(
        m_controller->clusterModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    m_controller->attach(m_cluster.get());
}

void GuidedLessonTest::cleanupTestCase()
{
    m_controller->detach();
    m_tester.reset();
    m_controller.reset();
    m_cluster.reset();
}

void GuidedLessonTest::holdsStill(const GuidedLesson& lesson, int step, int ms)
{
    const int checks = lesson.checks();
    QTest::qWait(ms);
    QVERIFY2(lesson.checks() > checks, "the lesson looked at new reports");
    QCOMPARE(lesson.stepIndex(), step);
}

void GuidedLessonTest::restoreAll()
{
    for (const ClusterNode& node : m_controller->clusterModel()->nodes()) {
        if (ClusterModel::roleOf(node) == NodeRole::Down)
            m_controller->restart(node.sid);
    }
    QTRY_VERIFY_WITH_TIMEOUT(m_controller->servingLeader().has_value() &&
                                 m_controller->clusterModel()->aliveCount() == 3 &&
                                 m_controller->bannerText().startsWith(QStringLiteral("serving")) &&
                                 !m_controller->bannerText().contains(QStringLiteral("alive")),
                             20000);
}

zk::Sid GuidedLessonTest::otherFollower(zk::Sid leader, zk::Sid except) const
{
    for (zk::Sid sid : {1, 2, 3}) {
        if (sid != leader && sid != except &&
            m_controller->clusterModel()->role(sid) != NodeRole::Down)
            return sid;
    }
    return 0;
}

void GuidedLessonTest::keysAndTitles()
{
    QCOMPARE(int(GuidedLesson::all().size()), 5);
    for (Lesson lesson : GuidedLesson::all()) {
        QCOMPARE(GuidedLesson::fromKey(GuidedLesson::key(lesson)), std::optional(lesson));
        QVERIFY(!GuidedLesson::title(lesson).isEmpty());
        QVERIFY(GuidedLesson::steps(lesson).size() >= 3);
        QVERIFY(!GuidedLesson::steps(lesson).back().done); // the last step only says "done"
    }
    QVERIFY(!GuidedLesson::fromKey(QStringLiteral("nonsense")).has_value());
}

void GuidedLessonTest::killTheLeaderThenRestartIt()
{
    GuidedLesson lesson(m_controller.get());
    QSignalSpy changed(&lesson, &GuidedLesson::changed);
    // Started before the ensemble runs: the first step waits for it to serve.
    lesson.start(Lesson::KillLeader);
    QCOMPARE(lesson.stepIndex(), 0);
    QVERIFY(lesson.caption().contains(QStringLiteral("Waiting")));
    QVERIFY2(!m_cluster->start(), m_cluster->lastError().c_str());
    QTRY_COMPARE_WITH_TIMEOUT(lesson.stepIndex(), 1, 20000);
    const zk::Sid old = lesson.memory().at(QStringLiteral("leader"));
    QCOMPARE(m_controller->servingLeader(), std::optional(old));
    QCOMPARE(lesson.caption(), QStringLiteral("Serving, leader %1 in epoch %2.")
                                   .arg(old)
                                   .arg(lesson.memory().at(QStringLiteral("epoch"))));
    QCOMPARE(lesson.instruction(), QStringLiteral("Click \"Kill the leader\"."));
    holdsStill(lesson, 1);

    m_controller->killLeader();
    // The kill shows in a poll (step 2), a new LEADING sid in the events (step 3), then the
    // serving banner (the last step). Wait for the last; every step was passed on the way.
    QTRY_COMPARE_WITH_TIMEOUT(lesson.stepIndex(), 4, 20000);
    QVERIFY(lesson.finished());
    const zk::Sid leader = lesson.memory().at(QStringLiteral("new"));
    QVERIFY(leader != old);
    QCOMPARE(m_controller->servingLeader(), std::optional(leader));
    QCOMPARE(m_controller->clusterModel()->role(old), NodeRole::Down);
    QVERIFY(lesson.memory().at(QStringLiteral("newEpoch")) >
            lesson.memory().at(QStringLiteral("epoch")));
    QVERIFY(lesson.caption().startsWith(QStringLiteral("Done: leader %1 serves").arg(leader)));
    QVERIFY(changed.count() >= 3);

    // Restart the old leader: it starts from here, waits for the click, then for FOLLOWING.
    lesson.start(Lesson::RestartOldLeader);
    QCOMPARE(lesson.stepIndex(), 1);
    QCOMPARE(lesson.memory().at(QStringLiteral("old")), old);
    QCOMPARE(lesson.instruction(), QStringLiteral("Click Restart on server %1.").arg(old));
    holdsStill(lesson, 1);
    m_controller->restart(old);
    QTRY_COMPARE_WITH_TIMEOUT(lesson.stepIndex(), 3, 20000);
    // A poll taken just before the FOLLOWING event may land after it: the model settles.
    QTRY_COMPARE_WITH_TIMEOUT(m_controller->clusterModel()->role(old), NodeRole::Following, 5000);
    QCOMPARE(m_controller->servingLeader(), std::optional(leader));
    QVERIFY(lesson.caption().contains(QStringLiteral("follows %1").arg(leader)));
    lesson.stop();
    QVERIFY(!lesson.active());
    QVERIFY(lesson.caption().isEmpty());
}

void GuidedLessonTest::killAFollowerThenTwoThenRestartOne()
{
    if (!m_cluster->running())
        QVERIFY2(!m_cluster->start(), m_cluster->lastError().c_str());
    restoreAll();
    GuidedLesson lesson(m_controller.get());

    lesson.start(Lesson::KillFollower);
    QCOMPARE(lesson.stepIndex(), 1);
    const zk::Sid leader = lesson.memory().at(QStringLiteral("leader"));
    QCOMPARE(lesson.instruction(),
             QStringLiteral("Click Kill on a FOLLOWING server (not server %1).").arg(leader));
    holdsStill(lesson, 1);
    const zk::Sid first = otherFollower(leader, 0);
    m_controller->kill(first);
    QTRY_COMPARE_WITH_TIMEOUT(lesson.stepIndex(), 3, 10000);
    QCOMPARE(lesson.memory().at(QStringLiteral("victim")), first);
    QCOMPARE(m_controller->servingLeader(), std::optional(leader));
    restoreAll();

    lesson.start(Lesson::KillTwo);
    QCOMPARE(lesson.stepIndex(), 1);
    holdsStill(lesson, 1);
    m_controller->kill(first);
    QTRY_COMPARE_WITH_TIMEOUT(lesson.stepIndex(), 2, 10000);
    QVERIFY(lesson.caption().startsWith(QStringLiteral("Server %1 is down").arg(first)));
    holdsStill(lesson, 2);
    const zk::Sid second = otherFollower(leader, first);
    QVERIFY(second != 0);
    m_controller->kill(second);
    // 1 of 3 alive: the caption moves on the poll, then on the leader's LOOKING.
    QTRY_VERIFY_WITH_TIMEOUT(lesson.stepIndex() >= 3, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(lesson.stepIndex(), 4, 20000);
    QTRY_COMPARE_WITH_TIMEOUT(m_controller->clusterModel()->role(leader), NodeRole::Looking, 5000);
    QVERIFY(m_controller->bannerText().contains(QStringLiteral("no quorum")));

    lesson.start(Lesson::RestartOne);
    QCOMPARE(lesson.stepIndex(), 1);
    QCOMPARE(lesson.memory().at(QStringLiteral("survivor")), leader);
    holdsStill(lesson, 1);
    m_controller->restart(first);
    QTRY_COMPARE_WITH_TIMEOUT(lesson.stepIndex(), 3, 20000);
    QCOMPARE(lesson.memory().at(QStringLiteral("restarted")), first);
    QVERIFY(m_controller->servingLeader().has_value());
    QCOMPARE(lesson.caption(), QStringLiteral("Done: serving again with 2 of 3, leader %1.")
                                   .arg(*m_controller->servingLeader()));
}

QTEST_MAIN(GuidedLessonTest)
#include "test_guided_lesson.moc"
