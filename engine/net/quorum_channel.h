#pragma once
// One quorum connection (Learner <-> LearnerHandler): a raw stream of QuorumPackets with no
// length prefix, in both directions. A learner's channel also reads the SNAP stream that
// follows a SNAP packet (storage/snap_stream.h) and hands it over decoded. Lives on its
// host's io thread only; shared_from_this keeps it alive while an operation is pending.
// Callbacks never run after close().

#include "data/data_tree.h"
#include "net/asio.h"
#include "proto/quorum_messages.h"

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

    void start(Handlers handlers);
    void send(std::vector<std::uint8_t> bytes);
    void close(); // Drops unwritten bytes; no callback follows.
    bool isOpen() const { return !m_closed; }
    const std::string& remote() const { return m_remote; }

private:
    asio::awaitable<void> readLoop();
    bool process(); // false once the channel closed
    void writeNext();
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
};

} // namespace zk
