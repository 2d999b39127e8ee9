#include "net/election_transport.h"

#include "net/listen.h"
#include "net/self_connect.h"

#include "core/assert.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

namespace zk {

namespace {

std::int32_t readBigEndian32(const std::array<std::uint8_t, 4>& bytes)
{
    return static_cast<std::int32_t>((std::uint32_t{bytes[0]} << 24) |
                                     (std::uint32_t{bytes[1]} << 16) |
                                     (std::uint32_t{bytes[2]} << 8) | std::uint32_t{bytes[3]});
}

// "vote leader=3 zxid=1:4 peerEpoch=1 round=2" for the held queue.
std::string describeVote(const std::vector<std::uint8_t>& payload)
{
    const auto vote = decodeNotification(payload);
    if (!vote)
        return "election message";
    return fmt::format("vote leader={} zxid={}:{} peerEpoch={} round={}", vote->leader,
                       zxidEpoch(vote->zxid), zxidCounter(vote->zxid), vote->peerEpoch,
                       vote->electionEpoch);
}

} // namespace

// One kept connection: reads frames, writes frames with at most one waiting behind the one
// in flight. Lives as long as its pending operations; the transport forgets it on failure.
class ElectionTransport::Connection : public std::enable_shared_from_this<Connection>
{
public:
    Connection(ElectionTransport& transport, Sid sid, tcp::socket socket)
        : m_transport(transport), m_alive(transport.m_alive), m_sid(sid),
          m_socket(std::move(socket))
    {}

    void start() { readHeader(); }

    void write(std::vector<std::uint8_t> frame)
    {
        if (m_out.size() >= 2)
            m_out.back() = std::move(frame); // SEND_CAPACITY 1: the newest replaces it.
        else
            m_out.push_back(std::move(frame));
        writeNext();
    }

    void close()
    {
        boost::system::error_code ec;
        m_socket.shutdown(tcp::socket::shutdown_both, ec);
        m_socket.close(ec);
    }

private:
    void readHeader()
    {
        auto self = shared_from_this();
        asio::async_read(m_socket, asio::buffer(m_header),
                         [this, self](boost::system::error_code ec, std::size_t) {
                             if (m_alive.expired())
                                 return;
                             if (ec)
                                 return fail();
                             const std::int32_t length = readBigEndian32(m_header);
                             if (length <= 0 || length > kElectionPacketBytesMax) {
                                 spdlog::warn("election: invalid packet length {} from {}", length,
                                              m_sid);
                                 return fail();
                             }
                             m_payload.resize(static_cast<std::size_t>(length));
                             readPayload();
                         });
    }

    void readPayload()
    {
        auto self = shared_from_this();
        asio::async_read(m_socket, asio::buffer(m_payload),
                         [this, self](boost::system::error_code ec, std::size_t) {
                             if (m_alive.expired())
                                 return;
                             if (ec)
                                 return fail();
                             m_transport.deliver(m_sid, std::move(m_payload));
                             m_payload = {};
                             readHeader();
                         });
    }

    void writeNext()
    {
        if (m_writing || m_out.empty())
            return;
        m_writing = true;
        auto self = shared_from_this();
        asio::async_write(m_socket, asio::buffer(m_out.front()),
                          [this, self](boost::system::error_code ec, std::size_t) {
                              if (m_alive.expired())
                                  return;
                              m_writing = false;
                              if (ec)
                                  return fail();
                              m_transport.m_lastSent[m_sid] = std::move(m_out.front());
                              m_out.pop_front();
                              writeNext();
                          });
    }

    void fail()
    {
        close();
        m_transport.dropConnection(m_sid, this);
    }

    ElectionTransport& m_transport;
    std::weak_ptr<bool> m_alive;
    Sid m_sid;
    tcp::socket m_socket;
    std::array<std::uint8_t, 4> m_header{};
    std::vector<std::uint8_t> m_payload;
    std::deque<std::vector<std::uint8_t>> m_out; // The front is in flight when m_writing.
    bool m_writing = false;
};

ElectionTransport::ElectionTransport(asio::io_context& io, ElectionTransportOptions options,
                                     MessageHandler onMessage)
    : m_io(io), m_options(std::move(options)), m_onMessage(std::move(onMessage)), m_acceptor(io)
{}

ElectionTransport::~ElectionTransport()
{
    close();
}

std::error_code ElectionTransport::listen()
{
    if (auto error = listenOn(m_acceptor, m_options.listenHost, m_options.listenPort))
        return error;
    m_port = m_acceptor.local_endpoint().port();
    accept();
    return {};
}

void ElectionTransport::close()
{
    if (m_closed)
        return;
    m_closed = true;
    // Held messages would post into m_io after this transport is gone.
    if (m_options.filter)
        m_options.filter->forget(&m_io);
    *m_alive = false;
    m_alive = std::make_shared<bool>(false);
    boost::system::error_code ec;
    m_acceptor.close(ec);
    for (auto& [sid, connection] : m_connections)
        connection->close();
    m_connections.clear();
}

void ElectionTransport::setPeer(Sid sid, std::string host, std::uint16_t port)
{
    m_peers[sid] = {std::move(host), port};
}

void ElectionTransport::accept()
{
    std::weak_ptr<bool> alive = m_alive;
    m_acceptor.async_accept([this, alive](boost::system::error_code ec, tcp::socket socket) {
        if (alive.expired() || m_closed)
            return;
        if (!ec)
            readHandshake(std::make_shared<tcp::socket>(std::move(socket)));
        accept();
    });
}

// Reads the handshake in its three steps: the first long (the old form ends there), sid and
// length, then the address, checking the length before reading it.
void ElectionTransport::readHandshake(std::shared_ptr<tcp::socket> socket)
{
    auto buffer = std::make_shared<std::vector<std::uint8_t>>(8);
    std::weak_ptr<bool> alive = m_alive;
    asio::async_read(
        *socket, asio::buffer(*buffer),
        [this, alive, socket, buffer](boost::system::error_code ec, std::size_t) {
            if (alive.expired() || ec)
                return;
            auto decoded = decodeElectionHandshake(*buffer);
            if (decoded.status == DecodeStatus::Ok)
                return onHandshake(socket, decoded.handshake);
            if (decoded.status == DecodeStatus::Malformed)
                return;
            buffer->resize(20);
            asio::async_read(
                *socket, asio::buffer(buffer->data() + 8, 12),
                [this, alive, socket, buffer](boost::system::error_code ec2, std::size_t) {
                    if (alive.expired() || ec2)
                        return;
                    const auto partial = decodeElectionHandshake(*buffer);
                    if (partial.status == DecodeStatus::Malformed) {
                        spdlog::warn("election: bad handshake: {}", partial.error);
                        return;
                    }
                    const std::size_t length = (std::size_t{(*buffer)[16]} << 24) |
                                               (std::size_t{(*buffer)[17]} << 16) |
                                               (std::size_t{(*buffer)[18]} << 8) | (*buffer)[19];
                    buffer->resize(20 + length); // length was checked by the decoder.
                    asio::async_read(
                        *socket, asio::buffer(buffer->data() + 20, length),
                        [this, alive, socket, buffer](boost::system::error_code ec3, std::size_t) {
                            if (alive.expired() || ec3)
                                return;
                            const auto full = decodeElectionHandshake(*buffer);
                            if (full.status != DecodeStatus::Ok) {
                                spdlog::warn("election: bad handshake: {}", full.error);
                                return;
                            }
                            onHandshake(socket, full.handshake);
                        });
                });
        });
}

void ElectionTransport::onHandshake(std::shared_ptr<tcp::socket> socket,
                                    const ElectionHandshake& handshake)
{
    const Sid sid = handshake.sid;
    if (sid == m_options.myId)
        return;
    if (sid < m_options.myId) {
        // As QuorumCnxManager.handleConnection: keep only the larger sid's connection.
        boost::system::error_code ec;
        socket->close(ec);
        connectOne(sid);
        return;
    }
    adopt(sid, std::move(*socket));
}

void ElectionTransport::connectAll()
{
    for (const auto& [sid, address] : m_peers)
        connectOne(sid);
}

void ElectionTransport::connectOne(Sid sid)
{
    if (m_closed || m_connections.contains(sid) || m_connecting.contains(sid))
        return;
    const auto peer = m_peers.find(sid);
    if (peer == m_peers.end())
        return;
    boost::system::error_code ec;
    const auto address = asio::ip::make_address(peer->second.first, ec);
    if (ec)
        return;
    m_connecting.insert(sid);
    auto socket = std::make_shared<tcp::socket>(m_io);
    std::weak_ptr<bool> alive = m_alive;
    socket->async_connect(
        tcp::endpoint(address, peer->second.second),
        [this, alive, socket, sid](boost::system::error_code connectError) {
            if (alive.expired())
                return;
            if (connectError || connectedToItself(*socket)) {
                boost::system::error_code ignored;
                socket->close(ignored);
                m_connecting.erase(sid);
                return;
            }
            auto handshake = std::make_shared<std::vector<std::uint8_t>>(encodeElectionHandshake(
                {.protocolVersion = m_options.protocolVersion,
                 .sid = m_options.myId,
                 .address = fmt::format("{}:{}", m_options.listenHost, m_port)}));
            asio::async_write(
                *socket, asio::buffer(*handshake),
                [this, alive, socket, sid, handshake](boost::system::error_code ec2, std::size_t) {
                    if (alive.expired())
                        return;
                    m_connecting.erase(sid);
                    if (ec2 || sid > m_options.myId) {
                        // Lost the challenge: the larger sid dials back.
                        boost::system::error_code ignored;
                        socket->close(ignored);
                        return;
                    }
                    adopt(sid, std::move(*socket));
                });
        });
}

void ElectionTransport::adopt(Sid sid, tcp::socket socket)
{
    if (m_closed)
        return;
    if (const auto old = m_connections.find(sid); old != m_connections.end()) {
        old->second->close();
        m_connections.erase(old);
    }
    auto connection = std::make_shared<Connection>(*this, sid, std::move(socket));
    m_connections[sid] = connection;
    connection->start();
    if (const auto waiting = m_waiting.find(sid); waiting != m_waiting.end()) {
        connection->write(encodeElectionFrame(waiting->second));
        m_waiting.erase(waiting);
    } else if (const auto last = m_lastSent.find(sid); last != m_lastSent.end()) {
        connection->write(last->second);
    }
}

void ElectionTransport::dropConnection(Sid sid, const Connection* which)
{
    const auto it = m_connections.find(sid);
    if (it != m_connections.end() && it->second.get() == which)
        m_connections.erase(it);
}

void ElectionTransport::send(Sid to, std::vector<std::uint8_t> payload)
{
    ZK_ASSERT(to != m_options.myId);
    if (m_closed)
        return;
    const auto& filter = m_options.filter;
    if (filter && !filter->allows(m_options.myId, to))
        return;
    if (filter && filter->held()) {
        HeldMessage message{m_options.myId, to, HeldMessage::Channel::Election,
                            describeVote(payload)};
        std::weak_ptr<bool> alive = m_alive;
        auto release = [this, alive, to, payload]() mutable {
            asio::post(m_io, [this, alive, to, payload = std::move(payload)]() mutable {
                if (!alive.expired())
                    sendNow(to, std::move(payload));
            });
        };
        if (filter->hold(&m_io, std::move(message), std::move(release)))
            return;
    }
    const auto delay = filter ? filter->delay(m_options.myId, to) : std::chrono::milliseconds(0);
    if (delay.count() <= 0)
        return sendNow(to, std::move(payload));
    auto timer = std::make_shared<asio::steady_timer>(m_io, delay);
    std::weak_ptr<bool> alive = m_alive;
    timer->async_wait([this, alive, timer, to,
                       payload = std::move(payload)](boost::system::error_code ec) mutable {
        if (!alive.expired() && !ec)
            sendNow(to, std::move(payload));
    });
}

void ElectionTransport::sendNow(Sid to, std::vector<std::uint8_t> payload)
{
    if (m_closed)
        return;
    if (const auto it = m_connections.find(to); it != m_connections.end()) {
        it->second->write(encodeElectionFrame(payload));
        return;
    }
    m_waiting[to] = std::move(payload);
    connectOne(to);
}

void ElectionTransport::deliver(Sid from, std::vector<std::uint8_t> payload)
{
    const auto& filter = m_options.filter;
    if (filter && !filter->allows(from, m_options.myId))
        return;
    m_onMessage(from, std::move(payload));
}

} // namespace zk
