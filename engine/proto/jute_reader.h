#pragma once
// Bounded reads of Apache Jute's binary encoding (BinaryInputArchive) over a byte span.
//
//   int    := 4 bytes big-endian          long := 8 bytes big-endian
//   bool   := 1 byte (0 or 1)             buffer := int len (-1 = null) + len bytes
//   ustring := int len (-1 = null) + UTF-8   vector<T> := int count (-1 = null) + T*
//
// A reader never throws and never reads past its span. The first failure (short input,
// a negative or oversized length) makes the reader "failed" and every later read returns a
// zero value; callers check ok() once after decoding a whole record. Lengths are checked
// against maxLength before anything is allocated (ZooKeeper's jute.maxbuffer).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace zk {

class JuteReader
{
public:
    static constexpr std::int32_t kDefaultMaxLength = 0xfffff;

    explicit JuteReader(std::span<const std::uint8_t> bytes,
                        std::int32_t maxLength = kDefaultMaxLength);

    std::int32_t readInt();
    std::int64_t readLong();
    bool readBool();
    std::uint8_t readByte();
    // A null buffer (length -1) reads as an empty vector; use readOptionalBuffer to tell.
    std::vector<std::uint8_t> readBuffer();
    std::optional<std::vector<std::uint8_t>> readOptionalBuffer();
    std::string readString();
    std::optional<std::string> readOptionalString();
    // Reads a vector count: -1 (null) becomes 0. Checks the count against remaining bytes
    // divided by minItemBytes so that a hostile count cannot allocate much.
    std::int32_t readCount(std::size_t minItemBytes = 1);

    template <typename T, typename ReadItem>
    std::vector<T> readVector(ReadItem readItem, std::size_t minItemBytes = 1)
    {
        std::vector<T> items;
        const std::int32_t count = readCount(minItemBytes);
        items.reserve(static_cast<std::size_t>(count));
        for (std::int32_t i = 0; i < count && ok(); ++i)
            items.push_back(readItem(*this));
        return items;
    }

    bool ok() const { return !m_failed; }
    void fail() { m_failed = true; }
    std::size_t remaining() const { return m_bytes.size() - m_pos; }
    std::size_t position() const { return m_pos; }
    bool atEnd() const { return m_pos == m_bytes.size(); }
    std::span<const std::uint8_t> rest() const { return m_bytes.subspan(m_pos); }

private:
    bool need(std::size_t count);
    std::int32_t readLength();

    std::span<const std::uint8_t> m_bytes;
    std::size_t m_pos = 0;
    std::int32_t m_maxLength;
    bool m_failed = false;
};

} // namespace zk
