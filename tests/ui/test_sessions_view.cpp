// Proves the sessions view's models on a live 3-server ensemble on free ports: two sessions,
// each pinned to its own server, queue for a lock with ephemeral sequential children of
// /locks/l; the queue model shows them in sequence order with their owner sessions and the
// servers those are attached to, the session model lists each session with its server and
// ephemerals, and when one session closes its znode leaves the queue and its row goes.

#include "client/sync_client.h"
#include "controllers/cluster_controller.h"
#include "controllers/embedded_cluster.h"
#include "models/queue_model.h"
#include "models/session_table_model.h"

#include <QAbstractItemModelTester>
#include <QTest>

#include <memory>

using namespace zoolab;
using namespace std::chrono_literals;

class SessionsViewTest : public QObject
{
    Q_OBJECT
private slots:
    void sequenceNumbers();
    void lockQueueShowsOwnersAndServers();
};

void SessionsViewTest::sequenceNumbers()
{
    QCOMPARE(QueueModel::sequenceOf(QStringLiteral("_c_ab-lock-0000000012")),
             std::optional<std::int64_t>(12));
    QVERIFY(!QueueModel::sequenceOf(QStringLiteral("member")).has_value());
    QVERIFY(!QueueModel::sequenceOf(QStringLiteral("x-00000000a1")).has_value());
    // Two queues, each ordered by sequence, positions counted per queue.
    std::vector<SessionRow> rows(2);
    rows[0].session = 7;
    rows[0].server = 1;
    rows[0].ephemerals = {"/a/n_0000000003", "/b/n_0000000001", "/a/plain"};
    rows[1].session = 9;
    rows[1].server = 2;
    rows[1].ephemerals = {"/a/n_0000000002"};
    const auto entries = QueueModel::entriesOf(rows);
    QCOMPARE(entries.size(), std::size_t(3));
    QCOMPARE(entries[0].parent, QStringLiteral("/a"));
    QCOMPARE(entries[0].session, zk::SessionId(9));
    QCOMPARE(entries[0].position, 1);
    QCOMPARE(entries[1].session, zk::SessionId(7));
    QCOMPARE(entries[1].position, 2);
    QCOMPARE(entries[2].parent, QStringLiteral("/b"));
    QCOMPARE(entries[2].position, 1);
}

void SessionsViewTest::lockQueueShowsOwnersAndServers()
{
    EmbeddedCluster::Options options;
    options.basePort = 0;
    EmbeddedCluster cluster(options);
    ClusterController controller;
    const auto mode = QAbstractItemModelTester::FailureReportingMode::QtTest;
    QAbstractItemModelTester sessionTester(controller.sessionModel(), mode);
    QAbstractItemModelTester queueTester(controller.queueModel(), mode);
    controller.attach(&cluster);
    QVERIFY2(!cluster.start(), cluster.lastError().c_str());
    QTRY_VERIFY_WITH_TIMEOUT(controller.servingLeader().has_value(), 20000);

    auto clientOn = [&](zk::Sid sid) {
        zk::client::ClientOptions clientOptions;
        clientOptions.connectString =
            "127.0.0.1:" + std::to_string(cluster.ensemble()->clientPort(sid));
        clientOptions.sessionTimeoutMs = 6000;
        return std::make_unique<zk::client::ZkClient>(clientOptions);
    };
    auto first = clientOn(1);
    auto second = clientOn(2);
    zk::client::SyncClient a(*first);
    zk::client::SyncClient b(*second);
    QCOMPARE(a.waitConnected(5s), zk::client::SessionState::Connected);
    QCOMPARE(b.waitConnected(5s), zk::client::SessionState::Connected);
    QVERIFY(a.create("/locks", {}, zk::openAclUnsafe(), zk::CreateMode::Persistent).ok());
    QVERIFY(a.create("/locks/l", {}, zk::openAclUnsafe(), zk::CreateMode::Persistent).ok());
    const auto mine = a.create("/locks/l/_c_aaa-lock-", {}, zk::openAclUnsafe(),
                               zk::CreateMode::EphemeralSequential);
    QVERIFY(mine.ok());
    const auto theirs = b.create("/locks/l/_c_bbb-lock-", {}, zk::openAclUnsafe(),
                                 zk::CreateMode::EphemeralSequential);
    QVERIFY(theirs.ok());
    const zk::SessionId sessionA = first->sessionId();
    const zk::SessionId sessionB = second->sessionId();

    const QueueModel& queues = *controller.queueModel();
    QTRY_COMPARE_WITH_TIMEOUT(queues.queue(QStringLiteral("/locks/l")).size(), std::size_t(2),
                              5000);
    const auto queue = queues.queue(QStringLiteral("/locks/l"));
    QCOMPARE(queue[0].position, 1);
    QCOMPARE(queue[0].name, QStringLiteral("_c_aaa-lock-0000000000"));
    QCOMPARE(queue[0].session, sessionA);
    QCOMPARE(queue[0].server, zk::Sid(1));
    QCOMPARE(queue[1].position, 2);
    QCOMPARE(queue[1].name, QStringLiteral("_c_bbb-lock-0000000001"));
    QCOMPARE(queue[1].session, sessionB);
    QCOMPARE(queue[1].server, zk::Sid(2));
    // What the table shows for them.
    const int head = 0;
    QCOMPARE(queues.index(head, QueueModel::StateColumn).data().toString(),
             QStringLiteral("holds it"));
    QCOMPARE(queues.index(head + 1, QueueModel::StateColumn).data().toString(),
             QStringLiteral("waits for #1"));
    QCOMPARE(queues.index(head + 1, QueueModel::SessionColumn).data().toString(),
             SessionTableModel::sessionText(sessionB));

    const SessionTableModel& sessions = *controller.sessionModel();
    QTRY_VERIFY_WITH_TIMEOUT(sessions.find(sessionA) && sessions.find(sessionB), 5000);
    QCOMPARE(sessions.find(sessionA)->server, zk::Sid(1));
    QCOMPARE(sessions.find(sessionB)->server, zk::Sid(2));
    QCOMPARE(sessions.find(sessionA)->ephemerals,
             std::vector<std::string>{"/locks/l/_c_aaa-lock-0000000000"});
    QCOMPARE(sessions.find(sessionA)->timeoutMs, 6000);

    // The second session ends: its znode leaves the queue, its row goes; the first stays.
    QVERIFY(b.close().ok());
    QTRY_COMPARE_WITH_TIMEOUT(queues.queue(QStringLiteral("/locks/l")).size(), std::size_t(1),
                              5000);
    QCOMPARE(queues.queue(QStringLiteral("/locks/l"))[0].session, sessionA);
    QTRY_VERIFY_WITH_TIMEOUT(sessions.find(sessionB) == nullptr, 5000);
    QVERIFY(sessions.find(sessionA) != nullptr);
    a.close();
    controller.detach();
}

QTEST_MAIN(SessionsViewTest)
#include "test_sessions_view.moc"
