#include "zab/zab_payloads.h"

#include "proto/jute_reader.h"
#include "proto/jute_writer.h"

namespace zk {

std::vector<std::uint8_t> encodeRequestData(const ForwardedRequest& request)
{
    JuteWriter w;
    w.writeLong(request.session);
    w.writeInt(request.xid);
    w.writeInt(static_cast<std::int32_t>(request.type));
    w.writeRaw(request.body);
    return w.take();
}

std::optional<ForwardedRequest> decodeRequestData(std::span<const std::uint8_t> data)
{
    JuteReader r(data);
    ForwardedRequest request;
    request.session = r.readLong();
    request.xid = r.readInt();
    request.type = static_cast<OpCode>(r.readInt());
    if (!r.ok())
        return std::nullopt;
    const auto rest = r.rest();
    request.body.assign(rest.begin(), rest.end());
    return request;
}

std::vector<std::uint8_t> encodeTouches(const std::map<SessionId, std::int32_t>& touches)
{
    JuteWriter w;
    for (const auto& [session, timeout] : touches) {
        w.writeLong(session);
        w.writeInt(timeout);
    }
    return w.take();
}

std::optional<std::map<SessionId, std::int32_t>> decodeTouches(std::span<const std::uint8_t> d)
{
    if (d.size() % 12 != 0)
        return std::nullopt;
    JuteReader r(d);
    std::map<SessionId, std::int32_t> touches;
    while (r.remaining() >= 12) {
        const SessionId session = r.readLong();
        touches[session] = r.readInt();
    }
    if (!r.ok())
        return std::nullopt;
    return touches;
}

std::vector<std::uint8_t> encodeRevalidateAsk(SessionId session, std::int32_t timeoutMs)
{
    JuteWriter w;
    w.writeLong(session);
    w.writeInt(timeoutMs);
    return w.take();
}

std::optional<Revalidation> decodeRevalidateAsk(std::span<const std::uint8_t> data)
{
    JuteReader r(data);
    Revalidation out;
    out.session = r.readLong();
    out.timeoutMs = r.readInt();
    if (!r.ok())
        return std::nullopt;
    return out;
}

std::vector<std::uint8_t> encodeRevalidateReply(SessionId session, bool valid)
{
    JuteWriter w;
    w.writeLong(session);
    w.writeBool(valid);
    return w.take();
}

std::optional<Revalidation> decodeRevalidateReply(std::span<const std::uint8_t> data)
{
    JuteReader r(data);
    Revalidation out;
    out.session = r.readLong();
    out.valid = r.readBool();
    if (!r.ok())
        return std::nullopt;
    return out;
}

} // namespace zk
