// The real QuorumPeer on the seeded simulator: drills (fresh start, leader crash, a lagging
// follower synced by DIFF, TRUNC and SNAP, a leader partitioned away, and one drill per bug
// the simulator found), then thousands of seeds of crashes and restarts of any node (several
// at once too), partitions, loss, delay, slow disks and stalled clients under write load,
// with every ZAB invariant checked after every input and liveness after healing, and the
// seeds that found bugs. Each failure prints its seed; ZK_SEED=<n> replays that one seed,
// ZK_TRACE=roles|zab|packets prints its trace, ZK_SIM_SEEDS=<n> caps the seeds per row.
#include "sim/zab_cluster.h"

#include <QtTest>

#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace {

using zk::ServerState;
using zk::Sid;
using zk::sim::Tick;
using zk::sim::ZabCluster;
using zk::sim::ZabSimOptions;

constexpr Tick kStableBound = 3000;
constexpr Tick kConvergeBound = 3000;

std::optional<zk::sim::ZabTraceLevel> traceFromEnvironment()
{
    const char* trace = std::getenv("ZK_TRACE");
    if (trace == nullptr || *trace == '\0')
        return std::nullopt;
    const std::string_view level = trace;
    if (level == "packets" || level == "all")
        return zk::sim::ZabTraceLevel::Packets;
    if (level == "zab")
        return zk::sim::ZabTraceLevel::Zab;
    return zk::sim::ZabTraceLevel::Roles;
}

ZabSimOptions drillOptions(std::uint64_t seed)
{
    ZabSimOptions options;
    options.seed = seed;
    options.link = {.delayMinTicks = 1, .delayMaxTicks = 3};
    if (const auto trace = traceFromEnvironment()) {
        options.traceLevel = *trace;
        options.traceTicks = true;
        options.traceSink = [](const std::string& line) { std::printf("%s\n", line.c_str()); };
    }
    return options;
}

QByteArray report(const ZabCluster& cluster)
{
    QByteArray text = "ZK_SEED=" + QByteArray::number(qulonglong(cluster.seed()));
    for (const auto& v : cluster.violations())
        text += "\n  " + QByteArray::fromStdString(v);
    return text;
}

int countState(const ZabCluster& cluster, ServerState state)
{
    int n = 0;
    for (Sid sid : cluster.liveSids())
        n += cluster.peer(sid).state() == state ? 1 : 0;
    return n;
}

} // namespace

class ZabSimTest : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase() { spdlog::set_level(spdlog::level::off); }

    void freshStartElectsTwoAndServesWrites()
    {
        ZabCluster cluster(drillOptions(21));
        cluster.addNodes(3);
        cluster.start(1);
        cluster.tick(40);
        cluster.start(2);
        QVERIFY2(cluster.runUntilStable(kStableBound), report(cluster));
        QCOMPARE(cluster.servingLeader(), std::optional<Sid>{2});
        cluster.start(3);
        QVERIFY2(cluster.runUntilStable(kStableBound), report(cluster));
        QCOMPARE(cluster.servingLeader(), std::optional<Sid>{2});
        QCOMPARE(cluster.syncs("DIFF"), std::uint64_t{2});

        auto& client = cluster.addClient("c1", Sid{1}, false);
        for (int i = 0; i < 5; ++i)
            client.queueCreate("/a" + std::to_string(i), "x");
        QVERIFY2(cluster.runUntilConverged(kConvergeBound), report(cluster));
        QCOMPARE(cluster.acknowledged().size(), std::size_t{5});
        cluster.checkDatabases();
        for (Sid sid : cluster.liveSids())
            QVERIFY(cluster.peer(sid).database().node("/a4") != nullptr);
        QVERIFY2(cluster.checkInvariants(), report(cluster));
    }

    void leaderCrashKeepsAcknowledgedWrites()
    {
        ZabCluster cluster(drillOptions(22));
        cluster.addNodes(3);
        cluster.startAll();
        QVERIFY2(cluster.runUntilStable(kStableBound), report(cluster));
        const Sid old = *cluster.servingLeader();
        auto& client = cluster.addClient("c1", std::nullopt, true);
        (void)client;
        cluster.tick(300);
        cluster.crash(old);
        cluster.tick(50);
        QVERIFY2(cluster.runUntilStable(kStableBound), report(cluster));
        QVERIFY(*cluster.servingLeader() != old);
        cluster.tick(200);
        cluster.restart(old);
        cluster.setAutoWrite(false);
        QVERIFY2(cluster.runUntilConverged(kConvergeBound), report(cluster));
        QVERIFY(!cluster.acknowledged().empty());
        cluster.checkDatabases();
        QVERIFY2(cluster.checkInvariants(), report(cluster));
    }

    void truncAndSnapBringBackADivergedFollower()
    {
        // Leader 3 is cut off and takes one write it can never commit, then crashes. 1 and 2
        // elect 2; 3 comes back ahead of the new leader and is told to TRUNC. Later 1 stays
        // down while more txns than the committed log holds go by: it comes back by SNAP.
        ZabSimOptions options = drillOptions(23);
        options.commitLogCount = 5;
        options.disk = {.fsyncTicksMin = 0, .fsyncTicksMax = 1};
        ZabCluster cluster(options);
        cluster.addNodes(3);
        cluster.startAll();
        QVERIFY2(cluster.runUntilStable(kStableBound), report(cluster));
        QCOMPARE(cluster.servingLeader(), std::optional<Sid>{3});
        auto& client = cluster.addClient("c3", Sid{3}, false);
        client.queueCreate("/before", "x");
        QVERIFY2(cluster.runUntilConverged(kConvergeBound), report(cluster));
        cluster.partition({{3}, {1, 2}});
        client.queueCreate("/lost", "x");
        cluster.tick(3);
        QCOMPARE(int(cluster.peer(3).state()), int(ServerState::Leading));
        QVERIFY(cluster.disk(3).lastDurable() > cluster.peer(2).lastLoggedZxid());
        cluster.crash(3);
        cluster.heal();
        QVERIFY2(cluster.runUntilStable(kStableBound), report(cluster));
        QCOMPARE(cluster.servingLeader(), std::optional<Sid>{2});
        cluster.restart(3);
        QVERIFY2(cluster.runUntilStable(kStableBound), report(cluster));
        QCOMPARE(cluster.syncs("TRUNC"), std::uint64_t{1});
        QVERIFY(cluster.peer(3).database().node("/lost") == nullptr);

        cluster.crash(1);
        auto& writer = cluster.addClient("c2", Sid{2}, false);
        for (int i = 0; i < 10; ++i)
            writer.queueCreate("/n" + std::to_string(i), "y");
        QVERIFY2(cluster.runUntilConverged(kConvergeBound), report(cluster));
        cluster.restart(1);
        QVERIFY2(cluster.runUntilConverged(kConvergeBound), report(cluster));
        QCOMPARE(cluster.syncs("SNAP"), std::uint64_t{1});
        cluster.checkDatabases();
        QVERIFY2(cluster.checkInvariants(), report(cluster));
    }

    void leaderCrashBetweenSnapAndNewLeader()
    {
        // Regression (seed 3007676): follower 1 takes a SNAP, its leader dies before NEWLEADER.
        // The SNAP was never written to 1's disk, so 1 must not vote, sync or log on top of it
        // (ZOOKEEPER-3642): if it does, its log gets a gap and a restart loses the SNAP's txns.
        // The window needs NEWLEADER to arrive a tick after the SNAP: the first seed that has
        // one runs the drill.
        for (std::uint64_t seed = 25; seed < 125; ++seed) {
            if (snapThenLeaderCrash(seed) || QTest::currentTestFailed())
                return;
        }
        QFAIL("no seed delivered NEWLEADER a tick after the SNAP");
    }

    void followerCrashBeforeItsDiffIsDurable()
    {
        // Regression (seed 3011638): 1 missed writes that 2 and 3 committed in epoch 1. With 3
        // down, 2 leads epoch 2 and syncs 1 by DIFF; 1 crashes before those txns reach its
        // disk. Had 1 written currentEpoch 2 at NEWLEADER, it would beat 3 (epoch 1, every
        // write) in the next election and TRUNC the acknowledged writes away (ZOOKEEPER-4643).
        ZabSimOptions options = drillOptions(26);
        options.disk = {.fsyncTicksMin = 1, .fsyncTicksMax = 1};
        ZabCluster cluster(options);
        cluster.addNodes(3);
        cluster.startAll();
        QVERIFY2(cluster.runUntilStable(kStableBound), report(cluster));
        QCOMPARE(cluster.servingLeader(), std::optional<Sid>{3});
        auto& writer = cluster.addClient("c3", Sid{3}, false);
        writer.queueCreate("/a", "x");
        QVERIFY2(cluster.runUntilConverged(kConvergeBound), report(cluster));
        cluster.crash(1);
        for (int i = 0; i < 4; ++i)
            writer.queueCreate("/w" + std::to_string(i), "y");
        QVERIFY2(cluster.runUntilConverged(kConvergeBound), report(cluster));
        const zk::Zxid written = cluster.peer(3).database().lastProcessedZxid();
        cluster.crash(3);
        cluster.setDiskProfile({.fsyncTicksMin = 40, .fsyncTicksMax = 40});
        cluster.restart(1);
        bool window = false;
        for (int i = 0; i < 2000 && !window; ++i) {
            cluster.tick();
            window = cluster.peer(1).state() == ServerState::Following &&
                     cluster.peer(1).lastLoggedZxid() == written &&
                     cluster.disk(1).lastDurable() < written;
        }
        QVERIFY2(window, "1 never logged the DIFF");
        cluster.crash(1);
        cluster.setDiskProfile({.fsyncTicksMin = 1, .fsyncTicksMax = 1});
        cluster.crash(2);
        cluster.restart(1);
        cluster.restart(3);
        QVERIFY2(cluster.runUntilStable(kStableBound), report(cluster));
        QCOMPARE(cluster.servingLeader(), std::optional<Sid>{3});
        cluster.restart(2);
        QVERIFY2(cluster.runUntilConverged(kConvergeBound), report(cluster));
        cluster.checkDatabases();
        QVERIFY2(cluster.checkInvariants(), report(cluster));
    }

    void staleAckFromATruncatedFollower()
    {
        // 5 nodes, leader 5, 3 cut off. /p is proposed; 4 logs and acks it at once, 1 and 2
        // have slow disks. 4 crashes and comes back before /p commits: the leader TRUNCs it
        // and sends /p again, which 4 logs slowly. When 1 acks, /p must not count 4's ack from
        // before the TRUNC: only 5 and 1 hold it on disk, and if they go down with 2 and 4,
        // 2, 3 and 4 form a quorum without it.
        ZabSimOptions options = drillOptions(27);
        options.disk = {.fsyncTicksMin = 1, .fsyncTicksMax = 1};
        ZabCluster cluster(options);
        cluster.addNodes(5);
        cluster.startAll();
        QVERIFY2(cluster.runUntilStable(kStableBound), report(cluster));
        QCOMPARE(cluster.servingLeader(), std::optional<Sid>{5});
        auto& writer = cluster.addClient("c5", Sid{5}, false);
        writer.queueCreate("/before", "x");
        QVERIFY2(cluster.runUntilConverged(kConvergeBound), report(cluster));
        cluster.partition({{3}, {1, 2, 4, 5}});
        cluster.setDiskProfile(1, {.fsyncTicksMin = 40, .fsyncTicksMax = 40});
        cluster.setDiskProfile(2, {.fsyncTicksMin = 400, .fsyncTicksMax = 400});
        cluster.tick(20);
        const zk::Zxid before = cluster.peer(5).database().lastProcessedZxid();
        writer.queueCreate("/p", "x");
        // Until 4 has /p on disk and its ACK had time to arrive.
        for (int i = 0; i < 200 && cluster.disk(4).lastDurable() <= before; ++i)
            cluster.tick();
        QVERIFY(cluster.disk(4).lastDurable() > before);
        cluster.tick(4);
        cluster.crash(4);
        cluster.setDiskProfile(4, {.fsyncTicksMin = 400, .fsyncTicksMax = 400});
        cluster.restart(4);
        const std::uint64_t truncs = cluster.syncs("TRUNC");
        for (int i = 0; i < 200 && cluster.syncs("TRUNC") == truncs; ++i)
            cluster.tick();
        QCOMPARE(cluster.syncs("TRUNC"), truncs + 1);
        cluster.tick(60); // 1's ACK arrives
        cluster.crash(5);
        cluster.crash(1);
        cluster.crash(2);
        cluster.crash(4);
        cluster.heal();
        cluster.setDiskProfile({.fsyncTicksMin = 1, .fsyncTicksMax = 1});
        cluster.restart(2);
        cluster.restart(4);
        QVERIFY2(cluster.runUntilStable(kStableBound), report(cluster));
        cluster.checkDatabases();
        QVERIFY2(cluster.checkInvariants(), report(cluster));
        cluster.restart(1);
        cluster.restart(5);
        QVERIFY2(cluster.runUntilConverged(kConvergeBound), report(cluster));
        cluster.checkDatabases();
        QVERIFY2(cluster.checkInvariants(), report(cluster));
    }

    void slowFollowerJoinsUnderLoad()
    {
        // Regression (seed 3000033, plan 3): a follower with a slow disk rejoins while
        // clients keep writing. Its NEWLEADER ACK must wait for the txns synced before
        // NEWLEADER, not for the proposals that keep arriving after it, or the ACK never
        // leaves and the leader drops it every initLimit.
        ZabSimOptions options = drillOptions(28);
        options.disk = {.fsyncTicksMin = 1, .fsyncTicksMax = 1};
        ZabCluster cluster(options);
        cluster.addNodes(3);
        cluster.startAll();
        QVERIFY2(cluster.runUntilStable(kStableBound), report(cluster));
        cluster.crash(1);
        cluster.addClient("c1", Sid{3}, true);
        cluster.addClient("c2", Sid{2}, true);
        cluster.tick(100);
        cluster.setDiskProfile(1, {.fsyncTicksMin = 30, .fsyncTicksMax = 30});
        cluster.restart(1);
        QVERIFY2(cluster.runUntilStable(kStableBound), report(cluster));
        QVERIFY(cluster.peer(1).serving());
        cluster.setAutoWrite(false);
        QVERIFY2(cluster.runUntilConverged(kConvergeBound), report(cluster));
        cluster.checkDatabases();
        QVERIFY2(cluster.checkInvariants(), report(cluster));
    }

    void newLeaderCrashBeforeItsHistoryIsDurable()
    {
        // Regression (seed 3000500, plan 3): 2 logged /x slowly while 3 and 1 committed it.
        // With 3 down, 2 (same zxid, higher sid) leads epoch 2 holding /x only in memory. Had it
        // written currentEpoch 2 then, a crash of 2 and 1 would bring 2 back claiming epoch 2
        // without /x, beating 3 (epoch 1, with /x) and truncating the acknowledged /x away.
        ZabSimOptions options = drillOptions(29);
        options.disk = {.fsyncTicksMin = 1, .fsyncTicksMax = 1};
        ZabCluster cluster(options);
        cluster.addNodes(3);
        cluster.startAll();
        QVERIFY2(cluster.runUntilStable(kStableBound), report(cluster));
        QCOMPARE(cluster.servingLeader(), std::optional<Sid>{3});
        cluster.setDiskProfile(2, {.fsyncTicksMin = 300, .fsyncTicksMax = 300});
        auto& writer = cluster.addClient("c3", Sid{3}, false);
        writer.queueCreate("/x", "x");
        for (int i = 0; i < 200 && cluster.acknowledged().empty(); ++i)
            cluster.tick();
        QCOMPARE(cluster.acknowledged().size(), std::size_t{1});
        const zk::Zxid x = cluster.acknowledged().front().zxid;
        cluster.tick(5); // 2 has /x logged, not on disk
        QCOMPARE(cluster.peer(2).lastLoggedZxid(), x);
        QVERIFY(cluster.disk(2).lastDurable() < x);
        cluster.crash(3);
        bool synced = false;
        for (int i = 0; i < 500 && !synced; ++i) {
            cluster.tick();
            synced = cluster.peer(2).state() == ServerState::Leading &&
                     cluster.peer(1).state() == ServerState::Following &&
                     cluster.peer(1).durable().currentEpoch == 2;
        }
        QVERIFY2(synced, "1 never acked 2's NEWLEADER");
        QVERIFY(cluster.disk(2).lastDurable() < x);
        cluster.crash(2);
        cluster.crash(1);
        cluster.setDiskProfile({.fsyncTicksMin = 1, .fsyncTicksMax = 1});
        cluster.restart(2);
        cluster.restart(3);
        QVERIFY2(cluster.runUntilStable(kStableBound), report(cluster));
        QCOMPARE(cluster.servingLeader(), std::optional<Sid>{3});
        cluster.restart(1);
        QVERIFY2(cluster.runUntilConverged(kConvergeBound), report(cluster));
        cluster.checkDatabases();
        QVERIFY2(cluster.checkInvariants(), report(cluster));
    }

    void partitionedLeaderStepsDown()
    {
        ZabCluster cluster(drillOptions(24));
        cluster.addNodes(3);
        cluster.startAll();
        QVERIFY2(cluster.runUntilStable(kStableBound), report(cluster));
        QCOMPARE(cluster.servingLeader(), std::optional<Sid>{3});
        cluster.partition({{3}, {1, 2}});
        cluster.tick(100);
        QCOMPARE(int(cluster.peer(3).state()), int(ServerState::Looking));
        QCOMPARE(countState(cluster, ServerState::Leading), 1);
        QCOMPARE(int(cluster.peer(2).state()), int(ServerState::Leading));
        cluster.heal();
        QVERIFY2(cluster.runUntilStable(kStableBound), report(cluster));
        QCOMPARE(cluster.servingLeader(), std::optional<Sid>{2});
        QVERIFY2(cluster.checkInvariants(), report(cluster));
    }

    void randomFaults_data()
    {
        QTest::addColumn<int>("seeds");
        QTest::addColumn<int>("nodes");
        QTest::addColumn<int>("observers");
        QTest::newRow("3 nodes") << 1500 << 3 << 0;
        QTest::newRow("5 nodes") << 500 << 5 << 0;
        QTest::newRow("3 nodes + observer") << 500 << 3 << 1;
    }

    void randomFaults()
    {
        QFETCH(int, seeds);
        QFETCH(int, nodes);
        QFETCH(int, observers);
        const char* replay = std::getenv("ZK_SEED");
        // ZK_SIM_FROM moves a row's first seed (soak runs over new seeds); ZK_SIM_SEEDS then
        // sets how many run. Without ZK_SIM_FROM, ZK_SIM_SEEDS only caps the seeds per row:
        // sanitizer builds run a sample of the same seeds.
        const char* from = std::getenv("ZK_SIM_FROM");
        const std::uint64_t rowFirst = std::uint64_t(1'000'000 * nodes + 100'000 * observers);
        const std::uint64_t first = replay ? std::strtoull(replay, nullptr, 10)
                                    : from ? rowFirst + std::strtoull(from, nullptr, 10)
                                           : rowFirst;
        const char* cap = std::getenv("ZK_SIM_SEEDS");
        const int limit = cap ? std::max(1, std::atoi(cap)) : seeds;
        const int count = replay ? 1 : from ? limit : std::min(seeds, limit);
        const auto started = std::chrono::steady_clock::now();
        Stats stats;
        for (int i = 0; i < count && !QTest::currentTestFailed(); ++i)
            runRandomSeed(first + std::uint64_t(i), nodes, observers, kPlanVersion, stats);
        const double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        std::printf("ran %d seeds from %llu (%d+%d nodes) in %.1f s: %llu establishments, %llu "
                    "acked writes, syncs DIFF %llu (%llu from the txn log) TRUNC %llu SNAP %llu, "
                    "%llu nodes left waiting "
                    "for a later epoch\n",
                    count, static_cast<unsigned long long>(first), nodes, observers, seconds,
                    static_cast<unsigned long long>(stats.establishments),
                    static_cast<unsigned long long>(stats.acked),
                    static_cast<unsigned long long>(stats.diff),
                    static_cast<unsigned long long>(stats.diffFromLog),
                    static_cast<unsigned long long>(stats.trunc),
                    static_cast<unsigned long long>(stats.snap),
                    static_cast<unsigned long long>(stats.waiting));
    }

    void regressionSeeds_data()
    {
        QTest::addColumn<int>("seed");
        QTest::addColumn<int>("nodes");
        QTest::addColumn<int>("observers");
        QTest::addColumn<int>("plan");
        // Seeds that found bugs, with the plan version they were found with; they run
        // whatever ZK_SIM_SEEDS says.
        QTest::newRow("3007676 SNAP then leader crash") << 3007676 << 3 << 0 << 1;
        QTest::newRow("3100094 write from an expiring session") << 3100094 << 3 << 1 << 2;
        QTest::newRow("3011638 currentEpoch before the DIFF is durable") << 3011638 << 3 << 0 << 2;
        QTest::newRow("3000033 NEWLEADER ACK starved by a slow disk") << 3000033 << 3 << 0 << 3;
        QTest::newRow("3000500 leader's currentEpoch before its history") << 3000500 << 3 << 0 << 3;
    }

    void regressionSeeds()
    {
        QFETCH(int, seed);
        QFETCH(int, nodes);
        QFETCH(int, observers);
        QFETCH(int, plan);
        Stats stats;
        runRandomSeed(std::uint64_t(seed), nodes, observers, plan, stats);
    }

private:
    // False when this seed gives no window between the SNAP and NEWLEADER.
    bool snapThenLeaderCrash(std::uint64_t seed)
    {
        ZabSimOptions options = drillOptions(seed);
        options.commitLogCount = 3;
        options.link = {.delayMinTicks = 1, .delayMaxTicks = 4};
        ZabCluster cluster(options);
        cluster.addNodes(3);
        cluster.startAll();
        if (!cluster.runUntilStable(kStableBound) || cluster.servingLeader() != Sid{3})
            return false;
        cluster.crash(1);
        auto& writer = cluster.addClient("c2", Sid{2}, false);
        for (int i = 0; i < 8; ++i)
            writer.queueCreate("/s" + std::to_string(i), "x");
        if (!cluster.runUntilConverged(kConvergeBound))
            return false;
        const zk::Zxid snapZxid = cluster.peer(3).database().lastProcessedZxid();
        cluster.restart(1);
        bool window = false;
        for (int i = 0; i < 500 && !window && cluster.disk(1).snapshotCount() == 0; ++i) {
            cluster.tick();
            window = cluster.peer(1).state() == ServerState::Following &&
                     cluster.peer(1).database().lastProcessedZxid() == snapZxid &&
                     cluster.disk(1).snapshotCount() == 0;
        }
        if (!window)
            return false;
        cluster.crash(3);
        [&] {
            QVERIFY2(cluster.runUntilStable(kStableBound), report(cluster));
            QCOMPARE(cluster.servingLeader(), std::optional<Sid>{2});
            for (int i = 0; i < 4; ++i)
                writer.queueCreate("/t" + std::to_string(i), "y");
            QVERIFY2(cluster.runUntilConverged(kConvergeBound), report(cluster));
            cluster.crash(1);
            cluster.restart(1);
            cluster.restart(3);
            QVERIFY2(cluster.runUntilConverged(kConvergeBound), report(cluster));
            cluster.checkDatabases();
            QVERIFY2(cluster.checkInvariants(), report(cluster));
        }();
        return true;
    }

    static constexpr int kPlanVersion = 3;

    struct Stats
    {
        std::uint64_t establishments = 0;
        std::uint64_t acked = 0;
        std::uint64_t diff = 0;
        std::uint64_t diffFromLog = 0; // of `diff`: read from the leader's txn log
        std::uint64_t trunc = 0;
        std::uint64_t snap = 0;
        std::uint64_t waiting = 0; // nodes left out at the end, waiting for a later epoch
    };

    // Plan versions: 1 crashes, restarts, partitions, cuts, loss, delay, disk latency under
    // persistent writes; 2 adds fragmented quorum streams, snapshots while serving, ephemeral
    // nodes and stalled clients whose sessions expire; 3 gives single nodes slow disks, so
    // that one follower's ACKs lag the others'. Each version draws from its own generator,
    // so a seed of an older version plays the same faults in the newer ones.
    void runRandomSeed(std::uint64_t seed, int nodes, int observers, int version, Stats& stats)
    {
        zk::Prng plan(seed ^ 0x2ab5eed2ab5eedULL);
        zk::Prng more(seed ^ 0x5eed2ab5eed2abULL);
        zk::Prng third(seed ^ 0x3ab5eed3ab5eedULL);
        const bool v2 = version >= 2;
        const bool v3 = version >= 3;
        ZabSimOptions options;
        options.seed = seed;
        options.commitLogCount = std::size_t(plan.between(3, 40));
        // Half the seeds let leaders DIFF from their txn log, half of those under Apache's
        // default size limit (a third of the tree). Its own generator: the faults stay those
        // of the plans above.
        zk::Prng history(seed ^ 0x4d1ff5eed4d1ffULL);
        if (history.chance(500'000))
            options.snapshotSizeFactor = history.chance(500'000) ? 0.33 : 1000.0;
        options.liveBoundTicks = 2500;
        // No duplicated votes with observers. The election runs over TCP, which never
        // duplicates; and a LOOKING observer whose round is ahead of a LOOKING voter's
        // bounces votes with it for as long as neither moves on, as in Apache (the voter
        // answers every non-voter, the observer every lower round), so each duplicate would
        // start one more endless exchange and the traffic would grow without bound.
        const auto randomLink = [&plan, observers]() {
            const Tick delayMax = plan.between(1, 8);
            const auto loss = std::uint32_t(plan.chance(500'000) ? plan.below(150'000) : 0);
            const auto duplicate = std::uint32_t(plan.below(30'000));
            return zk::sim::LinkProfile{.delayMinTicks = 1,
                                        .delayMaxTicks = delayMax,
                                        .lossPerMillion = loss,
                                        .duplicatePerMillion = observers > 0 ? 0 : duplicate};
        };
        options.link = randomLink();
        options.disk = {.fsyncTicksMin = 0, .fsyncTicksMax = plan.between(0, 6)};
        const std::int64_t snapCount = v2 && more.chance(600'000) ? more.between(20, 300) : 0;
        options.disk.snapCount = snapCount;
        if (v2 && more.chance(600'000))
            options.fragmentPerMillion = std::uint32_t(more.between(50'000, 500'000));
        const auto trace = traceFromEnvironment();
        options.traceLevel = zk::sim::ZabTraceLevel::Off;
        if (trace) {
            options.traceLevel = *trace;
            options.traceTicks = true;
            options.traceSink = [](const std::string& line) { std::printf("%s\n", line.c_str()); };
        }
        ZabCluster cluster(options);
        cluster.addNodes(nodes, observers);
        std::vector<Sid> order = cluster.sids();
        for (std::size_t i = order.size(); i > 1; --i)
            std::swap(order[i - 1], order[plan.below(i)]);
        for (Sid sid : order) {
            cluster.start(sid);
            cluster.tick(int(plan.below(30)));
        }
        const int clients = int(plan.between(1, 3));
        for (int c = 1; c <= clients; ++c) {
            auto& client = cluster.addClient("c" + std::to_string(c), std::nullopt, true);
            if (v2)
                client.setEphemeralShare(std::uint32_t(more.below(400'000)));
        }

        for (int step = 0; step < 24; ++step) {
            cluster.tick(int(plan.between(5, 150)));
            const std::vector<Sid> live = cluster.liveSids();
            switch (plan.below(12)) {
            case 0:
            case 1:
                if (!live.empty())
                    cluster.crash(live[plan.below(live.size())]);
                break;
            case 2:
                if (const auto leader = cluster.servingLeader())
                    cluster.crash(*leader);
                break;
            case 3: // a power failure: several nodes at once, the leader often among them
                for (Sid sid : live) {
                    if (plan.chance(600'000))
                        cluster.crash(sid);
                }
                break;
            case 4:
            case 5:
                for (Sid sid : cluster.sids()) {
                    if (!cluster.isLive(sid) && plan.chance(600'000))
                        cluster.restart(sid);
                }
                break;
            case 6: {
                std::vector<std::vector<Sid>> groups(2);
                for (Sid sid : cluster.sids())
                    groups[plan.below(2)].push_back(sid);
                cluster.partition(groups);
                break;
            }
            case 7:
                if (plan.chance(400'000))
                    cluster.cut(Sid(plan.between(1, nodes + observers)),
                                Sid(plan.between(1, nodes + observers)));
                else
                    cluster.heal();
                break;
            case 8:
                cluster.setLinkProfile(randomLink());
                break;
            case 9:
                cluster.setDiskProfile({.fsyncTicksMin = 0,
                                        .fsyncTicksMax = plan.between(0, 10),
                                        .snapCount = snapCount});
                break;
            default:
                break; // load only
            }
            if (v2 && more.chance(150'000)) {
                // A client stalls for 0.5 to 3 session timeouts.
                auto* client = cluster.client("c" + std::to_string(more.between(1, clients)));
                client->pauseUntil(cluster.currentTick() + more.between(50, 300));
            }
            if (v3 && third.chance(250'000)) {
                // One node's disk turns slow (up to several ticks of the leader's quorum
                // check), or fast again.
                const Sid sid = Sid(third.between(1, nodes + observers));
                const Tick slow = third.chance(500'000) ? third.between(5, 80) : 1;
                cluster.setDiskProfile(
                    sid,
                    {.fsyncTicksMin = slow / 2, .fsyncTicksMax = slow, .snapCount = snapCount});
            }
            QVERIFY2(cluster.checkInvariants(), report(cluster));
        }
        // Quiet: everything back, no loss; a leader must serve within the bound, then every
        // node catches up and holds every acknowledged write.
        cluster.heal();
        cluster.setLinkProfile({.delayMinTicks = 1, .delayMaxTicks = plan.between(1, 6)});
        for (Sid sid : cluster.sids())
            cluster.restart(sid);
        const bool stable = cluster.runUntilStable(kStableBound);
        QVERIFY2(stable, report(cluster) + " no leader served after healing");
        cluster.tick(int(plan.between(50, 200)));
        cluster.setAutoWrite(false);
        const bool converged = cluster.runUntilConverged(kConvergeBound);
        QVERIFY2(converged, report(cluster) + " did not converge");
        cluster.checkDatabases();
        QVERIFY2(cluster.checkInvariants(), report(cluster));
        stats.establishments += cluster.establishments();
        stats.acked += cluster.acknowledged().size();
        stats.diff += cluster.syncs("DIFF");
        stats.diffFromLog += cluster.syncs("DIFF from log");
        stats.trunc += cluster.syncs("TRUNC");
        stats.snap += cluster.syncs("SNAP");
        stats.waiting += cluster.waitingForLaterEpoch().size();
    }
};

QTEST_APPLESS_MAIN(ZabSimTest)
#include "test_zab_sim.moc"
