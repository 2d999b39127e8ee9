// Proves the client traffic numbers a quorum server reports in its QuorumStatus: the request
// latency bookkeeping on its own (replies matched to arrivals per connection, notifications
// skipped, nearest-rank p50/p99 over the last second, outstanding counts), and on a live
// 3-node ensemble on free ports that a client's reads and writes show up as latency samples,
// its watches as the watch count, and nothing stays outstanding once it has its answers; and
// that Ensemble::sessionsSnapshot names the server a session is attached to and the session's
// ephemerals, on every server's tree.

#include "client/sync_client.h"
#include "client/watch_manager.h"
#include "cluster/ensemble.h"
#include "net/request_latency.h"

#include <QTemporaryDir>
#include <QtTest>

#include <chrono>
#include <thread>

using namespace zk;
using namespace zk::client;
using namespace std::chrono_literals;

namespace {

// A reply frame: 4 length bytes, then the xid (big-endian) and some header bytes.
std::vector<std::uint8_t> replyFrame(std::int32_t xid)
{
    const auto x = static_cast<std::uint32_t>(xid);
    return {0,
            0,
            0,
            16,
            std::uint8_t(x >> 24),
            std::uint8_t(x >> 16),
            std::uint8_t(x >> 8),
            std::uint8_t(x),
            0,
            0,
            0,
            0};
}

} // namespace

class RequestLatencyTest : public QObject
{
    Q_OBJECT
private slots:
    void matchesRepliesToArrivals();
    void liveEnsembleReportsLatencyAndWatches();
};

void RequestLatencyTest::matchesRepliesToArrivals()
{
    RequestLatency latency;
    latency.requestArrived(1, 1000);
    latency.requestArrived(1, 2000);
    latency.requestArrived(2, 2500);
    QCOMPARE(latency.outstanding(), std::size_t(3));
    // A watch notification answers nothing.
    QCOMPARE(latency.frameSent(1, replyFrame(-1), 2100), std::int64_t(-1));
    QCOMPARE(latency.outstanding(), std::size_t(3));
    // Replies on connection 1 answer its requests in order.
    QCOMPARE(latency.frameSent(1, replyFrame(7), 4000), std::int64_t(3000));
    QCOMPARE(latency.frameSent(1, replyFrame(8), 4000), std::int64_t(2000));
    QCOMPARE(latency.frameSent(1, replyFrame(9), 4000), std::int64_t(-1)); // none waits
    QCOMPARE(latency.outstanding(), std::size_t(1));
    latency.connectionClosed(2);
    QCOMPARE(latency.outstanding(), std::size_t(0));

    RequestLatency::Summary summary = latency.summary(5000);
    QCOMPARE(summary.samples, std::size_t(2));
    QCOMPARE(summary.p50Ms, 2.0);
    QCOMPARE(summary.p99Ms, 3.0);
    // 100 replies of 1..100 ms: nearest rank gives 50 and 99.
    for (int i = 1; i <= 100; ++i) {
        latency.requestArrived(3, 10'000'000 - i * 1000);
        QVERIFY(latency.frameSent(3, replyFrame(i), 10'000'000) >= 0);
    }
    summary = latency.summary(10'000'000);
    QCOMPARE(summary.samples, std::size_t(100)); // the first two left the window
    QCOMPARE(summary.p50Ms, 50.0);
    QCOMPARE(summary.p99Ms, 99.0);
    QCOMPARE(latency.summary(20'000'000).samples, std::size_t(0));
}

void RequestLatencyTest::liveEnsembleReportsLatencyAndWatches()
{
    QTemporaryDir dir;
    EnsembleOptions options;
    options.baseDir = dir.path().toStdString();
    options.tickTimeMs = 200;
    options.forceSync = false;
    Ensemble ensemble(options);
    std::string error;
    QVERIFY2(!ensemble.prepare(error), error.c_str());
    QVERIFY2(ensemble.startAll(error), error.c_str());
    std::optional<Sid> leader;
    for (int i = 0; i < 500 && !leader; ++i) {
        leader = ensemble.servingLeader();
        std::this_thread::sleep_for(20ms);
    }
    QVERIFY(leader.has_value());
    Sid follower = 1;
    while (follower == *leader)
        ++follower;

    ClientOptions clientOptions;
    clientOptions.connectString = "127.0.0.1:" + std::to_string(ensemble.clientPort(follower));
    clientOptions.sessionTimeoutMs = 4000;
    ZkClient client(clientOptions);
    SyncClient sync(client);
    QCOMPARE(sync.waitConnected(5s), SessionState::Connected);
    const auto noop = makeWatcher([](const zk::client::WatchedEvent&) {});
    for (int i = 0; i < 20; ++i) {
        const std::string path = "/lat" + std::to_string(i);
        QVERIFY(sync.create(path, Bytes{'x'}, openAclUnsafe(), CreateMode::Persistent).ok());
        QVERIFY(sync.getData(path, noop).ok()); // one data watch per znode
    }
    QVERIFY(sync.getChildren("/", noop).ok()); // and one child watch
    // The next tick copies the numbers into the status.
    std::optional<QuorumStatus> status;
    for (int i = 0; i < 100; ++i) {
        status = ensemble.status(follower);
        if (status && status->latencySamples >= 41 && status->watches == 21)
            break;
        std::this_thread::sleep_for(10ms);
    }
    QVERIFY(status.has_value());
    QCOMPARE(status->watches, std::size_t(21));
    QVERIFY2(status->latencySamples >= 41, std::to_string(status->latencySamples).c_str());
    QVERIFY(status->latencyP50Ms > 0);
    QVERIFY(status->latencyP99Ms >= status->latencyP50Ms);
    QVERIFY(status->latencyP99Ms < 5000);
    QCOMPARE(status->outstandingRequests, std::size_t(0));
    // The leader served no client: no samples, no watches.
    const auto leaderStatus = ensemble.status(*leader);
    QVERIFY(leaderStatus.has_value());
    QCOMPARE(leaderStatus->latencySamples, std::size_t(0));
    QCOMPARE(leaderStatus->watches, std::size_t(0));

    const auto created =
        sync.create("/lat-eph-", Bytes{'e'}, openAclUnsafe(), CreateMode::EphemeralSequential);
    QVERIFY(created.ok());
    const SessionId session = client.sessionId();
    const auto attached = ensemble.sessionsSnapshot(follower);
    QVERIFY(attached.has_value());
    QCOMPARE(attached->attached.size(), std::size_t(1));
    QCOMPARE(attached->attached.front().session, session);
    QCOMPARE(attached->attached.front().timeoutMs, 4000);
    QVERIFY(attached->ephemerals.contains(session));
    QCOMPARE(attached->ephemerals.at(session).size(), std::size_t(1));
    QVERIFY(attached->ephemerals.at(session).front().starts_with("/lat-eph-"));
    std::optional<SessionsSnapshot> onLeader;
    for (int i = 0; i < 100; ++i) { // the leader applied the create before the follower did
        onLeader = ensemble.sessionsSnapshot(*leader);
        if (onLeader && onLeader->ephemerals.contains(session))
            break;
        std::this_thread::sleep_for(10ms);
    }
    QVERIFY(onLeader.has_value());
    QVERIFY(onLeader->attached.empty());
    QCOMPARE(onLeader->ephemerals.at(session), attached->ephemerals.at(session));
    ensemble.pause(*leader);
    QVERIFY(!ensemble.sessionsSnapshot(*leader).has_value()); // never waits on a paused node
    ensemble.resume(*leader);
    sync.close();
}

QTEST_APPLESS_MAIN(RequestLatencyTest)
#include "test_request_latency.moc"
