#include "sim/sim_disk.h"

#include "core/assert.h"
#include "data/replay_txn.h"
#include "proto/txn_codec.h"
#include "storage/snap_stream.h"

#include <fmt/format.h>

namespace zk::sim {

namespace {

// autopurge.snapRetainCount's default: older snapshots are deleted.
constexpr std::size_t kSnapshotsKept = 3;
// Bounds the simulated log so that a runaway test fails instead of eating memory.
constexpr std::size_t kLogTxnsMax = 1'000'000;

} // namespace

SimDisk::SimDisk(Prng prng, SimDiskProfile profile) : m_prng(prng)
{
    setProfile(profile);
}

void SimDisk::setProfile(const SimDiskProfile& profile)
{
    ZK_ASSERT(profile.fsyncTicksMin >= 0);
    ZK_ASSERT(profile.fsyncTicksMax >= profile.fsyncTicksMin);
    m_profile = profile;
}

void SimDisk::append(const std::vector<LoggedTxn>& txns, Tick now)
{
    ZK_ASSERT(m_log.size() + txns.size() < kLogTxnsMax);
    m_log.insert(m_log.end(), txns.begin(), txns.end());
    if (!m_syncDueAt)
        startSync(now);
    if (m_profile.snapCount > 0) {
        if (m_snapshotRoll == 0)
            rollSnapshot();
        m_sinceSnapshot += static_cast<std::int64_t>(txns.size());
        if (m_sinceSnapshot >= m_snapshotRoll) {
            m_snapshotDue = true;
            m_sinceSnapshot = 0;
            rollSnapshot();
        }
    }
}

void SimDisk::rollSnapshot()
{
    const std::int64_t half = std::max<std::int64_t>(1, m_profile.snapCount / 2);
    m_snapshotRoll = half + static_cast<std::int64_t>(m_prng.below(std::uint64_t(half)));
}

bool SimDisk::takeSnapshotDue()
{
    return std::exchange(m_snapshotDue, false);
}

void SimDisk::startSync(Tick now)
{
    m_syncTarget = m_log.size();
    m_syncDueAt = now + m_prng.between(m_profile.fsyncTicksMin, m_profile.fsyncTicksMax);
}

std::optional<Zxid> SimDisk::poll(Tick now)
{
    if (!m_syncDueAt || *m_syncDueAt > now)
        return std::nullopt;
    m_durable = std::max(m_durable, m_syncTarget);
    m_syncDueAt.reset();
    if (m_log.size() > m_durable)
        startSync(now);
    return lastDurable();
}

std::uint64_t SimDisk::takeSnapshot(const DataTree& tree,
                                    const std::map<SessionId, std::int32_t>& sessions)
{
    Snapshot snapshot;
    snapshot.id = m_nextSnapshotId++;
    snapshot.zxid = tree.lastProcessedZxid();
    snapshot.stream = encodeSnapStream(tree, sessions);
    const std::uint64_t id = snapshot.id;
    m_snapshots[snapshot.zxid] = std::move(snapshot);
    while (m_snapshots.size() > kSnapshotsKept)
        m_snapshots.erase(m_snapshots.begin());
    return id;
}

void SimDisk::writeEpoch(bool accepted, Epoch epoch)
{
    (accepted ? m_acceptedEpoch : m_currentEpoch) = epoch;
}

void SimDisk::crash()
{
    m_log.resize(m_durable);
    m_syncDueAt.reset();
    m_syncTarget = m_durable;
}

void SimDisk::truncate(Zxid zxid)
{
    m_durable = m_log.size();
    m_syncDueAt.reset();
    std::erase_if(m_log, [zxid](const LoggedTxn& txn) { return txn.header.zxid > zxid; });
    m_durable = m_log.size();
    m_syncTarget = m_durable;
    std::erase_if(m_snapshots, [zxid](const auto& entry) { return entry.first > zxid; });
}

SimRecovery SimDisk::recover() const
{
    SimRecovery out;
    if (!m_snapshots.empty()) {
        const Snapshot& newest = m_snapshots.rbegin()->second;
        SnapStreamDecoder decoder(newest.zxid);
        std::size_t consumed = 0;
        if (decoder.feed(newest.stream, consumed) == DecodeStatus::Ok &&
            consumed == newest.stream.size()) {
            SnapStreamResult result = decoder.take();
            out.tree = std::move(result.tree);
            out.sessions = std::move(result.sessions);
            out.snapshotId = newest.id;
            out.snapshotZxid = newest.zxid;
        } else {
            out.problems.push_back(
                fmt::format("snapshot 0x{:x} does not decode: {}", newest.zxid, decoder.error()));
        }
    }
    Zxid last = out.snapshotZxid;
    for (std::size_t i = 0; i < m_durable; ++i) {
        const LoggedTxn& txn = m_log[i];
        if (txn.header.zxid <= out.snapshotZxid)
            continue;
        if (txn.header.zxid <= last) {
            out.problems.push_back(
                fmt::format("log holds 0x{:x} after 0x{:x}", txn.header.zxid, last));
            continue;
        }
        replayLoggedTxn(txn, out.tree, out.sessions);
        out.replayed.push_back(txn.header.zxid);
        last = txn.header.zxid;
    }
    return out;
}

std::optional<std::vector<LoggedTxn>> SimDisk::readHistory(Zxid after, Zxid upTo,
                                                           std::size_t byteLimit) const
{
    if (after >= upTo)
        return std::nullopt;
    std::vector<LoggedTxn> txns;
    bool sawAfter = false;
    std::size_t bytes = 0;
    Zxid last = 0;
    for (const LoggedTxn& txn : m_log) {
        const Zxid zxid = txn.header.zxid;
        if (zxid < after || zxid <= last)
            continue; // below the stretch, or an entry out of order (readTxnLog skips it)
        last = zxid;
        if (!sawAfter) {
            if (zxid != after)
                return std::nullopt;
            sawAfter = true;
            continue;
        }
        if (zxid > upTo)
            break;
        bytes += encodeTxn(txn).size();
        if (bytes > byteLimit)
            return std::nullopt;
        txns.push_back(txn);
        if (zxid == upTo)
            return txns;
    }
    return std::nullopt;
}

} // namespace zk::sim
