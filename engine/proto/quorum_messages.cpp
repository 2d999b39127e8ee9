#include "proto/quorum_messages.h"

#include "core/assert.h"
#include "proto/jute_reader.h"
#include "proto/jute_writer.h"

#include <fmt/format.h>

#include <charconv>

namespace zk {

namespace {

// A big-endian cursor for stream decoders that must tell "not yet" from "never".
class Cursor
{
public:
    explicit Cursor(std::span<const std::uint8_t> bytes) : m_bytes(bytes) {}

    bool has(std::size_t count) const { return m_bytes.size() - m_pos >= count; }
    std::size_t position() const { return m_pos; }

    std::int32_t int32()
    {
        std::uint32_t value = 0;
        for (int i = 0; i < 4; ++i)
            value = (value << 8) | m_bytes[m_pos++];
        return static_cast<std::int32_t>(value);
    }
    std::int64_t int64()
    {
        std::uint64_t value = 0;
        for (int i = 0; i < 8; ++i)
            value = (value << 8) | m_bytes[m_pos++];
        return static_cast<std::int64_t>(value);
    }
    std::span<const std::uint8_t> take(std::size_t count)
    {
        const auto part = m_bytes.subspan(m_pos, count);
        m_pos += count;
        return part;
    }

private:
    std::span<const std::uint8_t> m_bytes;
    std::size_t m_pos = 0;
};

// Why a "host:port" part is refused, in InitialMessage.parse's words, or nothing.
std::optional<std::string> hostPortError(std::string_view part)
{
    // ConfigUtils.getHostAndPort: "[v6]:port" or "host:port"; anything else is badly formed.
    std::string_view host;
    std::string_view port;
    if (part.starts_with('[')) {
        const auto close = part.find(']');
        if (close == std::string_view::npos || close + 1 >= part.size() || part[close + 1] != ':')
            return fmt::format("Badly formed address: {}", part);
        host = part.substr(1, close - 1);
        port = part.substr(close + 2);
    } else {
        const auto colon = part.find(':');
        if (colon == std::string_view::npos || part.find(':', colon + 1) != std::string_view::npos)
            return fmt::format("Badly formed address: {}", part);
        host = part.substr(0, colon);
        port = part.substr(colon + 1);
    }
    if (host.empty())
        return fmt::format("Badly formed address: {}", part);
    int value = 0;
    const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (port.empty() || ec != std::errc() || end != port.data() + port.size() || value < 0 ||
        value > 65535)
        return fmt::format("Bad port number: {}", port);
    return std::nullopt;
}

} // namespace

std::string_view toString(DecodeStatus status)
{
    switch (status) {
    case DecodeStatus::Ok:
        return "Ok";
    case DecodeStatus::NeedMore:
        return "NeedMore";
    case DecodeStatus::Malformed:
        return "Malformed";
    }
    return "?";
}

std::string ElectionHandshake::toString() const
{
    if (isOldForm())
        return fmt::format("handshake old sid={}", sid);
    return fmt::format("handshake {} sid={} address={}",
                       protocolVersion == kElectionProtocolV2 ? "V2" : "V1", sid, address);
}

std::vector<std::uint8_t> encodeElectionHandshake(const ElectionHandshake& handshake)
{
    JuteWriter w;
    if (handshake.isOldForm()) {
        ZK_ASSERT(handshake.protocolVersion == handshake.sid);
        w.writeLong(handshake.sid);
        return w.take();
    }
    ZK_ASSERT(!handshake.address.empty());
    ZK_ASSERT(handshake.address.size() <= static_cast<std::size_t>(kElectionAddressBytesMax));
    w.writeLong(handshake.protocolVersion);
    w.writeLong(handshake.sid);
    w.writeString(handshake.address);
    return w.take();
}

std::vector<std::string> splitElectionAddress(std::string_view address)
{
    std::vector<std::string> parts;
    std::size_t start = 0;
    while (true) {
        const auto bar = address.find('|', start);
        parts.emplace_back(address.substr(start, bar - start));
        if (bar == std::string_view::npos)
            break;
        start = bar + 1;
    }
    return parts;
}

ElectionHandshakeDecode decodeElectionHandshake(std::span<const std::uint8_t> bytes)
{
    ElectionHandshakeDecode result;
    Cursor c(bytes);
    if (!c.has(8))
        return result;
    const std::int64_t first = c.int64();
    if (first >= 0) {
        result.status = DecodeStatus::Ok;
        result.handshake = {.protocolVersion = first, .sid = first, .address = {}};
        result.consumed = c.position();
        return result;
    }
    if (first != kElectionProtocolV1 && first != kElectionProtocolV2) {
        result.status = DecodeStatus::Malformed;
        result.error = fmt::format("Got unrecognized protocol version {}", first);
        return result;
    }
    if (!c.has(12))
        return result;
    const Sid sid = c.int64();
    const std::int32_t length = c.int32();
    if (length <= 0 || length > kElectionAddressBytesMax) {
        result.status = DecodeStatus::Malformed;
        result.error = fmt::format("Unreasonable buffer length: {}", length);
        return result;
    }
    if (!c.has(static_cast<std::size_t>(length)))
        return result;
    const auto raw = c.take(static_cast<std::size_t>(length));
    std::string address(raw.begin(), raw.end());
    // Apache splits on '|' whatever the version; V1 senders just never send more than one.
    for (const std::string& part : splitElectionAddress(address)) {
        if (auto error = hostPortError(part)) {
            result.status = DecodeStatus::Malformed;
            result.error = std::move(*error);
            return result;
        }
    }
    result.status = DecodeStatus::Ok;
    result.handshake = {.protocolVersion = first, .sid = sid, .address = std::move(address)};
    result.consumed = c.position();
    return result;
}

std::vector<std::uint8_t> encodeElectionFrame(std::span<const std::uint8_t> payload)
{
    ZK_ASSERT(!payload.empty());
    ZK_ASSERT(payload.size() <= static_cast<std::size_t>(kElectionPacketBytesMax));
    JuteWriter w;
    w.writeInt(static_cast<std::int32_t>(payload.size()));
    w.writeRaw(payload);
    return w.take();
}

ElectionFrameDecode decodeElectionFrame(std::span<const std::uint8_t> bytes)
{
    ElectionFrameDecode result;
    Cursor c(bytes);
    if (!c.has(4))
        return result;
    const std::int32_t length = c.int32();
    if (length <= 0 || length > kElectionPacketBytesMax) {
        result.status = DecodeStatus::Malformed;
        return result;
    }
    if (!c.has(static_cast<std::size_t>(length)))
        return result;
    result.payload = c.take(static_cast<std::size_t>(length));
    result.status = DecodeStatus::Ok;
    result.consumed = c.position();
    return result;
}

std::string serverStateName(std::int32_t state)
{
    switch (state) {
    case 0:
        return "LOOKING";
    case 1:
        return "FOLLOWING";
    case 2:
        return "LEADING";
    case 3:
        return "OBSERVING";
    default:
        return fmt::format("state({})", state);
    }
}

std::string Notification::toString() const
{
    std::string text = fmt::format("{} leader={} zxid={:#x} round={} peerEpoch={}",
                                   serverStateName(state), leader, zxid, electionEpoch, peerEpoch);
    if (version != kNotificationCurrentVersion)
        text += fmt::format(" version={}", version);
    return text;
}

std::vector<std::uint8_t> encodeNotification(const Notification& n)
{
    JuteWriter w;
    w.writeInt(n.state);
    w.writeLong(n.leader);
    w.writeLong(n.zxid);
    w.writeLong(n.electionEpoch);
    w.writeLong(n.peerEpoch);
    w.writeInt(n.version);
    if (n.version > 0x1) {
        ZK_ASSERT(n.config.size() + kNotificationHeaderBytes <=
                  static_cast<std::size_t>(kElectionPacketBytesMax));
        w.writeInt(static_cast<std::int32_t>(n.config.size()));
        w.writeRaw(n.config);
    }
    return w.take();
}

std::vector<std::uint8_t> encodeNotification28(const Notification& n)
{
    JuteWriter w;
    w.writeInt(n.state);
    w.writeLong(n.leader);
    w.writeLong(n.zxid);
    w.writeLong(n.electionEpoch);
    return w.take();
}

std::optional<Notification> decodeNotification(std::span<const std::uint8_t> payload)
{
    if (payload.size() < kNotificationBytes28)
        return std::nullopt;
    Cursor c(payload);
    Notification n;
    n.state = c.int32();
    n.leader = c.int64();
    n.zxid = c.int64();
    n.electionEpoch = c.int64();
    n.version = 0x0;
    if (payload.size() == kNotificationBytes28) {
        n.peerEpoch = zxidEpoch(n.zxid);
        return n;
    }
    if (!c.has(8))
        return std::nullopt;
    n.peerEpoch = c.int64();
    if (payload.size() == kNotificationBytes40)
        return n;
    if (!c.has(4))
        return std::nullopt;
    n.version = c.int32();
    if (n.version > 0x1) {
        if (!c.has(4))
            return std::nullopt;
        const std::int32_t length = c.int32();
        if (length < 0 || length > kElectionPacketBytesMax ||
            !c.has(static_cast<std::size_t>(length)))
            return std::nullopt;
        const auto config = c.take(static_cast<std::size_t>(length));
        n.config.assign(config.begin(), config.end());
    }
    return n;
}

std::string quorumPacketTypeName(std::int32_t type)
{
    static constexpr const char* kNames[] = {"REQUEST",
                                             "PROPOSAL",
                                             "ACK",
                                             "COMMIT",
                                             "PING",
                                             "REVALIDATE",
                                             "SYNC",
                                             "INFORM",
                                             "COMMITANDACTIVATE",
                                             "NEWLEADER",
                                             "FOLLOWERINFO",
                                             "UPTODATE",
                                             "DIFF",
                                             "TRUNC",
                                             "SNAP",
                                             "OBSERVERINFO",
                                             "LEADERINFO",
                                             "ACKEPOCH",
                                             "INFORMANDACTIVATE"};
    if (type >= 1 && type <= 19)
        return kNames[type - 1];
    return fmt::format("UNKNOWN({})", type);
}

std::string QuorumPacket::toString() const
{
    std::string text = fmt::format("{} zxid={:#x}", quorumPacketTypeName(type), zxid);
    if (data)
        text += fmt::format(" data={}B", data->size());
    else
        text += " data=null";
    for (const Id& id : authinfo)
        text += fmt::format(" auth={}:{}", id.scheme, id.id);
    return text;
}

void writeQuorumPacket(JuteWriter& w, const QuorumPacket& packet)
{
    w.writeInt(packet.type);
    w.writeLong(packet.zxid);
    w.writeOptionalBuffer(packet.data);
    w.writeVector(packet.authinfo, [](JuteWriter& out, const Id& id) { id.write(out); });
}

std::vector<std::uint8_t> encodeQuorumPacket(const QuorumPacket& packet)
{
    JuteWriter w;
    writeQuorumPacket(w, packet);
    return w.take();
}

QuorumPacketDecode decodeQuorumPacket(std::span<const std::uint8_t> bytes, std::int32_t maxLength)
{
    QuorumPacketDecode result;
    Cursor c(bytes);
    // Reads a Jute length; false means stop (result.status says why).
    auto length = [&](std::int32_t& out) {
        if (!c.has(4))
            return false;
        out = c.int32();
        if (out < -1 || out > maxLength) {
            result.status = DecodeStatus::Malformed;
            return false;
        }
        if (out > 0 && !c.has(static_cast<std::size_t>(out)))
            return false;
        return true;
    };
    auto text = [&](std::string& out) {
        std::int32_t n = 0;
        if (!length(n))
            return false;
        if (n > 0) {
            const auto raw = c.take(static_cast<std::size_t>(n));
            out.assign(raw.begin(), raw.end());
        }
        return true;
    };

    if (!c.has(12))
        return result;
    result.packet.type = c.int32();
    result.packet.zxid = c.int64();
    std::int32_t dataLength = 0;
    if (!length(dataLength))
        return result;
    if (dataLength >= 0) {
        const auto raw = c.take(static_cast<std::size_t>(dataLength));
        result.packet.data.emplace(raw.begin(), raw.end());
    }
    std::int32_t count = 0;
    if (!c.has(4))
        return result;
    count = c.int32();
    // An Id is at least two empty strings: 8 bytes.
    if (count < -1 || count > maxLength / 8) {
        result.status = DecodeStatus::Malformed;
        return result;
    }
    for (std::int32_t i = 0; i < count; ++i) {
        Id id;
        if (!text(id.scheme) || !text(id.id))
            return result;
        result.packet.authinfo.push_back(std::move(id));
    }
    result.status = DecodeStatus::Ok;
    result.consumed = c.position();
    return result;
}

std::vector<std::uint8_t> encodeLearnerInfo(const LearnerInfo& info)
{
    JuteWriter w;
    w.writeLong(info.sid);
    w.writeInt(info.protocolVersion);
    w.writeLong(info.configVersion);
    return w.take();
}

std::optional<LearnerInfoDecode> decodeLearnerInfo(std::span<const std::uint8_t> data)
{
    if (data.size() < 8)
        return std::nullopt;
    Cursor c(data);
    LearnerInfoDecode result;
    result.info.sid = c.int64();
    result.info.protocolVersion = 0;
    if (c.has(4)) {
        result.info.protocolVersion = c.int32();
        result.hasProtocolVersion = true;
    }
    if (c.has(8)) {
        result.info.configVersion = c.int64();
        result.hasConfigVersion = true;
    }
    return result;
}

std::vector<std::uint8_t> encodeLeaderInfoData(std::int32_t protocolVersion)
{
    JuteWriter w;
    w.writeInt(protocolVersion);
    return w.take();
}

std::optional<std::int32_t> decodeLeaderInfoData(std::span<const std::uint8_t> data)
{
    if (data.size() < 4)
        return std::nullopt;
    Cursor c(data);
    return c.int32();
}

std::vector<std::uint8_t> encodeAckEpochData(Epoch currentEpoch)
{
    JuteWriter w;
    w.writeInt(static_cast<std::int32_t>(currentEpoch));
    return w.take();
}

std::optional<Epoch> decodeAckEpochData(std::span<const std::uint8_t> data)
{
    if (data.size() < 4)
        return std::nullopt;
    Cursor c(data);
    return static_cast<Epoch>(c.int32());
}

} // namespace zk
