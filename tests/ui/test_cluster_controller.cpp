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
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
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
    void killTheLeaderShowsANewLeader();
    void killTwoShowsNoQuorum();
    void cuttingTheLeaderOffShowsThePartition();
    void restartBringsTheRolesBack();
    void pauseAndResume();
    void slowMotionDelaysTheElection();
    void timelineExportsJsonLines();

private:
    // Waits for "serving, leader N" and returns N (0 on timeout).
    zk::Sid waitServing(int timeoutMs = 15000);
    // Waits for a serving leader other than `old`; 0 on timeout.
    zk::Sid waitNewLeader(zk::Sid old, int timeoutMs = 20000);
    QString role(zk::Sid sid) const;

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
    // A follower's row can trail the banner by a poll (its epoch arrives with its sync).
    for (zk::Sid sid : {1, 2, 3}) {
        const int row = nodes.rowOf(sid);
        QTRY_COMPARE_WITH_TIMEOUT(
            nodes.index(row, ClusterModel::RoleColumn).data().toString(),
            sid == leader ? QStringLiteral("LEADING") : QStringLiteral("FOLLOWING"), 5000);
        QCOMPARE(nodes.index(row, ClusterModel::PortColumn).data().toInt(),
                 int(m_cluster->ensemble()->clientPort(sid)));
        QTRY_VERIFY_WITH_TIMEOUT(
            nodes.index(row, ClusterModel::EpochColumn).data().toLongLong() >= 1, 5000);
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
        QVERIFY2(votes.outcome(sid).startsWith(sid == leader
                                                   ? QStringLiteral("LEADING")
                                                   : QStringLiteral("FOLLOWING %1").arg(leader)),
                 qPrintable(votes.outcome(sid)));
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

zk::Sid ClusterControllerTest::waitNewLeader(zk::Sid old, int timeoutMs)
{
    QElapsedTimer clock;
    clock.start();
    while (clock.elapsed() < timeoutMs) {
        const auto leader = m_controller->servingLeader();
        if (leader && *leader != old &&
            m_controller->bannerText().startsWith(
                QStringLiteral("serving, leader %1").arg(*leader)))
            return *leader;
        QTest::qWait(20);
    }
    return 0;
}

QString ClusterControllerTest::role(zk::Sid sid) const
{
    const ClusterModel& nodes = *m_controller->clusterModel();
    return nodes.index(nodes.rowOf(sid), ClusterModel::RoleColumn).data().toString();
}

void ClusterControllerTest::killTheLeaderShowsANewLeader()
{
    const zk::Sid old = waitServing();
    QVERIFY(old != 0);
    m_controller->killLeader();
    const zk::Sid leader = waitNewLeader(old);
    QVERIFY2(leader != 0, qPrintable(m_controller->bannerText()));
    QTRY_COMPARE_WITH_TIMEOUT(m_controller->bannerText(),
                              QStringLiteral("serving, leader %1 · 2 of 3 alive").arg(leader),
                              5000);
    QTRY_COMPARE_WITH_TIMEOUT(role(old), QStringLiteral("DOWN"), 5000);
    QTRY_COMPARE_WITH_TIMEOUT(role(leader), QStringLiteral("LEADING"), 5000);
    const ClusterModel& nodes = *m_controller->clusterModel();
    QCOMPARE(nodes.leader(), std::optional<zk::Sid>(leader));
    // The new leader's epoch is past the old one's.
    QVERIFY(nodes.node(leader)->status->currentEpoch >= 2);
    // The survivors voted anew, and the table says why each changed its vote.
    const VoteTableModel& votes = *m_controller->voteModel();
    QVERIFY(!votes.proposal(old).has_value());
    QCOMPARE(votes.outcome(old), QStringLiteral("down"));
    for (zk::Sid sid : {1, 2, 3}) {
        if (sid == old)
            continue;
        QTRY_COMPARE_WITH_TIMEOUT(votes.proposal(sid), std::optional<zk::Sid>(leader), 5000);
        const auto changes = votes.changes(sid);
        QVERIFY(!changes.empty());
        QVERIFY(QStringList({"own vote", "higher epoch", "higher zxid", "same zxid, higher sid",
                             "joined the sitting leader"})
                    .contains(votes.lastRule(sid)));
    }
    const LinkModel& links = *m_controller->linkModel();
    for (zk::Sid sid : {1, 2, 3}) {
        if (sid != old)
            QCOMPARE(links.state(old, sid), LinkState::Down);
    }
    const EventTimelineModel& timeline = *m_controller->timelineModel();
    bool noted = false;
    for (int row = 0; row < timeline.rowCount(); ++row) {
        noted = noted ||
                timeline.entry(row).text == QStringLiteral("kill the leader: server %1").arg(old);
    }
    QVERIFY(noted);
    QVERIFY(timeline.count(QStringLiteral("LookingStarted")) >= 2);
}

void ClusterControllerTest::killTwoShowsNoQuorum()
{
    const zk::Sid leader = waitServing();
    QVERIFY(leader != 0);
    const zk::Sid follower = leader == 1 ? 2 : 1;
    const zk::Sid survivor = 6 - leader - follower;
    m_controller->kill(leader);
    m_controller->kill(follower);
    QTRY_COMPARE_WITH_TIMEOUT(m_controller->bannerText(), QStringLiteral("1 of 3 alive: no quorum"),
                              10000);
    QVERIFY(!m_controller->servingLeader());
    QTRY_COMPARE_WITH_TIMEOUT(role(survivor), QStringLiteral("LOOKING"), 10000);
    QCOMPARE(role(leader), QStringLiteral("DOWN"));
    QCOMPARE(role(follower), QStringLiteral("DOWN"));
    QCOMPARE(m_controller->clusterModel()->aliveCount(), 1);
    QCOMPARE(m_controller->clusterModel()->leader(), std::nullopt);
    const LinkModel& links = *m_controller->linkModel();
    for (const auto& [a, b] : links.links())
        QCOMPARE(links.state(a, b), LinkState::Down);
    // The survivor keeps proposing itself and finds no quorum.
    QTRY_COMPARE_WITH_TIMEOUT(m_controller->voteModel()->proposal(survivor),
                              std::optional<zk::Sid>(survivor), 5000);
    QVERIFY(!m_controller->metrics().outages(leader).empty());
    QCOMPARE(m_controller->metrics().outages(leader).back().kind, OutageKind::Down);
}

void ClusterControllerTest::cuttingTheLeaderOffShowsThePartition()
{
    const zk::Sid old = waitServing();
    QVERIFY(old != 0);
    std::vector<zk::Sid> others;
    for (zk::Sid sid : {1, 2, 3}) {
        if (sid != old)
            others.push_back(sid);
    }
    m_controller->setLinkCut(old, others[0], true);
    m_controller->setLinkCut(old, others[1], true);
    const LinkModel& links = *m_controller->linkModel();
    QCOMPARE(links.state(old, others[0]), LinkState::Cut);
    QCOMPARE(links.state(old, others[1]), LinkState::Cut);
    QCOMPARE(links.state(others[0], others[1]), LinkState::Up);
    const QString partition = QStringLiteral("%1 %2 | %3").arg(others[0]).arg(others[1]).arg(old);
    QCOMPARE(links.partitionText(), partition);
    // The two that still see each other elect a leader; the old one stops leading.
    const zk::Sid leader = waitNewLeader(old);
    QVERIFY2(leader != 0, qPrintable(m_controller->bannerText()));
    QTRY_COMPARE_WITH_TIMEOUT(
        m_controller->bannerText(),
        QStringLiteral("serving, leader %1 · partitioned %2").arg(leader).arg(partition), 10000);
    QTRY_COMPARE_WITH_TIMEOUT(role(old), QStringLiteral("LOOKING"), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(!m_controller->metrics().outages(old).empty() &&
                                 m_controller->metrics().outages(old).back().kind ==
                                     OutageKind::CutOff,
                             5000);
    // Healing lets the old leader rejoin as a follower.
    m_controller->setLinkCut(old, others[0], false);
    m_controller->setLinkCut(old, others[1], false);
    QVERIFY(links.partitionText().isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(role(old), QStringLiteral("FOLLOWING"), 20000);
    QTRY_COMPARE_WITH_TIMEOUT(m_controller->bannerText(),
                              QStringLiteral("serving, leader %1").arg(leader), 10000);
}

void ClusterControllerTest::restartBringsTheRolesBack()
{
    const zk::Sid old = waitServing();
    QVERIFY(old != 0);
    m_controller->killLeader();
    const zk::Sid leader = waitNewLeader(old);
    QVERIFY(leader != 0);
    m_controller->restart(old);
    QTRY_COMPARE_WITH_TIMEOUT(m_controller->bannerText(),
                              QStringLiteral("serving, leader %1").arg(leader), 20000);
    QTRY_COMPARE_WITH_TIMEOUT(role(old), QStringLiteral("FOLLOWING"), 10000);
    QCOMPARE(role(leader), QStringLiteral("LEADING"));
    int following = 0;
    for (zk::Sid sid : {1, 2, 3})
        following += role(sid) == QStringLiteral("FOLLOWING") ? 1 : 0;
    QCOMPARE(following, 2);
    QCOMPARE(m_controller->clusterModel()->aliveCount(), 3);
    // The old leader synced from the new one, and says how.
    const ClusterModel& nodes = *m_controller->clusterModel();
    QTRY_VERIFY_WITH_TIMEOUT(!nodes.node(old)->syncMode.isEmpty(), 10000);
    QCOMPARE(nodes.node(old)->syncLeader, leader);
    QTRY_VERIFY_WITH_TIMEOUT(m_controller->voteModel()->proposal(old) == leader, 5000);
    // The charts closed the down period and marked both leaders.
    const auto& outages = m_controller->metrics().outages(old);
    QVERIFY(!outages.empty());
    QCOMPARE(outages.back().kind, OutageKind::Down);
    QVERIFY(outages.back().endS > outages.back().startS);
    bool markedNew = false;
    for (const LeaderMark& mark : m_controller->metrics().leaderMarks())
        markedNew = markedNew || mark.leader == leader;
    QVERIFY(markedNew);
}

void ClusterControllerTest::pauseAndResume()
{
    const zk::Sid leader = waitServing();
    QVERIFY(leader != 0);
    const zk::Sid follower = leader == 3 ? 2 : 3;
    m_controller->pause(follower);
    QTRY_COMPARE_WITH_TIMEOUT(role(follower), QStringLiteral("PAUSED"), 5000);
    QTRY_COMPARE_WITH_TIMEOUT(m_controller->bannerText(),
                              QStringLiteral("serving, leader %1 · 2 of 3 alive").arg(leader),
                              10000);
    m_controller->resume(follower);
    QTRY_COMPARE_WITH_TIMEOUT(m_controller->bannerText(),
                              QStringLiteral("serving, leader %1").arg(leader), 20000);
    QTRY_VERIFY_WITH_TIMEOUT(role(follower) == QStringLiteral("FOLLOWING"), 20000);
    const auto& outages = m_controller->metrics().outages(follower);
    QVERIFY(!outages.empty());
    QCOMPARE(outages.front().kind, OutageKind::Paused);
}

void ClusterControllerTest::slowMotionDelaysTheElection()
{
    const zk::Sid old = waitServing();
    QVERIFY(old != 0);
    QSignalSpy changed(m_controller.get(), &ClusterController::electionDelayChanged);
    m_controller->setElectionDelay(std::chrono::milliseconds(600));
    QCOMPARE(changed.count(), 1);
    const LinkModel& links = *m_controller->linkModel();
    QCOMPARE(links.delayMs(), 600);
    for (int row = 0; row < links.rowCount(); ++row)
        QCOMPARE(links.index(row, LinkModel::DelayColumn).data().toString(),
                 QStringLiteral("600 ms"));
    m_controller->killLeader();
    const zk::Sid leader = waitNewLeader(old, 40000);
    QVERIFY2(leader != 0, qPrintable(m_controller->bannerText()));
    // No survivor could decide before a vote from the other had waited out the delay.
    const EventTimelineModel& timeline = *m_controller->timelineModel();
    std::int64_t killedAt = -1;
    std::int64_t electedAt = -1;
    for (int row = 0; row < timeline.rowCount(); ++row) {
        const TimelineEntry& entry = timeline.entry(row);
        if (entry.text.startsWith(QStringLiteral("kill the leader")))
            killedAt = entry.atMs;
        if (killedAt >= 0 && electedAt < 0 && entry.kind == QStringLiteral("LeaderElected"))
            electedAt = entry.atMs;
    }
    QVERIFY(killedAt >= 0 && electedAt >= 0);
    QVERIFY2(electedAt - killedAt >= 600, qPrintable(QString::number(electedAt - killedAt)));
}

void ClusterControllerTest::timelineExportsJsonLines()
{
    QVERIFY(waitServing() != 0);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("timeline.jsonl"));
    const EventTimelineModel& timeline = *m_controller->timelineModel();
    QString error;
    QVERIFY2(timeline.exportJsonLines(path, &error), qPrintable(error));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = file.readAll().split('\n');
    QCOMPARE(lines.size(), timeline.rowCount() + 1); // the last line ends with a newline
    QVERIFY(lines.back().isEmpty());
    for (int row = 0; row < timeline.rowCount(); ++row) {
        QJsonParseError parse;
        const QJsonObject object = QJsonDocument::fromJson(lines[row], &parse).object();
        QCOMPARE(parse.error, QJsonParseError::NoError);
        QCOMPARE(object.value(QStringLiteral("kind")).toString(), timeline.entry(row).kind);
        QCOMPARE(object.value(QStringLiteral("t_ms")).toInteger(), timeline.entry(row).atMs);
        QCOMPARE(object.value(QStringLiteral("sid")).toInteger(), timeline.entry(row).sid);
        QVERIFY(object.contains(QStringLiteral("category")));
        QVERIFY(object.contains(QStringLiteral("text")));
    }
}

QTEST_MAIN(ClusterControllerTest)
#include "test_cluster_controller.moc"
