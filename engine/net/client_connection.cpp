#include "net/client_connection.h"

#include "net/server_host.h"
#include "server/four_letter_words.h"

#include <spdlog/spdlog.h>

namespace zk {

ClientConnection::ClientConnection(ServerHost& host, tcp::socket socket, ConnectionId id,
                                   std::int32_t maxBufferBytes)
    : m_host(host), m_socket(std::move(socket)), m_id(id), m_maxBufferBytes(maxBufferBytes)
{
    boost::system::error_code ec;
    const auto endpoint = m_socket.remote_endpoint(ec);
    if (!ec) {
        m_remoteHost = endpoint.address().to_string();
        m_remote = endpoint.address().is_v6()
                       ? "[" + m_remoteHost + "]:" + std::to_string(endpoint.port())
                       : m_remoteHost + ":" + std::to_string(endpoint.port());
    }
    m_socket.set_option(tcp::no_delay(true), ec);
}

void ClientConnection::start()
{
    asio::co_spawn(
        m_socket.get_executor(), [self = shared_from_this()] { return self->readLoop(); },
        asio::detached);
}

asio::awaitable<void> ClientConnection::readLoop()
{
    auto self = shared_from_this();
    std::vector<std::uint8_t> payload;
    bool first = true;
    for (;;) {
        std::array<std::uint8_t, 4> header{};
        boost::system::error_code ec;
        co_await asio::async_read(m_socket, asio::buffer(header),
                                  asio::redirect_error(asio::use_awaitable, ec));
        if (ec || m_closed)
            break;
        const auto length = static_cast<std::int32_t>(
            (std::uint32_t{header[0]} << 24) | (std::uint32_t{header[1]} << 16) |
            (std::uint32_t{header[2]} << 8) | std::uint32_t{header[3]});
        if (first) {
            first = false;
            if (auto word = fourLetterWordFromLength(length)) {
                const std::string text = m_host.onFourLetterWord(*word);
                send(std::vector<std::uint8_t>(text.begin(), text.end()), true);
                break;
            }
        }
        if (length < 0 || length > m_maxBufferBytes) {
            spdlog::warn("Len error {} from {}: closing the connection", length, m_remote);
            break;
        }
        payload.resize(static_cast<std::size_t>(length));
        co_await asio::async_read(m_socket, asio::buffer(payload),
                                  asio::redirect_error(asio::use_awaitable, ec));
        if (ec || m_closed)
            break;
        m_host.onFrame(m_id, payload);
        if (m_closed)
            break;
    }
    if (!m_writing || m_queue.empty() || !m_queue.back().closeAfter)
        finish();
}

void ClientConnection::send(std::vector<std::uint8_t> bytes, bool closeAfter)
{
    if (m_closed)
        return;
    if (bytes.empty() && !closeAfter)
        return;
    m_queue.push_back(Outgoing{std::move(bytes), closeAfter});
    if (!m_writing)
        writeNext();
}

void ClientConnection::writeNext()
{
    if (m_queue.empty() || m_closed) {
        m_writing = false;
        return;
    }
    m_writing = true;
    asio::async_write(m_socket, asio::buffer(m_queue.front().bytes),
                      [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
                          if (ec) {
                              self->finish();
                              return;
                          }
                          const bool closeAfter = self->m_queue.front().closeAfter;
                          self->m_queue.pop_front();
                          if (closeAfter) {
                              self->finish();
                              return;
                          }
                          self->writeNext();
                      });
}

void ClientConnection::close()
{
    finish();
}

void ClientConnection::finish()
{
    if (m_closed)
        return;
    m_closed = true;
    m_queue.clear();
    boost::system::error_code ec;
    m_socket.shutdown(tcp::socket::shutdown_both, ec);
    m_socket.close(ec);
    m_host.onClosed(m_id);
}

} // namespace zk
