// Proves recovery as FileTxnSnapLog.restore: fallback past an invalid newest snapshot, a
// clear error when nothing can rebuild the tree, sessions/ephemerals/sequence counters that
// survive a restart (and expire normally in ServerCore), dataLogDir apart from dataDir,
// PurgeTxnLog's retention, the epoch files, time travel, and FileStorage's group commit and
// snapshot scheduling.
#include "storage_test_util.h"

#include "server/server_core.h"
#include "storage/file_storage.h"

#include <QTemporaryDir>
#include <QtTest>

#include <condition_variable>
#include <mutex>
#include <thread>

using namespace storagetest;
namespace fs = std::filesystem;

namespace {

void touch(const fs::path& path)
{
    writeFile(path, Bytes{1});
}

// Records what a FileStorage reports through its hooks, from its own threads.
struct HookRecorder
{
    std::mutex mutex;
    std::condition_variable changed;
    zk::Zxid durable = 0;
    int reports = 0;
    int snapshotsDue = 0;
    bool backwards = false; // a durable report that did not move forward

    zk::TxnPersister::Hooks hooks()
    {
        zk::TxnPersister::Hooks hooks;
        hooks.durable = [this](zk::Zxid zxid) {
            std::lock_guard lock(mutex);
            backwards = backwards || zxid <= durable;
            durable = zxid;
            ++reports;
            changed.notify_all();
        };
        hooks.snapshotDue = [this] {
            std::lock_guard lock(mutex);
            ++snapshotsDue;
        };
        hooks.failed = [](const zk::StorageError& e) { qFatal("%s", e.message().c_str()); };
        return hooks;
    }

    // True once every txn up to zxid was reported durable within `limit`.
    bool waitDurable(zk::Zxid zxid, std::chrono::seconds limit)
    {
        std::unique_lock lock(mutex);
        return changed.wait_for(lock, limit, [&] { return durable >= zxid; });
    }

    int dueCount()
    {
        std::lock_guard lock(mutex);
        return snapshotsDue;
    }

    bool wentBackwards()
    {
        std::lock_guard lock(mutex);
        return backwards;
    }

    int reportCount()
    {
        std::lock_guard lock(mutex);
        return reports;
    }
};

} // namespace

class RecoveryTest : public QObject
{
    Q_OBJECT
private slots:
    void invalidNewestSnapshotFallsBackToOlder()
    {
        QTemporaryDir dir;
        zk::StorageOptions options = optionsFor(dir.path());
        QVERIFY(!zk::ensureDirectory(options.logDir()));
        zk::TxnLogWriter log({options.logDir(), 4096, false, 0});
        LiveServer live(&log);
        live.create("/a");
        QVERIFY(!zk::takeSnapshotNow(options, live.tree, live.sessions)); // snapshot.1
        live.create("/b");
        live.setData("/a", "x");
        fs::path newest;
        QVERIFY(!zk::takeSnapshotNow(options, live.tree, live.sessions, &newest)); // .3
        live.create("/c");
        QVERIFY(!log.commit());
        Bytes bytes = readFile(newest);
        bytes[40] ^= 0xff;
        writeFile(newest, bytes);

        zk::RecoveredState state;
        const auto error = zk::recover(options, state);
        QVERIFY2(!error, error.message().c_str());
        QCOMPARE(state.snapshotFile->filename().string(), std::string("snapshot.1"));
        QCOMPARE(state.txnsReplayed, std::int64_t{3});
        QCOMPARE(state.warnings.size(), std::size_t{1});
        QVERIFY(state.warnings[0].find("snapshot.3") != std::string::npos);
        QCOMPARE(dumpTree(state.tree), dumpTree(live.tree));
    }

    void noValidSnapshotAndNoFullLogIsAnError()
    {
        QTemporaryDir dir;
        zk::StorageOptions options = optionsFor(dir.path());
        QVERIFY(!zk::ensureDirectory(options.logDir()));
        LiveServer live;
        live.create("/a");
        live.create("/b");
        fs::path snap;
        QVERIFY(!zk::takeSnapshotNow(options, live.tree, live.sessions, &snap));
        {
            zk::TxnLogWriter log({options.logDir(), 4096, false, 0});
            live.create("/c"); // zxid 3: the log starts after the snapshot
            QVERIFY(!log.append(live.applied.back()));
            QVERIFY(!log.commit());
        }
        Bytes bytes = readFile(snap);
        bytes[30] ^= 0xff;
        writeFile(snap, bytes);
        zk::RecoveredState state;
        const auto error = zk::recover(options, state);
        QCOMPARE(error.code, std::error_code(zk::StorageErrc::NoValidSnapshot));
        QVERIFY(error.file.find("snapshot.2") != std::string::npos);
        QVERIFY(error.offset >= 0);
        QVERIFY(error.message().find("0x3") != std::string::npos);

        // A log from zxid 1 rebuilds the tree without any snapshot.
        QTemporaryDir full;
        zk::StorageOptions fullOptions = optionsFor(full.path());
        QVERIFY(!zk::ensureDirectory(fullOptions.logDir()));
        zk::TxnLogWriter log({fullOptions.logDir(), 4096, false, 0});
        LiveServer again(&log);
        again.create("/a");
        again.create("/a/b");
        QVERIFY(!log.commit());
        QVERIFY(!zk::recover(fullOptions, state));
        QCOMPARE(state.snapshotFile, std::nullopt);
        QCOMPARE(dumpTree(state.tree), dumpTree(again.tree));
    }

    void sessionsEphemeralsAndSequenceCountersSurvive()
    {
        QTemporaryDir dir;
        zk::StorageOptions options = optionsFor(dir.path());
        options.dataLogDir = (fs::path(dir.path().toStdString()) / "txnlogs");
        QVERIFY(!zk::ensureDirectory(options.logDir()));
        zk::TxnLogWriter log({options.logDir(), 4096, false, 0});
        LiveServer live(&log);
        live.createSession(0xA, 6000);
        live.createSession(0xB, 8000);
        live.create("/q");
        live.create("/q/s-0000000000", "", 0xA);
        live.create("/q/s-0000000001");
        live.create("/eb", "", 0xB);
        QVERIFY(!zk::takeSnapshotNow(options, live.tree, live.sessions));
        live.create("/q/s-0000000002", "", 0xA);
        live.closeSession(0xB);
        live.createSession(0xC, 4000);
        QVERIFY(!log.commit());
        QVERIFY(fs::exists(options.logDir() / "log.1"));
        QVERIFY(!fs::exists(options.snapDir() / "log.1"));

        zk::RecoveredState state;
        QVERIFY(!zk::recover(options, state));
        const std::map<zk::SessionId, std::int32_t> expected{{0xA, 6000}, {0xC, 4000}};
        QCOMPARE(state.sessions, expected);
        QCOMPARE(state.tree.ephemerals(0xA).size(), std::size_t{2});
        QVERIFY(state.tree.node("/eb") == nullptr);
        const zk::DataNode* q = state.tree.node("/q");
        QCOMPARE(q->stat.cversion, 3); // the next sequential child is s-0000000003
        QCOMPARE(q->stat.pzxid, live.tree.node("/q")->stat.pzxid);
        QCOMPARE(state.tree.digest(), live.tree.digest());

        // ServerCore tracks the restored sessions and expires them as usual.
        zk::ServerCoreConfig config;
        config.tickTimeMs = 2000;
        zk::ServerCore core(config, std::move(state.tree), 1000);
        core.restoreSessions(state.sessions);
        QCOMPARE(core.sessions().size(), std::size_t{2});
        QCOMPARE(core.nextZxid(), live.zxid + 1);
        for (int i = 0; i < 3; ++i)
            core.tick(1000 + 2000 * (i + 1));
        auto out = core.takeOutput();
        QCOMPARE(out.persist.size(), std::size_t{1}); // 0xC (4 s) expires first
        QCOMPARE(out.persist[0].header.clientId, zk::SessionId{0xC});
        QCOMPARE(out.persist[0].header.zxid, live.zxid + 1);
    }

    // DataTree.compareDigest on replay: past the snapshot, every txn's TxnDigest is compared
    // with the tree after it; a mismatch is reported (with the first zxid) and loses nothing.
    void txnDigestsAreComparedOnReplay()
    {
        for (const bool corrupt : {false, true}) {
            QTemporaryDir dir;
            zk::StorageOptions options = optionsFor(dir.path());
            QVERIFY(!zk::ensureDirectory(options.logDir()));
            zk::TxnLogWriter log({options.logDir(), 4096, false, 0});
            LiveServer live(&log);
            live.digests = true;
            if (corrupt)
                live.wrongDigestAt = 6;
            live.createSession(0xA, 6000);
            live.create("/a", "x");
            live.create("/a/e", "", 0xA);
            QVERIFY(!zk::takeSnapshotNow(options, live.tree, live.sessions));
            live.setData("/a", "y"); // zxid 4
            live.create("/b");
            live.create("/b/c"); // zxid 6
            live.remove("/b/c");
            live.closeSession(0xA);
            QVERIFY(!log.commit());

            zk::RecoveredState state;
            QVERIFY(!zk::recover(options, state));
            QCOMPARE(dumpTree(state.tree), dumpTree(live.tree));
            QCOMPARE(state.txnsReplayed, std::int64_t{5});
            if (!corrupt) {
                QVERIFY(state.warnings.empty());
                QCOMPARE(state.tree.digestMismatches(), std::uint64_t{0});
                continue;
            }
            QCOMPARE(state.tree.digestMismatches(), std::uint64_t{1});
            QCOMPARE(state.warnings.size(), std::size_t{1});
            QVERIFY2(state.warnings[0].find("the first at zxid 0x6") != std::string::npos,
                     state.warnings[0].c_str());
        }
    }

    void filesCutShortByACrashAreHarmless()
    {
        // Killed right after creating a log file (empty, or preallocated without its
        // header) and in the middle of writing a snapshot.
        QTemporaryDir dir;
        zk::StorageOptions options = optionsFor(dir.path());
        QVERIFY(!zk::ensureDirectory(options.logDir()));
        LiveServer live;
        {
            zk::TxnLogWriter log({options.logDir(), 4096, false, 0});
            live = LiveServer(&log);
            live.create("/a");
            live.create("/b");
            QVERIFY(!log.commit());
        }
        writeFile(options.logDir() / "log.3", Bytes{});
        writeFile(options.logDir() / "log.4", Bytes(4096, 0));
        writeFile(options.snapDir() / "tmp.snapshot.2", Bytes(100, 7));
        zk::RecoveredState state;
        const auto error = zk::recover(options, state);
        QVERIFY2(!error, error.message().c_str());
        QCOMPARE(state.lastZxid, zk::Zxid{2});
        QCOMPARE(dumpTree(state.tree), dumpTree(live.tree));
        QVERIFY(!fs::exists(options.snapDir() / "tmp.snapshot.2"));
        QCOMPARE(state.warnings.size(), std::size_t{1});
        // A header that is neither zeros nor ZKLG is still an error.
        writeFile(options.logDir() / "log.4", Bytes(4096, 1));
        QCOMPARE(zk::recover(options, state).code, std::error_code(zk::StorageErrc::BadMagic));
    }

    void deadSessionEphemeralsAreDropped()
    {
        // A snapshot whose session table lacks an ephemeral owner (ZooKeeperServer.loadData).
        QTemporaryDir dir;
        zk::StorageOptions options = optionsFor(dir.path());
        LiveServer live;
        live.createSession(0xD);
        live.create("/e", "", 0xD);
        live.create("/keep");
        QVERIFY(!zk::takeSnapshotNow(options, live.tree, {}));
        zk::RecoveredState state;
        QVERIFY(!zk::recover(options, state));
        QVERIFY(state.tree.node("/e") == nullptr);
        QVERIFY(state.tree.node("/keep") != nullptr);
    }

    void purgeKeepsNewestSnapshotsAndTheLogsTheyNeed()
    {
        QTemporaryDir dir;
        const fs::path d = dir.path().toStdString();
        LiveServer live;
        live.create("/a");
        for (zk::Zxid zxid : {0x10, 0x20, 0x30, 0x40}) {
            live.tree.setLastProcessedZxid(zxid);
            zk::StorageOptions options = optionsFor(dir.path());
            QVERIFY(!zk::takeSnapshotNow(options, live.tree, {}));
        }
        const fs::path v2 = d / "version-2";
        for (const char* name : {"log.1", "log.15", "log.25", "log.35", "log.45"})
            touch(v2 / name);
        touch(v2 / "snapshot.5"); // invalid: purged as older, never counted as kept
        std::vector<fs::path> removed;
        QVERIFY(!zk::purgeOldFiles(v2, v2, 3, &removed));
        QCOMPARE(removed.size(), std::size_t{3});
        for (const char* name :
             {"snapshot.20", "snapshot.30", "snapshot.40", "log.15", "log.25", "log.35", "log.45"})
            QVERIFY2(fs::exists(v2 / name), name);
        for (const char* name : {"snapshot.10", "snapshot.5", "log.1"})
            QVERIFY2(!fs::exists(v2 / name), name);
    }

    void epochFilesRoundTrip()
    {
        QTemporaryDir dir;
        const fs::path d = dir.path().toStdString();
        std::optional<zk::Epoch> epoch;
        QVERIFY(!zk::readEpochFile(d, zk::kCurrentEpochFile, epoch));
        QCOMPARE(epoch, std::nullopt);
        QVERIFY(!zk::writeEpochFile(d, zk::kCurrentEpochFile, 7));
        QVERIFY(!zk::writeEpochFile(d, zk::kAcceptedEpochFile, 8));
        QVERIFY(!zk::readEpochFile(d, zk::kCurrentEpochFile, epoch));
        QCOMPARE(epoch, std::optional<zk::Epoch>(7));
        const Bytes text = readFile(d / "version-2" / "acceptedEpoch");
        QCOMPARE(std::string(text.begin(), text.end()), std::string("8"));
        writeFile(d / "version-2" / "currentEpoch", Bytes{'x'});
        QVERIFY(zk::readEpochFile(d, zk::kCurrentEpochFile, epoch));
    }

    void loadTreeAtAnyZxid()
    {
        QTemporaryDir dir;
        zk::StorageOptions options = optionsFor(dir.path());
        QVERIFY(!zk::ensureDirectory(options.logDir()));
        zk::TxnLogWriter log({options.logDir(), 4096, false, 0});
        LiveServer live(&log);
        std::map<zk::Zxid, std::int64_t> digests;
        for (int i = 0; i < 30; ++i) {
            if (i % 3 == 0)
                live.create("/n" + std::to_string(i));
            else
                live.setData("/n" + std::to_string(i - i % 3), std::to_string(i));
            digests[live.zxid] = live.tree.digest();
            if (i == 10 || i == 20)
                QVERIFY(!zk::takeSnapshotNow(options, live.tree, {}));
        }
        QVERIFY(!log.commit());
        for (zk::Zxid at : {zk::Zxid{1}, zk::Zxid{11}, zk::Zxid{15}, zk::Zxid{25}, zk::Zxid{30}}) {
            zk::RecoveredState state;
            QVERIFY(!zk::loadTreeAt(options, at, state));
            QVERIFY(state.exact);
            QCOMPARE(state.lastZxid, at);
            QCOMPARE(state.tree.digest(), digests[at]);
        }
    }

    void fileStorageGroupCommitsAndAsksForSnapshots()
    {
        QTemporaryDir dir;
        zk::StorageOptions options = optionsFor(dir.path());
        options.snapCount = 10;
        options.forceSync = true;
        zk::RecoveredState state;
        QVERIFY(!zk::recover(options, state));
        zk::FileStorage storage(options, state.lastZxid);
        HookRecorder recorder;
        QVERIFY(!storage.start(recorder.hooks()));
        LiveServer live;
        zk::SessionTracker sessions(0, 2000);
        for (int batch = 0; batch < 10; ++batch) {
            std::vector<zk::LoggedTxn> txns;
            for (int i = 0; i < 5; ++i) {
                live.create("/b" + std::to_string(batch) + "-" + std::to_string(i));
                txns.push_back(live.applied.back());
            }
            storage.append(std::move(txns));
        }
        QVERIFY(recorder.waitDurable(live.zxid, std::chrono::seconds(10)));
        QVERIFY(!recorder.wentBackwards());
        const int snapshotsDue = recorder.dueCount();
        const auto stats = storage.stats();
        QCOMPARE(stats.txnsLogged, std::int64_t{50});
        QVERIFY(stats.batches <= 10);
        // One fsync per group commit, plus one for each file closed by a roll.
        QVERIFY(stats.syncs >= stats.batches);
        QVERIFY(stats.syncs <= stats.batches + snapshotsDue + stats.snapshotsSkipped);
        QVERIFY(snapshotsDue >= 1);
        while (!storage.snapshotStep(live.tree, sessions)) {
        }
        storage.stop();
        QVERIFY(storage.stats().snapshotsWritten == 1);
        QVERIFY(zk::listZxidFiles(options.logDir(), zk::kLogPrefix).size() >= 2);
        zk::RecoveredState again;
        QVERIFY(!zk::recover(options, again));
        QCOMPARE(dumpTree(again.tree), dumpTree(live.tree));
    }

    // zookeeper.snapSizeLimitInKb: with the count out of reach, a snapshot is due once the
    // logged bytes pass half the limit plus the random part (below the other half); with the
    // limit at 0 it never is.
    void snapshotsAreAlsoDueByLoggedBytes()
    {
        for (const std::int64_t limit : {std::int64_t{16384}, std::int64_t{0}}) {
            QTemporaryDir dir;
            zk::StorageOptions options = optionsFor(dir.path());
            options.snapCount = 1000000;
            options.snapSizeLimitBytes = limit;
            options.forceSync = false;
            zk::FileStorage storage(options, 0);
            HookRecorder recorder;
            QVERIFY(!storage.start(recorder.hooks()));
            LiveServer live;
            const std::string value(1000, 'v'); // each txn logs a little over 1,000 bytes
            int dueAfter = 0;
            for (int i = 1; i <= 20; ++i) {
                live.create("/n" + std::to_string(i), value);
                storage.append({live.applied.back()});
                QVERIFY(recorder.waitDurable(live.zxid, std::chrono::seconds(10)));
                if (recorder.dueCount() > 0 && dueAfter == 0)
                    dueAfter = i;
            }
            storage.stop();
            if (limit == 0) {
                QCOMPARE(recorder.dueCount(), 0);
            } else {
                // Over 8 KiB but at most 16 KiB logged: after the 8th txn and by the 16th.
                QVERIFY2(dueAfter >= 8 && dueAfter <= 16, std::to_string(dueAfter).c_str());
            }
        }
    }

    // Txns appended one at a time while syncs are in flight: the storage thread writes the
    // next batches while the sync thread syncs, and syncs some itself. Durable reports still
    // only move forward, reach the last txn, and every txn is in the log.
    void pipelinedSyncsReportInOrderAndLoseNothing()
    {
        QTemporaryDir dir;
        zk::StorageOptions options = optionsFor(dir.path());
        options.forceSync = true;
        zk::FileStorage storage(options, 0);
        HookRecorder recorder;
        QVERIFY(!storage.start(recorder.hooks()));
        LiveServer live;
        constexpr int kTxns = 600;
        for (int i = 0; i < kTxns; ++i) {
            live.create("/p" + std::to_string(i), std::string(100, 'x'));
            storage.append({live.applied.back()});
            std::this_thread::sleep_for(std::chrono::microseconds(200)); // several batches
        }
        QVERIFY(recorder.waitDurable(live.zxid, std::chrono::seconds(60)));
        QVERIFY(!recorder.wentBackwards());
        const auto stats = storage.stats();
        QCOMPARE(stats.txnsLogged, std::int64_t{kTxns});
        QVERIFY(stats.syncs >= stats.batches);
        QVERIFY(stats.overlappedSyncs <= stats.batches);
        qInfo("%d txns: %lld batches, %lld fsyncs, %lld overlapping another, %d reports", kTxns,
              static_cast<long long>(stats.batches), static_cast<long long>(stats.syncs),
              static_cast<long long>(stats.overlappedSyncs), recorder.reportCount());
        storage.stop();
        zk::RecoveredState again;
        QVERIFY(!zk::recover(options, again));
        QCOMPARE(again.lastZxid, live.zxid);
        QCOMPARE(dumpTree(again.tree), dumpTree(live.tree));
    }

    void storageFailureIsReportedOnceWithThePath()
    {
        QTemporaryDir dir;
        zk::StorageOptions options = optionsFor(dir.path());
        options.dataLogDir = fs::path(dir.path().toStdString()) / "logs";
        options.snapCount = 2; // rolls to a new file every txn or two
        zk::FileStorage storage(options, 0);
        std::mutex mutex;
        std::condition_variable changed;
        std::vector<std::string> failures;
        zk::TxnPersister::Hooks hooks;
        hooks.failed = [&](const zk::StorageError& error) {
            std::lock_guard lock(mutex);
            failures.push_back(error.message());
            changed.notify_all();
        };
        QVERIFY(!storage.start(hooks));
        fs::remove_all(options.logDir()); // the next log file cannot be created
        LiveServer live;
        for (int i = 0; i < 6; ++i) {
            live.create("/n" + std::to_string(i));
            storage.append({live.applied.back()});
            std::this_thread::sleep_for(std::chrono::microseconds(200)); // several batches
        }
        std::unique_lock lock(mutex);
        QVERIFY(
            changed.wait_for(lock, std::chrono::seconds(10), [&] { return !failures.empty(); }));
        lock.unlock();
        storage.stop();
        QCOMPARE(failures.size(), std::size_t{1});
        QVERIFY(failures[0].find("logs/version-2/log.1") != std::string::npos);
        QVERIFY(failures[0].find("No such file") != std::string::npos);
    }
};

QTEST_APPLESS_MAIN(RecoveryTest)
#include "test_recovery.moc"
