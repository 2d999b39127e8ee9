#include "storage/snapshot_body.h"

#include "core/assert.h"
#include "proto/jute_reader.h"

#include <fmt/format.h>

#include <algorithm>

namespace zk {

namespace {

constexpr std::size_t kIntBytes = 4;
constexpr std::size_t kSessionBytes = 12;  // long id, int timeout
constexpr std::size_t kNodeTailBytes = 68; // long aclId, StatPersisted (60)

std::int32_t intOf(std::span<const std::uint8_t> value)
{
    JuteReader r(value);
    return r.readInt();
}

std::string textOf(std::span<const std::uint8_t> value)
{
    return std::string(reinterpret_cast<const char*>(value.data()), value.size());
}

} // namespace

SnapshotTreeSink::SnapshotTreeSink(DataTree& tree, std::map<SessionId, std::int32_t>& sessions)
    : m_tree(tree), m_sessions(sessions)
{
    m_tree.beginRestore();
    m_sessions.clear();
}

void SnapshotTreeSink::session(SessionId id, std::int32_t timeoutMs)
{
    m_sessions[id] = timeoutMs;
}

void SnapshotTreeSink::acl(std::int64_t id, AclList acls)
{
    m_tree.acls().addRaw(id, std::move(acls));
}

void SnapshotTreeSink::node(std::string path, DataNode node)
{
    m_tree.addNodeForRestore(std::move(path), std::move(node));
}

bool SnapshotTreeSink::finish()
{
    return m_tree.finishRestore();
}

void writeSnapshotBodyHead(JuteWriter& w,
                           std::span<const std::pair<SessionId, std::int32_t>> sessions,
                           const std::map<std::int64_t, AclList>& acls)
{
    w.writeInt(static_cast<std::int32_t>(sessions.size()));
    for (const auto& [id, timeout] : sessions) {
        w.writeLong(id);
        w.writeInt(timeout);
    }
    w.writeInt(static_cast<std::int32_t>(acls.size()));
    for (const auto& [id, list] : acls) {
        w.writeLong(id);
        writeAclList(w, list);
    }
}

void writeSnapshotNode(JuteWriter& w, std::string_view path, const DataNode& node)
{
    w.writeString(path == "/" ? std::string_view() : path);
    w.writeOptionalBuffer(node.data);
    w.writeLong(node.aclId);
    node.stat.write(w);
}

void writeSnapshotBodyEnd(JuteWriter& w)
{
    w.writeString("/");
}

SnapshotBodyDecoder::SnapshotBodyDecoder(SnapshotSink& sink, std::int32_t maxLength)
    : m_sink(sink), m_maxLength(maxLength)
{
    ZK_ASSERT(maxLength >= 0);
}

DecodeStatus SnapshotBodyDecoder::status() const
{
    if (m_field == Field::Done)
        return DecodeStatus::Ok;
    return m_field == Field::Failed ? DecodeStatus::Malformed : DecodeStatus::NeedMore;
}

std::string_view SnapshotBodyDecoder::section() const
{
    switch (m_field) {
    case Field::SessionCount:
    case Field::Session:
        return "session table";
    case Field::AclCount:
    case Field::AclId:
    case Field::AclListCount:
    case Field::AclPerms:
    case Field::SchemeLength:
    case Field::Scheme:
    case Field::IdLength:
    case Field::IdText:
        return "ACL table";
    case Field::Done:
    case Field::Failed:
        return "";
    default:
        return "node list";
    }
}

DecodeStatus SnapshotBodyDecoder::feed(std::span<const std::uint8_t> bytes, std::size_t& consumed)
{
    consumed = 0;
    while (m_field != Field::Done && m_field != Field::Failed) {
        std::span<const std::uint8_t> value;
        if (!gather(bytes, consumed, value))
            return DecodeStatus::NeedMore;
        handle(value);
        m_partial.clear(); // `value` may point here; handle() has copied what it keeps
    }
    return status();
}

// Hands out the current field: straight from the input when it lies there whole, else
// from m_partial once the pieces fed so far add up to it.
bool SnapshotBodyDecoder::gather(std::span<const std::uint8_t> bytes, std::size_t& consumed,
                                 std::span<const std::uint8_t>& value)
{
    const std::size_t available = bytes.size() - consumed;
    if (m_partial.empty() && available >= m_need) {
        value = bytes.subspan(consumed, m_need);
        consumed += m_need;
        m_position += m_need;
        return true;
    }
    const std::size_t take = std::min(m_need - m_partial.size(), available);
    const auto from = bytes.begin() + static_cast<std::ptrdiff_t>(consumed);
    m_partial.insert(m_partial.end(), from, from + static_cast<std::ptrdiff_t>(take));
    consumed += take;
    m_position += take;
    if (m_partial.size() < m_need)
        return false;
    value = m_partial;
    return true;
}

void SnapshotBodyDecoder::expect(Field field, std::size_t bytes)
{
    m_field = field;
    m_need = bytes;
    m_fieldStart = m_position;
    if (m_position + bytes > kMaxSnapshotBytes)
        fail(fmt::format("snapshot larger than {} bytes", kMaxSnapshotBytes));
}

void SnapshotBodyDecoder::expectLengthPrefixed(Field field, std::int32_t length)
{
    // The field starts at its length prefix, which is where an error is reported.
    const std::uint64_t start = m_fieldStart;
    expect(field, static_cast<std::size_t>(length));
    m_fieldStart = start;
}

bool SnapshotBodyDecoder::lengthOf(std::span<const std::uint8_t> value, std::string_view what,
                                   std::int32_t& out)
{
    out = intOf(value);
    if (out == -1) {
        out = 0;
        return true;
    }
    if (out < -1 || out > m_maxLength) {
        fail(fmt::format("{} {} is not in -1..{}", what, out, m_maxLength));
        return false;
    }
    return true;
}

void SnapshotBodyDecoder::fail(std::string why)
{
    m_field = Field::Failed;
    m_need = 0;
    m_error = std::move(why);
}

void SnapshotBodyDecoder::nextSession()
{
    if (m_left > 0)
        expect(Field::Session, kSessionBytes);
    else
        expect(Field::AclCount, kIntBytes);
}

void SnapshotBodyDecoder::nextAclEntry()
{
    if (m_left > 0)
        expect(Field::AclId, 8);
    else
        expect(Field::PathLength, kIntBytes);
}

void SnapshotBodyDecoder::nextAcl()
{
    if (m_aclItemsLeft > 0) {
        expect(Field::AclPerms, kIntBytes);
        return;
    }
    m_sink.acl(m_aclId, std::move(m_aclList));
    m_aclList = AclList();
    ++m_aclCount;
    --m_left;
    nextAclEntry();
}

void SnapshotBodyDecoder::handle(std::span<const std::uint8_t> value)
{
    ZK_ASSERT(value.size() == m_need);
    switch (m_field) {
    case Field::SessionCount: {
        std::int32_t count = 0;
        if (!lengthOf(value, "session count", count))
            return;
        m_left = count;
        nextSession();
        return;
    }
    case Field::Session: {
        JuteReader r(value);
        const SessionId id = r.readLong();
        const std::int32_t timeoutMs = r.readInt();
        ZK_ASSERT(r.ok());
        m_sink.session(id, timeoutMs);
        ++m_sessionCount;
        --m_left;
        nextSession();
        return;
    }
    case Field::AclCount: {
        std::int32_t count = 0;
        if (!lengthOf(value, "ACL table count", count))
            return;
        m_left = count;
        nextAclEntry();
        return;
    }
    case Field::AclId:
    case Field::AclListCount:
    case Field::AclPerms:
    case Field::SchemeLength:
    case Field::Scheme:
    case Field::IdLength:
    case Field::IdText:
        handleAcl(value);
        return;
    default:
        handleNode(value);
        return;
    }
}

void SnapshotBodyDecoder::handleAcl(std::span<const std::uint8_t> value)
{
    std::int32_t length = 0;
    switch (m_field) {
    case Field::AclId:
        m_aclId = JuteReader(value).readLong();
        expect(Field::AclListCount, kIntBytes);
        return;
    case Field::AclListCount:
        if (!lengthOf(value, "ACL list count", length))
            return;
        m_aclItemsLeft = length;
        nextAcl();
        return;
    case Field::AclPerms:
        m_acl = Acl{intOf(value), Id{}};
        expect(Field::SchemeLength, kIntBytes);
        return;
    case Field::SchemeLength:
        if (lengthOf(value, "ACL scheme length", length))
            expectLengthPrefixed(Field::Scheme, length);
        return;
    case Field::Scheme:
        m_acl.id.scheme = textOf(value);
        expect(Field::IdLength, kIntBytes);
        return;
    case Field::IdLength:
        if (lengthOf(value, "ACL id length", length))
            expectLengthPrefixed(Field::IdText, length);
        return;
    case Field::IdText:
        m_acl.id.id = textOf(value);
        m_aclList.push_back(std::move(m_acl));
        --m_aclItemsLeft;
        nextAcl();
        return;
    default:
        ZK_ASSERT(false);
    }
}

void SnapshotBodyDecoder::handleNode(std::span<const std::uint8_t> value)
{
    std::int32_t length = 0;
    switch (m_field) {
    case Field::PathLength:
        if (lengthOf(value, "path length", length))
            expectLengthPrefixed(Field::Path, length);
        return;
    case Field::Path:
        m_path = textOf(value);
        if (m_path == "/") {
            m_field = Field::Done;
            m_need = 0;
            return;
        }
        expect(Field::DataLength, kIntBytes);
        return;
    case Field::DataLength:
        if (intOf(value) == -1) {
            m_node.data = std::nullopt;
            expect(Field::NodeTail, kNodeTailBytes);
        } else if (lengthOf(value, "node data length", length)) {
            expectLengthPrefixed(Field::Data, length);
        }
        return;
    case Field::Data:
        m_node.data.emplace(value.begin(), value.end());
        expect(Field::NodeTail, kNodeTailBytes);
        return;
    case Field::NodeTail: {
        JuteReader r(value);
        m_node.aclId = r.readLong();
        m_node.stat.read(r);
        ZK_ASSERT(r.ok());
        m_sink.node(std::move(m_path), std::move(m_node));
        m_path = std::string();
        m_node = DataNode();
        ++m_nodeCount;
        expect(Field::PathLength, kIntBytes);
        return;
    }
    default:
        ZK_ASSERT(false);
    }
}

} // namespace zk
