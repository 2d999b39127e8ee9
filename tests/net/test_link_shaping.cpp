// The LinkFilter shapes the ZAB stream as well as the election on a live 3-node ensemble:
// a delayed leader->follower link delays the commit the follower sees by about the delay;
// a cut leader->follower link (one direction only) makes the follower lose its leader and
// go LOOKING; held delivery stops an election until messages are stepped, one at a time and
// oldest first.
#include "../support/ensemble_waits.h"
#include "client/sync_client.h"
#include "cluster/ensemble.h"

#include <QTemporaryDir>
#include <QtTest>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

using namespace zk;
using zk::testing::waitAllServing;
using zk::testing::waitForLeader;
using namespace zk::client;
using namespace std::chrono_literals;

namespace {

using Clock = std::chrono::steady_clock;

EnsembleOptions shapingOptions(const QString& dir)
{
    EnsembleOptions options;
    options.baseDir = dir.toStdString(); // free client ports
    options.tickTimeMs = 200;
    options.initLimit = 25;
    options.syncLimit = 5; // a follower that hears nothing for 1 s loses its leader
    options.forceSync = false;
    return options;
}

// How long after `since` server `sid` has applied `zxid`; nullopt if not within `timeout`.
std::optional<std::chrono::milliseconds> appliedAfter(const Ensemble& ensemble, Sid sid, Zxid zxid,
                                                      Clock::time_point since,
                                                      std::chrono::milliseconds timeout)
{
    while (Clock::now() < since + timeout) {
        const auto status = ensemble.status(sid);
        if (status && status->lastZxid >= zxid)
            return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - since);
        std::this_thread::sleep_for(2ms);
    }
    return std::nullopt;
}

} // namespace

class LinkShapingTest : public QObject
{
    Q_OBJECT
private slots:
    void delayedZabLinkDelaysTheFollowersCommit()
    {
        QTemporaryDir dir;
        Ensemble ensemble(shapingOptions(dir.path()));
        std::string error;
        QVERIFY2(ensemble.startAll(error), error.c_str());
        const auto leader = waitForLeader(ensemble, 15s);
        QVERIFY(leader);
        QVERIFY(waitAllServing(ensemble, 15s));
        std::vector<Sid> followers;
        for (Sid sid : ensemble.sids()) {
            if (sid != *leader)
                followers.push_back(sid);
        }
        QCOMPARE(followers.size(), std::size_t{2});
        const Sid slow = followers[0];
        const Sid fast = followers[1];
        constexpr auto kDelay = 400ms;
        ensemble.setDelay(*leader, slow, kDelay);

        ClientOptions options;
        options.connectString = "127.0.0.1:" + std::to_string(ensemble.clientPort(*leader));
        options.sessionTimeoutMs = 6000;
        ZkClient client(options);
        SyncClient sync(client);
        QCOMPARE(sync.waitConnected(5s), SessionState::Connected);
        // Let the session's own txn reach the slow follower before timing a write.
        std::this_thread::sleep_for(kDelay * 3);

        const auto created =
            sync.create("/shaped", Bytes{'x'}, openAclUnsafe(), CreateMode::Persistent);
        const auto written = Clock::now();
        QVERIFY(created.ok());
        const Zxid zxid = created.value.stat.czxid;
        QVERIFY(zxid != 0);
        const auto fastAfter = appliedAfter(ensemble, fast, zxid, written, 3s);
        const auto slowAfter = appliedAfter(ensemble, slow, zxid, written, 3s);
        sync.close();
        QVERIFY2(fastAfter, "the undelayed follower never applied the write");
        QVERIFY2(slowAfter, "the delayed follower never applied the write");
        qInfo("commit visible at the undelayed follower after %lld ms, at the delayed one after "
              "%lld ms (link delay %lld ms)",
              static_cast<long long>(fastAfter->count()),
              static_cast<long long>(slowAfter->count()), static_cast<long long>(kDelay.count()));
        // The quorum (leader + fast follower) answered the client, so the slow follower's
        // PROPOSAL and COMMIT were still on the link, at most one delay behind.
        QVERIFY2(*fastAfter < 200ms, "the undelayed follower should see the commit at once");
        QVERIFY2(*slowAfter >= kDelay - 150ms, "the delayed follower saw the commit too early");
        QVERIFY2(*slowAfter <= kDelay + 300ms, "the delayed follower saw the commit too late");
        QVERIFY(ensemble.servingLeader() == leader);
    }

    void cutLeaderToFollowerMakesTheFollowerLook()
    {
        QTemporaryDir dir;
        Ensemble ensemble(shapingOptions(dir.path()));
        std::mutex mutex;
        std::vector<PeerEvent> events;
        ensemble.setEventSink([&](const PeerEvent& event) {
            if (event.kind != PeerEvent::Kind::StateChanged)
                return;
            std::lock_guard lock(mutex);
            events.push_back(event);
        });
        std::string error;
        QVERIFY2(ensemble.startAll(error), error.c_str());
        const auto leader = waitForLeader(ensemble, 15s);
        QVERIFY(leader);
        QVERIFY(waitAllServing(ensemble, 15s));
        const Sid follower = *leader == 1 ? 2 : 1;
        {
            std::lock_guard lock(mutex);
            events.clear();
        }

        const auto cutAt = Clock::now();
        ensemble.cutOneWay(*leader, follower);
        std::optional<std::chrono::milliseconds> lookingAfter;
        while (!lookingAfter && Clock::now() < cutAt + 5s) {
            std::this_thread::sleep_for(5ms);
            std::lock_guard lock(mutex);
            for (const PeerEvent& event : events) {
                if (event.sid == follower && event.state == ServerState::Looking)
                    lookingAfter =
                        std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - cutAt);
            }
        }
        QVERIFY2(lookingAfter, "the cut-off follower never went LOOKING");
        qInfo("follower %lld went LOOKING %lld ms after its leader's link was cut",
              static_cast<long long>(follower), static_cast<long long>(lookingAfter->count()));
        // It hears nothing from the leader, so it gives up after syncLimit (5 ticks of 200 ms),
        // not at once: the stream stalled as it would in a real partition.
        QVERIFY2(*lookingAfter >= 800ms, "the follower left before syncLimit ran out");
        // The leader keeps its quorum with the other follower.
        QVERIFY(waitForLeader(ensemble, 3s) == leader);

        ensemble.healAll();
        QVERIFY2(waitAllServing(ensemble, 15s), "the follower did not rejoin after the heal");
        QCOMPARE(ensemble.status(follower)->leader, *leader);
    }

    void heldDeliveryStepsOneMessageAtATime()
    {
        QTemporaryDir dir;
        Ensemble ensemble(shapingOptions(dir.path()));
        ensemble.setHeld(true);
        std::string error;
        QVERIFY2(ensemble.startAll(error), error.c_str());
        std::this_thread::sleep_for(1500ms);
        QVERIFY2(!ensemble.servingLeader(), "an election completed while delivery was held");
        QVERIFY(ensemble.heldCount() > 0);
        for (Sid sid : ensemble.sids())
            QVERIFY(ensemble.status(sid)->state == ServerState::Looking);

        // Each step delivers exactly the oldest message, the one shown as next.
        const auto next = ensemble.nextHeld();
        QVERIFY(next);
        const std::size_t before = ensemble.heldCount();
        const auto stepped = ensemble.stepOne();
        QVERIFY(stepped);
        QCOMPARE(stepped->from, next->from);
        QCOMPARE(stepped->to, next->to);
        QCOMPARE(stepped->kind, next->kind);
        QVERIFY(stepped->channel == HeldMessage::Channel::Election);
        QVERIFY2(stepped->kind.starts_with("vote leader="), stepped->kind.c_str());
        QVERIFY(ensemble.heldCount() <= before); // replies may join, never two leave
        QVERIFY(ensemble.heldCount() + 1 >= before);

        // Stepping alone elects a leader and syncs the followers over held ZAB packets.
        int steps = 1;
        bool sawZab = false;
        while (!ensemble.servingLeader() && steps < 3000) {
            if (auto message = ensemble.stepOne()) {
                ++steps;
                sawZab = sawZab || message->channel == HeldMessage::Channel::Zab;
            }
            std::this_thread::sleep_for(3ms);
        }
        QVERIFY2(ensemble.servingLeader(), "stepping never elected a serving leader");
        QVERIFY2(sawZab, "no ZAB packet was held on the way to serving");
        QVERIFY(ensemble.held());
        qInfo("a leader serves after %d stepped messages", steps);

        ensemble.setHeld(false);
        QCOMPARE(ensemble.heldCount(), std::size_t{0});
        QVERIFY(waitAllServing(ensemble, 15s));
    }
};

QTEST_APPLESS_MAIN(LinkShapingTest)
#include "test_link_shaping.moc"
