#include "proto/client_records.h"

#include "core/assert.h"

#include <type_traits>

namespace zk {

namespace {

void writeStrings(JuteWriter& w, const std::vector<std::string>& items)
{
    w.writeVector(items, [](JuteWriter& out, const std::string& item) { out.writeString(item); });
}

// A ustring is at least its 4-byte length.
std::vector<std::string> readStrings(JuteReader& r)
{
    return r.readVector<std::string>([](JuteReader& in) { return in.readString(); }, 4);
}

template <typename Record>
void writeRecords(JuteWriter& w, const std::vector<Record>& items)
{
    w.writeVector(items, [](JuteWriter& out, const Record& item) { item.write(out); });
}

template <typename Record>
std::vector<Record> readRecords(JuteReader& r, std::size_t minItemBytes)
{
    return r.readVector<Record>(
        [](JuteReader& in) {
            Record item;
            item.read(in);
            return item;
        },
        minItemBytes);
}

// Reads the record of alternative Alt into `body`.
template <typename Alt, typename Variant>
void readAlternative(JuteReader& r, Variant& body)
{
    Alt record;
    record.read(r);
    body = std::move(record);
}

bool readMultiOpBody(JuteReader& r, OpCode type, MultiOpBody& body)
{
    switch (type) {
    case OpCode::Create:
    case OpCode::Create2:
    case OpCode::CreateContainer:
        readAlternative<CreateRequest>(r, body);
        return true;
    case OpCode::CreateTtl:
        readAlternative<CreateTtlRequest>(r, body);
        return true;
    case OpCode::Delete:
        readAlternative<DeleteRequest>(r, body);
        return true;
    case OpCode::SetData:
        readAlternative<SetDataRequest>(r, body);
        return true;
    case OpCode::Check:
        readAlternative<CheckVersionRequest>(r, body);
        return true;
    case OpCode::GetChildren:
        readAlternative<GetChildrenRequest>(r, body);
        return true;
    case OpCode::GetData:
        readAlternative<GetDataRequest>(r, body);
        return true;
    default:
        return false;
    }
}

bool readMultiResultBody(JuteReader& r, OpCode type, MultiResultBody& body)
{
    switch (type) {
    case OpCode::Create:
        readAlternative<CreateResponse>(r, body);
        return true;
    case OpCode::Create2:
        readAlternative<Create2Response>(r, body);
        return true;
    case OpCode::Delete:
    case OpCode::Check:
        body = EmptyResult{};
        return true;
    case OpCode::SetData:
        readAlternative<SetDataResponse>(r, body);
        return true;
    case OpCode::GetChildren:
        readAlternative<GetChildrenResponse>(r, body);
        return true;
    case OpCode::GetData:
        readAlternative<GetDataResponse>(r, body);
        return true;
    case OpCode::Error:
        readAlternative<ErrorResponse>(r, body);
        return true;
    default:
        return false;
    }
}

// The header that ends both MultiOperationRecord and MultiResponse.
constexpr MultiHeader kMultiDone{OpCode::Error, true, -1};

} // namespace

bool multiOpFitsType(OpCode type, const MultiOpBody& body)
{
    switch (type) {
    case OpCode::Create:
    case OpCode::Create2:
    case OpCode::CreateContainer:
        return std::holds_alternative<CreateRequest>(body);
    case OpCode::CreateTtl:
        return std::holds_alternative<CreateTtlRequest>(body);
    case OpCode::Delete:
        return std::holds_alternative<DeleteRequest>(body);
    case OpCode::SetData:
        return std::holds_alternative<SetDataRequest>(body);
    case OpCode::Check:
        return std::holds_alternative<CheckVersionRequest>(body);
    case OpCode::GetChildren:
        return std::holds_alternative<GetChildrenRequest>(body);
    case OpCode::GetData:
        return std::holds_alternative<GetDataRequest>(body);
    default:
        return false;
    }
}

bool multiResultFitsType(OpCode type, const MultiResultBody& body)
{
    switch (type) {
    case OpCode::Create:
        return std::holds_alternative<CreateResponse>(body);
    case OpCode::Create2:
        return std::holds_alternative<Create2Response>(body);
    case OpCode::Delete:
    case OpCode::Check:
        return std::holds_alternative<EmptyResult>(body);
    case OpCode::SetData:
        return std::holds_alternative<SetDataResponse>(body);
    case OpCode::GetChildren:
        return std::holds_alternative<GetChildrenResponse>(body);
    case OpCode::GetData:
        return std::holds_alternative<GetDataResponse>(body);
    case OpCode::Error:
        return std::holds_alternative<ErrorResponse>(body);
    default:
        return false;
    }
}

void ConnectRequest::write(JuteWriter& w) const
{
    w.writeInt(protocolVersion);
    w.writeLong(lastZxidSeen);
    w.writeInt(timeOut);
    w.writeLong(sessionId);
    w.writeBuffer(passwd);
    if (hasReadOnly)
        w.writeBool(readOnly);
}

void ConnectRequest::read(JuteReader& r)
{
    protocolVersion = r.readInt();
    lastZxidSeen = r.readLong();
    timeOut = r.readInt();
    sessionId = r.readLong();
    passwd = r.readBuffer();
    // Old clients stop after passwd (ProtocolManager tolerates the missing byte).
    hasReadOnly = r.ok() && !r.atEnd();
    readOnly = hasReadOnly ? r.readBool() : false;
}

void ConnectResponse::write(JuteWriter& w) const
{
    w.writeInt(protocolVersion);
    w.writeInt(timeOut);
    w.writeLong(sessionId);
    w.writeBuffer(passwd);
    if (hasReadOnly)
        w.writeBool(readOnly);
}

void ConnectResponse::read(JuteReader& r)
{
    protocolVersion = r.readInt();
    timeOut = r.readInt();
    sessionId = r.readLong();
    passwd = r.readBuffer();
    hasReadOnly = r.ok() && !r.atEnd();
    readOnly = hasReadOnly ? r.readBool() : false;
}

void RequestHeader::write(JuteWriter& w) const
{
    w.writeInt(xid);
    w.writeInt(static_cast<std::int32_t>(type));
}

void RequestHeader::read(JuteReader& r)
{
    xid = r.readInt();
    type = static_cast<OpCode>(r.readInt());
}

void ReplyHeader::write(JuteWriter& w) const
{
    w.writeInt(xid);
    w.writeLong(zxid);
    w.writeInt(err);
}

void ReplyHeader::read(JuteReader& r)
{
    xid = r.readInt();
    zxid = r.readLong();
    err = r.readInt();
}

void WatcherEvent::write(JuteWriter& w) const
{
    w.writeInt(static_cast<std::int32_t>(type));
    w.writeInt(static_cast<std::int32_t>(state));
    w.writeString(path);
}

void WatcherEvent::read(JuteReader& r)
{
    type = static_cast<EventType>(r.readInt());
    state = static_cast<KeeperState>(r.readInt());
    path = r.readString();
}

void CreateRequest::write(JuteWriter& w) const
{
    w.writeString(path);
    w.writeOptionalBuffer(data);
    writeAclList(w, acl);
    w.writeInt(flags);
}

void CreateRequest::read(JuteReader& r)
{
    path = r.readString();
    data = r.readOptionalBuffer();
    acl = readAclList(r);
    flags = r.readInt();
}

void CreateTtlRequest::write(JuteWriter& w) const
{
    w.writeString(path);
    w.writeOptionalBuffer(data);
    writeAclList(w, acl);
    w.writeInt(flags);
    w.writeLong(ttl);
}

void CreateTtlRequest::read(JuteReader& r)
{
    path = r.readString();
    data = r.readOptionalBuffer();
    acl = readAclList(r);
    flags = r.readInt();
    ttl = r.readLong();
}

void CreateResponse::write(JuteWriter& w) const
{
    w.writeString(path);
}

void CreateResponse::read(JuteReader& r)
{
    path = r.readString();
}

void Create2Response::write(JuteWriter& w) const
{
    w.writeString(path);
    stat.write(w);
}

void Create2Response::read(JuteReader& r)
{
    path = r.readString();
    stat.read(r);
}

void DeleteRequest::write(JuteWriter& w) const
{
    w.writeString(path);
    w.writeInt(version);
}

void DeleteRequest::read(JuteReader& r)
{
    path = r.readString();
    version = r.readInt();
}

void ExistsRequest::write(JuteWriter& w) const
{
    w.writeString(path);
    w.writeBool(watch);
}

void ExistsRequest::read(JuteReader& r)
{
    path = r.readString();
    watch = r.readBool();
}

void ExistsResponse::write(JuteWriter& w) const
{
    stat.write(w);
}

void ExistsResponse::read(JuteReader& r)
{
    stat.read(r);
}

void GetDataRequest::write(JuteWriter& w) const
{
    w.writeString(path);
    w.writeBool(watch);
}

void GetDataRequest::read(JuteReader& r)
{
    path = r.readString();
    watch = r.readBool();
}

void GetDataResponse::write(JuteWriter& w) const
{
    w.writeOptionalBuffer(data);
    stat.write(w);
}

void GetDataResponse::read(JuteReader& r)
{
    data = r.readOptionalBuffer();
    stat.read(r);
}

void SetDataRequest::write(JuteWriter& w) const
{
    w.writeString(path);
    w.writeOptionalBuffer(data);
    w.writeInt(version);
}

void SetDataRequest::read(JuteReader& r)
{
    path = r.readString();
    data = r.readOptionalBuffer();
    version = r.readInt();
}

void SetDataResponse::write(JuteWriter& w) const
{
    stat.write(w);
}

void SetDataResponse::read(JuteReader& r)
{
    stat.read(r);
}

void GetAclRequest::write(JuteWriter& w) const
{
    w.writeString(path);
}

void GetAclRequest::read(JuteReader& r)
{
    path = r.readString();
}

void GetAclResponse::write(JuteWriter& w) const
{
    writeAclList(w, acl);
    stat.write(w);
}

void GetAclResponse::read(JuteReader& r)
{
    acl = readAclList(r);
    stat.read(r);
}

void SetAclRequest::write(JuteWriter& w) const
{
    w.writeString(path);
    writeAclList(w, acl);
    w.writeInt(version);
}

void SetAclRequest::read(JuteReader& r)
{
    path = r.readString();
    acl = readAclList(r);
    version = r.readInt();
}

void SetAclResponse::write(JuteWriter& w) const
{
    stat.write(w);
}

void SetAclResponse::read(JuteReader& r)
{
    stat.read(r);
}

void GetChildrenRequest::write(JuteWriter& w) const
{
    w.writeString(path);
    w.writeBool(watch);
}

void GetChildrenRequest::read(JuteReader& r)
{
    path = r.readString();
    watch = r.readBool();
}

void GetChildrenResponse::write(JuteWriter& w) const
{
    writeStrings(w, children);
}

void GetChildrenResponse::read(JuteReader& r)
{
    children = readStrings(r);
}

void GetChildren2Request::write(JuteWriter& w) const
{
    w.writeString(path);
    w.writeBool(watch);
}

void GetChildren2Request::read(JuteReader& r)
{
    path = r.readString();
    watch = r.readBool();
}

void GetChildren2Response::write(JuteWriter& w) const
{
    writeStrings(w, children);
    stat.write(w);
}

void GetChildren2Response::read(JuteReader& r)
{
    children = readStrings(r);
    stat.read(r);
}

void SyncRequest::write(JuteWriter& w) const
{
    w.writeString(path);
}

void SyncRequest::read(JuteReader& r)
{
    path = r.readString();
}

void SyncResponse::write(JuteWriter& w) const
{
    w.writeString(path);
}

void SyncResponse::read(JuteReader& r)
{
    path = r.readString();
}

void CheckVersionRequest::write(JuteWriter& w) const
{
    w.writeString(path);
    w.writeInt(version);
}

void CheckVersionRequest::read(JuteReader& r)
{
    path = r.readString();
    version = r.readInt();
}

void CheckWatchesRequest::write(JuteWriter& w) const
{
    w.writeString(path);
    w.writeInt(static_cast<std::int32_t>(type));
}

void CheckWatchesRequest::read(JuteReader& r)
{
    path = r.readString();
    type = static_cast<WatcherType>(r.readInt());
}

void RemoveWatchesRequest::write(JuteWriter& w) const
{
    w.writeString(path);
    w.writeInt(static_cast<std::int32_t>(type));
}

void RemoveWatchesRequest::read(JuteReader& r)
{
    path = r.readString();
    type = static_cast<WatcherType>(r.readInt());
}

void AuthPacket::write(JuteWriter& w) const
{
    w.writeInt(type);
    w.writeString(scheme);
    w.writeBuffer(auth);
}

void AuthPacket::read(JuteReader& r)
{
    type = r.readInt();
    scheme = r.readString();
    auth = r.readBuffer();
}

void SetWatches::write(JuteWriter& w) const
{
    w.writeLong(relativeZxid);
    writeStrings(w, dataWatches);
    writeStrings(w, existWatches);
    writeStrings(w, childWatches);
}

void SetWatches::read(JuteReader& r)
{
    relativeZxid = r.readLong();
    dataWatches = readStrings(r);
    existWatches = readStrings(r);
    childWatches = readStrings(r);
}

void SetWatches2::write(JuteWriter& w) const
{
    w.writeLong(relativeZxid);
    writeStrings(w, dataWatches);
    writeStrings(w, existWatches);
    writeStrings(w, childWatches);
    writeStrings(w, persistentWatches);
    writeStrings(w, persistentRecursiveWatches);
}

void SetWatches2::read(JuteReader& r)
{
    relativeZxid = r.readLong();
    dataWatches = readStrings(r);
    existWatches = readStrings(r);
    childWatches = readStrings(r);
    persistentWatches = readStrings(r);
    persistentRecursiveWatches = readStrings(r);
}

void GetSaslRequest::write(JuteWriter& w) const
{
    w.writeBuffer(token);
}

void GetSaslRequest::read(JuteReader& r)
{
    token = r.readBuffer();
}

void SetSaslResponse::write(JuteWriter& w) const
{
    w.writeBuffer(token);
}

void SetSaslResponse::read(JuteReader& r)
{
    token = r.readBuffer();
}

void GetEphemeralsRequest::write(JuteWriter& w) const
{
    w.writeString(prefixPath);
}

void GetEphemeralsRequest::read(JuteReader& r)
{
    prefixPath = r.readString();
}

void GetEphemeralsResponse::write(JuteWriter& w) const
{
    writeStrings(w, ephemerals);
}

void GetEphemeralsResponse::read(JuteReader& r)
{
    ephemerals = readStrings(r);
}

void GetAllChildrenNumberRequest::write(JuteWriter& w) const
{
    w.writeString(path);
}

void GetAllChildrenNumberRequest::read(JuteReader& r)
{
    path = r.readString();
}

void GetAllChildrenNumberResponse::write(JuteWriter& w) const
{
    w.writeInt(totalNumber);
}

void GetAllChildrenNumberResponse::read(JuteReader& r)
{
    totalNumber = r.readInt();
}

void AddWatchRequest::write(JuteWriter& w) const
{
    w.writeString(path);
    w.writeInt(static_cast<std::int32_t>(mode));
}

void AddWatchRequest::read(JuteReader& r)
{
    path = r.readString();
    mode = static_cast<AddWatchMode>(r.readInt());
}

void ErrorResponse::write(JuteWriter& w) const
{
    w.writeInt(err);
}

void ErrorResponse::read(JuteReader& r)
{
    err = r.readInt();
}

void ClientInfo::write(JuteWriter& w) const
{
    w.writeString(authScheme);
    w.writeString(user);
}

void ClientInfo::read(JuteReader& r)
{
    authScheme = r.readString();
    user = r.readString();
}

void WhoAmIResponse::write(JuteWriter& w) const
{
    writeRecords(w, clientInfo);
}

void WhoAmIResponse::read(JuteReader& r)
{
    clientInfo = readRecords<ClientInfo>(r, 8);
}

void ReconfigRequest::write(JuteWriter& w) const
{
    w.writeOptionalString(joiningServers);
    w.writeOptionalString(leavingServers);
    w.writeOptionalString(newMembers);
    w.writeLong(curConfigId);
}

void ReconfigRequest::read(JuteReader& r)
{
    joiningServers = r.readOptionalString();
    leavingServers = r.readOptionalString();
    newMembers = r.readOptionalString();
    curConfigId = r.readLong();
}

void MultiHeader::write(JuteWriter& w) const
{
    w.writeInt(static_cast<std::int32_t>(type));
    w.writeBool(done);
    w.writeInt(err);
}

void MultiHeader::read(JuteReader& r)
{
    type = static_cast<OpCode>(r.readInt());
    done = r.readBool();
    err = r.readInt();
}

void MultiRequest::write(JuteWriter& w) const
{
    for (const MultiOp& op : ops) {
        ZK_ASSERT(multiOpFitsType(op.type, op.body));
        MultiHeader{op.type, false, -1}.write(w);
        std::visit([&w](const auto& record) { record.write(w); }, op.body);
    }
    kMultiDone.write(w);
}

void MultiRequest::read(JuteReader& r)
{
    ops.clear();
    // Each pass consumes at least a 9-byte header or fails the reader, so the loop and the
    // vector are bounded by the input size.
    while (r.ok()) {
        MultiHeader header;
        header.read(r);
        if (!r.ok() || header.done)
            return;
        MultiOp op;
        op.type = header.type;
        if (!readMultiOpBody(r, header.type, op.body)) {
            r.fail();
            return;
        }
        ops.push_back(std::move(op));
    }
}

void MultiResponse::write(JuteWriter& w) const
{
    for (const MultiResult& result : results) {
        ZK_ASSERT(multiResultFitsType(result.type, result.body));
        const auto* error = std::get_if<ErrorResponse>(&result.body);
        MultiHeader{result.type, false, error ? error->err : 0}.write(w);
        std::visit(
            [&w](const auto& record) {
                if constexpr (!std::is_same_v<std::decay_t<decltype(record)>, EmptyResult>)
                    record.write(w);
            },
            result.body);
    }
    kMultiDone.write(w);
}

void MultiResponse::read(JuteReader& r)
{
    results.clear();
    // Bounded like MultiRequest::read. The header's err is redundant with ErrorResponse.err
    // and is ignored, as MultiResponse.deserialize does.
    while (r.ok()) {
        MultiHeader header;
        header.read(r);
        if (!r.ok() || header.done)
            return;
        MultiResult result;
        result.type = header.type;
        if (!readMultiResultBody(r, header.type, result.body)) {
            r.fail();
            return;
        }
        results.push_back(std::move(result));
    }
}

} // namespace zk
