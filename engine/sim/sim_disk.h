#pragma once
// SimDisk is one simulated server's dataDir: an in-memory txn log with group commit and an
// fsync latency in ticks, the snapshots, and the two epoch files. What a crash keeps is what
// was fsynced: the log's synced prefix, every snapshot and both epochs (snapshots and epoch
// files are written durably at once, as takeSnapshotNow and writeEpochFile do).
//
// Recovery is FileTxnSnapLog.restore's: the newest snapshot (or an empty tree), then every
// logged txn above its zxid, in log order, with the session table replayed from
// createSession/closeSession. Truncation is storage/log_truncate.h's: the pending appends are
// written first (the live host stops its FileStorage, which drains its queue), then the log
// keeps exactly the txns at or below the zxid and snapshots named above it are deleted.
//
// Snapshots travel as SNAP stream bytes (storage/snap_stream.h): the same serialization the
// leader sends, so a restored tree has no watches and recomputed indexes and digest.
//
// One thread; owned by ZabCluster, which survives the node's crashes with it.

#include "core/prng.h"
#include "data/data_tree.h"
#include "data/txn.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace zk::sim {

using Tick = std::int64_t;

struct SimDiskProfile
{
    Tick fsyncTicksMin = 1;
    Tick fsyncTicksMax = 3;
    // zookeeper.snapCount: a snapshot falls due after snapCount/2 plus a random part of
    // snapCount/2 appended txns, as FileStorage rolls it (SyncRequestProcessor). 0: never.
    std::int64_t snapCount = 0;
};

// What recover() rebuilt, and from what (for the checker's bookkeeping).
struct SimRecovery
{
    DataTree tree;
    std::map<SessionId, std::int32_t> sessions;
    std::optional<std::uint64_t> snapshotId; // none: started from an empty tree
    Zxid snapshotZxid = 0;
    std::vector<Zxid> replayed;        // log txns applied over the snapshot, in order
    std::vector<std::string> problems; // a log out of zxid order, an undecodable snapshot
};

class SimDisk
{
public:
    explicit SimDisk(Prng prng, SimDiskProfile profile = {});

    void setProfile(const SimDiskProfile& profile);

    // Persist: appends and starts an fsync unless one is running (the next one then covers
    // everything appended meanwhile: group commit).
    void append(const std::vector<LoggedTxn>& txns, Tick now);
    // The last zxid made durable by an fsync that completed at or before `now`, if one did.
    std::optional<Zxid> poll(Tick now);
    // True once when enough txns were appended since the last roll (TxnPersister's
    // snapshotDue); the driver then snapshots the database if it is serving.
    bool takeSnapshotDue();

    // Writes the snapshot durably; returns its id (increasing).
    std::uint64_t takeSnapshot(const DataTree& tree,
                               const std::map<SessionId, std::int32_t>& sessions);
    void writeEpoch(bool accepted, Epoch epoch);
    std::optional<Epoch> acceptedEpoch() const { return m_acceptedEpoch; }
    std::optional<Epoch> currentEpoch() const { return m_currentEpoch; }

    // A crash: the unsynced suffix is gone, and so is the fsync in progress.
    void crash();
    // TRUNC: drains pending appends to disk, keeps txns with zxid <= `zxid`, deletes
    // snapshots named above it. No fsync completion is reported for what was pending.
    void truncate(Zxid zxid);
    SimRecovery recover() const;
    // storage/log_history.h's readLogHistory over this log, written or not yet synced (a
    // file's pages can be read before they reach the disk).
    std::optional<std::vector<LoggedTxn>> readHistory(Zxid after, Zxid upTo,
                                                      std::size_t byteLimit) const;

    std::size_t logSize() const { return m_log.size(); }
    std::size_t durableSize() const { return m_durable; }
    Zxid lastLogged() const { return m_log.empty() ? 0 : m_log.back().header.zxid; }
    Zxid lastDurable() const { return m_durable == 0 ? 0 : m_log[m_durable - 1].header.zxid; }
    std::size_t snapshotCount() const { return m_snapshots.size(); }

private:
    struct Snapshot
    {
        std::uint64_t id = 0;
        Zxid zxid = 0;
        std::vector<std::uint8_t> stream; // encodeSnapStream
    };

    void startSync(Tick now);
    void rollSnapshot();

    Prng m_prng;
    SimDiskProfile m_profile;
    std::vector<LoggedTxn> m_log;
    std::size_t m_durable = 0;       // the synced prefix
    std::size_t m_syncTarget = 0;    // the prefix the running fsync covers
    std::optional<Tick> m_syncDueAt; // a running fsync
    std::map<Zxid, Snapshot> m_snapshots;
    std::uint64_t m_nextSnapshotId = 1;
    std::int64_t m_sinceSnapshot = 0;
    std::int64_t m_snapshotRoll = 0; // txns until the next snapshot falls due
    bool m_snapshotDue = false;
    std::optional<Epoch> m_acceptedEpoch;
    std::optional<Epoch> m_currentEpoch;
};

} // namespace zk::sim
