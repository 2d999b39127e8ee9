#pragma once
// Writes Apache Jute's binary encoding (BinaryOutputArchive); see jute_reader.h for the
// grammar. Appends to an owned byte vector.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace zk {

class JuteWriter
{
public:
    void writeInt(std::int32_t value);
    void writeLong(std::int64_t value);
    void writeBool(bool value);
    void writeByte(std::uint8_t value);
    void writeBuffer(std::span<const std::uint8_t> bytes);
    void writeNullBuffer();
    // nullopt writes the null marker (-1).
    void writeOptionalBuffer(const std::optional<std::vector<std::uint8_t>>& bytes);
    void writeOptionalString(const std::optional<std::string>& text);
    void writeString(std::string_view text);
    void writeNullString();
    void writeRaw(std::span<const std::uint8_t> bytes);

    template <typename T, typename WriteItem>
    void writeVector(const std::vector<T>& items, WriteItem writeItem)
    {
        writeInt(static_cast<std::int32_t>(items.size()));
        for (const T& item : items)
            writeItem(*this, item);
    }

    // Overwrites 4 bytes at offset with a big-endian int (for length prefixes).
    void patchInt(std::size_t offset, std::int32_t value);

    std::size_t size() const { return m_bytes.size(); }
    void reserve(std::size_t bytes) { m_bytes.reserve(bytes); }
    const std::vector<std::uint8_t>& bytes() const { return m_bytes; }
    std::vector<std::uint8_t> take() { return std::move(m_bytes); }

private:
    std::vector<std::uint8_t> m_bytes;
};

} // namespace zk
