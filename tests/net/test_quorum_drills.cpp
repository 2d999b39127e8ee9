// The classic ZooKeeper drills on a live 3-node ensemble on 127.0.0.1:2181-2183 (the embedded
// Ensemble API: real sockets, real dataDirs, FastLeaderElection and ZAB), checked through the
// client library the way a user would see them:
//   - a fresh ensemble started 1, 2, 3 elects 2 once 1 and 2 form a quorum, and 3 follows;
//   - killing a follower keeps service; killing a second stops it, and the survivor stops
//     leading; restarting one restores service with the same leader;
//   - killing the leader elects a new one, the old leader restarted rejoins as a follower,
//     and every node ends with the same tree;
//   - an observer forwards writes and reads what was committed, and never counts as a vote.
#include "../support/ensemble_waits.h"
#include "client/sync_client.h"
#include "cluster/ensemble.h"

#include <QTemporaryDir>
#include <QtTest>

#include <chrono>
#include <thread>

using namespace zk;
using zk::testing::waitForLeader;
using zk::testing::waitServing;
using namespace zk::client;
using namespace std::chrono_literals;

namespace {

EnsembleOptions drillOptions(const QString& dir)
{
    EnsembleOptions options;
    options.clientPorts = {2181, 2182, 2183};
    options.baseDir = dir.toStdString();
    options.tickTimeMs = 200;
    options.initLimit = 10;
    options.syncLimit = 5;
    options.forceSync = false;
    return options;
}

bool waitForNoLeader(const Ensemble& ensemble, Sid sid, std::chrono::milliseconds timeout)
{
    const auto until = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < until) {
        auto status = ensemble.status(sid);
        if (status && status->state != ServerState::Leading && !status->serving)
            return true;
        std::this_thread::sleep_for(20ms);
    }
    return false;
}

// Creates `path` through the node on `port`; false when the node does not serve.
bool createThrough(std::uint16_t port, const std::string& path)
{
    ClientOptions options;
    options.connectString = "127.0.0.1:" + std::to_string(port);
    options.sessionTimeoutMs = 4000;
    ZkClient client(options);
    SyncClient sync(client);
    if (sync.waitConnected(3s) != SessionState::Connected)
        return false;
    const auto created = sync.create(path, Bytes{'x'}, openAclUnsafe(), CreateMode::Persistent);
    sync.close();
    return created.ok();
}

std::vector<std::string> childrenThrough(std::uint16_t port, const std::string& path)
{
    ClientOptions options;
    options.connectString = "127.0.0.1:" + std::to_string(port);
    options.sessionTimeoutMs = 4000;
    ZkClient client(options);
    SyncClient sync(client);
    if (sync.waitConnected(3s) != SessionState::Connected)
        return {"<not serving>"};
    sync.sync(path);
    auto children = sync.getChildren(path);
    sync.close();
    if (!children.ok())
        return {"<error>"};
    auto names = children.value.children;
    std::sort(names.begin(), names.end());
    return names;
}

} // namespace

class QuorumDrillsTest : public QObject
{
    Q_OBJECT
private slots:
    void freshEnsembleStartedInOrderElectsTwo()
    {
        QTemporaryDir dir;
        Ensemble ensemble(drillOptions(dir.path()));
        std::string error;
        QVERIFY2(ensemble.start(1, error), error.c_str());
        std::this_thread::sleep_for(600ms);
        QVERIFY2(!ensemble.servingLeader(), "one server of three must not serve alone");
        QVERIFY2(ensemble.start(2, error), error.c_str());
        const auto leader = waitForLeader(ensemble, 10s);
        QVERIFY2(leader, "1 and 2 did not elect a leader");
        QCOMPARE(*leader, Sid{2});
        QVERIFY2(ensemble.start(3, error), error.c_str());
        waitServing(ensemble, 3, 10s); // the state check below asserts
        QCOMPARE(std::string(toString(ensemble.status(3)->state)), std::string("FOLLOWING"));
        QCOMPARE(*ensemble.servingLeader(), Sid{2});
    }

    // An observer (peerType=observer) syncs, forwards writes, receives INFORMs and never
    // votes: with it, two dead participants of three still mean no service.
    void observerForwardsAndNeverVotes()
    {
        QTemporaryDir dir;
        EnsembleOptions options = drillOptions(dir.path());
        options.clientPorts.clear(); // free ports: 2181-2183 are for the drills
        options.observers = 1;
        Ensemble ensemble(options);
        std::string error;
        QVERIFY2(ensemble.startAll(error), error.c_str());
        QVERIFY(waitForLeader(ensemble, 15s));
        waitServing(ensemble, 4, 10s); // the state check below asserts
        QCOMPARE(std::string(toString(ensemble.status(4)->state)), std::string("OBSERVING"));
        QVERIFY(createThrough(ensemble.clientPort(4), "/observed"));
        QVERIFY(createThrough(ensemble.clientPort(1), "/observed/from-participant"));
        QCOMPARE(childrenThrough(ensemble.clientPort(4), "/observed"),
                 std::vector<std::string>{"from-participant"});
        const Sid leader = *ensemble.servingLeader();
        for (Sid sid : {Sid{1}, Sid{2}, Sid{3}}) {
            if (sid != leader) {
                ensemble.kill(sid);
                break;
            }
        }
        for (Sid sid : {Sid{1}, Sid{2}, Sid{3}}) {
            if (sid != leader && ensemble.isRunning(sid)) {
                ensemble.kill(sid);
                break;
            }
        }
        QVERIFY2(waitForNoLeader(ensemble, leader, 5s), "leader plus observer is not a quorum");
    }

    void killAndRestartDrills()
    {
        QTemporaryDir dir;
        Ensemble ensemble(drillOptions(dir.path()));
        std::string error;
        QVERIFY2(ensemble.startAll(error), error.c_str());
        const auto leader = waitForLeader(ensemble, 15s);
        QVERIFY2(leader, "the ensemble did not elect a leader");
        QVERIFY(createThrough(ensemble.clientPort(1), "/drill"));

        // Kill a follower: service goes on through both live nodes, same leader.
        std::vector<Sid> followers;
        for (Sid sid : ensemble.sids()) {
            if (sid != *leader)
                followers.push_back(sid);
        }
        const Sid first = std::max(followers[0], followers[1]);
        const Sid second = std::min(followers[0], followers[1]);
        ensemble.kill(first);
        QVERIFY2(createThrough(ensemble.clientPort(*leader), "/drill/after-one-follower"),
                 "a write through the leader failed with one follower down");
        QVERIFY2(createThrough(ensemble.clientPort(second), "/drill/through-follower"),
                 "a write through the live follower failed with one follower down");
        QCOMPARE(*ensemble.servingLeader(), *leader);

        // Kill the second follower: no quorum, the survivor stops leading and serving.
        ensemble.kill(second);
        QVERIFY2(waitForNoLeader(ensemble, *leader, 5s), "the survivor kept leading alone");
        QVERIFY2(!createThrough(ensemble.clientPort(*leader), "/drill/alone"),
                 "a lone server accepted a write");

        // Restart one: service resumes under the same leader (it has the newest zxid).
        QVERIFY2(ensemble.start(second, error), error.c_str());
        const auto again = waitForLeader(ensemble, 15s);
        QVERIFY2(again, "no leader after restarting a follower");
        QCOMPARE(*again, *leader);
        QVERIFY(createThrough(ensemble.clientPort(second), "/drill/restored"));
        QVERIFY2(ensemble.start(first, error), error.c_str());

        // Kill the leader: the others elect a new one and keep every write.
        QVERIFY(waitForLeader(ensemble, 10s));
        ensemble.kill(*leader);
        const auto newLeader = waitForLeader(ensemble, 15s);
        QVERIFY2(newLeader, "no new leader after the leader was killed");
        QVERIFY(*newLeader != *leader);
        QVERIFY(createThrough(ensemble.clientPort(*newLeader), "/drill/new-leader"));

        // The old leader restarts and rejoins as a follower; the lead stays where it is.
        QVERIFY2(ensemble.start(*leader, error), error.c_str());
        waitServing(ensemble, *leader, 15s); // the state check below asserts
        QCOMPARE(std::string(toString(ensemble.status(*leader)->state)), std::string("FOLLOWING"));
        QCOMPARE(*ensemble.servingLeader(), *newLeader);

        const std::vector<std::string> expected{"after-one-follower", "new-leader", "restored",
                                                "through-follower"};
        for (Sid sid : ensemble.sids())
            QCOMPARE(childrenThrough(ensemble.clientPort(sid), "/drill"), expected);
    }
};

QTEST_GUILESS_MAIN(QuorumDrillsTest)
#include "test_quorum_drills.moc"
