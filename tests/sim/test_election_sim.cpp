// The election drills on the seeded simulator: who wins a fresh cluster, a lost leader, a late
// joiner, a returning old leader, a partition; then hundreds of seeds of random loss, delay,
// duplication, partitions and crash/restart with every invariant checked after every tick.
// Each failure prints its seed; ZK_SEED=<n> replays that one seed.
#include "sim/sim_cluster.h"

#include <QtTest>

#include <chrono>
#include <cstdio>

namespace {

using zk::ServerState;
using zk::Sid;
using zk::sim::SimCluster;
using zk::sim::SimOptions;

constexpr zk::sim::Tick kStableBound = 3000;

SimOptions drillOptions(std::uint64_t seed)
{
    SimOptions options;
    options.seed = zk::sim::seedFromEnvironment(seed);
    options.link = {.delayMinTicks = 1, .delayMaxTicks = 3};
    return options;
}

QByteArray report(const SimCluster& cluster)
{
    QByteArray text = "ZK_SEED=" + QByteArray::number(qulonglong(cluster.seed()));
    for (const auto& v : cluster.violations())
        text += "\n  " + QByteArray::fromStdString(v);
    return text;
}

// Ticks until `sid` has decided (left LOOKING) or `bound` ticks passed; returns the ticks used.
int tickUntilDecided(SimCluster& cluster, Sid sid, int bound)
{
    for (int i = 0; i < bound; ++i) {
        if (cluster.peer(sid).state() != ServerState::Looking)
            return i;
        cluster.tick();
    }
    return bound;
}

} // namespace

class ElectionSimTest : public QObject
{
    Q_OBJECT
private slots:
    void freshClusterElectsTwoOnceOneAndTwoMeet()
    {
        SimCluster cluster(drillOptions(11));
        cluster.addNodes(3);
        cluster.start(1);
        cluster.tick(50);
        QCOMPARE(int(cluster.peer(1).state()), int(ServerState::Looking)); // Alone: no quorum.
        cluster.start(2);
        const int ticks = tickUntilDecided(cluster, 2, 500);
        // One exchange plus finalizeWait (20 ticks of 10 ms), with 1-3 tick delays.
        QVERIFY2(ticks <= 40, QByteArray::number(ticks));
        QCOMPARE(int(cluster.peer(2).state()), int(ServerState::Leading));
        tickUntilDecided(cluster, 1, 100);
        QCOMPARE(cluster.peer(1).leader(), std::optional<Sid>{2});
        QVERIFY2(cluster.runUntilStable(kStableBound), report(cluster));
        const zk::Epoch epoch = cluster.persisted(2).currentEpoch;
        QCOMPARE(epoch, zk::Epoch{1});

        cluster.start(3); // The highest sid arrives late and follows 2.
        QVERIFY2(cluster.runUntilStable(kStableBound), report(cluster));
        QCOMPARE(cluster.leader(), std::optional<Sid>{2});
        QCOMPARE(int(cluster.peer(3).state()), int(ServerState::Following));
        QCOMPARE(cluster.persisted(2).currentEpoch, epoch); // 2 never stepped down.
        QVERIFY2(cluster.checkInvariants(), report(cluster));
    }

    void leaderCrashElectsAnother()
    {
        SimCluster cluster(drillOptions(12));
        cluster.addNodes(3);
        cluster.startAll();
        QVERIFY2(cluster.runUntilStable(kStableBound), report(cluster));
        const Sid old = *cluster.leader();
        QCOMPARE(old, Sid{3});
        const zk::Epoch oldEpoch = cluster.persisted(old).currentEpoch;
        cluster.write();
        cluster.crash(old);
        QVERIFY2(cluster.runUntilStable(kStableBound), report(cluster));
        const Sid next = *cluster.leader();
        QVERIFY(next != old);
        QCOMPARE(next, Sid{2}); // Same zxid and epoch on 1 and 2: the higher sid wins.
        QVERIFY(cluster.persisted(next).currentEpoch > oldEpoch);
        QVERIFY2(cluster.checkInvariants(), report(cluster));
    }

    void lateJoinerFollowsSittingLeader()
    {
        SimCluster cluster(drillOptions(13));
        cluster.addNodes(5);
        for (Sid sid : {1, 2, 3})
            cluster.start(sid);
        QVERIFY2(cluster.runUntilStable(kStableBound), report(cluster));
        QCOMPARE(cluster.leader(), std::optional<Sid>{3});
        const zk::Epoch epoch = cluster.persisted(3).currentEpoch;
        for (int i = 0; i < 5; ++i)
            QVERIFY(cluster.write());
        cluster.tick(20);
        cluster.start(5); // Higher sid, empty log: must not disturb the leader.
        cluster.start(4);
        QVERIFY2(cluster.runUntilStable(kStableBound), report(cluster));
        QCOMPARE(cluster.leader(), std::optional<Sid>{3});
        QCOMPARE(cluster.persisted(3).currentEpoch, epoch);
        QCOMPARE(cluster.persisted(5).lastZxid, cluster.persisted(3).lastZxid);
        QVERIFY2(cluster.checkInvariants(), report(cluster));
    }

    void restartedOldLeaderDoesNotTakeBackTheLead()
    {
        SimCluster cluster(drillOptions(14));
        cluster.addNodes(3);
        cluster.startAll();
        QVERIFY2(cluster.runUntilStable(kStableBound), report(cluster));
        QCOMPARE(cluster.leader(), std::optional<Sid>{3});
        cluster.crash(3);
        QVERIFY2(cluster.runUntilStable(kStableBound), report(cluster));
        QCOMPARE(cluster.leader(), std::optional<Sid>{2});
        for (int i = 0; i < 3; ++i)
            QVERIFY(cluster.write());
        cluster.tick(20);
        QVERIFY(cluster.persisted(2).currentEpoch > cluster.persisted(3).currentEpoch);

        cluster.restart(3); // Highest sid, but an older epoch and zxid.
        QVERIFY2(cluster.runUntilStable(kStableBound), report(cluster));
        QCOMPARE(cluster.leader(), std::optional<Sid>{2});
        QCOMPARE(int(cluster.peer(3).state()), int(ServerState::Following));
        QVERIFY2(cluster.checkInvariants(), report(cluster));
    }

    void restartedServerWithNewerLogWinsFreshElection()
    {
        // The flip side: when everyone is LOOKING, the higher (epoch, zxid) wins over sid.
        SimCluster cluster(drillOptions(15));
        cluster.addNodes(3);
        cluster.setPersistent(
            1, {.lastZxid = zk::makeZxid(2, 9), .currentEpoch = 2, .acceptedEpoch = 2});
        cluster.setPersistent(
            2, {.lastZxid = zk::makeZxid(2, 4), .currentEpoch = 2, .acceptedEpoch = 2});
        cluster.setPersistent(
            3, {.lastZxid = zk::makeZxid(1, 50), .currentEpoch = 1, .acceptedEpoch = 1});
        cluster.startAll();
        QVERIFY2(cluster.runUntilStable(kStableBound), report(cluster));
        QCOMPARE(cluster.leader(), std::optional<Sid>{1});
        QCOMPARE(cluster.persisted(1).currentEpoch, zk::Epoch{3});
        QVERIFY2(cluster.checkInvariants(), report(cluster));
    }

    void partitionElectsAmongMajority()
    {
        SimCluster cluster(drillOptions(16));
        cluster.addNodes(3);
        cluster.startAll();
        QVERIFY2(cluster.runUntilStable(kStableBound), report(cluster));
        QCOMPARE(cluster.leader(), std::optional<Sid>{3});
        cluster.partition({{3}, {1, 2}});
        bool electedTwo = false;
        for (int i = 0; i < kStableBound && !electedTwo; ++i) {
            cluster.tick();
            electedTwo =
                cluster.peer(2).state() == ServerState::Leading && cluster.peer(2).established() &&
                cluster.peer(1).leader() == std::optional<Sid>{2} && cluster.peer(1).established();
        }
        QVERIFY2(electedTwo, report(cluster));
        QCOMPARE(int(cluster.peer(3).state()), int(ServerState::Looking)); // Lost its quorum.
        cluster.heal();
        QVERIFY2(cluster.runUntilStable(kStableBound), report(cluster));
        QCOMPARE(cluster.leader(), std::optional<Sid>{2});
        QVERIFY2(cluster.checkInvariants(), report(cluster));
    }

    void minorityPartitionNeverElects()
    {
        SimCluster cluster(drillOptions(17));
        cluster.addNodes(5);
        cluster.partition({{1, 2}, {3, 4, 5}});
        cluster.startAll();
        for (int i = 0; i < 2000; ++i) {
            cluster.tick();
            QVERIFY(cluster.peer(1).state() != ServerState::Leading);
            QVERIFY(cluster.peer(2).state() != ServerState::Leading);
        }
        QCOMPARE(int(cluster.peer(5).state()), int(ServerState::Leading));
        QVERIFY2(cluster.checkInvariants(), report(cluster));
    }

    void observerFollowsButDoesNotVote()
    {
        SimCluster cluster(drillOptions(18));
        cluster.addNodes(3, 1); // Sid 4 observes.
        cluster.start(4);
        cluster.start(1);
        cluster.tick(300);
        QCOMPARE(int(cluster.peer(1).state()), int(ServerState::Looking)); // 1 + observer: no.
        cluster.start(2);
        QVERIFY2(cluster.runUntilStable(kStableBound), report(cluster));
        QCOMPARE(cluster.leader(), std::optional<Sid>{2});
        QCOMPARE(int(cluster.peer(4).state()), int(ServerState::Observing));
        QVERIFY2(cluster.checkInvariants(), report(cluster));
    }

    void randomFaults_data()
    {
        QTest::addColumn<int>("seeds");
        QTest::addColumn<int>("nodes");
        QTest::addColumn<int>("observers");
        QTest::newRow("3 nodes") << 3000 << 3 << 0;
        QTest::newRow("5 nodes") << 3000 << 5 << 0;
        QTest::newRow("5 nodes + observer") << 1000 << 5 << 1;
    }

    void randomFaults()
    {
        QFETCH(int, seeds);
        QFETCH(int, nodes);
        QFETCH(int, observers);
        const char* replay = std::getenv("ZK_SEED");
        const std::uint64_t first = replay ? std::strtoull(replay, nullptr, 10)
                                           : std::uint64_t(100000 * nodes + 10000 * observers);
        // ZK_SIM_SEEDS caps the seeds per row: sanitizer builds run a sample of the same seeds.
        const char* cap = std::getenv("ZK_SIM_SEEDS");
        const int limit = cap ? std::max(1, std::atoi(cap)) : seeds;
        const int count = replay ? 1 : std::min(seeds, limit);
        const auto started = std::chrono::steady_clock::now();
        std::uint64_t decided = 0;
        std::uint64_t splits = 0;
        for (int i = 0; i < count && !QTest::currentTestFailed(); ++i)
            runRandomSeed(first + std::uint64_t(i), nodes, observers, decided, splits);
        const double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        std::printf("ran %d seeds from %llu (%d+%d nodes) in %.1f s: %llu decisions, %llu rounds "
                    "with two self-elected leaders\n",
                    count, static_cast<unsigned long long>(first), nodes, observers, seconds,
                    static_cast<unsigned long long>(decided),
                    static_cast<unsigned long long>(splits));
    }

private:
    void runRandomSeed(std::uint64_t seed, int nodes, int observers, std::uint64_t& decided,
                       std::uint64_t& splits)
    {
        zk::Prng plan(seed ^ 0x5eed5eed5eedULL);
        SimOptions options;
        options.seed = seed;
        options.maxNotificationIntervalMs = 1600;
        options.convergenceBoundTicks = 2500;
        const auto randomLink = [&plan]() {
            const zk::sim::Tick high = plan.between(1, 15);
            return zk::sim::LinkProfile{.delayMinTicks = 1,
                                        .delayMaxTicks = high,
                                        .lossPerMillion = std::uint32_t(plan.below(200'000)),
                                        .duplicatePerMillion = std::uint32_t(plan.below(50'000))};
        };
        options.link = randomLink();
        // ZK_TRACE=roles|votes|all prints the run's trace (use with ZK_SEED).
        const char* trace = std::getenv("ZK_TRACE");
        if (trace != nullptr) {
            const std::string_view level = trace;
            options.traceLevel = level == "all"     ? zk::sim::TraceLevel::All
                                 : level == "votes" ? zk::sim::TraceLevel::Votes
                                                    : zk::sim::TraceLevel::Roles;
        }
        SimCluster cluster(options);
        struct PrintTrace
        {
            SimCluster& cluster;
            bool on;
            ~PrintTrace()
            {
                if (!on)
                    return;
                for (const auto& line : cluster.takeTrace())
                    std::printf("%s\n", line.c_str());
            }
        } printTrace{cluster, trace != nullptr};
        cluster.addNodes(nodes, observers);
        const int total = nodes + observers;
        // Random start order, spread over the first 100 ticks.
        std::vector<Sid> order;
        for (Sid sid = 1; sid <= total; ++sid)
            order.push_back(sid);
        for (std::size_t i = order.size(); i > 1; --i)
            std::swap(order[i - 1], order[plan.below(i)]);
        for (Sid sid : order) {
            cluster.start(sid);
            cluster.tick(int(plan.below(30)));
        }
        // Fault phase.
        for (int step = 0; step < 15; ++step) {
            cluster.tick(int(plan.between(20, 150)));
            switch (plan.below(7)) {
            case 0:
            case 1: {
                const auto live = cluster.liveSids();
                if (!live.empty())
                    cluster.crash(live[plan.below(live.size())]);
                break;
            }
            case 2:
                for (Sid sid = 1; sid <= total; ++sid) {
                    if (!cluster.isLive(sid)) {
                        cluster.restart(sid);
                        break;
                    }
                }
                break;
            case 3: {
                std::vector<std::vector<Sid>> groups(2);
                for (Sid sid = 1; sid <= total; ++sid)
                    groups[plan.below(2)].push_back(sid);
                cluster.partition(groups);
                break;
            }
            case 4:
                if (plan.chance(500'000))
                    cluster.cut(Sid(plan.between(1, total)), Sid(plan.between(1, total)));
                else
                    cluster.heal();
                break;
            case 5:
                cluster.setLinkProfile(randomLink());
                break;
            default:
                cluster.write();
                break;
            }
            QVERIFY2(cluster.checkInvariants(), report(cluster));
        }
        // Quiet phase: everything back, no loss; the cluster must settle on one leader.
        cluster.heal();
        cluster.setLinkProfile({.delayMinTicks = 1, .delayMaxTicks = plan.between(1, 10)});
        for (Sid sid = 1; sid <= total; ++sid)
            cluster.restart(sid);
        const bool stable = cluster.runUntilStable(4000);
        QVERIFY2(cluster.checkInvariants(), report(cluster));
        QVERIFY2(stable, report(cluster) + " did not settle on one leader");
        decided += cluster.electionsDecided();
        splits += cluster.splitRounds();
    }
};

QTEST_APPLESS_MAIN(ElectionSimTest)
#include "test_election_sim.moc"
