#include "storage/log_truncate.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cerrno>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace zk {

namespace {

// Deletes the files named above zxid, newest first, then makes the deletions durable.
StorageError removeNamedAbove(const fs::path& dir, std::string_view prefix, Zxid zxid)
{
    auto files = listZxidFiles(dir, prefix);
    std::reverse(files.begin(), files.end());
    bool removed = false;
    for (const ZxidFile& file : files) {
        if (file.zxid <= zxid)
            continue;
        std::error_code ec;
        fs::remove(file.path, ec);
        if (ec)
            return StorageError{ec, file.path.string(), -1, "remove while truncating to zxid"};
        spdlog::info("truncate to 0x{:x}: removed {}", zxid, file.path.string());
        removed = true;
    }
    return removed ? syncDirectory(dir) : StorageError{};
}

// Where the file must end to keep its txns <= zxid: right after the last of them, or after
// the header when there is none. Stops at the txn zxid itself, so that (as with Apache's
// iterator) nothing after it is read; only when zxid was not logged is the next txn read.
StorageError cutPosition(const fs::path& file, Zxid zxid, std::int64_t& cut)
{
    cut = static_cast<std::int64_t>(kFileHeaderBytes);
    return readTxnLogFile(file, [&](const LogEntry& entry) {
        if (entry.txn.header.zxid > zxid)
            return false;
        cut = entry.offset + 12 + static_cast<std::int64_t>(entry.bytes.size()) + 1;
        return entry.txn.header.zxid < zxid;
    });
}

StorageError cutFile(const fs::path& file, std::int64_t cut)
{
    const std::string name = file.string();
    const int fd = ::open(file.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return StorageError::io(errno, name, "open txn log to truncate");
    StorageError result;
    struct stat st
    {};
    // A file that already ends there (or is shorter than a header) is left as it is.
    if (::fstat(fd, &st) != 0) {
        result = StorageError::io(errno, name, "stat txn log");
    } else if (st.st_size > cut) {
        if (::ftruncate(fd, cut) != 0)
            result =
                StorageError::io(errno, name, fmt::format("truncate txn log to {} bytes", cut));
        else if (::fsync(fd) != 0)
            result = StorageError::io(errno, name, "fsync truncated txn log");
        else
            spdlog::info("truncated {} to {} bytes", name, cut);
    }
    if (::close(fd) != 0 && !result)
        result = StorageError::io(errno, name, "close truncated txn log");
    return result;
}

} // namespace

StorageError truncateLog(const StorageOptions& options, Zxid zxid)
{
    const auto logs = listZxidFiles(options.logDir(), kLogPrefix);
    std::optional<fs::path> boundary; // the newest log named at or below zxid
    for (const ZxidFile& log : logs) {
        if (log.zxid <= zxid)
            boundary = log.path;
    }
    // Read first: a log that cannot be read up to zxid is refused before anything changes.
    std::int64_t cut = 0;
    if (boundary) {
        if (auto error = cutPosition(*boundary, zxid, cut))
            return error;
    }
    if (auto error = removeNamedAbove(options.snapDir(), kSnapshotPrefix, zxid))
        return error;
    if (auto error = removeNamedAbove(options.logDir(), kLogPrefix, zxid))
        return error;
    return boundary ? cutFile(*boundary, cut) : StorageError{};
}

} // namespace zk
