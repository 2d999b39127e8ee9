#pragma once
// The client protocol's records (zookeeper.jute, module org.apache.zookeeper.proto, plus
// ClientInfo from module data), as plain structs with their Jute codec. Used by the
// connection layer to parse requests and by the server to build replies; no I/O here.
//
// Each record writes its fields in jute order with no tags; see jute_reader.h for the
// primitives. read() never throws: on short or hostile input the reader fails and the caller
// checks reader.ok() once after the whole record. A null ustring/vector reads as empty unless
// the field is std::optional; a null buffer is kept as std::nullopt where clients can see
// the difference (zkCli prints "null" for data created as null).
//
//   frame          := int length, payload                       (frame_decoder.h)
//   first request  := ConnectRequest                            (no header)
//   request        := RequestHeader, body chosen by RequestHeader.type
//   first reply    := ConnectResponse                           (no header)
//   reply          := ReplyHeader, body (none when err != 0)
//   ConnectRequest := int protocolVersion, long lastZxidSeen, int timeOut, long sessionId,
//                     buffer passwd, [bool readOnly]            (44 or 45 bytes)
//   ConnectResponse := int protocolVersion, int timeOut, long sessionId, buffer passwd,
//                     [bool readOnly]                           (36 or 37 bytes)
//   MultiRequest   := (MultiHeader{type, false, -1}, op)*, MultiHeader{-1, true, -1}
//   MultiResponse  := (MultiHeader{type, false, err}, result)*, MultiHeader{-1, true, -1}

#include "core/ids.h"
#include "data/acl.h"
#include "data/stat.h"
#include "proto/jute_reader.h"
#include "proto/jute_writer.h"
#include "proto/opcodes.h"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

namespace zk {

using Bytes = std::vector<std::uint8_t>;

// The readOnly byte is optional (ProtocolManager): read() sets hasReadOnly when the trailing
// byte is present, and write() emits it only when hasReadOnly is set. Old clients send 44
// bytes and must get a 36-byte reply; new ones send 45 and get 37.
struct ConnectRequest
{
    std::int32_t protocolVersion = 0;
    Zxid lastZxidSeen = 0;
    std::int32_t timeOut = 0;
    SessionId sessionId = 0;
    Bytes passwd;
    bool readOnly = false;
    bool hasReadOnly = false;

    void write(JuteWriter& w) const;
    void read(JuteReader& r);
    bool operator==(const ConnectRequest&) const = default;
};

struct ConnectResponse
{
    std::int32_t protocolVersion = 0;
    std::int32_t timeOut = 0;
    SessionId sessionId = 0;
    Bytes passwd;
    bool readOnly = false;
    bool hasReadOnly = false;

    void write(JuteWriter& w) const;
    void read(JuteReader& r);
    bool operator==(const ConnectResponse&) const = default;
};

struct RequestHeader
{
    Xid xid = 0;
    OpCode type = OpCode::Notification;

    void write(JuteWriter& w) const;
    void read(JuteReader& r);
    bool operator==(const RequestHeader&) const = default;
};

struct ReplyHeader
{
    Xid xid = 0;
    Zxid zxid = 0;
    std::int32_t err = 0; // a ZError value

    void write(JuteWriter& w) const;
    void read(JuteReader& r);
    bool operator==(const ReplyHeader&) const = default;
};

// Body of a notification (xid -1).
struct WatcherEvent
{
    EventType type = EventType::None;
    KeeperState state = KeeperState::SyncConnected;
    std::string path;

    void write(JuteWriter& w) const;
    void read(JuteReader& r);
    bool operator==(const WatcherEvent&) const = default;
};

// create, create2 and createContainer (flags 4).
struct CreateRequest
{
    std::string path;
    std::optional<Bytes> data; // nullopt = null buffer (length -1)
    AclList acl;
    std::int32_t flags = 0; // CreateMode

    void write(JuteWriter& w) const;
    void read(JuteReader& r);
    bool operator==(const CreateRequest&) const = default;
};

// CreateTTLRequest.
struct CreateTtlRequest
{
    std::string path;
    std::optional<Bytes> data;
    AclList acl;
    std::int32_t flags = 0;
    std::int64_t ttl = 0;

    void write(JuteWriter& w) const;
    void read(JuteReader& r);
    bool operator==(const CreateTtlRequest&) const = default;
};

struct CreateResponse
{
    std::string path;

    void write(JuteWriter& w) const;
    void read(JuteReader& r);
    bool operator==(const CreateResponse&) const = default;
};

struct Create2Response
{
    std::string path;
    Stat stat;

    void write(JuteWriter& w) const;
    void read(JuteReader& r);
    bool operator==(const Create2Response&) const = default;
};

struct DeleteRequest
{
    std::string path;
    std::int32_t version = -1;

    void write(JuteWriter& w) const;
    void read(JuteReader& r);
    bool operator==(const DeleteRequest&) const = default;
};

struct ExistsRequest
{
    std::string path;
    bool watch = false;

    void write(JuteWriter& w) const;
    void read(JuteReader& r);
    bool operator==(const ExistsRequest&) const = default;
};

struct ExistsResponse
{
    Stat stat;

    void write(JuteWriter& w) const;
    void read(JuteReader& r);
    bool operator==(const ExistsResponse&) const = default;
};

struct GetDataRequest
{
    std::string path;
    bool watch = false;

    void write(JuteWriter& w) const;
    void read(JuteReader& r);
    bool operator==(const GetDataRequest&) const = default;
};

// Also the reply to reconfig (the new config bytes and /zookeeper/config's stat).
struct GetDataResponse
{
    std::optional<Bytes> data; // nullopt is written as length -1
    Stat stat;

    void write(JuteWriter& w) const;
    void read(JuteReader& r);
    bool operator==(const GetDataResponse&) const = default;
};

struct SetDataRequest
{
    std::string path;
    std::optional<Bytes> data;
    std::int32_t version = -1;

    void write(JuteWriter& w) const;
    void read(JuteReader& r);
    bool operator==(const SetDataRequest&) const = default;
};

// Also the reply to a standalone check.
struct SetDataResponse
{
    Stat stat;

    void write(JuteWriter& w) const;
    void read(JuteReader& r);
    bool operator==(const SetDataResponse&) const = default;
};

struct GetAclRequest
{
    std::string path;

    void write(JuteWriter& w) const;
    void read(JuteReader& r);
    bool operator==(const GetAclRequest&) const = default;
};

struct GetAclResponse
{
    AclList acl;
    Stat stat;

    void write(JuteWriter& w) const;
    void read(JuteReader& r);
    bool operator==(const GetAclResponse&) const = default;
};

struct SetAclRequest
{
    std::string path;
    AclList acl;
    std::int32_t version = -1;

    void write(JuteWriter& w) const;
    void read(JuteReader& r);
    bool operator==(const SetAclRequest&) const = default;
};

struct SetAclResponse
{
    Stat stat;

    void write(JuteWriter& w) const;
    void read(JuteReader& r);
    bool operator==(const SetAclResponse&) const = default;
};

struct GetChildrenRequest
{
    std::string path;
    bool watch = false;

    void write(JuteWriter& w) const;
    void read(JuteReader& r);
    bool operator==(const GetChildrenRequest&) const = default;
};

struct GetChildrenResponse
{
    std::vector<std::string> children;

    void write(JuteWriter& w) const;
    void read(JuteReader& r);
    bool operator==(const GetChildrenResponse&) const = default;
};

struct GetChildren2Request
{
    std::string path;
    bool watch = false;

    void write(JuteWriter& w) const;
    void read(JuteReader& r);
    bool operator==(const GetChildren2Request&) const = default;
};

struct GetChildren2Response
{
    std::vector<std::string> children;
    Stat stat;

    void write(JuteWriter& w) const;
    void read(JuteReader& r);
    bool operator==(const GetChildren2Response&) const = default;
};

struct SyncRequest
{
    std::string path;

    void write(JuteWriter& w) const;
    void read(JuteReader& r);
    bool operator==(const SyncRequest&) const = default;
};

struct SyncResponse
{
    std::string path;

    void write(JuteWriter& w) const;
    void read(JuteReader& r);
    bool operator==(const SyncResponse&) const = default;
};

struct CheckVersionRequest
{
    std::string path;
    std::int32_t version = -1;

    void write(JuteWriter& w) const;
    void read(JuteReader& r);
    bool operator==(const CheckVersionRequest&) const = default;
};

struct CheckWatchesRequest
{
    std::string path;
    WatcherType type = WatcherType::Any;

    void write(JuteWriter& w) const;
    void read(JuteReader& r);
    bool operator==(const CheckWatchesRequest&) const = default;
};

struct RemoveWatchesRequest
{
    std::string path;
    WatcherType type = WatcherType::Any;

    void write(JuteWriter& w) const;
    void read(JuteReader& r);
    bool operator==(const RemoveWatchesRequest&) const = default;
};

// Sent with xid -4; type is unused by the server (always 0).
struct AuthPacket
{
    std::int32_t type = 0;
    std::string scheme;
    Bytes auth;

    void write(JuteWriter& w) const;
    void read(JuteReader& r);
    bool operator==(const AuthPacket&) const = default;
};

// Sent with xid -8 after a reconnect; relativeZxid is the client's last seen zxid.
struct SetWatches
{
    Zxid relativeZxid = 0;
    std::vector<std::string> dataWatches;
    std::vector<std::string> existWatches;
    std::vector<std::string> childWatches;

    void write(JuteWriter& w) const;
    void read(JuteReader& r);
    bool operator==(const SetWatches&) const = default;
};

struct SetWatches2
{
    Zxid relativeZxid = 0;
    std::vector<std::string> dataWatches;
    std::vector<std::string> existWatches;
    std::vector<std::string> childWatches;
    std::vector<std::string> persistentWatches;
    std::vector<std::string> persistentRecursiveWatches;

    void write(JuteWriter& w) const;
    void read(JuteReader& r);
    bool operator==(const SetWatches2&) const = default;
};

struct GetSaslRequest
{
    Bytes token;

    void write(JuteWriter& w) const;
    void read(JuteReader& r);
    bool operator==(const GetSaslRequest&) const = default;
};

struct SetSaslResponse
{
    Bytes token;

    void write(JuteWriter& w) const;
    void read(JuteReader& r);
    bool operator==(const SetSaslResponse&) const = default;
};

struct GetEphemeralsRequest
{
    std::string prefixPath;

    void write(JuteWriter& w) const;
    void read(JuteReader& r);
    bool operator==(const GetEphemeralsRequest&) const = default;
};

struct GetEphemeralsResponse
{
    std::vector<std::string> ephemerals;

    void write(JuteWriter& w) const;
    void read(JuteReader& r);
    bool operator==(const GetEphemeralsResponse&) const = default;
};

struct GetAllChildrenNumberRequest
{
    std::string path;

    void write(JuteWriter& w) const;
    void read(JuteReader& r);
    bool operator==(const GetAllChildrenNumberRequest&) const = default;
};

struct GetAllChildrenNumberResponse
{
    std::int32_t totalNumber = 0;

    void write(JuteWriter& w) const;
    void read(JuteReader& r);
    bool operator==(const GetAllChildrenNumberResponse&) const = default;
};

struct AddWatchRequest
{
    std::string path;
    AddWatchMode mode = AddWatchMode::Persistent;

    void write(JuteWriter& w) const;
    void read(JuteReader& r);
    bool operator==(const AddWatchRequest&) const = default;
};

// The reply body of addWatch, and a multi sub-result of type -1.
struct ErrorResponse
{
    std::int32_t err = 0; // a ZError value

    void write(JuteWriter& w) const;
    void read(JuteReader& r);
    bool operator==(const ErrorResponse&) const = default;
};

// ClientInfo := ustring authScheme, ustring user (module org.apache.zookeeper.data).
struct ClientInfo
{
    std::string authScheme;
    std::string user;

    void write(JuteWriter& w) const;
    void read(JuteReader& r);
    bool operator==(const ClientInfo&) const = default;
};

struct WhoAmIResponse
{
    std::vector<ClientInfo> clientInfo;

    void write(JuteWriter& w) const;
    void read(JuteReader& r);
    bool operator==(const WhoAmIResponse&) const = default;
};

// The three strings may be null: incremental reconfig sets joining/leaving, a
// non-incremental one sets newMembers (PrepRequestProcessor tells them apart by null).
struct ReconfigRequest
{
    std::optional<std::string> joiningServers;
    std::optional<std::string> leavingServers;
    std::optional<std::string> newMembers;
    std::int64_t curConfigId = -1;

    void write(JuteWriter& w) const;
    void read(JuteReader& r);
    bool operator==(const ReconfigRequest&) const = default;
};

struct MultiHeader
{
    OpCode type = OpCode::Error;
    bool done = false;
    std::int32_t err = -1;

    void write(JuteWriter& w) const;
    void read(JuteReader& r);
    bool operator==(const MultiHeader&) const = default;
};

// One sub-operation of multi (14) or multiRead (22). `type` picks the record on the wire:
// create/create2/createContainer -> CreateRequest, createTTL -> CreateTtlRequest,
// delete -> DeleteRequest, setData, check -> CheckVersionRequest, getChildren, getData
// (MultiOperationRecord; any other type fails). The server decides which are allowed where:
// multi takes writes and check, multiRead takes reads, and Apache rejects a mix.
using MultiOpBody = std::variant<CreateRequest, CreateTtlRequest, DeleteRequest, SetDataRequest,
                                 CheckVersionRequest, GetChildrenRequest, GetDataRequest>;

struct MultiOp
{
    OpCode type = OpCode::Create;
    MultiOpBody body;
    bool operator==(const MultiOp&) const = default;
};

// MultiOperationRecord. read() stops at the done header; every op consumes at least a 9-byte
// header, so the op count is bounded by the input size. An unknown op type, a body that does
// not match its type on write (asserted) or a missing done header fails the reader.
struct MultiRequest
{
    std::vector<MultiOp> ops;

    void write(JuteWriter& w) const;
    void read(JuteReader& r);
    bool operator==(const MultiRequest&) const = default;
};

// Delete and check succeed with no body.
struct EmptyResult
{
    bool operator==(const EmptyResult&) const = default;
};

// One sub-result, by type: create -> CreateResponse, create2 -> Create2Response,
// delete/check -> EmptyResult, setData -> SetDataResponse, getChildren ->
// GetChildrenResponse, getData -> GetDataResponse, error (-1) -> ErrorResponse. No other
// type exists here: Java's MultiResponse rejects any other, so createTTL and createContainer
// results travel as create2 and deleteContainer is never a client op. The header's err is
// ErrorResponse.err for error results and 0 otherwise.
using MultiResultBody = std::variant<EmptyResult, CreateResponse, Create2Response, SetDataResponse,
                                     GetChildrenResponse, GetDataResponse, ErrorResponse>;

struct MultiResult
{
    OpCode type = OpCode::Error;
    MultiResultBody body;
    bool operator==(const MultiResult&) const = default;
};

struct MultiResponse
{
    std::vector<MultiResult> results;

    void write(JuteWriter& w) const;
    void read(JuteReader& r);
    bool operator==(const MultiResponse&) const = default;
};

// True when `body` is the record the wire uses for a sub-op or sub-result of `type`.
bool multiOpFitsType(OpCode type, const MultiOpBody& body);
bool multiResultFitsType(OpCode type, const MultiResultBody& body);

// Convenience for one record per byte span. decodeRecord() returns nullopt when the reader
// fails; trailing bytes are allowed (as Apache's deserializers ignore them).
template <typename Record>
Bytes encodeRecord(const Record& record)
{
    JuteWriter w;
    record.write(w);
    return w.take();
}

template <typename Record>
std::optional<Record> decodeRecord(std::span<const std::uint8_t> bytes,
                                   std::int32_t maxLength = JuteReader::kDefaultMaxLength)
{
    JuteReader r(bytes, maxLength);
    Record record;
    record.read(r);
    if (!r.ok())
        return std::nullopt;
    return record;
}

} // namespace zk
