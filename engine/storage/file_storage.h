#pragma once
// Durable state of one server in Apache ZooKeeper's dataDir layout (FileTxnSnapLog):
// recovery (newest valid snapshot + log replay), the time-travel loader, autopurge
// (PurgeTxnLog), the epoch files, and FileStorage, the TxnPersister that logs txns with
// group commit on a storage thread and writes fuzzy snapshots on a snapshot thread.
//
//   <dataDir>/version-2/     snapshot.<zxid>, acceptedEpoch, currentEpoch
//   <dataLogDir>/version-2/  log.<zxid>                       (see txn_log.h, snapshot.h)
//
// Recovery, as FileTxnSnapLog.restore: try the snapshots newest first (at most 100); one
// that fails its tail check, its seals or its structure is skipped with a warning. Then
// every logged txn with zxid > the snapshot zxid is applied with DataTree::processTxn
// (NodeExists/NoNode results are expected over a fuzzy snapshot), and the session table is
// replayed from createSession/closeSession txns. Ephemerals of sessions that are not in the
// table are deleted (ZooKeeperServer.loadData's dead-session cleanup). If no snapshot is
// valid, the log must start at a zxid whose counter is 1, else recovery fails naming the
// newest bad snapshot (file and offset). Snapshot temporaries left by a crash are removed.

#include "storage/snapshot.h"
#include "storage/txn_log.h"
#include "storage/txn_persister.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace zk {

struct StorageOptions
{
    fs::path dataDir;
    fs::path dataLogDir;                                // empty: dataDir
    std::int64_t preAllocBytes = kDefaultPreAllocBytes; // zookeeper.preAllocSize
    bool forceSync = true;                              // zookeeper.forceSync
    std::int64_t snapCount = 100000;                    // zookeeper.snapCount (min 2)
    // zookeeper.snapSizeLimitInKb in bytes (default 4 GiB; 0 or less: no size trigger). A
    // snapshot is also due once the txns logged since the last one pass half of it plus a
    // random part of the other half. Counted as encoded txn bytes; Apache counts the log
    // files' lengths, which its preallocation rounds up in steps of preAllocSize.
    std::int64_t snapSizeLimitBytes = std::int64_t{4194304} * 1024;
    std::uint64_t seed = 1;     // seeds the snapshot roll (snapCount/2 + random(snapCount/2))
    int snapRetainCount = 3;    // autopurge.snapRetainCount
    int purgeIntervalHours = 0; // autopurge.purgeInterval; 0 disables
    std::size_t maxQueuedTxns = 20000; // bound of the append queue (back pressure)
    // A snapshot is serialized on the io thread in turns that interleave with requests: each
    // turn serializes nodes in groups of snapshotStepNodes until snapshotTurnBudget is spent.
    std::size_t snapshotStepNodes = 64;
    std::chrono::microseconds snapshotTurnBudget{100};
    bool extendedTypesEnabled = false;
    // zookeeper.snapshot.compression.method=gz writes snapshot.<zxid>.gz.
    SnapshotCompression snapshotCompression = SnapshotCompression::None;

    fs::path snapDir() const { return dataDir / kVersionDir; }
    fs::path logDir() const { return (dataLogDir.empty() ? dataDir : dataLogDir) / kVersionDir; }
};

struct RecoveredState
{
    DataTree tree;
    std::map<SessionId, std::int32_t> sessions;
    std::optional<fs::path> snapshotFile; // none: started from an empty tree
    Zxid snapshotZxid = 0;
    std::int64_t txnsReplayed = 0;
    Zxid lastZxid = 0; // the tree's lastProcessedZxid after replay
    bool exact = true; // loadTreeAt: false when the only usable snapshot holds later txns
    std::vector<std::string> warnings; // skipped snapshots, digest mismatches
};

// Restores the newest state from options' directories (creating them when missing).
StorageError recover(const StorageOptions& options, RecoveredState& out);

// The tree as of `zxid` for the studio's time travel: the newest snapshot whose content is
// at or below zxid (its ZxidDigest zxid bounds the fuzzy part; with no such snapshot, an
// empty tree when the log starts at counter 1, else the newest snapshot named <= zxid and
// exact=false), plus the logged txns up to zxid. Never writes.
StorageError loadTreeAt(const StorageOptions& options, Zxid zxid, RecoveredState& out);

// PurgeTxnLog.purge: keeps the retainCount newest valid snapshots and the log files they
// need (every log named above the oldest kept snapshot, plus the newest one named at or below
// it); deletes older snapshot.* and log.* files. `removed` lists what went.
StorageError purgeOldFiles(const fs::path& snapDir, const fs::path& logDir, int retainCount,
                           std::vector<fs::path>* removed = nullptr);

// <dataDir>/version-2/acceptedEpoch and currentEpoch: one decimal number, written with an
// atomic rename and fsync (QuorumPeer.writeLongToFile). nullopt when the file is missing.
inline constexpr std::string_view kAcceptedEpochFile = "acceptedEpoch";
inline constexpr std::string_view kCurrentEpochFile = "currentEpoch";
StorageError readEpochFile(const fs::path& dataDir, std::string_view name,
                           std::optional<Epoch>& out);
StorageError writeEpochFile(const fs::path& dataDir, std::string_view name, Epoch epoch);

// Serializes the whole tree at once and writes snapshot.<lastProcessedZxid> (start-up
// snapshot, as ZooKeeperServer.loadData takes one; tools and tests).
StorageError takeSnapshotNow(const StorageOptions& options, const DataTree& tree,
                             const std::map<SessionId, std::int32_t>& sessions,
                             fs::path* written = nullptr);

// The TxnPersister over real files. Threads: the driver thread (start, append,
// snapshotStep, stop), one storage thread (log appends, fsync, purge), one sync thread and
// at most one snapshot thread at a time (writing a finished SnapshotImage).
//
// Pipelined group commit: the storage thread writes a batch and hands its fdatasync to the
// sync thread, then goes on to the next batch; when the sync thread is still busy, the
// storage thread syncs that next batch itself. So up to two fdatasyncs are in flight: a
// request that arrives during one waits for the next to start, not for the first to end.
// A sync covers every write made before it started. The sync thread's job always started
// first, so it reports at once; the storage thread's sync reports after that job is done,
// and nothing is reported once any sync has failed. A new log file's first sync (which also
// syncs the directory) and a roll wait for the sync thread too.
class FileStorage final : public TxnPersister
{
public:
    struct Stats
    {
        std::int64_t txnsLogged = 0;
        std::int64_t batches = 0; // group commits (one fsync each when forceSync)
        std::int64_t syncs = 0;
        std::int64_t overlappedSyncs = 0; // run by the storage thread beside the sync thread
        std::int64_t snapshotsWritten = 0;
        std::int64_t snapshotsSkipped = 0; // due while one was still running
        Zxid lastDurable = 0;
    };

    // lastLoggedZxid: the recovered lastZxid; appends continue above it in a new log file.
    FileStorage(StorageOptions options, Zxid lastLoggedZxid);
    ~FileStorage() override;

    StorageError start(Hooks hooks) override;
    void append(std::vector<LoggedTxn> txns) override;
    bool snapshotStep(const DataTree& tree, const SessionTracker& sessions) override;
    void stop() override;

    Stats stats() const;

private:
    void storageLoop();
    void syncLoop();
    bool logBatches(std::vector<std::vector<LoggedTxn>>& batches);
    void waitSyncIdle();
    void reportDurable(Zxid last);
    void resetSnapshotRoll();
    void maybePurge(bool force);
    void fail(const StorageError& error);

    StorageOptions m_options;
    Hooks m_hooks;
    TxnLogWriter m_log;
    mutable std::mutex m_mutex;
    std::condition_variable m_wake;  // storage thread: work or stop
    std::condition_variable m_space; // driver: queue has room
    std::deque<std::vector<LoggedTxn>> m_queue;
    std::size_t m_queuedTxns = 0;
    bool m_stopping = false;
    std::atomic<bool> m_failed{false};
    std::atomic<bool> m_snapshotRunning{false};
    Stats m_stats;
    std::thread m_storageThread;
    std::thread m_syncThread;
    std::thread m_snapshotThread;
    // The sync thread's one job: a target and the last zxid it makes durable.
    std::mutex m_syncMutex;
    std::condition_variable m_syncWake; // sync thread: a job or stop
    std::condition_variable m_syncIdle; // storage thread: the job is done
    std::optional<std::pair<TxnLogWriter::SyncTarget, Zxid>> m_syncJob;
    bool m_syncStopping = false;
    std::mutex m_reportMutex; // orders durable reports from both threads
    Zxid m_reported = 0;
    std::optional<SnapshotBuilder> m_builder; // driver thread only
    std::int64_t m_builderTurns = 0;          // driver thread only: turns of this snapshot
    std::chrono::microseconds m_builderLongestTurn{0};
    std::mt19937_64 m_prng;
    std::int64_t m_randRoll = 0;
    std::int64_t m_txnsSinceSnapshot = 0;
    std::int64_t m_randSize = 0;
    std::int64_t m_bytesSinceSnapshot = 0;
    std::int64_t m_purgeDueMs = 0; // storage thread, steady clock
    bool m_started = false;
};

} // namespace zk
