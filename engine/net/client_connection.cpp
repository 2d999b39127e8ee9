#include "net/client_connection.h"

#include "net/server_host.h"
#include "proto/frame_decoder.h"
#include "server/four_letter_words.h"

#include <spdlog/spdlog.h>

namespace zk {

ClientConnection::ClientConnection(ClientConnectionOwner& host, tcp::socket socket, ConnectionId id,
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
    // Bulk reads: one syscall brings in every frame a client has pipelined, and the host
    // drains once for all of them, so their txns share one group commit.
    std::vector<std::uint8_t> buffer(64 * 1024);
    FrameDecoder decoder(m_maxBufferBytes);
    bool first = true;
    for (;;) {
        boost::system::error_code ec;
        const std::size_t got = co_await m_socket.async_read_some(
            asio::buffer(buffer), asio::redirect_error(asio::use_awaitable, ec));
        if (ec || m_closed)
            break;
        decoder.feed(std::span<const std::uint8_t>(buffer.data(), got));
        if (first) {
            const auto pending = decoder.pending();
            if (pending.size() < 4)
                continue;
            first = false;
            const auto length = static_cast<std::int32_t>(
                (std::uint32_t{pending[0]} << 24) | (std::uint32_t{pending[1]} << 16) |
                (std::uint32_t{pending[2]} << 8) | std::uint32_t{pending[3]});
            if (auto word = fourLetterWordFromLength(length)) {
                const std::string text = m_host.onFourLetterWord(*word);
                send(std::vector<std::uint8_t>(text.begin(), text.end()), true);
                break;
            }
        }
        bool malformed = false;
        bool anyFrame = false;
        for (;;) {
            const auto result = decoder.next();
            if (result.status == FrameDecoder::Status::NeedMore)
                break;
            if (result.status == FrameDecoder::Status::Malformed) {
                malformed = true;
                break;
            }
            m_host.onFrame(m_id, result.frame, /*drainNow=*/false);
            anyFrame = true;
            if (m_closed)
                break;
        }
        if (anyFrame)
            m_host.drainAfterFrames();
        if (malformed) {
            spdlog::warn("Len error from {}: closing the connection", m_remote);
            break;
        }
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
    // Everything queued goes out in one gather write, up to and including a closing frame.
    m_inFlight = 0;
    m_gather.clear();
    bool closeAfter = false;
    for (const Outgoing& out : m_queue) {
        m_gather.push_back(asio::buffer(out.bytes));
        ++m_inFlight;
        if (out.closeAfter) {
            closeAfter = true;
            break;
        }
        if (m_inFlight >= 64)
            break;
    }
    asio::async_write(
        m_socket, m_gather,
        [self = shared_from_this(), closeAfter](boost::system::error_code ec, std::size_t) {
            // finish() ran meanwhile (the client hung up, or the core closed us): it emptied
            // the queue, frames of this write included, so there is nothing left to pop. A
            // write can complete successfully after that, so ec alone does not say it.
            if (self->m_closed)
                return;
            if (ec) {
                self->finish();
                return;
            }
            for (std::size_t i = 0; i < self->m_inFlight; ++i)
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
