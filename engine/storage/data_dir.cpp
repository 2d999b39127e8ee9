#include "storage/data_dir.h"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <charconv>

#include <fcntl.h>
#include <unistd.h>

namespace zk {

std::string zxidFileName(std::string_view prefix, Zxid zxid)
{
    return fmt::format("{}.{:x}", prefix, static_cast<std::uint64_t>(zxid));
}

std::optional<Zxid> zxidFromName(std::string_view name, std::string_view prefix)
{
    if (name.size() <= prefix.size() + 1 || name.substr(0, prefix.size()) != prefix ||
        name[prefix.size()] != '.')
        return std::nullopt;
    std::string_view hex = name.substr(prefix.size() + 1);
    hex = hex.substr(0, hex.find('.'));
    if (hex.empty() || hex.size() > 16)
        return std::nullopt;
    std::uint64_t value = 0;
    const auto [ptr, ec] = std::from_chars(hex.data(), hex.data() + hex.size(), value, 16);
    if (ec != std::errc() || ptr != hex.data() + hex.size())
        return std::nullopt;
    return static_cast<Zxid>(value);
}

std::vector<ZxidFile> listZxidFiles(const fs::path& dir, std::string_view prefix)
{
    std::vector<ZxidFile> files;
    std::error_code ec;
    for (auto it = fs::directory_iterator(dir, ec); !ec && it != fs::directory_iterator();
         it.increment(ec)) {
        std::error_code typeError;
        if (!it->is_regular_file(typeError))
            continue;
        const std::string name = it->path().filename().string();
        if (auto zxid = zxidFromName(name, prefix))
            files.push_back(ZxidFile{it->path(), *zxid});
    }
    std::sort(files.begin(), files.end(), [](const ZxidFile& a, const ZxidFile& b) {
        return a.zxid != b.zxid ? a.zxid < b.zxid : a.path < b.path;
    });
    return files;
}

StorageError syncDirectory(const fs::path& dir)
{
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return StorageError::io(errno, dir.string(), "open directory");
    StorageError result;
    if (::fsync(fd) != 0)
        result = StorageError::io(errno, dir.string(), "fsync directory");
    ::close(fd);
    return result;
}

StorageError writeFully(int fd, std::span<const std::uint8_t> bytes, const std::string& name,
                        const char* what)
{
    std::size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return StorageError::io(errno, name, what);
        }
        done += static_cast<std::size_t>(n);
    }
    return {};
}

StorageError writeFileAtomically(const fs::path& path, std::span<const std::uint8_t> bytes,
                                 bool sync)
{
    const fs::path tmp = path.parent_path() / ("tmp." + path.filename().string());
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        return StorageError::io(errno, tmp.string(), "create");
    StorageError result = writeFully(fd, bytes, tmp.string(), "write");
    if (!result && sync && ::fsync(fd) != 0)
        result = StorageError::io(errno, tmp.string(), "fsync");
    if (::close(fd) != 0 && !result)
        result = StorageError::io(errno, tmp.string(), "close");
    if (!result && ::rename(tmp.c_str(), path.c_str()) != 0)
        result = StorageError::io(errno, path.string(), "rename");
    if (result) {
        ::unlink(tmp.c_str());
        return result;
    }
    return sync ? syncDirectory(path.parent_path()) : StorageError{};
}

StorageError readWholeFile(const fs::path& path, std::vector<std::uint8_t>& out,
                           std::uint64_t maxBytes)
{
    out.clear();
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return StorageError::io(errno, path.string(), "open");
    StorageError result;
    std::uint8_t chunk[1 << 16];
    for (;;) {
        const ssize_t n = ::read(fd, chunk, sizeof chunk);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            result = StorageError::io(errno, path.string(), "read");
            break;
        }
        if (n == 0)
            break;
        if (out.size() + static_cast<std::size_t>(n) > maxBytes) {
            result = StorageError::bad(StorageErrc::UnreasonableLength, path.string(),
                                       static_cast<std::int64_t>(out.size()),
                                       fmt::format("file larger than {} bytes", maxBytes));
            break;
        }
        out.insert(out.end(), chunk, chunk + n);
    }
    ::close(fd);
    return result;
}

StorageError ensureDirectory(const fs::path& dir)
{
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec)
        return StorageError{ec, dir.string(), -1, "create directory"};
    return {};
}

} // namespace zk
