#pragma once
// Errors of the storage layer (txn log, snapshots, recovery). Every environment failure is
// a std::error_code: errno values in std::generic_category for I/O, and storage_errc
// values for bad bytes. StorageError adds where it happened (file and byte offset) so
// that messages name the exact spot, as the task of a storage error is to stop the node
// with a clear reason. Plain values; safe to copy across threads.

#include <cstdint>
#include <string>
#include <system_error>

namespace zk {

enum class StorageErrc
{
    BadMagic = 1,
    BadVersion,
    BadChecksum,
    Malformed,
    UnreasonableLength,
    NoValidSnapshot,
    LogGap,
    Unsupported,
    QueueClosed,
};

const std::error_category& storageCategory();
std::error_code make_error_code(StorageErrc e);

struct StorageError
{
    std::error_code code;
    std::string file;         // empty when not about one file
    std::int64_t offset = -1; // byte offset in `file`, -1 when unknown
    std::string detail;       // extra words, may be empty

    explicit operator bool() const { return static_cast<bool>(code); }
    // "log.1a at offset 1234: checksum mismatch (CRC check failed)"
    std::string message() const;

    static StorageError io(int err, std::string file, std::string detail = {});
    static StorageError bad(StorageErrc errc, std::string file, std::int64_t offset,
                            std::string detail = {});
};

} // namespace zk

template <>
struct std::is_error_code_enum<zk::StorageErrc> : std::true_type
{};
