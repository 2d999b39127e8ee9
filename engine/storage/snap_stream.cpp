#include "storage/snap_stream.h"

#include "core/assert.h"
#include "proto/jute_reader.h"
#include "storage/snapshot.h"

#include <fmt/format.h>

#include <algorithm>
#include <limits>

namespace zk {

namespace {

constexpr std::size_t kSignatureBytes = 4 + kSnapSignature.size();

} // namespace

std::vector<std::uint8_t> encodeSnapStream(const DataTree& tree,
                                           const std::map<SessionId, std::int32_t>& sessions)
{
    SnapshotBuilder builder(tree, sessions);
    while (!builder.step(tree, std::numeric_limits<std::size_t>::max())) {
    }
    const SnapshotImage image = builder.finish(tree);
    std::vector<std::uint8_t> out;
    appendSnapshotBody(image, out);
    JuteWriter signature;
    signature.writeString(kSnapSignature);
    out.insert(out.end(), signature.bytes().begin(), signature.bytes().end());
    return out;
}

SnapStreamDecoder::SnapStreamDecoder(Zxid snapZxid, bool extendedTypesEnabled)
    : m_snapZxid(snapZxid), m_tree(extendedTypesEnabled), m_sink(m_tree, m_sessions), m_body(m_sink)
{}

DecodeStatus SnapStreamDecoder::feed(std::span<const std::uint8_t> bytes, std::size_t& consumed)
{
    consumed = 0;
    if (m_status != DecodeStatus::NeedMore)
        return m_status;
    if (m_body.status() == DecodeStatus::NeedMore) {
        const DecodeStatus body = m_body.feed(bytes, consumed);
        m_consumed += consumed;
        if (body == DecodeStatus::Malformed)
            return fail(m_body.errorOffset(), m_body.error());
        if (body == DecodeStatus::NeedMore)
            return DecodeStatus::NeedMore;
    }
    std::size_t used = 0;
    const DecodeStatus signature = feedSignature(bytes.subspan(consumed), used);
    consumed += used;
    m_consumed += used;
    if (signature != DecodeStatus::Ok)
        return signature;
    if (!m_sink.finish())
        return fail(m_consumed, "a node's parent, the root or a node's ACL entry is missing");
    m_tree.setLastProcessedZxid(m_snapZxid);
    m_status = DecodeStatus::Ok;
    return m_status;
}

// The signature is read whole before it is judged, except its length: anything but 10 is
// refused at once rather than waited for.
DecodeStatus SnapStreamDecoder::feedSignature(std::span<const std::uint8_t> bytes,
                                              std::size_t& consumed)
{
    const std::uint64_t start = m_body.position();
    const std::size_t take = std::min(kSignatureBytes - m_signature.size(), bytes.size());
    const std::size_t had = m_signature.size();
    m_signature.insert(m_signature.end(), bytes.begin(),
                       bytes.begin() + static_cast<std::ptrdiff_t>(take));
    consumed = take;
    if (had < 4 && m_signature.size() >= 4) {
        const std::int32_t length = JuteReader(m_signature).readInt();
        if (length != static_cast<std::int32_t>(kSnapSignature.size()))
            return fail(start, fmt::format("Missing signature: a string of length {} where "
                                           "\"{}\" belongs",
                                           length, kSnapSignature));
    }
    if (m_signature.size() < kSignatureBytes)
        return DecodeStatus::NeedMore;
    const std::string_view text(reinterpret_cast<const char*>(m_signature.data()) + 4,
                                kSnapSignature.size());
    if (text != kSnapSignature)
        return fail(start, fmt::format("Missing signature. Got \"{}\"", text));
    return DecodeStatus::Ok;
}

DecodeStatus SnapStreamDecoder::fail(std::uint64_t offset, std::string why)
{
    m_status = DecodeStatus::Malformed;
    m_errorOffset = offset;
    m_error = std::move(why);
    return m_status;
}

SnapStreamResult SnapStreamDecoder::take()
{
    ZK_ASSERT(m_status == DecodeStatus::Ok);
    ZK_ASSERT(!m_taken);
    m_taken = true;
    return SnapStreamResult{std::move(m_tree), std::move(m_sessions), m_consumed};
}

} // namespace zk
