#include "storage/txn_log.h"

#include "core/assert.h"
#include "proto/jute_writer.h"
#include "proto/txn_codec.h"

#include <fmt/format.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace zk {

std::uint32_t adler32Of(std::span<const std::uint8_t> bytes)
{
    uLong value = adler32(0L, Z_NULL, 0);
    std::size_t done = 0;
    while (done < bytes.size()) {
        const auto chunk = static_cast<uInt>(std::min<std::size_t>(bytes.size() - done, 1u << 30));
        value = adler32(value, bytes.data() + done, chunk);
        done += chunk;
    }
    return static_cast<std::uint32_t>(value);
}

TxnLogWriter::TxnLogWriter(TxnLogOptions options) : m_options(std::move(options))
{}

TxnLogWriter::~TxnLogWriter()
{
    closeFile();
}

void TxnLogWriter::closeFile()
{
    if (m_fd >= 0)
        ::close(m_fd);
    if (m_syncFd >= 0)
        ::close(m_syncFd);
    m_fd = -1;
    m_syncFd = -1;
}

StorageError TxnLogWriter::openFile(Zxid firstZxid)
{
    m_path = m_options.dir / zxidFileName(kLogPrefix, firstZxid);
    m_fd = ::open(m_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (m_fd < 0)
        return StorageError::io(errno, m_path.string(), "create txn log");
    // A second open file description for syncs on another thread. Linux reports a failed
    // writeback once per description, so with one shared descriptor a concurrent sync
    // could take the error meant for the other and both would look successful. Opened
    // before anything is written, it sees every error the writer's descriptor sees.
    m_syncFd = ::open(m_path.c_str(), O_RDONLY | O_CLOEXEC);
    if (m_syncFd < 0) {
        const int err = errno;
        closeFile();
        return StorageError::io(err, m_path.string(), "open txn log for syncs");
    }
    JuteWriter header;
    header.writeInt(kTxnLogMagic);
    header.writeInt(kFileFormatVersion);
    header.writeLong(m_options.dbId);
    const auto bytes = header.take();
    m_pending.insert(m_pending.end(), bytes.begin(), bytes.end());
    m_position = 0;
    m_allocated = 0;
    m_newFile = true;
    return {};
}

StorageError TxnLogWriter::append(const LoggedTxn& txn)
{
    const auto bytes = encodeTxn(txn);
    return appendEncoded(txn.header.zxid, bytes);
}

StorageError TxnLogWriter::appendEncoded(Zxid zxid, std::span<const std::uint8_t> txnBytes)
{
    ZK_ASSERT(!txnBytes.empty());
    ZK_ASSERT(txnBytes.size() <= static_cast<std::size_t>(kMaxTxnBytes));
    if (zxid <= m_lastZxid)
        return StorageError::bad(
            StorageErrc::Malformed, m_path.string(), m_position,
            fmt::format("zxid 0x{:x} does not follow 0x{:x}", zxid, m_lastZxid));
    if (m_fd < 0) {
        if (auto error = openFile(zxid))
            return error;
    }
    JuteWriter entry;
    entry.writeLong(static_cast<std::int64_t>(adler32Of(txnBytes)));
    entry.writeBuffer(txnBytes);
    entry.writeByte(kEndOfRecord);
    const auto bytes = entry.take();
    m_pending.insert(m_pending.end(), bytes.begin(), bytes.end());
    m_lastZxid = zxid;
    return {};
}

// FilePadding.calculateFileSizeWithPadding, applied until the batch end fits.
StorageError TxnLogWriter::preallocate(std::int64_t endPosition)
{
    const std::int64_t block = m_options.preAllocBytes;
    if (block <= 0)
        return {};
    std::int64_t size = m_allocated;
    while (endPosition + 4096 >= size) {
        if (endPosition > size) {
            size = endPosition + block;
            size -= size % block;
        } else {
            size += block;
        }
    }
    if (size == m_allocated)
        return {};
    // posix_fallocate gives real zeroed blocks, so later fdatasyncs need not update the
    // block map (FilePadding writes one byte at the end, leaving a sparse file).
    int rc = ::posix_fallocate(m_fd, m_allocated, size - m_allocated);
    if (rc == EOPNOTSUPP || rc == EINVAL) {
        const std::uint8_t zero = 0;
        rc = ::pwrite(m_fd, &zero, 1, size - 1) == 1 ? 0 : errno;
    }
    if (rc != 0)
        return StorageError::io(rc, m_path.string(), "preallocate txn log");
    m_allocated = size;
    return {};
}

StorageError TxnLogWriter::commit()
{
    if (m_fd < 0 || m_pending.empty())
        return {};
    if (auto error = write())
        return error;
    if (!m_options.forceSync)
        return {};
    return sync(syncTarget());
}

StorageError TxnLogWriter::write()
{
    if (m_fd < 0 || m_pending.empty())
        return {};
    const auto end = m_position + static_cast<std::int64_t>(m_pending.size());
    if (auto error = preallocate(end))
        return error;
    std::size_t done = 0;
    while (done < m_pending.size()) {
        const ssize_t n = ::pwrite(m_fd, m_pending.data() + done, m_pending.size() - done,
                                   m_position + static_cast<std::int64_t>(done));
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return StorageError::io(errno, m_path.string(), "write txn log");
        }
        done += static_cast<std::size_t>(n);
    }
    m_position = end;
    m_allocated = std::max(m_allocated, end);
    m_pending.clear();
    return {};
}

TxnLogWriter::SyncTarget TxnLogWriter::syncTarget()
{
    SyncTarget target{m_fd, m_syncFd, m_path, {}};
    if (std::exchange(m_newFile, false))
        target.newFileDirectory = m_options.dir;
    return target;
}

StorageError TxnLogWriter::sync(const SyncTarget& target, bool otherThread)
{
    const int fd = otherThread ? target.otherThreadFd : target.fd;
    if (fd < 0)
        return {};
    if (::fdatasync(fd) != 0)
        return StorageError::io(errno, target.file.string(), "fdatasync txn log");
    ++m_syncCount;
    if (!target.newFileDirectory.empty())
        return syncDirectory(target.newFileDirectory);
    return {};
}

StorageError TxnLogWriter::rollLog()
{
    if (auto error = commit())
        return error;
    closeFile();
    return {};
}

namespace {

// Sequential reads over one file with a bounded buffer.
class FileCursor
{
public:
    explicit FileCursor(int fd) : m_fd(fd) { m_buffer.resize(1 << 16); }
    std::int64_t offset() const { return m_offset; }

    // Reads up to n bytes into out; returns how many were read (short at end of file).
    std::size_t read(std::uint8_t* out, std::size_t n, int& err)
    {
        std::size_t done = 0;
        while (done < n) {
            if (m_pos == m_len) {
                const ssize_t got = ::read(m_fd, m_buffer.data(), m_buffer.size());
                if (got < 0) {
                    if (errno == EINTR)
                        continue;
                    err = errno;
                    return done;
                }
                if (got == 0)
                    return done;
                m_pos = 0;
                m_len = static_cast<std::size_t>(got);
            }
            const std::size_t take = std::min(n - done, m_len - m_pos);
            std::memcpy(out + done, m_buffer.data() + m_pos, take);
            m_pos += take;
            done += take;
            m_offset += static_cast<std::int64_t>(take);
        }
        return done;
    }

private:
    int m_fd;
    std::vector<std::uint8_t> m_buffer;
    std::size_t m_pos = 0;
    std::size_t m_len = 0;
    std::int64_t m_offset = 0;
};

std::int64_t bigEndian(const std::uint8_t* p, int bytes)
{
    std::uint64_t value = 0;
    for (int i = 0; i < bytes; ++i)
        value = (value << 8) | p[i];
    if (bytes == 4)
        return static_cast<std::int32_t>(static_cast<std::uint32_t>(value));
    return static_cast<std::int64_t>(value);
}

// True when everything from the cursor to end of file is zero.
bool restIsZero(FileCursor& cursor, int& err)
{
    std::uint8_t chunk[4096];
    for (;;) {
        const std::size_t n = cursor.read(chunk, sizeof chunk, err);
        if (err != 0)
            return false;
        if (std::any_of(chunk, chunk + n, [](std::uint8_t b) { return b != 0; }))
            return false;
        if (n < sizeof chunk)
            return true;
    }
}

StorageError readEntries(int fd, const fs::path& file, std::int64_t fileSize,
                         const LogVisitor& visit, LogFileHeader* header)
{
    const std::string name = file.string();
    FileCursor cursor(fd);
    int err = 0;
    std::uint8_t head[kFileHeaderBytes];
    if (cursor.read(head, sizeof head, err) != sizeof head) {
        if (err != 0)
            return StorageError::io(err, name, "read txn log header");
        return {}; // created, but killed before its header was written: an empty log
    }
    if (std::all_of(head, head + sizeof head, [](std::uint8_t b) { return b == 0; }))
        return {}; // preallocated, but killed before its header was written
    LogFileHeader fileHeader{static_cast<std::int32_t>(bigEndian(head, 4)),
                             static_cast<std::int32_t>(bigEndian(head + 4, 4)),
                             bigEndian(head + 8, 8)};
    if (header)
        *header = fileHeader;
    if (fileHeader.magic != kTxnLogMagic)
        return StorageError::bad(StorageErrc::BadMagic, name, 0,
                                 fmt::format("0x{:08x} is not ZKLG", fileHeader.magic));
    if (fileHeader.version != kFileFormatVersion)
        return StorageError::bad(StorageErrc::BadVersion, name, 4,
                                 fmt::format("version {}", fileHeader.version));
    std::vector<std::uint8_t> bytes;
    for (;;) {
        const std::int64_t offset = cursor.offset();
        std::uint8_t prefix[12];
        const std::size_t got = cursor.read(prefix, sizeof prefix, err);
        if (err != 0)
            return StorageError::io(err, name, "read txn log");
        if (got < sizeof prefix)
            return {}; // short entry: end of log
        const auto checksum = static_cast<std::uint64_t>(bigEndian(prefix, 8));
        const auto length = static_cast<std::int32_t>(bigEndian(prefix + 8, 4));
        if (length == 0)
            return {}; // zero padding: end of log
        if (length < 0 || length > kMaxTxnBytes)
            return StorageError::bad(StorageErrc::UnreasonableLength, name, offset + 8,
                                     fmt::format("entry length {}", length));
        if (offset + 12 + length > fileSize)
            return {}; // short entry: end of log
        bytes.resize(static_cast<std::size_t>(length));
        if (cursor.read(bytes.data(), bytes.size(), err) != bytes.size())
            return err != 0 ? StorageError::io(err, name, "read txn log") : StorageError{};
        std::uint8_t eor = 0;
        const bool haveEor = cursor.read(&eor, 1, err) == 1;
        const std::uint32_t actual = adler32Of(bytes);
        if (checksum != actual) {
            const bool torn = !haveEor || (eor == 0 && restIsZero(cursor, err));
            if (torn && err == 0)
                return {};
            return StorageError::bad(
                StorageErrc::BadChecksum, name, offset,
                fmt::format("stored 0x{:x}, computed 0x{:x}", checksum, actual));
        }
        if (!haveEor || eor != kEndOfRecord)
            return {}; // "Last transaction was partial."
        auto txn = decodeTxn(bytes, kMaxTxnBytes);
        if (!txn)
            return StorageError::bad(StorageErrc::Malformed, name, offset + 12,
                                     "txn does not decode");
        LogEntry entry{std::move(*txn), bytes, actual, &file, offset};
        if (!visit(entry))
            return {};
    }
}

} // namespace

StorageError readTxnLogFile(const fs::path& file, const LogVisitor& visit, LogFileHeader* header)
{
    const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return StorageError::io(errno, file.string(), "open txn log");
    struct stat st
    {};
    StorageError result;
    if (::fstat(fd, &st) != 0)
        result = StorageError::io(errno, file.string(), "stat txn log");
    else
        result = readEntries(fd, file, static_cast<std::int64_t>(st.st_size), visit, header);
    ::close(fd);
    return result;
}

std::vector<ZxidFile> logFilesAfter(const std::vector<ZxidFile>& sortedLogs, Zxid zxid)
{
    std::vector<ZxidFile> result;
    std::optional<std::size_t> newestAtOrBelow;
    for (std::size_t i = 0; i < sortedLogs.size(); ++i) {
        if (sortedLogs[i].zxid <= zxid)
            newestAtOrBelow = i;
    }
    for (std::size_t i = 0; i < sortedLogs.size(); ++i) {
        if (sortedLogs[i].zxid > zxid || (newestAtOrBelow && i == *newestAtOrBelow))
            result.push_back(sortedLogs[i]);
    }
    return result;
}

StorageError readTxnLog(const fs::path& dir, Zxid fromZxid, const LogVisitor& visit)
{
    const auto files = logFilesAfter(listZxidFiles(dir, kLogPrefix), fromZxid - 1);
    Zxid previous = 0;
    bool stopped = false;
    for (const ZxidFile& file : files) {
        auto error = readTxnLogFile(file.path, [&](const LogEntry& entry) {
            const Zxid zxid = entry.txn.header.zxid;
            if (zxid < fromZxid || zxid <= previous)
                return true;
            previous = zxid;
            if (!visit(entry)) {
                stopped = true;
                return false;
            }
            return true;
        });
        if (error)
            return error;
        if (stopped)
            break;
    }
    return {};
}

StorageError lastLoggedZxid(const fs::path& dir, Zxid& out)
{
    out = 0;
    const auto files = listZxidFiles(dir, kLogPrefix);
    for (auto it = files.rbegin(); it != files.rend(); ++it) {
        Zxid last = 0;
        auto error = readTxnLogFile(it->path, [&](const LogEntry& entry) {
            last = std::max(last, entry.txn.header.zxid);
            return true;
        });
        if (error)
            return error;
        if (last != 0) {
            out = last;
            return {};
        }
    }
    return {};
}

} // namespace zk
