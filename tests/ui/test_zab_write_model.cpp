// Proves ZabWriteModel on synthetic leader events: a write goes proposed -> acked -> quorum
// -> committed with its timings and epoch:counter zxid; one COMMIT covers every earlier
// outstanding zxid of its epoch; and under load only a few writes a second get rows while the
// rest are counted. Runs under QAbstractItemModelTester.

#include "models/zab_write_model.h"

#include <QAbstractItemModelTester>
#include <QTest>

using namespace zoolab;

namespace {

StampedPeerEvent leaderEvent(std::int64_t atMs, zk::PeerEvent::Kind kind, zk::Zxid zxid,
                             zk::Sid peer = 0)
{
    StampedPeerEvent stamped;
    stamped.atMs = atMs;
    stamped.event.kind = kind;
    stamped.event.sid = 3; // the leader reports all three kinds
    stamped.event.peer = peer;
    stamped.event.zxid = zxid;
    return stamped;
}

} // namespace

class ZabWriteModelTest : public QObject
{
    Q_OBJECT
private slots:
    void oneWriteGoesProposedAckedCommitted()
    {
        ZabWriteModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.reset({1, 2, 3});
        const zk::Zxid zxid = zk::makeZxid(2, 7);
        model.applyEvents({leaderEvent(1000, zk::PeerEvent::Kind::Proposal, zxid)});
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.index(0, ZabWriteModel::ZxidColumn).data().toString(),
                 QStringLiteral("2:7"));
        QCOMPARE(model.index(0, ZabWriteModel::StateColumn).data().toString(),
                 QStringLiteral("proposed"));
        // One follower's ack plus the leader's own make 2 of 3: a quorum.
        model.applyEvents({leaderEvent(1012, zk::PeerEvent::Kind::Ack, zxid, 1)});
        QCOMPARE(model.index(0, ZabWriteModel::QuorumColumn).data().toString(),
                 QStringLiteral("+12 ms"));
        QCOMPARE(model.index(0, ZabWriteModel::StateColumn).data().toString(),
                 QStringLiteral("quorum acked"));
        model.applyEvents({leaderEvent(1013, zk::PeerEvent::Kind::Commit, zxid),
                           leaderEvent(1020, zk::PeerEvent::Kind::Ack, zxid, 2)});
        const ZabWrite* write = model.write(zxid);
        QVERIFY(write);
        QCOMPARE(write->acks.size(), std::size_t{2});
        QCOMPARE(write->committedMs, std::optional<std::int64_t>(1013));
        QCOMPARE(model.index(0, ZabWriteModel::AcksColumn).data().toString(),
                 QStringLiteral("1 (+12 ms), 2 (+20 ms)"));
        QCOMPARE(model.index(0, ZabWriteModel::CommitColumn).data().toString(),
                 QStringLiteral("+13 ms"));
        QCOMPARE(model.stateText(*write), QStringLiteral("committed"));
    }

    void oneCommitCoversEarlierZxidsOfItsEpoch()
    {
        ZabWriteModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.reset({1, 2, 3});
        model.applyEvents({leaderEvent(0, zk::PeerEvent::Kind::Proposal, zk::makeZxid(1, 1)),
                           leaderEvent(300, zk::PeerEvent::Kind::Proposal, zk::makeZxid(1, 2)),
                           leaderEvent(600, zk::PeerEvent::Kind::Proposal, zk::makeZxid(1, 3))});
        QCOMPARE(model.rowCount(), 3);
        model.applyEvents({leaderEvent(650, zk::PeerEvent::Kind::Commit, zk::makeZxid(1, 2))});
        QVERIFY(model.write(zk::makeZxid(1, 1))->committedMs);
        QVERIFY(model.write(zk::makeZxid(1, 2))->committedMs);
        QVERIFY(!model.write(zk::makeZxid(1, 3))->committedMs);
        // A commit of a later epoch says nothing about an older epoch's proposal.
        model.applyEvents({leaderEvent(700, zk::PeerEvent::Kind::Commit, zk::makeZxid(2, 1))});
        QVERIFY(!model.write(zk::makeZxid(1, 3))->committedMs);
    }

    void underLoadOnlyAFewWritesASecondGetRows()
    {
        ZabWriteModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.reset({1, 2, 3});
        PeerEventBridge::Batch batch;
        for (int i = 0; i < 1000; ++i) // 1000 writes in one second
            batch.push_back(leaderEvent(i, zk::PeerEvent::Kind::Proposal, zk::makeZxid(1, i + 1)));
        model.applyEvents(batch);
        QCOMPARE(model.proposals(), std::size_t{1000});
        QCOMPARE(model.rowCount(), int(1000 / ZabWriteModel::sampleIntervalMs));
        QCOMPARE(model.unsampled(), std::size_t{1000} - std::size_t(model.rowCount()));
        QVERIFY(model.sampled(zk::makeZxid(1, 1)));
        QVERIFY(!model.sampled(zk::makeZxid(1, 2)));
        // Acks for writes without a row change nothing.
        model.applyEvents({leaderEvent(1001, zk::PeerEvent::Kind::Ack, zk::makeZxid(1, 2), 1)});
        QVERIFY(!model.write(zk::makeZxid(1, 2)));
    }

    void rowsAreBounded()
    {
        ZabWriteModel model;
        model.reset({1, 2, 3});
        for (std::size_t i = 0; i < ZabWriteModel::rowsMax + 10; ++i)
            model.applyEvents(
                {leaderEvent(std::int64_t(i) * ZabWriteModel::sampleIntervalMs,
                             zk::PeerEvent::Kind::Proposal, zk::makeZxid(1, std::int64_t(i) + 1))});
        QCOMPARE(model.rowCount(), int(ZabWriteModel::rowsMax));
        QCOMPARE(model.row(0).zxid, zk::makeZxid(1, 11));
    }
};

QTEST_MAIN(ZabWriteModelTest)
#include "test_zab_write_model.moc"
