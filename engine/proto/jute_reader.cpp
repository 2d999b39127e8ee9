#include "proto/jute_reader.h"

namespace zk {

JuteReader::JuteReader(std::span<const std::uint8_t> bytes, std::int32_t maxLength)
    : m_bytes(bytes), m_maxLength(maxLength)
{}

bool JuteReader::need(std::size_t count)
{
    if (m_failed || remaining() < count) {
        m_failed = true;
        return false;
    }
    return true;
}

std::int32_t JuteReader::readInt()
{
    if (!need(4))
        return 0;
    std::uint32_t value = 0;
    for (int i = 0; i < 4; ++i)
        value = (value << 8) | m_bytes[m_pos++];
    return static_cast<std::int32_t>(value);
}

std::int64_t JuteReader::readLong()
{
    if (!need(8))
        return 0;
    std::uint64_t value = 0;
    for (int i = 0; i < 8; ++i)
        value = (value << 8) | m_bytes[m_pos++];
    return static_cast<std::int64_t>(value);
}

std::uint8_t JuteReader::readByte()
{
    if (!need(1))
        return 0;
    return m_bytes[m_pos++];
}

bool JuteReader::readBool()
{
    return readByte() != 0;
}

std::int32_t JuteReader::readLength()
{
    const std::int32_t length = readInt();
    if (!ok())
        return -1;
    if (length < -1 || length > m_maxLength) {
        m_failed = true;
        return -1;
    }
    if (length > 0 && !need(static_cast<std::size_t>(length)))
        return -1;
    return length;
}

std::optional<std::vector<std::uint8_t>> JuteReader::readOptionalBuffer()
{
    const std::int32_t length = readLength();
    if (!ok() || length < 0)
        return std::nullopt;
    std::vector<std::uint8_t> out(m_bytes.begin() + static_cast<std::ptrdiff_t>(m_pos),
                                  m_bytes.begin() + static_cast<std::ptrdiff_t>(m_pos) + length);
    m_pos += static_cast<std::size_t>(length);
    return out;
}

std::vector<std::uint8_t> JuteReader::readBuffer()
{
    auto buffer = readOptionalBuffer();
    return buffer ? std::move(*buffer) : std::vector<std::uint8_t>{};
}

std::optional<std::string> JuteReader::readOptionalString()
{
    const std::int32_t length = readLength();
    if (!ok() || length < 0)
        return std::nullopt;
    std::string out(reinterpret_cast<const char*>(m_bytes.data() + m_pos),
                    static_cast<std::size_t>(length));
    m_pos += static_cast<std::size_t>(length);
    return out;
}

std::string JuteReader::readString()
{
    auto text = readOptionalString();
    return text ? std::move(*text) : std::string{};
}

std::int32_t JuteReader::readCount(std::size_t minItemBytes)
{
    const std::int32_t count = readInt();
    if (!ok())
        return 0;
    if (count == -1)
        return 0;
    if (count < -1 || count > m_maxLength ||
        static_cast<std::size_t>(count) * (minItemBytes == 0 ? 1 : minItemBytes) > remaining()) {
        m_failed = true;
        return 0;
    }
    return count;
}

} // namespace zk
