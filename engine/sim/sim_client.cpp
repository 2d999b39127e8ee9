#include "sim/sim_client.h"

#include "core/error.h"
#include "proto/client_records.h"

#include <fmt/format.h>

namespace zk::sim {

namespace {

constexpr Xid kPingXid = -2;
constexpr Xid kNotificationXid = -1;
constexpr std::size_t kQueueMax = 10'000;

} // namespace

SimClient::SimClient(std::string name, Prng prng, std::int32_t sessionTimeoutMs,
                     Tick pingIntervalTicks)
    : m_name(std::move(name)), m_prng(prng), m_sessionTimeoutMs(sessionTimeoutMs),
      m_pingIntervalTicks(std::max<Tick>(1, pingIntervalTicks))
{}

std::vector<std::uint8_t> SimClient::open(Sid node, ClientConnectionId connection, Tick now)
{
    m_node = node;
    m_connection = connection;
    m_connected = false;
    m_pingOutstanding = false;
    m_lastSentAt = now;
    ConnectRequest request;
    request.protocolVersion = 0;
    request.lastZxidSeen = m_lastZxidSeen;
    request.timeOut = m_sessionTimeoutMs;
    request.sessionId = m_session;
    request.passwd = m_session != 0 ? m_password : std::vector<std::uint8_t>(16, 0);
    request.hasReadOnly = true;
    return encodeRecord(request);
}

bool SimClient::receive(std::span<const std::uint8_t> frame, Tick now)
{
    if (frame.size() < 4) {
        m_problems.push_back(fmt::format("{}: a frame of {} bytes", m_name, frame.size()));
        return true;
    }
    const auto payload = frame.subspan(4);
    if (m_connected) {
        onReply(payload, now);
        return true;
    }
    auto response = decodeRecord<ConnectResponse>(payload);
    if (!response) {
        m_problems.push_back(fmt::format("{}: malformed ConnectResponse from n{}", m_name, m_node));
        return true;
    }
    if (response->timeOut <= 0 || response->sessionId == 0) {
        // Session expired: the next connection asks for a new one.
        if (m_tracing)
            m_trace.push_back(
                fmt::format("{} session 0x{:x} expired (n{})", m_name, m_session, m_node));
        m_session = 0;
        m_password.clear();
        return false;
    }
    if (m_session != 0 && response->sessionId != m_session) {
        m_problems.push_back(fmt::format("{}: asked for session 0x{:x}, got 0x{:x}", m_name,
                                         m_session, response->sessionId));
    }
    if (m_session == 0 && m_tracing)
        m_trace.push_back(fmt::format("{} connected to n{}", m_name, m_node));
    m_session = response->sessionId;
    m_password = response->passwd;
    m_connected = true;
    return true;
}

void SimClient::onReply(std::span<const std::uint8_t> payload, Tick now)
{
    JuteReader reader(payload);
    ReplyHeader header;
    header.read(reader);
    if (!reader.ok()) {
        m_problems.push_back(fmt::format("{}: malformed reply from n{}", m_name, m_node));
        return;
    }
    if (header.xid == kNotificationXid)
        return;
    if (header.xid == kPingXid) { // as ClientCnxn: a ping reply does not move lastZxid
        m_pingOutstanding = false;
        return;
    }
    if (header.zxid < m_lastZxidSeen) {
        m_problems.push_back(fmt::format("{}: n{} replied with zxid 0x{:x} after 0x{:x}", m_name,
                                         m_node, header.zxid, m_lastZxidSeen));
    }
    m_lastZxidSeen = std::max(m_lastZxidSeen, header.zxid);
    if (m_outstanding.empty() || m_outstanding.front().xid != header.xid) {
        m_problems.push_back(fmt::format("{}: n{} answered xid {} out of order (expected {})",
                                         m_name, m_node, header.xid,
                                         m_outstanding.empty() ? 0 : m_outstanding.front().xid));
        return;
    }
    const Sent sent = std::move(m_outstanding.front());
    m_outstanding.pop_front();
    if (header.err != static_cast<std::int32_t>(ZError::Ok)) {
        if (m_tracing)
            m_trace.push_back(
                fmt::format("{} {} {} -> error {}", m_name,
                            sent.request.type == OpCode::Create ? "create" : "setData",
                            sent.request.path, header.err));
        return;
    }
    ++m_writesAcked;
    if (sent.request.type == OpCode::Create && !sent.request.ephemeral)
        m_ownPaths.push_back(sent.request.path);
    if (m_tracing)
        m_trace.push_back(fmt::format("{} {}{} {} ok zxid=0x{:x} (n{})", m_name,
                                      sent.request.type == OpCode::Create ? "create" : "setData",
                                      sent.request.ephemeral ? " -e" : "", sent.request.path,
                                      header.zxid, m_node));
    m_acks.push_back(ClientAck{m_name, sent.request.type, sent.request.path, header.zxid, m_node,
                               now, sent.request.ephemeral});
}

void SimClient::closed(Tick now)
{
    m_connection = 0;
    m_connected = false;
    m_pingOutstanding = false;
    m_outstanding.clear();
    m_reconnectAt = now + m_prng.between(2, 20);
}

void SimClient::queueCreate(std::string path, std::string data, bool ephemeral)
{
    if (m_queue.size() < kQueueMax)
        m_queue.push_back(Request{OpCode::Create, std::move(path), std::move(data), ephemeral});
}

void SimClient::queueSetData(std::string path, std::string data)
{
    if (m_queue.size() < kQueueMax)
        m_queue.push_back(Request{OpCode::SetData, std::move(path), std::move(data)});
}

std::optional<std::vector<std::uint8_t>> SimClient::poll(Tick now)
{
    if (!m_connected || now < m_pausedUntil)
        return std::nullopt;
    std::optional<Request> request;
    if (!m_queue.empty()) {
        request = std::move(m_queue.front());
        m_queue.pop_front();
    } else if (m_auto && static_cast<int>(m_outstanding.size()) < m_autoMax &&
               m_prng.chance(150'000)) {
        ++m_counter;
        if (!m_ownPaths.empty() && m_prng.chance(300'000)) {
            const std::string& path = m_ownPaths[m_prng.below(m_ownPaths.size())];
            request = Request{OpCode::SetData, path, fmt::format("s{}", m_counter)};
        } else {
            const bool ephemeral =
                m_ephemeralPerMillion > 0 && m_prng.chance(m_ephemeralPerMillion);
            request = Request{OpCode::Create,
                              fmt::format("/{}-{}{}", m_name, ephemeral ? "e" : "", m_counter),
                              fmt::format("v{}", m_counter), ephemeral};
        }
    }
    if (request) {
        const Xid xid = m_nextXid++;
        auto bytes = encode(xid, *request);
        m_outstanding.push_back(Sent{xid, std::move(*request)});
        ++m_writesSent;
        m_lastSentAt = now;
        return bytes;
    }
    if (!m_pingOutstanding && now - m_lastSentAt >= m_pingIntervalTicks) {
        m_pingOutstanding = true;
        m_lastSentAt = now;
        JuteWriter w;
        RequestHeader{kPingXid, OpCode::Ping}.write(w);
        return w.take();
    }
    return std::nullopt;
}

std::vector<std::uint8_t> SimClient::encode(Xid xid, const Request& request) const
{
    JuteWriter w;
    RequestHeader{xid, request.type}.write(w);
    if (request.type == OpCode::Create) {
        CreateRequest create;
        create.path = request.path;
        create.data = std::vector<std::uint8_t>(request.data.begin(), request.data.end());
        create.acl = openAclUnsafe();
        create.flags = static_cast<std::int32_t>(request.ephemeral ? CreateMode::Ephemeral
                                                                   : CreateMode::Persistent);
        create.write(w);
    } else {
        SetDataRequest set;
        set.path = request.path;
        set.data = std::vector<std::uint8_t>(request.data.begin(), request.data.end());
        set.version = -1;
        set.write(w);
    }
    return w.take();
}

} // namespace zk::sim
