#include "net/quorum_channel.h"

#include "storage/snap_stream.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

namespace zk {

namespace {

// "PROPOSAL 1:4" for the held queue: the first packet of what is sent.
std::string describePacket(const std::vector<std::uint8_t>& bytes)
{
    const QuorumPacketDecode decoded =
        decodeQuorumPacket(bytes, static_cast<std::int32_t>(bytes.size()));
    if (decoded.status != DecodeStatus::Ok)
        return "quorum packet";
    const Zxid zxid = decoded.packet.zxid;
    if (zxid < 0) // UPTODATE and a few others carry no zxid
        return quorumPacketTypeName(decoded.packet.type);
    return fmt::format("{} {}:{}", quorumPacketTypeName(decoded.packet.type), zxidEpoch(zxid),
                       zxidCounter(zxid));
}

} // namespace

QuorumChannel::QuorumChannel(tcp::socket socket, bool readsSnapStreams, std::int32_t maxPacketBytes)
    : m_socket(std::move(socket)), m_readsSnap(readsSnapStreams), m_maxPacketBytes(maxPacketBytes),
      m_pumpTimer(m_socket.get_executor())
{
    boost::system::error_code ec;
    const auto endpoint = m_socket.remote_endpoint(ec);
    if (!ec)
        m_remote = endpoint.address().to_string() + ":" + std::to_string(endpoint.port());
    m_socket.set_option(tcp::no_delay(true), ec);
}

QuorumChannel::~QuorumChannel() = default;

void QuorumChannel::start(Handlers handlers)
{
    m_handlers = std::move(handlers);
    asio::co_spawn(
        m_socket.get_executor(), [self = shared_from_this()] { return self->readLoop(); },
        asio::detached);
}

asio::awaitable<void> QuorumChannel::readLoop()
{
    auto self = shared_from_this();
    std::vector<std::uint8_t> buffer(256 * 1024);
    for (;;) {
        boost::system::error_code ec;
        const std::size_t got = co_await m_socket.async_read_some(
            asio::buffer(buffer), asio::redirect_error(asio::use_awaitable, ec));
        if (m_closed)
            co_return;
        if (ec) {
            fail(ec == asio::error::eof ? "connection closed by peer" : ec.message());
            co_return;
        }
        m_input.insert(m_input.end(), buffer.begin(), buffer.begin() + got);
        if (!process())
            co_return;
    }
}

bool QuorumChannel::process()
{
    for (;;) {
        const std::span<const std::uint8_t> rest(m_input.data() + m_inputPos,
                                                 m_input.size() - m_inputPos);
        if (m_snap) {
            std::size_t consumed = 0;
            const DecodeStatus status = m_snap->feed(rest, consumed);
            m_inputPos += consumed;
            if (status == DecodeStatus::NeedMore)
                break;
            if (status == DecodeStatus::Malformed) {
                fail("bad SNAP stream: " + m_snap->error());
                return false;
            }
            SnapStreamResult result = m_snap->take();
            m_snap.reset();
            if (m_handlers.snapshot)
                m_handlers.snapshot(m_snapZxid, std::move(result.tree), std::move(result.sessions));
            if (m_closed)
                return false;
            continue;
        }
        const QuorumPacketDecode decoded = decodeQuorumPacket(rest, m_maxPacketBytes);
        if (decoded.status == DecodeStatus::NeedMore)
            break;
        if (decoded.status == DecodeStatus::Malformed) {
            fail("malformed quorum packet");
            return false;
        }
        m_inputPos += decoded.consumed;
        if (m_readsSnap && decoded.packet.type == QuorumPacketType::Snap) {
            m_snap = std::make_unique<SnapStreamDecoder>(decoded.packet.zxid);
            m_snapZxid = decoded.packet.zxid;
        }
        if (m_handlers.packet)
            m_handlers.packet(decoded.packet);
        if (m_closed)
            return false;
    }
    // Keep only the unread tail.
    if (m_inputPos > 0) {
        m_input.erase(m_input.begin(), m_input.begin() + static_cast<std::ptrdiff_t>(m_inputPos));
        m_inputPos = 0;
    }
    return true;
}

void QuorumChannel::shape(std::shared_ptr<LinkFilter> filter, Sid from, Sid to, const void* owner)
{
    m_filter = std::move(filter);
    m_from = from;
    m_to = to;
    m_owner = owner;
}

void QuorumChannel::send(std::vector<std::uint8_t> bytes)
{
    if (m_closed || bytes.empty())
        return;
    if (!m_filter) {
        m_queue.push_back(std::move(bytes));
        if (!m_writing)
            writeNext();
        return;
    }
    m_shapedBytes += bytes.size();
    if (m_shapedBytes > kShapedBytesMax) {
        fail("link backlog over its limit");
        return;
    }
    Shaped shaped{std::vector<std::uint8_t>{},
                  std::chrono::steady_clock::now() + m_filter->delay(m_from, m_to)};
    if (m_filter->held()) {
        const std::uint64_t id = m_nextHoldId++;
        std::weak_ptr<QuorumChannel> weak = weak_from_this();
        auto executor = m_socket.get_executor();
        auto release = [weak, executor, id] {
            asio::post(executor, [weak, id] {
                auto self = weak.lock();
                if (!self || self->m_closed)
                    return;
                for (Shaped& waiting : self->m_shaped) {
                    if (waiting.holdId == id) {
                        waiting.holdId = 0;
                        waiting.due = std::chrono::steady_clock::now(); // a step delivers now
                    }
                }
                self->pump();
            });
        };
        HeldMessage message{m_from, m_to, HeldMessage::Channel::Zab, describePacket(bytes)};
        if (m_filter->hold(m_owner, std::move(message), std::move(release)))
            shaped.holdId = id;
    }
    shaped.bytes = std::move(bytes);
    m_shaped.push_back(std::move(shaped));
    pump();
}

void QuorumChannel::pump()
{
    const auto now = std::chrono::steady_clock::now();
    while (!m_closed && !m_shaped.empty()) {
        Shaped& front = m_shaped.front();
        if (front.holdId != 0)
            break; // its release posts pump() again
        if (!m_filter->allows(m_from, m_to)) {
            // A cut stalls the stream; look again shortly (cheap: one lock per poll).
            armPump(now + std::chrono::milliseconds(20));
            break;
        }
        if (front.due > now) {
            armPump(front.due);
            break;
        }
        m_shapedBytes -= front.bytes.size();
        m_queue.push_back(std::move(front.bytes));
        m_shaped.pop_front();
    }
    if (!m_closed && !m_writing && !m_queue.empty())
        writeNext();
}

void QuorumChannel::armPump(std::chrono::steady_clock::time_point when)
{
    // The front only changes inside pump(), so an armed timer is never later than needed.
    if (m_pumpArmed)
        return;
    m_pumpArmed = true;
    m_pumpTimer.expires_at(when);
    m_pumpTimer.async_wait([self = shared_from_this()](boost::system::error_code ec) {
        self->m_pumpArmed = false;
        if (!ec && !self->m_closed)
            self->pump();
    });
}

void QuorumChannel::writeNext()
{
    if (m_closed || m_queue.empty()) {
        m_writing = false;
        return;
    }
    m_writing = true;
    // Coalesce what is queued into one write.
    if (m_queue.size() > 1) {
        std::vector<std::uint8_t> joined;
        for (auto& part : m_queue)
            joined.insert(joined.end(), part.begin(), part.end());
        m_queue.clear();
        m_queue.push_back(std::move(joined));
    }
    auto self = shared_from_this();
    asio::async_write(m_socket, asio::buffer(m_queue.front()),
                      [self](boost::system::error_code ec, std::size_t) {
                          if (self->m_closed)
                              return;
                          if (ec) {
                              self->fail(ec.message());
                              return;
                          }
                          self->m_queue.pop_front();
                          self->writeNext();
                      });
}

void QuorumChannel::fail(const std::string& why)
{
    if (m_closed)
        return;
    auto closed = std::move(m_handlers.closed);
    close();
    if (closed)
        closed(why);
}

void QuorumChannel::close()
{
    if (m_closed)
        return;
    m_closed = true;
    m_handlers = {};
    m_queue.clear();
    m_shaped.clear();
    m_pumpTimer.cancel();
    boost::system::error_code ec;
    m_socket.shutdown(tcp::socket::shutdown_both, ec);
    m_socket.close(ec);
}

} // namespace zk
