#pragma once
// One quorum connection (Learner <-> LearnerHandler): a raw stream of QuorumPackets with no
// length prefix, in both directions. A learner's channel also reads the SNAP stream that
// follows a SNAP packet (storage/snap_stream.h) and hands it over decoded. Lives on its
// host's io thread only; shared_from_this keeps it alive while an operation is pending.
// Callbacks never run after close().
//
// Shaping (tests and the studio): after shape(), what the channel sends travels the directed
// link from->to of a LinkFilter. Each packet waits the link's delay, in order (a later packet
// never overtakes an earlier one, as on TCP); while the link is cut the stream stalls, as a
// partitioned TCP connection does, and resumes when healed; in held mode each packet waits in
// the filter's held queue until released. At most kShapedBytesMax bytes wait; beyond that the
// channel fails.

#include "data/data_tree.h"
#include "net/asio.h"
#include "net/link_filter.h"
#include "proto/quorum_messages.h"

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace zk {

class SnapStreamDecoder;

class QuorumChannel : public std::enable_shared_from_this<QuorumChannel>
{
public:
    struct Handlers
    {
        std::function<void(const QuorumPacket& packet)> packet;
        // Learner side: the database that followed a SNAP packet.
        std::function<void(Zxid zxid, DataTree tree, std::map<SessionId, std::int32_t> sessions)>
            snapshot;
        std::function<void(const std::string& why)> closed;
    };

    // readsSnapStreams: true on the learner's side of the connection.
    QuorumChannel(tcp::socket socket, bool readsSnapStreams, std::int32_t maxPacketBytes);
    ~QuorumChannel();

    static constexpr std::size_t kShapedBytesMax = 64 * 1024 * 1024;

    // Call before the first send() (a leader learns the learner's sid from its first packet).
    // `owner` is the host's key for LinkFilter::forget().
    void shape(std::shared_ptr<LinkFilter> filter, Sid from, Sid to, const void* owner);
    bool shaped() const { return m_filter != nullptr; }
    void start(Handlers handlers);
    void send(std::vector<std::uint8_t> bytes);
    void close(); // Drops unwritten bytes; no callback follows.
    bool isOpen() const { return !m_closed; }
    const std::string& remote() const { return m_remote; }

private:
    asio::awaitable<void> readLoop();
    bool process(); // false once the channel closed
    void writeNext();
    void pump(); // moves shaped packets whose time came to the write queue
    void armPump(std::chrono::steady_clock::time_point when);
    void fail(const std::string& why);

    tcp::socket m_socket;
    bool m_readsSnap = false;
    std::int32_t m_maxPacketBytes = 0;
    std::string m_remote;
    Handlers m_handlers;
    std::vector<std::uint8_t> m_input;
    std::size_t m_inputPos = 0;
    std::unique_ptr<SnapStreamDecoder> m_snap;
    Zxid m_snapZxid = 0;
    std::deque<std::vector<std::uint8_t>> m_queue;
    bool m_writing = false;
    bool m_closed = false;

    struct Shaped
    {
        std::vector<std::uint8_t> bytes;
        std::chrono::steady_clock::time_point due;
        std::uint64_t holdId = 0; // non-zero: waits in the filter's held queue
    };
    std::shared_ptr<LinkFilter> m_filter;
    Sid m_from = 0;
    Sid m_to = 0;
    const void* m_owner = nullptr;
    std::deque<Shaped> m_shaped;
    std::size_t m_shapedBytes = 0;
    std::uint64_t m_nextHoldId = 1;
    asio::steady_timer m_pumpTimer;
    bool m_pumpArmed = false;
};

} // namespace zk
