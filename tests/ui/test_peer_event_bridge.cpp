// Proves the engine-to-GUI event bridge: PeerEvents published on several threads reach the GUI
// thread in per-thread order, in few batches (one queued call per non-empty batch), stop after
// detach(), and are dropped (and counted) beyond the pending bound.

#include "bridge/peer_event_bridge.h"

#include <QTest>
#include <QThread>

#include <map>
#include <thread>
#include <vector>

using namespace zoolab;

class PeerEventBridgeTest : public QObject
{
    Q_OBJECT
private slots:
    void deliversBatchesOnGuiThreadInOrder();
    void dropsAfterDetach();
    void boundsThePendingBatch();
};

namespace {

zk::PeerEvent commitOf(zk::Sid sid, zk::Zxid zxid)
{
    zk::PeerEvent event;
    event.kind = zk::PeerEvent::Kind::Commit;
    event.sid = sid;
    event.zxid = zxid;
    return event;
}

} // namespace

void PeerEventBridgeTest::deliversBatchesOnGuiThreadInOrder()
{
    QObject receiver;
    std::vector<StampedPeerEvent> seen;
    int calls = 0;
    bool allOnGui = true;
    auto bridge = PeerEventBridge::create(&receiver, [&](PeerEventBridge::Batch batch) {
        ++calls;
        allOnGui = allOnGui && QThread::currentThread() == receiver.thread();
        QVERIFY(!batch.empty());
        seen.insert(seen.end(), batch.begin(), batch.end());
    });
    const auto sink = bridge->sink();
    std::vector<std::thread> nodes;
    for (zk::Sid sid = 1; sid <= 3; ++sid) {
        nodes.emplace_back([sink, sid] {
            for (zk::Zxid zxid = 1; zxid <= 2000; ++zxid)
                sink(commitOf(sid, zxid));
        });
    }
    for (auto& node : nodes)
        node.join();
    QCOMPARE(calls, 0); // nothing runs on the GUI thread until its event loop turns
    QTRY_COMPARE_WITH_TIMEOUT(seen.size(), std::size_t(6000), 5000);
    QVERIFY(allOnGui);
    QCOMPARE(std::size_t(calls), bridge->batches());
    QVERIFY2(calls < 10, qPrintable(QString::number(calls))); // batched, not one call each
    std::map<zk::Sid, zk::Zxid> last;
    for (const auto& stamped : seen) {
        QCOMPARE(stamped.event.zxid, last[stamped.event.sid] + 1);
        last[stamped.event.sid] = stamped.event.zxid;
        QVERIFY(stamped.atMs >= 0 && stamped.atMs <= bridge->elapsedMs());
    }
    QCOMPARE(bridge->published(), std::size_t(6000));
    QCOMPARE(bridge->dropped(), std::size_t(0));
}

void PeerEventBridgeTest::dropsAfterDetach()
{
    QObject receiver;
    int delivered = 0;
    auto bridge = PeerEventBridge::create(
        &receiver, [&](PeerEventBridge::Batch batch) { delivered += int(batch.size()); });
    bridge->publish(commitOf(1, 1)); // queued, not yet delivered
    bridge->detach();
    std::thread late([&] { bridge->publish(commitOf(1, 2)); });
    late.join();
    QTest::qWait(50);
    QCOMPARE(delivered, 0);
    QCOMPARE(bridge->dropped(), std::size_t(2));
}

void PeerEventBridgeTest::boundsThePendingBatch()
{
    QObject receiver;
    std::size_t delivered = 0;
    auto bridge = PeerEventBridge::create(
        &receiver, [&](PeerEventBridge::Batch batch) { delivered += batch.size(); });
    const std::size_t extra = 25;
    std::thread flood([&] {
        for (std::size_t i = 0; i < PeerEventBridge::pendingMax + extra; ++i)
            bridge->publish(commitOf(2, zk::Zxid(i)));
    });
    flood.join();
    QTRY_COMPARE_WITH_TIMEOUT(delivered, PeerEventBridge::pendingMax, 5000);
    QCOMPARE(bridge->dropped(), extra);
    bridge->publish(commitOf(2, 1)); // room again once drained
    QTRY_COMPARE_WITH_TIMEOUT(delivered, PeerEventBridge::pendingMax + 1, 5000);
}

QTEST_MAIN(PeerEventBridgeTest)
#include "test_peer_event_bridge.moc"
