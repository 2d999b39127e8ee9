#include "storage/file_storage.h"

#include "core/assert.h"
#include "data/replay_txn.h"

#include <fmt/format.h>
#include <malloc.h>
#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <limits>

namespace zk {

namespace {

constexpr std::size_t kMaxSnapshotsTried = 100; // FileSnap.deserialize tries 100

std::int64_t steadyMs()
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

// The content bound of a snapshot: no txn above it can be in the file.
Zxid contentBound(const SnapshotInfo& info)
{
    if (info.digest && info.digest->zxid > 0)
        return std::max(info.digest->zxid, info.zxid);
    return info.zxid;
}

StorageError firstLoggedZxid(const fs::path& logDir, Zxid& first, fs::path& file)
{
    first = 0;
    return readTxnLog(logDir, 0, [&](const LogEntry& entry) {
        first = entry.txn.header.zxid;
        file = *entry.file;
        return false;
    });
}

// Deletes ephemerals whose session is gone (ZooKeeperServer.loadData's dead sessions).
void killDeadSessions(RecoveredState& out)
{
    for (SessionId session : out.tree.sessionsWithEphemerals()) {
        if (out.sessions.count(session) != 0)
            continue;
        TxnHeader header;
        header.clientId = session;
        header.zxid = out.tree.lastProcessedZxid();
        header.type = OpCode::CloseSession;
        out.tree.processTxn(header, Txn{OpCode::CloseSession, CloseSessionTxn{}});
    }
}

struct SnapshotChoice
{
    bool found = false;
    StorageError newestBad;
    std::optional<ZxidDigest> digest; // of the chosen snapshot
};

// Restores the newest snapshot that is valid and, when `limit` is set, named at or below it
// (preferring one whose content bound is at or below it).
SnapshotChoice chooseSnapshot(const StorageOptions& options, std::optional<Zxid> limit,
                              RecoveredState& out)
{
    SnapshotChoice choice;
    auto snaps = listZxidFiles(options.snapDir(), kSnapshotPrefix);
    std::reverse(snaps.begin(), snaps.end());
    std::optional<fs::path> inexact;
    std::size_t tried = 0;
    for (const ZxidFile& snap : snaps) {
        if (limit && snap.zxid > *limit)
            continue;
        if (tried++ == kMaxSnapshotsTried)
            break;
        StorageError error;
        SnapshotInfo info;
        if (!looksLikeValidSnapshot(snap.path)) {
            error = StorageError::bad(StorageErrc::BadChecksum, snap.path.string(), -1,
                                      "file does not end with a seal");
        } else {
            error = restoreSnapshot(snap.path, out.tree, out.sessions, info);
        }
        if (error) {
            out.warnings.push_back(fmt::format("skipping snapshot: {}", error.message()));
            if (!choice.newestBad)
                choice.newestBad = error;
            continue;
        }
        if (limit && contentBound(info) > *limit) {
            if (!inexact)
                inexact = snap.path;
            continue;
        }
        out.snapshotFile = snap.path;
        out.snapshotZxid = info.zxid;
        choice.digest = info.digest;
        if (info.digest && info.digest->zxid == info.zxid && info.zxid > 0 &&
            info.digest->digest != out.tree.digest())
            out.warnings.push_back(
                fmt::format("digest mismatch at zxid 0x{:x} in {}", info.zxid, snap.path.string()));
        choice.found = true;
        return choice;
    }
    if (inexact) {
        SnapshotInfo info;
        if (!restoreSnapshot(*inexact, out.tree, out.sessions, info)) {
            out.snapshotFile = *inexact;
            out.snapshotZxid = info.zxid;
            out.exact = false;
            choice.found = true;
        }
    }
    return choice;
}

StorageError load(const StorageOptions& options, std::optional<Zxid> limit, RecoveredState& out)
{
    out = RecoveredState{DataTree(options.extendedTypesEnabled), {}, {}, 0, 0, 0, true, {}};
    SnapshotChoice choice = chooseSnapshot(options, limit, out);
    if (!choice.found) {
        out.tree = DataTree(options.extendedTypesEnabled);
        out.sessions.clear();
        Zxid first = 0;
        fs::path firstFile;
        if (auto error = firstLoggedZxid(options.logDir(), first, firstFile))
            return error;
        const bool logFromStart = first != 0 && zxidCounter(first) == 1;
        if (!logFromStart && (choice.newestBad || first != 0)) {
            StorageError error = choice.newestBad ? choice.newestBad
                                                  : StorageError::bad(StorageErrc::NoValidSnapshot,
                                                                      firstFile.string(), 16);
            error.detail += fmt::format("{}no valid snapshot, and the txn log starts at 0x{:x} "
                                        "instead of a first zxid",
                                        error.detail.empty() ? "" : "; ", first);
            if (choice.newestBad)
                error.code = make_error_code(StorageErrc::NoValidSnapshot);
            return error;
        }
    }
    const Zxid snapZxid = out.snapshotZxid;
    out.tree.setLastProcessedZxid(snapZxid);
    // The digest the snapshot recorded, compared when replay reaches its zxid (as
    // DataTree.compareSnapshotDigests; a mismatch is only reported).
    std::optional<ZxidDigest> pendingDigest;
    if (choice.digest && choice.digest->zxid > snapZxid)
        pendingDigest = choice.digest;
    bool firstTxn = true;
    auto error = readTxnLog(options.logDir(), snapZxid + 1, [&](const LogEntry& entry) {
        const Zxid zxid = entry.txn.header.zxid;
        if (limit && zxid > *limit)
            return false;
        if (firstTxn && out.snapshotFile && zxid > snapZxid + 1 &&
            zxidEpoch(zxid) == zxidEpoch(snapZxid))
            out.warnings.push_back(
                fmt::format("txn log jumps from snapshot zxid 0x{:x} to 0x{:x}", snapZxid, zxid));
        firstTxn = false;
        // Per-txn digests are compared once past the snapshot's fuzzy part, as in Apache.
        replayLoggedTxn(entry.txn, out.tree, out.sessions, pendingDigest.has_value());
        ++out.txnsReplayed;
        if (pendingDigest && zxid == pendingDigest->zxid) {
            if (pendingDigest->digest != out.tree.digest())
                out.warnings.push_back(
                    fmt::format("digest mismatch at zxid 0x{:x}: snapshot 0x{:x}, tree 0x{:x}",
                                zxid, pendingDigest->digest, out.tree.digest()));
            pendingDigest.reset();
        }
        return true;
    });
    if (error)
        return error;
    if (const auto first = out.tree.firstDigestMismatch())
        out.warnings.push_back(fmt::format("{} replayed txns did not match the tree digest they "
                                           "logged, the first at zxid 0x{:x}",
                                           out.tree.digestMismatches(), *first));
    out.lastZxid = out.tree.lastProcessedZxid();
    killDeadSessions(out);
    return {};
}

} // namespace

// Snapshots still being written when the server died (writeSnapshotFile's temporaries).
static StorageError removeStaleTemporaries(const fs::path& snapDir,
                                           std::vector<std::string>& warnings)
{
    std::error_code ec;
    for (auto it = fs::directory_iterator(snapDir, ec); !ec && it != fs::directory_iterator();
         it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (name.rfind("tmp.snapshot.", 0) != 0)
            continue;
        std::error_code removeError;
        fs::remove(it->path(), removeError);
        if (removeError)
            return StorageError{removeError, it->path().string(), -1, "remove"};
        warnings.push_back(fmt::format("removed unfinished snapshot {}", it->path().string()));
    }
    return {};
}

StorageError recover(const StorageOptions& options, RecoveredState& out)
{
    if (auto error = ensureDirectory(options.snapDir()))
        return error;
    if (auto error = ensureDirectory(options.logDir()))
        return error;
    std::vector<std::string> removed;
    if (auto error = removeStaleTemporaries(options.snapDir(), removed))
        return error;
    auto result = load(options, std::nullopt, out);
    out.warnings.insert(out.warnings.begin(), removed.begin(), removed.end());
    return result;
}

StorageError loadTreeAt(const StorageOptions& options, Zxid zxid, RecoveredState& out)
{
    return load(options, zxid, out);
}

StorageError purgeOldFiles(const fs::path& snapDir, const fs::path& logDir, int retainCount,
                           std::vector<fs::path>* removed)
{
    ZK_ASSERT(retainCount >= 1);
    std::vector<ZxidFile> valid;
    for (const ZxidFile& snap : listZxidFiles(snapDir, kSnapshotPrefix)) {
        if (looksLikeValidSnapshot(snap.path))
            valid.push_back(snap);
    }
    if (valid.empty())
        return {};
    const std::size_t keep = std::min(valid.size(), static_cast<std::size_t>(retainCount));
    const Zxid leastRetained = valid[valid.size() - keep].zxid;
    const auto logs = listZxidFiles(logDir, kLogPrefix);
    const auto neededLogs = logFilesAfter(logs, leastRetained);
    std::vector<fs::path> doomed;
    for (const ZxidFile& snap : listZxidFiles(snapDir, kSnapshotPrefix)) {
        if (snap.zxid < leastRetained)
            doomed.push_back(snap.path);
    }
    for (const ZxidFile& log : logs) {
        const bool needed = std::any_of(neededLogs.begin(), neededLogs.end(),
                                        [&](const ZxidFile& n) { return n.path == log.path; });
        if (!needed && log.zxid < leastRetained)
            doomed.push_back(log.path);
    }
    for (const fs::path& path : doomed) {
        std::error_code ec;
        fs::remove(path, ec);
        if (ec)
            return StorageError{ec, path.string(), -1, "purge"};
        if (removed)
            removed->push_back(path);
    }
    return {};
}

StorageError readEpochFile(const fs::path& dataDir, std::string_view name,
                           std::optional<Epoch>& out)
{
    out.reset();
    const fs::path path = dataDir / kVersionDir / name;
    std::error_code ec;
    if (!fs::exists(path, ec))
        return {};
    std::vector<std::uint8_t> bytes;
    if (auto error = readWholeFile(path, bytes, 64))
        return error;
    std::string text(bytes.begin(), bytes.end());
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' '))
        text.pop_back();
    Epoch value = 0;
    const auto [ptr, errc] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (errc != std::errc() || ptr != text.data() + text.size() || text.empty())
        return StorageError::bad(StorageErrc::Malformed, path.string(), 0,
                                 fmt::format("\"{}\" is not a number", text));
    out = value;
    return {};
}

StorageError writeEpochFile(const fs::path& dataDir, std::string_view name, Epoch epoch)
{
    const fs::path dir = dataDir / kVersionDir;
    if (auto error = ensureDirectory(dir))
        return error;
    const std::string text = std::to_string(epoch);
    return writeFileAtomically(
        dir / name, std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()),
        true);
}

StorageError takeSnapshotNow(const StorageOptions& options, const DataTree& tree,
                             const std::map<SessionId, std::int32_t>& sessions, fs::path* written)
{
    if (auto error = ensureDirectory(options.snapDir()))
        return error;
    SnapshotBuilder builder(tree, sessions);
    while (!builder.step(tree, std::numeric_limits<std::size_t>::max())) {
    }
    return writeSnapshotFile(options.snapDir(), builder.finish(tree), options.forceSync, written,
                             options.snapshotCompression);
}

FileStorage::FileStorage(StorageOptions options, Zxid lastLoggedZxid)
    : m_options(std::move(options)),
      m_log(TxnLogOptions{m_options.logDir(), m_options.preAllocBytes, m_options.forceSync, 0}),
      m_prng(m_options.seed)
{
    m_options.snapCount = std::max<std::int64_t>(m_options.snapCount, 2);
    m_stats.lastDurable = lastLoggedZxid;
    resetSnapshotRoll();
}

FileStorage::~FileStorage()
{
    stop();
}

void FileStorage::resetSnapshotRoll()
{
    std::uniform_int_distribution<std::int64_t> roll(0, m_options.snapCount / 2 - 1);
    m_randRoll = roll(m_prng);
    m_txnsSinceSnapshot = 0;
    m_randSize = 0;
    if (m_options.snapSizeLimitBytes > 1) {
        std::uniform_int_distribution<std::int64_t> size(0, m_options.snapSizeLimitBytes / 2 - 1);
        m_randSize = size(m_prng);
    }
    m_bytesSinceSnapshot = 0;
}

StorageError FileStorage::start(Hooks hooks)
{
    ZK_ASSERT(!m_started);
    if (auto error = ensureDirectory(m_options.logDir()))
        return error;
    if (auto error = ensureDirectory(m_options.snapDir()))
        return error;
    m_hooks = std::move(hooks);
    m_started = true;
    m_purgeDueMs = steadyMs(); // DatadirCleanupManager runs the first purge at once
    m_syncStopping = false;
    m_syncThread = std::thread([this] { syncLoop(); });
    m_storageThread = std::thread([this] { storageLoop(); });
    return {};
}

void FileStorage::append(std::vector<LoggedTxn> txns)
{
    if (txns.empty())
        return;
    std::unique_lock lock(m_mutex);
    m_space.wait(lock, [&] {
        return m_failed || m_stopping || m_queuedTxns == 0 ||
               m_queuedTxns + txns.size() <= m_options.maxQueuedTxns;
    });
    if (m_failed || m_stopping)
        return;
    m_queuedTxns += txns.size();
    m_queue.push_back(std::move(txns));
    m_wake.notify_one();
}

void FileStorage::storageLoop()
{
    for (;;) {
        std::vector<std::vector<LoggedTxn>> batches;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait_for(lock, std::chrono::seconds(1),
                            [&] { return m_stopping || !m_queue.empty(); });
            if (m_queue.empty() && m_stopping)
                break;
            // Group commit: everything queued so far shares one fsync.
            while (!m_queue.empty()) {
                batches.push_back(std::move(m_queue.front()));
                m_queue.pop_front();
            }
            m_queuedTxns = 0;
            m_space.notify_all();
        }
        if (!batches.empty() && !logBatches(batches)) {
            waitSyncIdle();
            return;
        }
        maybePurge(false);
    }
    waitSyncIdle();
    if (auto error = m_log.rollLog())
        fail(error);
}

void FileStorage::syncLoop()
{
    for (;;) {
        std::unique_lock lock(m_syncMutex);
        m_syncWake.wait(lock, [&] { return m_syncJob.has_value() || m_syncStopping; });
        if (!m_syncJob)
            return;
        const auto [target, last] = *m_syncJob;
        lock.unlock();
        if (!m_failed) {
            if (auto error = m_log.sync(target, true))
                fail(error);
            else
                reportDurable(last);
        }
        lock.lock();
        m_syncJob.reset();
        m_syncIdle.notify_all();
    }
}

void FileStorage::waitSyncIdle()
{
    std::unique_lock lock(m_syncMutex);
    m_syncIdle.wait(lock, [&] { return !m_syncJob.has_value(); });
}

void FileStorage::reportDurable(Zxid last)
{
    std::lock_guard report(m_reportMutex);
    if (last <= m_reported || m_failed)
        return;
    m_reported = last;
    {
        std::lock_guard lock(m_mutex);
        m_stats.lastDurable = last;
    }
    if (m_hooks.durable)
        m_hooks.durable(last);
}

bool FileStorage::logBatches(std::vector<std::vector<LoggedTxn>>& batches)
{
    Zxid last = 0;
    std::int64_t count = 0;
    for (auto& batch : batches) {
        for (const LoggedTxn& txn : batch) {
            const std::size_t pendingBefore = m_log.pendingBytes();
            if (auto error = m_log.append(txn)) {
                fail(error);
                return false;
            }
            last = txn.header.zxid;
            ++count;
            m_bytesSinceSnapshot += static_cast<std::int64_t>(m_log.pendingBytes() - pendingBefore);
            // SyncRequestProcessor.shouldSnapshot, checked after every append.
            const bool countDue = ++m_txnsSinceSnapshot > m_options.snapCount / 2 + m_randRoll;
            const bool sizeDue =
                m_options.snapSizeLimitBytes > 0 &&
                m_bytesSinceSnapshot > m_options.snapSizeLimitBytes / 2 + m_randSize;
            if (!countDue && !sizeDue)
                continue;
            resetSnapshotRoll();
            waitSyncIdle(); // the sync thread may still be on the file being closed
            if (auto error = m_log.rollLog()) {
                fail(error);
                return false;
            }
            if (m_snapshotRunning.exchange(true)) {
                spdlog::warn("Too busy to snap, skipping");
                std::lock_guard lock(m_mutex);
                ++m_stats.snapshotsSkipped;
            } else if (m_hooks.snapshotDue) {
                m_hooks.snapshotDue();
            }
        }
    }
    if (auto error = m_log.write()) {
        fail(error);
        return false;
    }
    {
        std::lock_guard lock(m_mutex);
        m_stats.txnsLogged += count;
        m_stats.batches += 1;
    }
    if (!m_options.forceSync) {
        reportDurable(last);
        return true;
    }
    TxnLogWriter::SyncTarget target = m_log.syncTarget();
    if (target.newFileDirectory.empty()) {
        std::lock_guard lock(m_syncMutex);
        if (!m_syncJob) { // hand it over and go on to the next batch
            m_syncJob.emplace(std::move(target), last);
            m_syncWake.notify_one();
            return true;
        }
    } else {
        waitSyncIdle(); // a new file's directory must be durable before anything in it
    }
    const bool overlapped = target.newFileDirectory.empty();
    if (auto error = m_log.sync(target)) {
        fail(error);
        return false;
    }
    // The sync thread's job started before this sync: it reports first, and a failure it
    // meets (its writes may be lost) must stop this report too.
    waitSyncIdle();
    if (overlapped) {
        std::lock_guard lock(m_mutex);
        ++m_stats.overlappedSyncs;
    }
    reportDurable(last);
    return !m_failed;
}

void FileStorage::maybePurge(bool force)
{
    if (m_options.purgeIntervalHours <= 0)
        return;
    const std::int64_t now = steadyMs();
    if (!force && now < m_purgeDueMs)
        return;
    m_purgeDueMs = now + static_cast<std::int64_t>(m_options.purgeIntervalHours) * 3600 * 1000;
    std::vector<fs::path> removed;
    const auto error = purgeOldFiles(m_options.snapDir(), m_options.logDir(),
                                     std::max(3, m_options.snapRetainCount), &removed);
    if (error)
        spdlog::warn("autopurge: {}", error.message());
    for (const auto& path : removed)
        spdlog::info("autopurge removed {}", path.string());
}

bool FileStorage::snapshotStep(const DataTree& tree, const SessionTracker& sessions)
{
    if (m_failed) {
        m_builder.reset();
        return true;
    }
    if (!m_builder) {
        std::map<SessionId, std::int32_t> table;
        for (const auto& [id, session] : sessions.sessions())
            table.emplace(id, session.timeoutMs);
        m_builder.emplace(tree, table);
        m_builderTurns = 0;
        m_builderLongestTurn = std::chrono::microseconds{0};
    }
    const auto turnStart = std::chrono::steady_clock::now();
    bool done = false;
    auto spent = std::chrono::steady_clock::duration::zero();
    do {
        done = m_builder->step(tree, m_options.snapshotStepNodes);
        spent = std::chrono::steady_clock::now() - turnStart;
    } while (!done && spent < m_options.snapshotTurnBudget);
    const auto turn = std::chrono::duration_cast<std::chrono::microseconds>(spent);
    ++m_builderTurns;
    m_builderLongestTurn = std::max(m_builderLongestTurn, turn);
    if (!done)
        return false;
    SnapshotImage image = m_builder->finish(tree);
    m_builder.reset();
    if (m_snapshotThread.joinable())
        m_snapshotThread.join(); // the previous one has finished: m_snapshotRunning was clear
    m_snapshotThread = std::thread([this, image = std::move(image), turns = m_builderTurns,
                                    longest = m_builderLongestTurn]() mutable {
        // The writer yields the CPU to the io thread: a snapshot may take a while longer,
        // requests should not (Linux applies nice per thread).
        ::setpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()), 10);
        fs::path written;
        const auto error = writeSnapshotFile(m_options.snapDir(), image, m_options.forceSync,
                                             &written, m_options.snapshotCompression);
        if (error) {
            fail(error);
        } else {
            spdlog::info("Snapshot taken: {} ({} nodes, {} bytes, serialized in {} io-thread "
                         "turns of at most {} us)",
                         written.string(), image.nodeCount, image.bytes(), turns, longest.count());
            std::lock_guard lock(m_mutex);
            ++m_stats.snapshotsWritten;
        }
        // The image is a whole serialized copy of the tree: give its pages back to the OS
        // rather than keep the high-water mark of every snapshot resident.
        image = SnapshotImage();
        malloc_trim(0);
        m_snapshotRunning = false;
    });
    return true;
}

void FileStorage::stop()
{
    {
        std::lock_guard lock(m_mutex);
        if (m_stopping && !m_storageThread.joinable() && !m_syncThread.joinable() &&
            !m_snapshotThread.joinable())
            return;
        m_stopping = true;
    }
    m_wake.notify_all();
    m_space.notify_all();
    if (m_storageThread.joinable())
        m_storageThread.join();
    if (m_syncThread.joinable()) {
        {
            std::lock_guard lock(m_syncMutex);
            m_syncStopping = true;
        }
        m_syncWake.notify_all();
        m_syncThread.join();
    }
    if (m_snapshotThread.joinable())
        m_snapshotThread.join();
    m_builder.reset();
    if (m_started) {
        const Stats stats = this->stats();
        spdlog::info("storage: {} txns logged in {} group commits ({} fsyncs, {} of them "
                     "overlapping another), {} snapshots",
                     stats.txnsLogged, stats.batches, stats.syncs, stats.overlappedSyncs,
                     stats.snapshotsWritten);
        m_started = false;
    }
}

void FileStorage::fail(const StorageError& error)
{
    if (m_failed.exchange(true))
        return;
    spdlog::critical("storage failure: {}", error.message());
    {
        std::lock_guard lock(m_mutex);
        m_queue.clear();
        m_queuedTxns = 0;
    }
    m_space.notify_all();
    if (m_hooks.failed)
        m_hooks.failed(error);
}

FileStorage::Stats FileStorage::stats() const
{
    std::lock_guard lock(m_mutex);
    Stats stats = m_stats;
    stats.syncs = m_log.syncCount();
    return stats;
}

} // namespace zk
