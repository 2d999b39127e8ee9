#pragma once
// Names and small file helpers for Apache ZooKeeper's dataDir layout (FileTxnSnapLog):
//
//   <dataDir>/version-2/snapshot.<hex zxid>[.gz|.snappy]   snapshots
//   <dataDir>/version-2/acceptedEpoch, currentEpoch        one decimal number each
//   <dataLogDir>/version-2/log.<hex zxid>                  txn logs (dataLogDir may equal dataDir)
//
// A zxid in a name is lower-case hex without "0x" (Long.toHexString). Names are parsed as
// Util.getZxidFromName: "<prefix>.<hex>" with anything after a further dot ignored. All
// functions are thread-safe (they touch only the files named) and return errors as values.

#include "core/ids.h"
#include "storage/storage_error.h"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace zk {

namespace fs = std::filesystem;

inline constexpr std::string_view kVersionDir = "version-2";
inline constexpr std::string_view kLogPrefix = "log";
inline constexpr std::string_view kSnapshotPrefix = "snapshot";

struct ZxidFile
{
    fs::path path;
    Zxid zxid = 0;
};

// "log.<hex>" / "snapshot.<hex>" for a zxid.
std::string zxidFileName(std::string_view prefix, Zxid zxid);
// The zxid in a name with this prefix, or nullopt (as Util.getZxidFromName returning -1).
std::optional<Zxid> zxidFromName(std::string_view name, std::string_view prefix);
// Regular files in `dir` whose names carry a zxid with `prefix`, sorted by zxid ascending
// (ties by name). A missing directory gives an empty list.
std::vector<ZxidFile> listZxidFiles(const fs::path& dir, std::string_view prefix);

// write(2) until every byte is written (retrying EINTR); an error names `name` and `what`.
StorageError writeFully(int fd, std::span<const std::uint8_t> bytes, const std::string& name,
                        const char* what);
// fsync of a directory, so that created or renamed entries survive a power loss.
StorageError syncDirectory(const fs::path& dir);
// Writes `bytes` to a temporary file in the same directory, fsyncs it (when `sync`), renames
// it over `path` and fsyncs the directory: readers see the old or the new content only.
StorageError writeFileAtomically(const fs::path& path, std::span<const std::uint8_t> bytes,
                                 bool sync);
// Reads a whole file, refusing files above maxBytes.
StorageError readWholeFile(const fs::path& path, std::vector<std::uint8_t>& out,
                           std::uint64_t maxBytes);
// Creates the directory and its parents if missing.
StorageError ensureDirectory(const fs::path& dir);

} // namespace zk
