// Proves the vote order of FastLeaderElection.totalOrderPredicate: peer epoch, then zxid, then
// sid; zero-weight candidates never win; and Vote.equals' in/out-of-election rules.
#include "election/quorum_verifier.h"
#include "election/vote.h"

#include <QtTest>

Q_DECLARE_METATYPE(zk::VoteKey)

class VoteOrderTest : public QObject
{
    Q_OBJECT
private slots:
    void totalOrder_data()
    {
        QTest::addColumn<zk::VoteKey>("candidate");
        QTest::addColumn<zk::VoteKey>("current");
        QTest::addColumn<bool>("zeroWeightCandidate");
        QTest::addColumn<QString>("rule"); // Empty: the candidate does not win.

        const auto key = [](zk::Sid id, zk::Zxid zxid, zk::Epoch epoch) {
            return zk::VoteKey{id, zxid, epoch};
        };
        QTest::newRow("higher epoch beats higher zxid and sid")
            << key(1, 0x100000000, 2) << key(3, 0x1000000ff, 1) << false << "higher epoch";
        QTest::newRow("lower epoch loses despite higher zxid")
            << key(3, 0x500000000, 1) << key(1, 0x100000000, 2) << false << "";
        QTest::newRow("same epoch, higher zxid")
            << key(1, 0x100000005, 1) << key(3, 0x100000004, 1) << false << "higher zxid";
        QTest::newRow("same epoch, lower zxid loses")
            << key(3, 0x100000004, 1) << key(1, 0x100000005, 1) << false << "";
        QTest::newRow("same epoch and zxid, higher sid")
            << key(3, 7, 1) << key(2, 7, 1) << false << "same zxid, higher sid";
        QTest::newRow("same epoch and zxid, lower sid loses")
            << key(1, 7, 1) << key(2, 7, 1) << false << "";
        QTest::newRow("identical vote does not win") << key(2, 7, 1) << key(2, 7, 1) << false << "";
        QTest::newRow("zero weight never wins, even with a higher epoch")
            << key(4, 0x900000000, 9) << key(1, 0, 0) << true << "";
        QTest::newRow("zero weight never wins on sid")
            << key(4, 0, 0) << key(1, 0, 0) << true << "";
        QTest::newRow("observer's Long.MIN_VALUE vote loses to any participant")
            << key(1, 0, 0)
            << key(std::numeric_limits<std::int64_t>::min(),
                   std::numeric_limits<std::int64_t>::min(),
                   std::numeric_limits<std::int64_t>::min())
            << false << "higher epoch";
        QTest::newRow("fresh cluster: zxid 0, epoch 0, sid decides")
            << key(2, 0, 0) << key(1, 0, 0) << false << "same zxid, higher sid";
    }

    void totalOrder()
    {
        QFETCH(zk::VoteKey, candidate);
        QFETCH(zk::VoteKey, current);
        QFETCH(bool, zeroWeightCandidate);
        QFETCH(QString, rule);

        // Sids 1-3 weigh 1; sid 4 is in the group with weight 0 when asked to.
        const zk::QuorumVerifier quorum =
            zeroWeightCandidate
                ? zk::QuorumVerifier::hierarchical({{1, {1, 2, 3}}, {2, {4}}}, {{4, 0}})
                : zk::QuorumVerifier::majority({1, 2, 3, 4});
        const auto won = zk::winningRule(candidate, current, quorum);
        QCOMPARE(won.has_value(), !rule.isEmpty());
        QCOMPARE(zk::totalOrderPredicate(candidate, current, quorum), !rule.isEmpty());
        if (won)
            QCOMPARE(QString::fromUtf8(zk::toString(*won).data(), int(zk::toString(*won).size())),
                     rule);
        // The order is strict: when the candidate wins, the current vote cannot win back.
        if (won && !zeroWeightCandidate)
            QVERIFY(!zk::totalOrderPredicate(current, candidate, quorum));
    }

    void sameVoteWhileLookingComparesEverything()
    {
        const zk::Vote a{.id = 2, .zxid = 5, .electionEpoch = 1, .peerEpoch = 1};
        zk::Vote b = a;
        QVERIFY(zk::sameVote(a, b));
        b.electionEpoch = 2;
        QVERIFY(!zk::sameVote(a, b));
        b = a;
        b.zxid = 6;
        QVERIFY(!zk::sameVote(a, b));
        b = a;
        b.state = zk::ServerState::Following; // One LOOKING side still compares everything.
        b.zxid = 6;
        QVERIFY(!zk::sameVote(a, b));
    }

    void sameVoteOutOfElectionComparesIdAndPeerEpoch()
    {
        zk::Vote a{.id = 2,
                   .zxid = 5,
                   .electionEpoch = 1,
                   .peerEpoch = 3,
                   .state = zk::ServerState::Following,
                   .version = 2};
        zk::Vote b{.id = 2,
                   .zxid = 9,
                   .electionEpoch = 4,
                   .peerEpoch = 3,
                   .state = zk::ServerState::Leading,
                   .version = 2};
        QVERIFY(zk::sameVote(a, b)); // ZOOKEEPER-1805: zxid and round are not compared.
        b.peerEpoch = 4;
        QVERIFY(!zk::sameVote(a, b));
        b.version = 0; // ZOOKEEPER-1732: mixed versions compare the id only.
        QVERIFY(zk::sameVote(a, b));
        b.id = 3;
        QVERIFY(!zk::sameVote(a, b));
    }

    void majorityExcludesObservers()
    {
        const auto quorum = zk::QuorumVerifier::majority({1, 2, 3}, {4, 5});
        QVERIFY(quorum.containsQuorum({1, 2}));
        QVERIFY(!quorum.containsQuorum({1, 4, 5}));
        QVERIFY(!quorum.containsQuorum({}));
        QVERIFY(quorum.isObserver(4));
        QVERIFY(!quorum.isVoter(4));
        const auto four = zk::QuorumVerifier::majority({1, 2, 3, 4});
        QVERIFY(!four.containsQuorum({1, 2}));
        QVERIFY(four.containsQuorum({1, 2, 3}));
    }

    void hierarchicalNeedsMajorityOfGroups()
    {
        // Three groups of two; weights 1 except sid 6 with 0 (group 3 weight 1).
        const auto quorum =
            zk::QuorumVerifier::hierarchical({{1, {1, 2}}, {2, {3, 4}}, {3, {5, 6}}}, {{6, 0}});
        QVERIFY(!quorum.containsQuorum({1, 3})); // Half of a group is not a majority of it.
        QVERIFY(quorum.containsQuorum({1, 2, 3, 4}));
        QVERIFY(quorum.containsQuorum({1, 2, 5}));
        QVERIFY(!quorum.containsQuorum({1, 2, 6}));
        QCOMPARE(quorum.weight(6), std::int64_t{0});
        QCOMPARE(quorum.weight(1), std::int64_t{1});
    }
};

QTEST_APPLESS_MAIN(VoteOrderTest)
#include "test_vote_order.moc"
