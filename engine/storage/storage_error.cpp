#include "storage/storage_error.h"

#include <fmt/format.h>

namespace zk {

namespace {

class StorageCategory : public std::error_category
{
public:
    const char* name() const noexcept override { return "zk.storage"; }
    std::string message(int value) const override
    {
        switch (static_cast<StorageErrc>(value)) {
        case StorageErrc::BadMagic:
            return "bad magic number";
        case StorageErrc::BadVersion:
            return "unsupported file format version";
        case StorageErrc::BadChecksum:
            return "checksum mismatch";
        case StorageErrc::Malformed:
            return "malformed record";
        case StorageErrc::UnreasonableLength:
            return "unreasonable length";
        case StorageErrc::NoValidSnapshot:
            return "no valid snapshot";
        case StorageErrc::LogGap:
            return "txn log does not reach back to the snapshot";
        case StorageErrc::Unsupported:
            return "unsupported file";
        case StorageErrc::QueueClosed:
            return "storage has stopped";
        }
        return "unknown storage error";
    }
};

} // namespace

const std::error_category& storageCategory()
{
    static const StorageCategory category;
    return category;
}

std::error_code make_error_code(StorageErrc e)
{
    return {static_cast<int>(e), storageCategory()};
}

std::string StorageError::message() const
{
    std::string text = file;
    if (offset >= 0)
        text += fmt::format(" at offset {}", offset);
    if (!text.empty())
        text += ": ";
    text += code.message();
    if (!detail.empty())
        text += fmt::format(" ({})", detail);
    return text;
}

StorageError StorageError::io(int err, std::string file, std::string detail)
{
    return StorageError{std::error_code(err, std::generic_category()), std::move(file), -1,
                        std::move(detail)};
}

StorageError StorageError::bad(StorageErrc errc, std::string file, std::int64_t offset,
                               std::string detail)
{
    return StorageError{make_error_code(errc), std::move(file), offset, std::move(detail)};
}

} // namespace zk
