// Proves the cluster models on synthetic inputs (no servers): the banner for every state a user
// meets, the vote table fed with a recorded FastLeaderElection (rules, quorum moment, late
// joiner), the link model's partition groups, the timeline's bound and text, and the charts'
// series (requests/s from commits, outages, leader marks). Every model runs under
// QAbstractItemModelTester.

#include "controllers/cluster_controller.h"
#include "models/cluster_model.h"
#include "models/event_timeline_model.h"
#include "models/link_model.h"
#include "models/metrics_series.h"
#include "models/vote_table_model.h"

#include <QAbstractItemModelTester>
#include <QTest>

using namespace zoolab;

class ClusterModelsTest : public QObject
{
    Q_OBJECT
private slots:
    void bannerForEveryState();
    void voteTableFollowsAnElection();
    void clusterModelTakesPollsAndEvents();
    void linkModelGroupsThePartition();
    void timelineIsBoundedAndReadable();
    void metricsDeriveRatesOutagesAndLeaders();
};

namespace {

constexpr auto mode = QAbstractItemModelTester::FailureReportingMode::QtTest;

NodePoll up(zk::Sid sid, zk::ServerState state, bool serving = true,
            std::vector<zk::Sid> synced = {})
{
    NodePoll poll;
    poll.sid = sid;
    poll.running = true;
    poll.clientPort = std::uint16_t(2180 + sid);
    zk::QuorumStatus status;
    status.sid = sid;
    status.state = state;
    status.serving = serving;
    status.currentEpoch = 1;
    status.lastZxid = zk::makeZxid(1, 7);
    status.syncedLearners = std::move(synced);
    poll.status = status;
    return poll;
}

NodePoll down(zk::Sid sid)
{
    NodePoll poll;
    poll.sid = sid;
    return poll;
}

StampedPeerEvent election(std::int64_t atMs, zk::Sid sid, zk::ElectionEvent event)
{
    StampedPeerEvent stamped;
    stamped.atMs = atMs;
    stamped.event.kind = zk::PeerEvent::Kind::Election;
    stamped.event.sid = sid;
    stamped.event.election = std::move(event);
    return stamped;
}

zk::Vote vote(zk::Sid id, zk::Zxid zxid = 0, zk::Epoch epoch = 0)
{
    zk::Vote v;
    v.id = id;
    v.zxid = zxid;
    v.peerEpoch = epoch;
    v.electionEpoch = 1;
    return v;
}

} // namespace

void ClusterModelsTest::bannerForEveryState()
{
    ClusterModel nodes;
    LinkModel links;
    QAbstractItemModelTester nodesTester(&nodes, mode);
    QAbstractItemModelTester linksTester(&links, mode);
    nodes.reset({1, 2, 3});
    links.reset({1, 2, 3});
    nodes.applyPolls({up(1, zk::ServerState::Following), up(2, zk::ServerState::Leading),
                      up(3, zk::ServerState::Following)});
    QCOMPARE(ClusterController::bannerFor(nodes, links, 2), QStringLiteral("serving, leader 2"));
    nodes.applyPolls({down(2)});
    links.setAlive({1, 3});
    QCOMPARE(ClusterController::bannerFor(nodes, links, std::nullopt),
             QStringLiteral("electing a leader (2 of 3 alive)"));
    QCOMPARE(ClusterController::bannerFor(nodes, links, 3),
             QStringLiteral("serving, leader 3 · 2 of 3 alive"));
    nodes.applyPolls({down(3)});
    links.setAlive({1});
    QCOMPARE(ClusterController::bannerFor(nodes, links, std::nullopt),
             QStringLiteral("1 of 3 alive: no quorum"));
    nodes.applyPolls(
        {up(2, zk::ServerState::Looking, false), up(3, zk::ServerState::Looking, false)});
    links.setAlive({1, 2, 3});
    links.setCut(1, 2, true);
    links.setCut(1, 3, true);
    links.setCut(2, 3, true);
    QCOMPARE(ClusterController::bannerFor(nodes, links, std::nullopt),
             QStringLiteral("3 of 3 alive, partitioned 1 | 2 | 3: no quorum"));
    links.setCut(2, 3, false);
    QCOMPARE(ClusterController::bannerFor(nodes, links, 2),
             QStringLiteral("serving, leader 2 · partitioned 2 3 | 1"));
    links.setCut(1, 3, false);
    QCOMPARE(ClusterController::bannerFor(nodes, links, 2),
             QStringLiteral("serving, leader 2 · cut 1–2"));
    NodePoll paused = up(3, zk::ServerState::Following);
    paused.paused = true;
    nodes.applyPolls({paused});
    QCOMPARE(nodes.role(3), NodeRole::Paused);
    QCOMPARE(nodes.aliveCount(), 2);
}

void ClusterModelsTest::voteTableFollowsAnElection()
{
    VoteTableModel votes;
    QAbstractItemModelTester tester(&votes, mode);
    votes.reset({1, 2, 3});
    QCOMPARE(votes.rowCount(), 3);
    QCOMPARE(votes.columnCount(), 6); // voter, for 1..3, rule, outcome
    const zk::Zxid zxid = zk::makeZxid(1, 5);
    // Server 1 starts with its own vote, learns of 2 (same zxid, higher sid), then of 3.
    votes.applyEvents({election(10, 1, zk::LookingStarted{1, vote(1, zxid, 1)}),
                       election(11, 2, zk::LookingStarted{1, vote(2, zxid, 1)}),
                       election(20, 1,
                                zk::VoteChanged{vote(1, zxid, 1), vote(2, zxid, 1),
                                                zk::VoteRule::HigherSid, 2})});
    QCOMPARE(votes.proposal(1), std::optional<zk::Sid>(2));
    QCOMPARE(votes.lastRule(1), QStringLiteral("same zxid, higher sid"));
    const QModelIndex cell = votes.index(votes.rowOf(1), votes.candidateColumn(2));
    QVERIFY(cell.data(VoteTableModel::ProposedRole).toBool());
    QCOMPARE(cell.data().toString(), QStringLiteral("● 1:5"));
    QVERIFY(!votes.index(votes.rowOf(1), votes.candidateColumn(1))
                 .data(VoteTableModel::ProposedRole)
                 .toBool());
    QCOMPARE(votes.index(votes.rowOf(1), votes.ruleColumn()).data().toString(),
             QStringLiteral("→ 2: same zxid, higher sid (from 2)"));
    // The quorum moment, then the result.
    votes.applyEvents({election(30, 1, zk::QuorumReached{vote(2, zxid, 1), {1, 2}})});
    QCOMPARE(votes.outcome(1), QStringLiteral("quorum for 2: 1,2"));
    zk::LeaderElected elected{vote(2, zxid, 1), zk::ServerState::Following, {1, 2}, false};
    votes.applyEvents({election(40, 1, elected)});
    QCOMPARE(votes.outcome(1), QStringLiteral("FOLLOWING 2 · quorum 1,2"));
    // A late joiner follows the sitting leader without changing its proposal first.
    votes.applyEvents(
        {election(50, 3, zk::LookingStarted{1, vote(3)}),
         election(60, 3,
                  zk::LeaderElected{vote(2, zxid, 1), zk::ServerState::Following, {1, 2}, true})});
    QCOMPARE(votes.proposal(3), std::optional<zk::Sid>(2));
    QCOMPARE(votes.lastRule(3), QStringLiteral("joined the sitting leader"));
    QCOMPARE(votes.changes(3).size(), std::size_t(2));
    votes.markDown(3);
    QCOMPARE(votes.proposal(3), std::nullopt);
    QCOMPARE(votes.outcome(3), QStringLiteral("down"));
}

void ClusterModelsTest::clusterModelTakesPollsAndEvents()
{
    ClusterModel nodes;
    QAbstractItemModelTester tester(&nodes, mode);
    nodes.reset({1, 2, 3});
    nodes.applyPolls(
        {up(1, zk::ServerState::Following), up(2, zk::ServerState::Leading, true, {1}), down(3)});
    QCOMPARE(nodes.index(1, ClusterModel::RoleColumn).data().toString(), QStringLiteral("LEADING"));
    QCOMPARE(nodes.index(2, ClusterModel::RoleColumn).data().toString(), QStringLiteral("DOWN"));
    QCOMPARE(nodes.index(0, ClusterModel::ZxidColumn).data().toString(), QStringLiteral("1:7"));
    QCOMPARE(nodes.index(0, ClusterModel::PortColumn).data().toInt(), 2181);
    QCOMPARE(nodes.leader(), std::optional<zk::Sid>(2));
    // The learner's sync event names the mode on its row; a new state clears it.
    StampedPeerEvent sync;
    sync.event.kind = zk::PeerEvent::Kind::Sync;
    sync.event.sid = 1;
    sync.event.peer = 2;
    sync.event.text = "SNAP";
    nodes.applyEvents({sync});
    QCOMPARE(nodes.node(1)->syncMode, QStringLiteral("SNAP"));
    QCOMPARE(nodes.index(0, ClusterModel::SyncColumn).data().toString(),
             QStringLiteral("SNAP from 2"));
    StampedPeerEvent looking;
    looking.event.kind = zk::PeerEvent::Kind::StateChanged;
    looking.event.sid = 2;
    looking.event.state = zk::ServerState::Looking;
    nodes.applyEvents({looking});
    QCOMPARE(nodes.role(2), NodeRole::Looking);
    QCOMPARE(nodes.leader(), std::nullopt);
}

void ClusterModelsTest::linkModelGroupsThePartition()
{
    LinkModel links;
    QAbstractItemModelTester tester(&links, mode);
    links.reset({3, 1, 2});
    QCOMPARE(links.rowCount(), 3);
    QCOMPARE(links.index(0, LinkModel::LinkColumn).data().toString(), QStringLiteral("1 – 2"));
    links.setCut(3, 1, true);
    QVERIFY(links.isCut(1, 3));
    QCOMPARE(links.state(3, 1), LinkState::Cut);
    QVERIFY(links.partitionText().isEmpty()); // 1 and 3 still meet through 2
    links.setCut(2, 3, true);
    QCOMPARE(links.partitionText(), QStringLiteral("1 2 | 3"));
    links.setAlive({1, 3});
    QCOMPARE(links.state(1, 2), LinkState::Down);
    QCOMPARE(links.partitionText(), QStringLiteral("1 | 3"));
    links.setDelayMs(1500);
    QCOMPARE(links.index(2, LinkModel::DelayColumn).data().toString(), QStringLiteral("1500 ms"));
}

void ClusterModelsTest::timelineIsBoundedAndReadable()
{
    EventTimelineModel timeline;
    QAbstractItemModelTester tester(&timeline, mode);
    PeerEventBridge::Batch batch;
    for (int i = 0; i < EventTimelineModel::rowsMax + 700; ++i) {
        StampedPeerEvent commit;
        commit.atMs = i;
        commit.event.kind = zk::PeerEvent::Kind::Commit;
        commit.event.sid = 2;
        commit.event.zxid = zk::makeZxid(1, i);
        batch.push_back(commit);
        if (batch.size() == 500) {
            timeline.appendEvents(batch);
            batch.clear();
        }
    }
    timeline.appendEvents(batch);
    QVERIFY(timeline.rowCount() <= EventTimelineModel::rowsMax);
    QCOMPARE(timeline.entry(timeline.rowCount() - 1).atMs,
             std::int64_t(EventTimelineModel::rowsMax + 699));
    QCOMPARE(timeline.entry(0).category, QStringLiteral("traffic"));
    timeline.clear();
    const zk::Notification n{0, 2, zk::makeZxid(1, 3), 4, 1};
    timeline.appendEvents({election(1234, 1, zk::VoteSent{3, n})});
    timeline.appendStudio(1300, 2, QStringLiteral("kill server 2"));
    QCOMPARE(timeline.rowCount(), 2);
    QCOMPARE(timeline.index(0, EventTimelineModel::KindColumn).data().toString(),
             QStringLiteral("VoteSent"));
    QVERIFY(timeline.index(0, EventTimelineModel::TextColumn)
                .data()
                .toString()
                .startsWith(QStringLiteral("to=3 LOOKING leader=2")));
    QCOMPARE(timeline.index(0, EventTimelineModel::TimeColumn).data().toString(),
             QStringLiteral("1.234"));
    QCOMPARE(timeline.entry(1).category, QStringLiteral("studio"));
    QCOMPARE(EventTimelineModel::jsonLine(timeline.entry(1)),
             QStringLiteral(R"({"category":"studio","kind":"Studio","sid":2,"t_ms":1300,)"
                            R"("text":"kill server 2"})"));
}

void ClusterModelsTest::metricsDeriveRatesOutagesAndLeaders()
{
    QCOMPARE(MetricsSeries::txnsBetween(zk::makeZxid(2, 10), zk::makeZxid(2, 25)), 15);
    QCOMPARE(MetricsSeries::txnsBetween(zk::makeZxid(2, 10), zk::makeZxid(3, 4)), 4);
    QCOMPARE(MetricsSeries::txnsBetween(zk::makeZxid(2, 10), zk::makeZxid(2, 10)), 0);
    MetricsSeries metrics;
    metrics.reset({1, 2});
    // Server 2 leads and commits 10 txns every 200 ms: 50 requests/s.
    for (int i = 0; i <= 10; ++i) {
        NodePoll leader = up(2, zk::ServerState::Leading);
        leader.status->lastZxid = zk::makeZxid(1, 10 * i);
        NodePoll follower = i >= 5 ? down(1) : up(1, zk::ServerState::Following);
        metrics.sample(200 * i, {follower, leader}, {}, 2);
    }
    QCOMPARE(metrics.requestRate(2).back().y(), 50.0);
    QCOMPARE(metrics.zxidCounter(2).back().y(), 100.0);
    // Server 1 went down at 1 s: an open outage, no sessions, its zxid held.
    QCOMPARE(metrics.outages(1).size(), std::size_t(1));
    QCOMPARE(metrics.outages(1).front().kind, OutageKind::Down);
    QCOMPARE(metrics.outages(1).front().startS, 1.0);
    QCOMPARE(metrics.outages(1).front().endS, -1.0);
    QCOMPARE(metrics.sessions(1).back().y(), 0.0);
    QCOMPARE(metrics.zxidCounter(1).back().y(), 7.0);
    metrics.sample(2400, {up(1, zk::ServerState::Following), down(2)}, {1}, std::nullopt);
    QCOMPARE(metrics.outages(1).front().endS, 2.4);
    QCOMPARE(metrics.outages(1).back().kind, OutageKind::CutOff);
    // One mark when 2 started serving, one when service stopped.
    QCOMPARE(metrics.leaderMarks().size(), std::size_t(2));
    QCOMPARE(metrics.leaderMarks().front().leader, 2);
    QCOMPARE(metrics.leaderMarks().back().leader, 0);
    QCOMPARE(metrics.leaderMarks().back().atS, 2.4);
}

QTEST_MAIN(ClusterModelsTest)
#include "test_cluster_models.moc"
