#pragma once
// ElectionTransport is QuorumCnxManager on Boost.Asio: the election channel between servers.
// One TCP connection per pair of servers; only the connection dialled by the larger sid is
// kept (a server that accepts a connection from a smaller sid closes it and dials back; a
// smaller sid closes its own dialled connection after the handshake). The handshake and the
// frames are those of proto/quorum_messages.h. Per peer at most one message waits to be
// written (Apache's SEND_CAPACITY of 1: a newer message replaces it), and the last message
// written is sent again on a new connection when nothing newer waits (lastMessageSent).
//
// Threads: every method except the constructor, listen() and port() must run on the
// io_context's thread (the owner posts). Messages are handed to `onMessage` on that thread.
// LinkFilter is the one object shared across threads: tests cut links and slow them down.

#include "core/ids.h"
#include "net/asio.h"
#include "net/link_filter.h"
#include "proto/quorum_messages.h"

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

namespace zk {

struct ElectionTransportOptions
{
    Sid myId = 0;
    std::string listenHost = "127.0.0.1";
    std::uint16_t listenPort = 0; // 0 picks a free port.
    std::int64_t protocolVersion = kElectionProtocolV1;
    std::shared_ptr<LinkFilter> filter = nullptr; // Optional.
};

class ElectionTransport
{
public:
    using MessageHandler = std::function<void(Sid from, std::vector<std::uint8_t> payload)>;

    ElectionTransport(asio::io_context& io, ElectionTransportOptions options,
                      MessageHandler onMessage);
    ~ElectionTransport();
    ElectionTransport(const ElectionTransport&) = delete;
    ElectionTransport& operator=(const ElectionTransport&) = delete;

    // Binds and starts accepting. Call before the io thread runs, or on it.
    std::error_code listen();
    std::uint16_t port() const { return m_port; }

    void setPeer(Sid sid, std::string host, std::uint16_t port);
    // Queues one election message (a notification payload) for `to`, connecting if needed.
    void send(Sid to, std::vector<std::uint8_t> payload);
    void connectAll();
    void close();

    std::size_t connectionCount() const { return m_connections.size(); }

private:
    class Connection;

    void accept();
    void readHandshake(std::shared_ptr<tcp::socket> socket);
    void onHandshake(std::shared_ptr<tcp::socket> socket, const ElectionHandshake& handshake);
    void connectOne(Sid sid);
    void adopt(Sid sid, tcp::socket socket);
    void dropConnection(Sid sid, const Connection* which);
    void sendNow(Sid to, std::vector<std::uint8_t> payload);
    void deliver(Sid from, std::vector<std::uint8_t> payload);

    asio::io_context& m_io;
    ElectionTransportOptions m_options;
    MessageHandler m_onMessage;
    tcp::acceptor m_acceptor;
    std::uint16_t m_port = 0;
    bool m_closed = false;
    std::map<Sid, std::pair<std::string, std::uint16_t>> m_peers;
    std::map<Sid, std::shared_ptr<Connection>> m_connections;
    std::set<Sid> m_connecting;
    std::map<Sid, std::vector<std::uint8_t>> m_waiting; // Not yet connected: newest only.
    std::map<Sid, std::vector<std::uint8_t>> m_lastSent;
    std::shared_ptr<bool> m_alive = std::make_shared<bool>(true);
};

} // namespace zk
