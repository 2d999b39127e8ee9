#include "proto/jute_writer.h"

namespace zk {

void JuteWriter::writeInt(std::int32_t value)
{
    // One resize and four stores: replies and snapshots write these by the million, and
    // push_back per byte checks the capacity four times.
    const auto bits = static_cast<std::uint32_t>(value);
    const std::size_t at = m_bytes.size();
    m_bytes.resize(at + 4);
    std::uint8_t* out = m_bytes.data() + at;
    for (int i = 0; i < 4; ++i)
        out[i] = static_cast<std::uint8_t>(bits >> (24 - 8 * i));
}

void JuteWriter::writeLong(std::int64_t value)
{
    const auto bits = static_cast<std::uint64_t>(value);
    const std::size_t at = m_bytes.size();
    m_bytes.resize(at + 8);
    std::uint8_t* out = m_bytes.data() + at;
    for (int i = 0; i < 8; ++i)
        out[i] = static_cast<std::uint8_t>(bits >> (56 - 8 * i));
}

void JuteWriter::writeBool(bool value)
{
    m_bytes.push_back(value ? 1 : 0);
}

void JuteWriter::writeByte(std::uint8_t value)
{
    m_bytes.push_back(value);
}

void JuteWriter::writeBuffer(std::span<const std::uint8_t> bytes)
{
    writeInt(static_cast<std::int32_t>(bytes.size()));
    writeRaw(bytes);
}

void JuteWriter::writeNullBuffer()
{
    writeInt(-1);
}

void JuteWriter::writeOptionalBuffer(const std::optional<std::vector<std::uint8_t>>& bytes)
{
    if (bytes)
        writeBuffer(*bytes);
    else
        writeNullBuffer();
}

void JuteWriter::writeOptionalString(const std::optional<std::string>& text)
{
    if (text)
        writeString(*text);
    else
        writeNullString();
}

void JuteWriter::writeString(std::string_view text)
{
    writeInt(static_cast<std::int32_t>(text.size()));
    m_bytes.insert(m_bytes.end(), text.begin(), text.end());
}

void JuteWriter::writeNullString()
{
    writeInt(-1);
}

void JuteWriter::writeRaw(std::span<const std::uint8_t> bytes)
{
    m_bytes.insert(m_bytes.end(), bytes.begin(), bytes.end());
}

void JuteWriter::patchInt(std::size_t offset, std::int32_t value)
{
    const auto bits = static_cast<std::uint32_t>(value);
    for (int i = 0; i < 4; ++i)
        m_bytes[offset + static_cast<std::size_t>(i)] =
            static_cast<std::uint8_t>(bits >> (24 - 8 * i));
}

} // namespace zk
