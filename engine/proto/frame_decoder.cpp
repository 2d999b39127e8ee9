#include "proto/frame_decoder.h"

#include "core/assert.h"

namespace zk {

namespace {

constexpr std::size_t kLengthBytes = 4;
// Below this many consumed bytes, compaction is not worth a move.
constexpr std::size_t kCompactMinBytes = 4096;

std::int32_t readLength(std::span<const std::uint8_t> bytes)
{
    std::uint32_t value = 0;
    for (std::size_t i = 0; i < kLengthBytes; ++i)
        value = (value << 8) | bytes[i];
    return static_cast<std::int32_t>(value);
}

} // namespace

FrameDecoder::FrameDecoder(std::int32_t maxBuffer) : m_maxBuffer(maxBuffer)
{
    ZK_ASSERT(maxBuffer >= 0);
}

void FrameDecoder::feed(std::span<const std::uint8_t> bytes)
{
    if (m_malformed)
        return;
    if (m_start == m_buffer.size()) {
        m_buffer.clear();
        m_start = 0;
    } else if (m_start >= kCompactMinBytes && m_start * 2 >= m_buffer.size()) {
        // The tail is at most as long as what was consumed, so the move costs no more than
        // the bytes already handed out.
        m_buffer.erase(m_buffer.begin(), m_buffer.begin() + static_cast<std::ptrdiff_t>(m_start));
        m_start = 0;
    }
    m_buffer.insert(m_buffer.end(), bytes.begin(), bytes.end());
}

FrameDecoder::Result FrameDecoder::next()
{
    if (m_malformed)
        return {Status::Malformed, {}};
    const std::span<const std::uint8_t> rest = pending();
    if (rest.size() < kLengthBytes)
        return {Status::NeedMore, {}};
    const std::int32_t length = readLength(rest);
    if (length < 0 || length > m_maxBuffer) {
        m_malformed = true;
        return {Status::Malformed, {}};
    }
    const auto payloadBytes = static_cast<std::size_t>(length);
    if (rest.size() - kLengthBytes < payloadBytes)
        return {Status::NeedMore, {}};
    m_start += kLengthBytes + payloadBytes;
    return {Status::Ok, rest.subspan(kLengthBytes, payloadBytes)};
}

std::span<const std::uint8_t> FrameDecoder::pending() const
{
    return std::span<const std::uint8_t>(m_buffer).subspan(m_start);
}

void FrameDecoder::reset()
{
    m_buffer.clear();
    m_start = 0;
    m_malformed = false;
}

std::vector<std::uint8_t> frame(std::span<const std::uint8_t> payload)
{
    JuteWriter w;
    w.writeBuffer(payload);
    return w.take();
}

std::vector<std::uint8_t> frame(const JuteWriter& payload)
{
    return frame(std::span<const std::uint8_t>(payload.bytes()));
}

std::size_t beginFrame(JuteWriter& w)
{
    const std::size_t offset = w.size();
    w.writeInt(0);
    return offset;
}

void endFrame(JuteWriter& w, std::size_t lengthOffset)
{
    ZK_ASSERT(w.size() >= lengthOffset + kLengthBytes);
    const std::size_t payloadBytes = w.size() - lengthOffset - kLengthBytes;
    ZK_ASSERT(payloadBytes <= 0x7fffffff);
    w.patchInt(lengthOffset, static_cast<std::int32_t>(payloadBytes));
}

} // namespace zk
