#pragma once
// Apache ZooKeeper's txn log (server/persistence/FileTxnLog), byte for byte.
//
//   log file  := FileHeader entry* padding
//   FileHeader:= int magic "ZKLG" (0x5A4B4C47), int version 2, long dbid 0      (16 bytes)
//   entry     := long checksum, int len, byte[len] txn, byte 0x42 ('B', end of record)
//   checksum  := Adler32 (zlib adler32) over the len txn bytes only
//   txn       := TxnHeader body [TxnDigest]                        (proto/txn_codec.h)
//   padding   := zero bytes; the file grows in preAllocSize blocks (FilePadding): before an
//                append at position p, if p + 4096 >= size the file is extended by one block
//                (or to the next block multiple above p when p is already past the end)
//
// Files are named log.<hex zxid of their first txn> in <dataLogDir>/version-2. A new file
// starts after each snapshot (rollLog) and at every start of the server.
//
// Reading follows FileTxnIterator: the log ends silently (a torn tail) at end of file, at a
// short entry, at a zero length, or at a missing 0x42. A checksum mismatch is an error that
// names file and offset, except when nothing but zeros follows the entry (a torn last write
// into preallocated space, which Apache would refuse; we accept it as the torn tail it is).
// A txn that does not decode is an error. A file shorter than its header, or whose header is
// all zeros, is a log created just before a crash and reads as empty.
//
// Threads: a TxnLogWriter belongs to one thread (the storage thread). The read functions
// are free functions, safe on any thread while no writer appends to the same files.

#include "data/txn.h"
#include "storage/data_dir.h"
#include "storage/storage_error.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <vector>

namespace zk {

inline constexpr std::int32_t kTxnLogMagic = 0x5A4B4C47;   // "ZKLG"
inline constexpr std::int32_t kSnapshotMagic = 0x5A4B534E; // "ZKSN"
inline constexpr std::int32_t kFileFormatVersion = 2;
inline constexpr std::size_t kFileHeaderBytes = 16;
inline constexpr std::uint8_t kEndOfRecord = 0x42;
inline constexpr std::int64_t kDefaultPreAllocBytes = 64LL * 1024 * 1024;
// Largest txn the reader accepts (the writer's inputs are bounded by jute.maxbuffer).
inline constexpr std::int32_t kMaxTxnBytes = 64 * 1024 * 1024;

// Adler32 as java.util.zip.Adler32 (zlib), starting from 1.
std::uint32_t adler32Of(std::span<const std::uint8_t> bytes);

struct TxnLogOptions
{
    fs::path dir;                                       // the version-2 directory
    std::int64_t preAllocBytes = kDefaultPreAllocBytes; // 0 disables preallocation
    bool forceSync = true;                              // zookeeper.forceSync; false skips fsync
    std::int64_t dbId = 0;
};

// Appends entries; group commit is append()* then one commit(). Not thread-safe, except
// that sync() of a SyncTarget may run on another thread while the owner appends and writes
// (FileStorage's pipelined commits), as long as the owner does not roll or destroy the log
// until that sync returns.
class TxnLogWriter
{
public:
    explicit TxnLogWriter(TxnLogOptions options);
    ~TxnLogWriter();
    TxnLogWriter(const TxnLogWriter&) = delete;
    TxnLogWriter& operator=(const TxnLogWriter&) = delete;

    // Encodes one txn into the pending batch; the first append after construction or
    // rollLog() opens log.<hex zxid> (truncating a leftover file of that name, as Apache).
    // Zxids must increase. Nothing is durable before commit().
    StorageError append(const LoggedTxn& txn);
    // As append() for bytes already encoded by encodeTxn.
    StorageError appendEncoded(Zxid zxid, std::span<const std::uint8_t> txnBytes);
    // Writes the pending batch (preallocating first) and fsyncs once (fdatasync; the
    // directory too after a new file). With forceSync off nothing is synced.
    StorageError commit();
    // Commits, then closes the current file; the next append opens a new one.
    StorageError rollLog();

    // commit() in two halves. write() writes the pending batch (preallocating first);
    // syncTarget() names what a sync of everything written so far must cover; sync() makes
    // it durable (fdatasync, then the directory when the file is new), on any thread. A sync
    // started after a write covers it, whichever sync finishes first.
    struct SyncTarget
    {
        int fd = -1;            // the writer's descriptor
        int otherThreadFd = -1; // the same file, opened once more (see sync())
        fs::path file;
        fs::path newFileDirectory; // empty unless the file's directory entry is unsynced
    };
    StorageError write();
    SyncTarget syncTarget(); // marks the new file's directory as covered by this target
    // otherThread: sync through the file's second descriptor. A thread that syncs while the
    // owner may sync too must use it, so that each of them sees a failed writeback.
    StorageError sync(const SyncTarget& target, bool otherThread = false);

    Zxid lastZxid() const { return m_lastZxid; }
    const fs::path& currentFile() const { return m_path; }
    std::int64_t syncCount() const { return m_syncCount.load(); }
    std::size_t pendingBytes() const { return m_pending.size(); }

private:
    StorageError openFile(Zxid firstZxid);
    StorageError preallocate(std::int64_t endPosition);
    void closeFile();

    TxnLogOptions m_options;
    int m_fd = -1;
    int m_syncFd = -1; // see sync()
    fs::path m_path;
    bool m_newFile = false;
    std::int64_t m_position = 0;  // logical end of written data
    std::int64_t m_allocated = 0; // file size including zero padding
    std::vector<std::uint8_t> m_pending;
    Zxid m_lastZxid = 0;
    std::atomic<std::int64_t> m_syncCount{0};
};

struct LogFileHeader
{
    std::int32_t magic = 0;
    std::int32_t version = 0;
    std::int64_t dbId = 0;
};

// One entry as read: the decoded txn, its raw bytes and where it sits.
struct LogEntry
{
    LoggedTxn txn;
    std::span<const std::uint8_t> bytes;
    std::uint32_t checksum = 0;
    const fs::path* file = nullptr;
    std::int64_t offset = 0; // of the checksum field
};

// Return false to stop reading.
using LogVisitor = std::function<bool(const LogEntry& entry)>;

// Reads one log file from its header to its end (or torn tail). `header` receives the file
// header when not null.
StorageError readTxnLogFile(const fs::path& file, const LogVisitor& visit,
                            LogFileHeader* header = nullptr);

// The files that can hold txns after `zxid` (FileTxnLog.getLogFiles): every file whose name
// zxid is > zxid, plus the newest one whose name zxid is <= zxid.
std::vector<ZxidFile> logFilesAfter(const std::vector<ZxidFile>& sortedLogs, Zxid zxid);

// Visits, in order, every logged txn with zxid >= fromZxid in the version-2 directory `dir`.
// A txn whose zxid is not above the previous one is skipped (a file overlapping an older
// one after a torn tail).
StorageError readTxnLog(const fs::path& dir, Zxid fromZxid, const LogVisitor& visit);

// The zxid of the last valid entry in the directory, or 0 when there is none.
StorageError lastLoggedZxid(const fs::path& dir, Zxid& out);

} // namespace zk
