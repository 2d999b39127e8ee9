#pragma once
// Length-prefixed framing of the client port (and of any other stream that frames Jute
// records the same way). The connection layer feeds whatever bytes the socket delivered and
// takes whole frames; no I/O or threads here.
//
//   stream := frame*
//   frame  := int length (4 bytes big-endian), length bytes of payload
//
// A length below 0 or above maxBuffer is Malformed as soon as its 4 bytes arrive, before any
// payload is awaited (NIOServerCnxn.readLength's "Len error"); the caller closes the
// connection. Malformed is sticky. A zero length is a valid empty frame.
//
// Before a session exists, ZooKeeper reads the first 4 bytes as a possible four-letter word
// ("ruok", ...). Those decode as huge lengths here, so the caller inspects pending() first.

#include "proto/jute_reader.h"
#include "proto/jute_writer.h"

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace zk {

class FrameDecoder
{
public:
    enum class Status
    {
        Ok,
        NeedMore,
        Malformed
    };

    struct Result
    {
        Status status = Status::NeedMore;
        // The payload without its length; only for Ok. It points into the decoder and stays
        // valid until the next feed() or reset().
        std::span<const std::uint8_t> frame;
    };

    explicit FrameDecoder(std::int32_t maxBuffer = JuteReader::kDefaultMaxLength);

    // Appends bytes. One buffer holds them; consumed bytes are dropped here, by moving the
    // unconsumed tail to the front once it is cheap relative to what was consumed.
    void feed(std::span<const std::uint8_t> bytes);

    // The next whole frame, or NeedMore until one has arrived, or Malformed (then always).
    Result next();

    // Bytes fed and not yet returned in a frame.
    std::span<const std::uint8_t> pending() const;
    bool malformed() const { return m_malformed; }
    void reset();

private:
    std::vector<std::uint8_t> m_buffer;
    std::size_t m_start = 0; // first byte not yet returned
    std::int32_t m_maxBuffer;
    bool m_malformed = false;
};

// Frames one payload: its 4-byte length, then the payload.
std::vector<std::uint8_t> frame(std::span<const std::uint8_t> payload);
std::vector<std::uint8_t> frame(const JuteWriter& payload);

// Frames in place with no copy: beginFrame() writes a placeholder length and returns its
// offset; after writing the payload, endFrame() patches in the payload's length.
std::size_t beginFrame(JuteWriter& w);
void endFrame(JuteWriter& w, std::size_t lengthOffset);

} // namespace zk
