#include "data/node_digest.h"

#include <zlib.h>

#include <array>

namespace zk {

namespace {

// DigestCalculator skips everything below this prefix (quota nodes change locally).
constexpr std::string_view kUndigestedPrefix = "/zookeeper/";
constexpr std::size_t kStatFieldBytes = 60;

void putLong(std::uint8_t*& out, std::int64_t value)
{
    for (int shift = 56; shift >= 0; shift -= 8)
        *out++ = static_cast<std::uint8_t>(static_cast<std::uint64_t>(value) >> shift);
}

void putInt(std::uint8_t*& out, std::int32_t value)
{
    for (int shift = 24; shift >= 0; shift -= 8)
        *out++ = static_cast<std::uint8_t>(static_cast<std::uint32_t>(value) >> shift);
}

std::array<std::uint8_t, kStatFieldBytes> statFields(const StatPersisted& s)
{
    std::array<std::uint8_t, kStatFieldBytes> fields{};
    std::uint8_t* out = fields.data();
    putLong(out, s.czxid);
    putLong(out, s.mzxid);
    putLong(out, s.pzxid);
    putLong(out, s.ctime);
    putLong(out, s.mtime);
    putInt(out, s.version);
    putInt(out, s.cversion);
    putInt(out, s.aversion);
    putLong(out, s.ephemeralOwner);
    return fields;
}

uLong crcOfContent(std::string_view path, const NodeData& data)
{
    if (path == "/")
        path = {};
    uLong crc = crc32(0L, Z_NULL, 0);
    crc = crc32(crc, reinterpret_cast<const Bytef*>(path.data()), static_cast<uInt>(path.size()));
    if (data && !data->empty())
        crc = crc32(crc, data->data(), static_cast<uInt>(data->size()));
    return crc;
}

} // namespace

std::int64_t nodeDigest(std::string_view path, const NodeData& data, const StatPersisted& stat)
{
    if (path.starts_with(kUndigestedPrefix))
        return 0;
    const auto fields = statFields(stat);
    const uLong crc = crc32(crcOfContent(path, data), fields.data(), kStatFieldBytes);
    return static_cast<std::int64_t>(crc);
}

std::uint32_t nodeContentCrc(std::string_view path, const NodeData& data)
{
    return static_cast<std::uint32_t>(crcOfContent(path, data));
}

std::int64_t nodeDigestFromContent(std::string_view path, std::uint32_t contentCrc,
                                   const StatPersisted& stat)
{
    if (path.starts_with(kUndigestedPrefix))
        return 0;
    // The content CRC is the running CRC32 after path and data: continue it over the fields.
    const auto fields = statFields(stat);
    return static_cast<std::int64_t>(crc32(contentCrc, fields.data(), kStatFieldBytes));
}

} // namespace zk
