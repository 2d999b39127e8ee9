#pragma once
// One accepted client socket of a ServerHost: reads length-prefixed frames (checking the
// length against jute.maxbuffer before allocating), answers four-letter words sent in place
// of the first frame, and writes the core's frames in order. Lives on the host's io thread
// only; shared_from_this keeps it alive while an operation is pending.

#include "net/asio.h"
#include "server/server_types.h"

#include <deque>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace zk {

// What a client connection reports to the server that accepted it (ServerHost, QuorumHost),
// on that server's io thread.
class ClientConnectionOwner
{
public:
    virtual ~ClientConnectionOwner() = default;
    // Hands one frame to the core; drainNow=false lets a connection hand over every frame of
    // one read and then call drainAfterFrames() once.
    virtual void onFrame(ConnectionId id, std::span<const std::uint8_t> payload, bool drainNow) = 0;
    virtual void drainAfterFrames() = 0;
    virtual void onClosed(ConnectionId id) = 0;
    virtual std::string onFourLetterWord(const std::string& word) = 0;
};

class ClientConnection : public std::enable_shared_from_this<ClientConnection>
{
public:
    ClientConnection(ClientConnectionOwner& host, tcp::socket socket, ConnectionId id,
                     std::int32_t maxBufferBytes);

    void start();
    // Queues a frame; closeAfter closes the socket once it is written.
    void send(std::vector<std::uint8_t> bytes, bool closeAfter);
    // Closes now, dropping unwritten frames.
    void close();

    ConnectionId id() const { return m_id; }
    const std::string& remoteAddress() const { return m_remote; }
    const std::string& remoteHost() const { return m_remoteHost; }

private:
    asio::awaitable<void> readLoop();
    void writeNext();
    void finish();

    ClientConnectionOwner& m_host;
    tcp::socket m_socket;
    ConnectionId m_id;
    std::int32_t m_maxBufferBytes;
    std::string m_remote;
    std::string m_remoteHost;
    struct Outgoing
    {
        std::vector<std::uint8_t> bytes;
        bool closeAfter = false;
    };
    std::deque<Outgoing> m_queue;
    std::vector<asio::const_buffer> m_gather; // the write in flight
    std::size_t m_inFlight = 0;               // queued frames it covers
    bool m_writing = false;
    bool m_closed = false;
};

} // namespace zk
