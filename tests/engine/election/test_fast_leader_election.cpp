// Drives one FastLeaderElection message by message, as the other servers would, and checks
// what it sends and decides: vote changes by rule, finalizeWait, round changes, replies,
// the notification back-off, late joiners and observers.
#include "election/fast_leader_election.h"

#include <QtTest>

namespace {

using zk::Notification;
using zk::ServerState;

constexpr std::int32_t kLooking = 0;
constexpr std::int32_t kFollowing = 1;
constexpr std::int32_t kLeading = 2;

zk::FastLeaderElection makeElection(zk::Sid myId, std::vector<zk::Sid> voters = {1, 2, 3},
                                    std::vector<zk::Sid> observers = {})
{
    return zk::FastLeaderElection(
        zk::ElectionConfig{.myId = myId,
                           .quorum = zk::QuorumVerifier::majority(voters, observers),
                           .tickMs = 10,
                           .finalizeWaitMs = 200,
                           .minNotificationIntervalMs = 200,
                           .maxNotificationIntervalMs = 1000,
                           .configData = {}});
}

Notification vote(std::int32_t state, zk::Sid leader, zk::Zxid zxid, zk::Epoch round,
                  zk::Epoch peerEpoch = 0)
{
    return Notification{.state = state,
                        .leader = leader,
                        .zxid = zxid,
                        .electionEpoch = round,
                        .peerEpoch = peerEpoch,
                        .version = zk::kNotificationCurrentVersion,
                        .config = {}};
}

QStringList sends(const zk::ElectionOutput& output)
{
    QStringList out;
    for (const auto& s : output.send)
        out << QString::fromStdString(s.toString());
    return out;
}

template <class T>
const T* findEvent(const zk::ElectionOutput& output)
{
    for (const auto& e : output.events) {
        if (const auto* hit = std::get_if<T>(&e))
            return hit;
    }
    return nullptr;
}

void tickN(zk::FastLeaderElection& fle, int n)
{
    for (int i = 0; i < n; ++i)
        fle.tick();
}

} // namespace

class FastLeaderElectionTest : public QObject
{
    Q_OBJECT
private slots:
    void startLookingNotifiesOtherVoters()
    {
        auto fle = makeElection(1);
        fle.startLooking(0x100000004, 1);
        const auto out = fle.takeOutput();
        QCOMPARE(sends(out),
                 (QStringList{"to=2 LOOKING leader=1 zxid=0x100000004 round=1 peerEpoch=1",
                              "to=3 LOOKING leader=1 zxid=0x100000004 round=1 peerEpoch=1"}));
        QVERIFY(findEvent<zk::LookingStarted>(out));
        QVERIFY(!out.decision);
        QCOMPARE(fle.logicalClock(), zk::Epoch{1});
    }

    void higherSidWinsThenQuorumThenFinalizeWait()
    {
        auto fle = makeElection(1);
        fle.startLooking(0, 0);
        fle.takeOutput();
        fle.receive(2, vote(kLooking, 2, 0, 1));
        auto out = fle.takeOutput();
        const auto* changed = findEvent<zk::VoteChanged>(out);
        QVERIFY(changed);
        QCOMPARE(int(changed->rule), int(zk::VoteRule::HigherSid));
        QCOMPARE(changed->to.id, zk::Sid{2});
        QCOMPARE(sends(out), (QStringList{"to=2 LOOKING leader=2 zxid=0x0 round=1 peerEpoch=0",
                                          "to=3 LOOKING leader=2 zxid=0x0 round=1 peerEpoch=0"}));
        const auto* quorum = findEvent<zk::QuorumReached>(out);
        QVERIFY(quorum);
        QCOMPARE(quorum->voters, (std::vector<zk::Sid>{1, 2}));
        QVERIFY(fle.isFinalizing());

        tickN(fle, 19); // finalizeWait is 200 ms = 20 ticks of 10 ms.
        QVERIFY(!fle.takeOutput().decision);
        fle.tick();
        out = fle.takeOutput();
        QVERIFY(out.decision);
        QCOMPARE(int(out.decision->state), int(ServerState::Following));
        QCOMPARE(out.decision->vote.id, zk::Sid{2});
        QCOMPARE(out.decision->vote.electionEpoch, zk::Epoch{1});
        QCOMPARE(int(fle.state()), int(ServerState::Following));
    }

    void higherZxidAndHigherEpochRules()
    {
        auto fle = makeElection(3);
        fle.startLooking(0x100000002, 1);
        fle.takeOutput();
        fle.receive(1, vote(kLooking, 1, 0x100000009, 1, 1));
        auto out = fle.takeOutput();
        QCOMPARE(int(findEvent<zk::VoteChanged>(out)->rule), int(zk::VoteRule::HigherZxid));
        fle.receive(2, vote(kLooking, 2, 0x100000001, 1, 2));
        out = fle.takeOutput();
        QCOMPARE(int(findEvent<zk::VoteChanged>(out)->rule), int(zk::VoteRule::HigherEpoch));
        QCOMPARE(fle.proposal().id, zk::Sid{2});
        // A worse vote changes nothing and sends nothing.
        fle.receive(1, vote(kLooking, 1, 0x100000009, 1, 1));
        out = fle.takeOutput();
        QVERIFY(!findEvent<zk::VoteChanged>(out));
        QVERIFY(out.send.empty());
    }

    void betterVoteInterruptsFinalizeWait()
    {
        auto fle = makeElection(1);
        fle.startLooking(0, 0);
        fle.receive(2, vote(kLooking, 2, 0, 1));
        fle.takeOutput();
        QVERIFY(fle.isFinalizing());
        tickN(fle, 10);
        fle.receive(3, vote(kLooking, 3, 0, 1));
        auto out = fle.takeOutput();
        QVERIFY(findEvent<zk::FinalizeInterrupted>(out));
        QCOMPARE(fle.proposal().id, zk::Sid{3});
        // 2 still says 2, but 1 and 3 now vote for 3: a quorum, finalizeWait starts over.
        const auto* quorum = findEvent<zk::QuorumReached>(out);
        QVERIFY(quorum);
        QCOMPARE(quorum->vote.id, zk::Sid{3});
        QCOMPARE(quorum->voters, (std::vector<zk::Sid>{1, 3}));
        QVERIFY(fle.isFinalizing());
    }

    void worseVoteRestartsFinalizeWait()
    {
        auto fle = makeElection(3);
        fle.startLooking(0, 0);
        fle.receive(2, vote(kLooking, 3, 0, 1));
        fle.takeOutput();
        QVERIFY(fle.isFinalizing());
        tickN(fle, 15);
        fle.receive(1, vote(kLooking, 1, 0, 1)); // Not better: consumed, the wait restarts.
        tickN(fle, 15);
        QVERIFY(!fle.takeOutput().decision);
        tickN(fle, 5);
        const auto out = fle.takeOutput();
        QVERIFY(out.decision);
        QCOMPARE(int(out.decision->state), int(ServerState::Leading));
    }

    void largerRoundResetsVotes()
    {
        auto fle = makeElection(3);
        fle.startLooking(0x100000005, 1);
        fle.receive(1, vote(kLooking, 1, 0x100000002, 1, 1)); // Worse: no quorum for 3 yet.
        QVERIFY(!fle.isFinalizing());
        fle.takeOutput();
        fle.receive(2, vote(kLooking, 2, 0x100000001, 4, 1));
        auto out = fle.takeOutput();
        const auto* round = findEvent<zk::RoundChanged>(out);
        QVERIFY(round);
        QCOMPARE(round->from, zk::Epoch{1});
        QCOMPARE(round->to, zk::Epoch{4});
        QCOMPARE(fle.logicalClock(), zk::Epoch{4});
        QCOMPARE(fle.proposal().id, zk::Sid{3}); // Our own vote beats 2's: we keep it.
        QCOMPARE(sends(out).size(), 2);
        QVERIFY(sends(out).first().contains("round=4"));
        QVERIFY(!findEvent<zk::QuorumReached>(out));
        // Votes of the old round are ignored now, even one that would make a quorum.
        fle.receive(1, vote(kLooking, 3, 0x100000005, 1, 1));
        QVERIFY(!findEvent<zk::QuorumReached>(fle.takeOutput()));
        fle.receive(1, vote(kLooking, 3, 0x100000005, 4, 1));
        QVERIFY(findEvent<zk::QuorumReached>(fle.takeOutput()));
    }

    void finalizeWaitDropsWorseVoteEvenFromLaterRound()
    {
        // As Apache's finalize poll: only a better vote leaves the wait; anything else is
        // consumed, whatever its round.
        auto fle = makeElection(3);
        fle.startLooking(0x100000005, 1);
        fle.receive(1, vote(kLooking, 3, 0x100000005, 1, 1));
        QVERIFY(fle.isFinalizing());
        fle.takeOutput();
        fle.receive(2, vote(kLooking, 2, 0x100000001, 4, 1));
        QVERIFY(!findEvent<zk::RoundChanged>(fle.takeOutput()));
        QCOMPARE(fle.logicalClock(), zk::Epoch{1});
        tickN(fle, 20);
        const auto out = fle.takeOutput();
        QVERIFY(out.decision);
        QCOMPARE(out.decision->vote.electionEpoch, zk::Epoch{1});
    }

    void laggingLookingPeerGetsOurRound()
    {
        auto fle = makeElection(2);
        fle.startLooking(0, 0);
        fle.receive(3, vote(kLooking, 3, 0, 5));
        fle.takeOutput();
        fle.receive(1, vote(kLooking, 1, 0, 2));
        const auto out = fle.takeOutput();
        QCOMPARE(sends(out), QStringList{"to=1 LOOKING leader=3 zxid=0x0 round=5 peerEpoch=0"});
    }

    void lateJoinerFollowsSittingLeader()
    {
        auto fle = makeElection(3);
        fle.startLooking(0, 0);
        fle.takeOutput();
        // Only followers have answered: checkLeader wants the leader's own LEADING vote.
        fle.receive(1, vote(kFollowing, 2, 0, 1, 1));
        QVERIFY(!fle.takeOutput().decision);
        fle.receive(2, vote(kLeading, 2, 0, 1, 1));
        const auto out = fle.takeOutput();
        QVERIFY(out.decision);
        QCOMPARE(int(out.decision->state), int(ServerState::Following));
        QCOMPARE(out.decision->vote.id, zk::Sid{2});
        QVERIFY(out.decision->outOfElection);
        QCOMPARE(out.decision->voters, (std::vector<zk::Sid>{1, 2}));
    }

    void quorumOfFollowersWithoutLeaderIsNotEnough()
    {
        // checkLeader: even a quorum of followers does not make us follow a leader that has not
        // said LEADING itself (it may have crashed since).
        auto fle = makeElection(5, {1, 2, 3, 4, 5});
        fle.startLooking(0, 0);
        fle.takeOutput();
        for (zk::Sid sid : {1, 3, 4})
            fle.receive(sid, vote(kFollowing, 2, 0, 1, 1));
        QVERIFY(!fle.takeOutput().decision);
        QCOMPARE(int(fle.state()), int(ServerState::Looking));
        fle.receive(2, vote(kLeading, 2, 0, 1, 1));
        const auto out = fle.takeOutput();
        QVERIFY(out.decision);
        QCOMPARE(out.decision->voters, (std::vector<zk::Sid>{1, 2, 3, 4}));
    }

    void lateJoinerFromAnotherRoundUsesOutOfElection()
    {
        auto fle = makeElection(3);
        fle.startLooking(0, 0);
        fle.startLooking(0, 0);
        fle.startLooking(0, 0); // Round 3; the others decided in round 1.
        fle.takeOutput();
        fle.receive(2, vote(kLeading, 2, 0, 1, 1));
        QVERIFY(!fle.takeOutput().decision);
        fle.receive(1, vote(kFollowing, 2, 0, 1, 1));
        const auto out = fle.takeOutput();
        QVERIFY(out.decision);
        QCOMPARE(fle.logicalClock(), zk::Epoch{1}); // Adopts the leader's round.
    }

    void followersOfDifferentEpochsDoNotAgree()
    {
        // Out of election (another round), votes agree on id and peerEpoch only.
        auto fle = makeElection(3);
        fle.startLooking(0, 0);
        fle.startLooking(0, 0);
        fle.startLooking(0, 0);
        fle.takeOutput();
        fle.receive(2, vote(kLeading, 2, 0, 1, 2));
        fle.receive(1, vote(kFollowing, 2, 0, 1, 1)); // Still on the old epoch.
        QVERIFY(!fle.takeOutput().decision);
    }

    void decidedServerAnswersLookingPeers()
    {
        auto fle = makeElection(1);
        fle.startLooking(0, 0);
        fle.receive(2, vote(kLooking, 2, 0, 1));
        tickN(fle, 20);
        QVERIFY(fle.takeOutput().decision);
        fle.updateElectionVote(1);
        fle.receive(3, vote(kLooking, 3, 0, 1));
        auto out = fle.takeOutput();
        QCOMPARE(sends(out), QStringList{"to=3 FOLLOWING leader=2 zxid=0x0 round=1 peerEpoch=1"});
        fle.receive(3, vote(kFollowing, 2, 0, 1, 1)); // No answer to non-LOOKING peers.
        QVERIFY(fle.takeOutput().send.empty());
    }

    void notificationTimeoutBacksOff()
    {
        auto fle = makeElection(1);
        fle.startLooking(0, 0);
        fle.takeOutput();
        tickN(fle, 19);
        QVERIFY(fle.takeOutput().send.empty());
        fle.tick(); // 200 ms without input.
        auto out = fle.takeOutput();
        QCOMPARE(out.send.size(), std::size_t{2});
        QCOMPARE(findEvent<zk::NotificationTimeout>(out)->nextIntervalMs, 400);
        tickN(fle, 39);
        QVERIFY(fle.takeOutput().send.empty());
        fle.tick();
        QCOMPARE(findEvent<zk::NotificationTimeout>(fle.takeOutput())->nextIntervalMs, 800);
        tickN(fle, 80);
        QCOMPARE(findEvent<zk::NotificationTimeout>(fle.takeOutput())->nextIntervalMs, 1000);
        tickN(fle, 100);
        QCOMPARE(findEvent<zk::NotificationTimeout>(fle.takeOutput())->nextIntervalMs, 1000);
        // Input resets the wait but not the interval.
        tickN(fle, 50);
        fle.receive(2, vote(kLooking, 1, 0, 1));
        tickN(fle, 99);
        QVERIFY(fle.takeOutput().send.empty());
    }

    void observerSendsButNeverVotes()
    {
        auto observer = makeElection(4, {1, 2, 3}, {4});
        QVERIFY(observer.isObserver());
        observer.startLooking(0x100000003, 1);
        auto out = observer.takeOutput();
        QCOMPARE(out.send.size(), std::size_t{3});
        QVERIFY(sends(out).first().contains("leader=-9223372036854775808"));
        // A voter answers an observer at once with its current vote and does not count it.
        auto voter = makeElection(1, {1, 2, 3}, {4});
        voter.startLooking(0, 0);
        voter.takeOutput();
        voter.receive(4, out.send.front().notification);
        const auto reply = voter.takeOutput();
        QCOMPARE(sends(reply), QStringList{"to=4 LOOKING leader=1 zxid=0x0 round=1 peerEpoch=0"});
        QVERIFY(!findEvent<zk::VoteReceived>(reply));
        // The observer follows a leader a quorum follows, as OBSERVING.
        observer.receive(1, vote(kFollowing, 2, 0, 1, 1));
        observer.receive(2, vote(kLeading, 2, 0, 1, 1));
        out = observer.takeOutput();
        QVERIFY(out.decision);
        QCOMPARE(int(out.decision->state), int(ServerState::Observing));
    }

    void votesForNonVotersAreIgnored()
    {
        auto fle = makeElection(1, {1, 2, 3}, {4});
        fle.startLooking(0, 0);
        fle.takeOutput();
        fle.receive(2, vote(kLooking, 4, 0x900000000, 1, 9));
        const auto out = fle.takeOutput();
        QVERIFY(!findEvent<zk::VoteChanged>(out));
        QCOMPARE(fle.proposal().id, zk::Sid{1});
    }

    void unknownStateIsDropped()
    {
        auto fle = makeElection(1);
        fle.startLooking(0, 0);
        fle.takeOutput();
        fle.receive(2, vote(7, 2, 0, 1));
        QVERIFY(!fle.hasOutput());
    }

    void inputBeforeStartIsIgnored()
    {
        auto fle = makeElection(1);
        fle.receive(2, vote(kLooking, 2, 0, 1));
        fle.tick();
        QVERIFY(!fle.hasOutput());
    }
};

QTEST_APPLESS_MAIN(FastLeaderElectionTest)
#include "test_fast_leader_election.moc"
