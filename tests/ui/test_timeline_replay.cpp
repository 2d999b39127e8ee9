// Proves timeline replay on a live 3-server ensemble on free ports: a timeline exported after
// "kill the leader" opens again, scrubbing before the kill shows the old leader LEADING and
// scrubbing to the end shows the new one (roles, votes and epochs folded from the rows), Play
// walks to the end on its own, and leaving replay shows the live ensemble again.

#include "controllers/cluster_controller.h"
#include "controllers/embedded_cluster.h"
#include "models/cluster_model.h"
#include "models/event_timeline_model.h"
#include "models/link_model.h"
#include "models/timeline_replay.h"
#include "models/vote_table_model.h"

#include <QAbstractItemModelTester>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace zoolab;

class TimelineReplayTest : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void parsesRowsAndRejectsBadLines();
    void scrubShowsTheLeaderBeforeAndAfterTheKill();

private:
    zk::Sid waitServing(zk::Sid other = 0, int timeoutMs = 20000);
    QString role(zk::Sid sid) const;

    std::unique_ptr<EmbeddedCluster> m_cluster;
    std::unique_ptr<ClusterController> m_controller;
    std::vector<std::unique_ptr<QAbstractItemModelTester>> m_testers;
};

void TimelineReplayTest::init()
{
    EmbeddedCluster::Options options;
    options.basePort = 0;
    m_cluster = std::make_unique<EmbeddedCluster>(options);
    m_controller = std::make_unique<ClusterController>();
    const auto mode = QAbstractItemModelTester::FailureReportingMode::QtTest;
    m_testers.push_back(
        std::make_unique<QAbstractItemModelTester>(m_controller->clusterModel(), mode));
    m_testers.push_back(
        std::make_unique<QAbstractItemModelTester>(m_controller->voteModel(), mode));
    m_testers.push_back(
        std::make_unique<QAbstractItemModelTester>(m_controller->linkModel(), mode));
    m_controller->attach(m_cluster.get());
    QVERIFY2(!m_cluster->start(), m_cluster->lastError().c_str());
}

void TimelineReplayTest::cleanup()
{
    m_controller->detach();
    m_testers.clear();
    m_controller.reset();
    m_cluster.reset();
}

zk::Sid TimelineReplayTest::waitServing(zk::Sid other, int timeoutMs)
{
    QElapsedTimer clock;
    clock.start();
    while (clock.elapsed() < timeoutMs) {
        const auto leader = m_controller->servingLeader();
        if (leader && *leader != other &&
            m_controller->bannerText().startsWith(QStringLiteral("serving, leader ")))
            return *leader;
        QTest::qWait(20);
    }
    return 0;
}

QString TimelineReplayTest::role(zk::Sid sid) const
{
    const ClusterModel& nodes = *m_controller->clusterModel();
    return nodes.index(nodes.rowOf(sid), ClusterModel::RoleColumn).data().toString();
}

void TimelineReplayTest::parsesRowsAndRejectsBadLines()
{
    const auto entry = TimelineReplay::parseLine(
        R"j({"t_ms":1500,"sid":2,"kind":"StateChanged","category":"zab","text":"LEADING (x)"})j");
    QVERIFY(entry.has_value());
    QCOMPARE(entry->atMs, 1500);
    QCOMPARE(entry->sid, 2);
    QCOMPARE(entry->kind, QStringLiteral("StateChanged"));
    QVERIFY(!TimelineReplay::parseLine("{\"sid\":2}").has_value());
    QVERIFY(!TimelineReplay::parseLine("not json").has_value());

    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("bad.jsonl"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(R"j({"t_ms":1,"sid":1,"kind":"StateChanged","category":"zab","text":"LOOKING"})j"
               "\n\nnonsense\n");
    file.close();
    QString error;
    QVERIFY(!TimelineReplay::read(path, &error).has_value());
    QCOMPARE(error, QStringLiteral("line 3 is not a timeline row"));
    QVERIFY(!m_controller->openTimeline(dir.filePath(QStringLiteral("missing.jsonl")), &error));
    QVERIFY(!m_controller->replaying());

    // Folding: a state change, an epoch, then the studio's kill.
    TimelineReplay replay({
        {10, 1, QStringLiteral("StateChanged"), QStringLiteral("zab"), QStringLiteral("LEADING")},
        {11, 1, QStringLiteral("EpochChanged"), QStringLiteral("zab"), QStringLiteral("current=4")},
        {12, 2, QStringLiteral("StateChanged"), QStringLiteral("zab"),
         QStringLiteral("FOLLOWING (x)")},
        {20, 1, QStringLiteral("Studio"), QStringLiteral("studio"),
         QStringLiteral("kill the leader: server 1")},
    });
    QCOMPARE(replay.positionAt(11), 2);
    const ReplayFrame before = replay.frameAt(3);
    QCOMPARE(before.leader, std::optional<zk::Sid>(1));
    QCOMPARE(before.polls.size(), std::size_t(2));
    QCOMPARE(before.polls[0].status->currentEpoch, zk::Epoch(4));
    const ReplayFrame after = replay.frameAt(4);
    QVERIFY(!after.leader.has_value());
    QVERIFY(!after.polls[0].running);
}

void TimelineReplayTest::scrubShowsTheLeaderBeforeAndAfterTheKill()
{
    const zk::Sid old = waitServing();
    QVERIFY2(old != 0, qPrintable(m_controller->bannerText()));
    const zk::Epoch oldEpoch =
        m_controller->clusterModel()->node(old)->status.value_or(zk::QuorumStatus{}).currentEpoch;
    m_controller->killLeader();
    const zk::Sid leader = waitServing(old);
    QVERIFY2(leader != 0, qPrintable(m_controller->bannerText()));
    const QString killText = QStringLiteral("kill the leader: server %1").arg(old);
    const EventTimelineModel& timeline = *m_controller->timelineModel();
    auto killRow = [&] {
        for (int row = 0; row < timeline.rowCount(); ++row) {
            if (timeline.entry(row).text == killText)
                return row;
        }
        return -1;
    };
    QTRY_VERIFY_WITH_TIMEOUT(killRow() >= 0, 5000);
    // Let every survivor report its new role and epoch before the export.
    QTRY_VERIFY_WITH_TIMEOUT(
        m_controller->clusterModel()->node(leader)->status->currentEpoch > oldEpoch, 5000);

    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("kill-leader.jsonl"));
    QString error;
    QVERIFY2(timeline.exportJsonLines(path, &error), qPrintable(error));
    const int rows = timeline.rowCount();
    const int kill = killRow();

    QSignalSpy changed(m_controller.get(), &ClusterController::replayChanged);
    QVERIFY2(m_controller->openTimeline(path, &error), qPrintable(error));
    QVERIFY(m_controller->replaying());
    QCOMPARE(m_controller->replay().size(), rows);
    // The timeline table can show the opened file row for row.
    const EventTimelineModel& opened = *m_controller->replayTimelineModel();
    QCOMPARE(opened.rowCount(), rows);
    QCOMPARE(opened.entry(kill).text, killText);
    QVERIFY(changed.count() >= 1);
    // Opened at its end: the new leader leads, the old one is down.
    QCOMPARE(m_controller->replayPosition(), rows);
    QCOMPARE(role(leader), QStringLiteral("LEADING"));
    QCOMPARE(role(old), QStringLiteral("DOWN"));
    QCOMPARE(m_controller->clusterModel()->leader(), std::optional<zk::Sid>(leader));
    QVERIFY(m_controller->clusterModel()->node(leader)->status->currentEpoch > oldEpoch);
    QCOMPARE(m_controller->voteModel()->proposal(leader), std::optional<zk::Sid>(leader));
    QVERIFY(!m_controller->voteModel()->proposal(old).has_value());
    QVERIFY2(m_controller->bannerText().startsWith(QStringLiteral("replay ")),
             qPrintable(m_controller->bannerText()));

    // Just before the kill: the old leader leads in its epoch, and every vote names it.
    m_controller->scrubTo(kill);
    QCOMPARE(role(old), QStringLiteral("LEADING"));
    QCOMPARE(m_controller->clusterModel()->leader(), std::optional<zk::Sid>(old));
    QCOMPARE(m_controller->clusterModel()->node(old)->status->currentEpoch, oldEpoch);
    QCOMPARE(m_controller->voteModel()->proposal(old), std::optional<zk::Sid>(old));
    QVERIFY2(m_controller->bannerText().contains(QStringLiteral("serving, leader %1").arg(old)),
             qPrintable(m_controller->bannerText()));
    // The kill row itself takes it down.
    m_controller->scrubTo(kill + 1);
    QCOMPARE(role(old), QStringLiteral("DOWN"));
    // Before anything happened nobody leads.
    m_controller->scrubTo(0);
    QVERIFY(!m_controller->clusterModel()->leader().has_value());

    // Play at 20x walks to the end by itself, and ends with the new leader.
    m_controller->playReplay(20.0);
    QVERIFY(m_controller->replayPlaying());
    QTRY_COMPARE_WITH_TIMEOUT(m_controller->replayPosition(), rows, 20000);
    QTRY_VERIFY_WITH_TIMEOUT(!m_controller->replayPlaying(), 2000);
    QCOMPARE(role(leader), QStringLiteral("LEADING"));

    // Back to live: the polls show the ensemble as it is now.
    m_controller->leaveReplay();
    QVERIFY(!m_controller->replaying());
    QTRY_COMPARE_WITH_TIMEOUT(m_controller->bannerText(),
                              QStringLiteral("serving, leader %1 · 2 of 3 alive").arg(leader),
                              5000);
    QTRY_COMPARE_WITH_TIMEOUT(role(old), QStringLiteral("DOWN"), 5000);
    QTRY_COMPARE_WITH_TIMEOUT(role(leader), QStringLiteral("LEADING"), 5000);
}

QTEST_MAIN(TimelineReplayTest)
#include "test_timeline_replay.moc"
