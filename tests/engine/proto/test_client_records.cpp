// Proves every client record round-trips, that a few match ZooKeeper's bytes exactly (the
// optional readOnly byte, null buffers, multi framing) and that truncated input fails cleanly.
#include "proto/client_records.h"

#include <QtTest>

#include <initializer_list>

namespace {

using zk::Bytes;

Bytes bytesOf(std::initializer_list<int> values)
{
    Bytes out;
    for (int v : values)
        out.push_back(static_cast<std::uint8_t>(v));
    return out;
}

void append(Bytes& out, const Bytes& more)
{
    out.insert(out.end(), more.begin(), more.end());
}

Bytes intBytes(std::int32_t v)
{
    zk::JuteWriter w;
    w.writeInt(v);
    return w.take();
}

Bytes longBytes(std::int64_t v)
{
    zk::JuteWriter w;
    w.writeLong(v);
    return w.take();
}

Bytes stringBytes(std::string_view s)
{
    zk::JuteWriter w;
    w.writeString(s);
    return w.take();
}

zk::Stat sampleStat()
{
    zk::Stat s;
    s.czxid = 0x100000001LL;
    s.mzxid = 0x100000002LL;
    s.ctime = 1700000000000LL;
    s.mtime = 1700000000500LL;
    s.version = 3;
    s.cversion = -1;
    s.aversion = 2;
    s.ephemeralOwner = 0x0100000000000042LL;
    s.dataLength = 5;
    s.numChildren = 7;
    s.pzxid = 0x100000003LL;
    return s;
}

zk::AclList sampleAcl()
{
    return {zk::Acl{zk::perms::All, zk::Id{"world", "anyone"}},
            zk::Acl{zk::perms::Read, zk::Id{"digest", "user:hash="}}};
}

// Encodes, decodes and compares; then checks that the decode consumed every byte and that
// every strict prefix of the encoding fails.
template <typename Record>
void checkRoundTrip(const Record& record, const char* name)
{
    const Bytes bytes = zk::encodeRecord(record);
    zk::JuteReader r(bytes);
    Record decoded;
    decoded.read(r);
    QVERIFY2(r.ok(), name);
    QVERIFY2(r.atEnd(), name);
    QVERIFY2(decoded == record, name);
    for (std::size_t n = 0; n < bytes.size(); ++n) {
        const auto prefix = std::span<const std::uint8_t>(bytes).first(n);
        QVERIFY2(!zk::decodeRecord<Record>(prefix).has_value(),
                 qPrintable(QStringLiteral("%1 prefix %2").arg(name).arg(n)));
    }
}

zk::CreateRequest sampleCreate()
{
    return zk::CreateRequest{"/app/node", Bytes{1, 2, 3}, sampleAcl(), 3};
}

} // namespace

class ClientRecordsTest : public QObject
{
    Q_OBJECT
private slots:
    void everyRecordRoundTrips()
    {
        using namespace zk;
        const Stat stat = sampleStat();
        checkRoundTrip(RequestHeader{7, OpCode::GetData}, "RequestHeader");
        checkRoundTrip(ReplyHeader{7, 0x500000001LL, -101}, "ReplyHeader");
        checkRoundTrip(WatcherEvent{EventType::NodeDataChanged, KeeperState::SyncConnected, "/a"},
                       "WatcherEvent");
        checkRoundTrip(sampleCreate(), "CreateRequest");
        checkRoundTrip(CreateRequest{"/null", std::nullopt, sampleAcl(), 0}, "CreateRequest null");
        checkRoundTrip(CreateTtlRequest{"/ttl", Bytes{9}, sampleAcl(), 5, 60000}, "CreateTtl");
        checkRoundTrip(CreateResponse{"/app/node0000000001"}, "CreateResponse");
        checkRoundTrip(Create2Response{"/app/x", stat}, "Create2Response");
        checkRoundTrip(DeleteRequest{"/a", 4}, "DeleteRequest");
        checkRoundTrip(ExistsRequest{"/a", true}, "ExistsRequest");
        checkRoundTrip(ExistsResponse{stat}, "ExistsResponse");
        checkRoundTrip(GetDataRequest{"/a", true}, "GetDataRequest");
        checkRoundTrip(GetDataResponse{Bytes{'h', 'i'}, stat}, "GetDataResponse");
        checkRoundTrip(GetDataResponse{std::nullopt, stat}, "GetDataResponse null");
        checkRoundTrip(GetDataResponse{Bytes{}, stat}, "GetDataResponse empty");
        checkRoundTrip(SetDataRequest{"/a", Bytes{0, 255}, -1}, "SetDataRequest");
        checkRoundTrip(SetDataResponse{stat}, "SetDataResponse");
        checkRoundTrip(GetAclRequest{"/a"}, "GetAclRequest");
        checkRoundTrip(GetAclResponse{sampleAcl(), stat}, "GetAclResponse");
        checkRoundTrip(SetAclRequest{"/a", sampleAcl(), 2}, "SetAclRequest");
        checkRoundTrip(SetAclResponse{stat}, "SetAclResponse");
        checkRoundTrip(GetChildrenRequest{"/a", false}, "GetChildrenRequest");
        checkRoundTrip(GetChildrenResponse{{"x", "y", ""}}, "GetChildrenResponse");
        checkRoundTrip(GetChildren2Request{"/a", true}, "GetChildren2Request");
        checkRoundTrip(GetChildren2Response{{"c"}, stat}, "GetChildren2Response");
        checkRoundTrip(SyncRequest{"/a"}, "SyncRequest");
        checkRoundTrip(SyncResponse{"/a"}, "SyncResponse");
        checkRoundTrip(CheckVersionRequest{"/a", 9}, "CheckVersionRequest");
        checkRoundTrip(CheckWatchesRequest{"/a", WatcherType::Data}, "CheckWatchesRequest");
        checkRoundTrip(RemoveWatchesRequest{"/a", WatcherType::Children}, "RemoveWatchesRequest");
        checkRoundTrip(AuthPacket{0, "digest", Bytes{'u', ':', 'p'}}, "AuthPacket");
        checkRoundTrip(SetWatches{0x42, {"/d"}, {"/e1", "/e2"}, {}}, "SetWatches");
        checkRoundTrip(SetWatches2{0x43, {"/d"}, {}, {"/c"}, {"/p"}, {"/r", "/r2"}}, "SetWatches2");
        checkRoundTrip(GetSaslRequest{Bytes{1, 2}}, "GetSaslRequest");
        checkRoundTrip(SetSaslResponse{Bytes{3}}, "SetSaslResponse");
        checkRoundTrip(GetEphemeralsRequest{"/pre"}, "GetEphemeralsRequest");
        checkRoundTrip(GetEphemeralsResponse{{"/pre/a", "/pre/b"}}, "GetEphemeralsResponse");
        checkRoundTrip(GetAllChildrenNumberRequest{"/a"}, "GetAllChildrenNumberRequest");
        checkRoundTrip(GetAllChildrenNumberResponse{12345}, "GetAllChildrenNumberResponse");
        checkRoundTrip(AddWatchRequest{"/a", AddWatchMode::PersistentRecursive}, "AddWatch");
        checkRoundTrip(ErrorResponse{-110}, "ErrorResponse");
        checkRoundTrip(ClientInfo{"ip", "127.0.0.1"}, "ClientInfo");
        checkRoundTrip(WhoAmIResponse{{{"ip", "127.0.0.1"}, {"digest", "bob"}}}, "WhoAmI");
        checkRoundTrip(ReconfigRequest{"server.4=h:1:2", std::nullopt, std::nullopt, 0x100000000},
                       "ReconfigRequest");
        checkRoundTrip(ReconfigRequest{std::nullopt, "", "server.1=a:1:2", -1}, "Reconfig nulls");
        checkRoundTrip(MultiHeader{OpCode::SetData, false, -1}, "MultiHeader");
        checkRoundTrip(ConnectRequest{0, 0x10, 30000, 0, Bytes(16, 0), false, false},
                       "ConnectRequest old");
        checkRoundTrip(ConnectResponse{0, 30000, 0x4200, Bytes(16, 7), false, false},
                       "ConnectResponse old");
    }

    void connectRequestReadOnlyIsOptional()
    {
        // 44 bytes without readOnly (go-zookeeper), 45 with it (Java 3.5+, kazoo).
        zk::ConnectRequest old{0, 0x1122334455667788LL, 30000, 0, Bytes(16, 0xAB), false, false};
        Bytes expected;
        append(expected, intBytes(0));
        append(expected, longBytes(0x1122334455667788LL));
        append(expected, intBytes(30000));
        append(expected, longBytes(0));
        append(expected, intBytes(16));
        append(expected, Bytes(16, 0xAB));
        const Bytes oldBytes = zk::encodeRecord(old);
        QCOMPARE(oldBytes.size(), std::size_t{44});
        QCOMPARE(oldBytes, expected);
        const auto oldDecoded = zk::decodeRecord<zk::ConnectRequest>(oldBytes);
        QVERIFY(oldDecoded.has_value());
        QVERIFY(!oldDecoded->hasReadOnly);
        QCOMPARE(*oldDecoded, old);

        zk::ConnectRequest fresh = old;
        fresh.hasReadOnly = true;
        fresh.readOnly = true;
        const Bytes newBytes = zk::encodeRecord(fresh);
        QCOMPARE(newBytes.size(), std::size_t{45});
        QCOMPARE(newBytes.back(), std::uint8_t{1});
        QVERIFY(std::equal(expected.begin(), expected.end(), newBytes.begin()));
        const auto newDecoded = zk::decodeRecord<zk::ConnectRequest>(newBytes);
        QVERIFY(newDecoded.has_value());
        QVERIFY(newDecoded->hasReadOnly);
        QVERIFY(newDecoded->readOnly);

        // A 45-byte request with readOnly=false still remembers that the byte was there.
        fresh.readOnly = false;
        const auto falseDecoded = zk::decodeRecord<zk::ConnectRequest>(zk::encodeRecord(fresh));
        QVERIFY(falseDecoded->hasReadOnly);
        QVERIFY(!falseDecoded->readOnly);

        // Anything shorter than the 44 mandatory bytes fails.
        QVERIFY(!zk::decodeRecord<zk::ConnectRequest>(std::span(oldBytes).first(43)));
    }

    void connectResponseReadOnlyIsOptional()
    {
        zk::ConnectResponse old{0, 4000, 0x0300018a2b3c4d5eLL, Bytes(16, 0x11), false, false};
        Bytes expected;
        append(expected, intBytes(0));
        append(expected, intBytes(4000));
        append(expected, longBytes(0x0300018a2b3c4d5eLL));
        append(expected, intBytes(16));
        append(expected, Bytes(16, 0x11));
        const Bytes oldBytes = zk::encodeRecord(old);
        QCOMPARE(oldBytes.size(), std::size_t{36});
        QCOMPARE(oldBytes, expected);
        QVERIFY(!zk::decodeRecord<zk::ConnectResponse>(oldBytes)->hasReadOnly);

        zk::ConnectResponse fresh = old;
        fresh.hasReadOnly = true;
        const Bytes newBytes = zk::encodeRecord(fresh);
        QCOMPARE(newBytes.size(), std::size_t{37});
        QCOMPARE(newBytes.back(), std::uint8_t{0});
        const auto decoded = zk::decodeRecord<zk::ConnectResponse>(newBytes);
        QVERIFY(decoded.has_value());
        QCOMPARE(*decoded, fresh);
    }

    void headersHaveExactLayout()
    {
        QCOMPARE(zk::encodeRecord(zk::RequestHeader{-2, zk::OpCode::Ping}),
                 bytesOf({0xff, 0xff, 0xff, 0xfe, 0, 0, 0, 11}));
        QCOMPARE(zk::encodeRecord(zk::ReplyHeader{5, 0x0102030405060708LL, -101}),
                 bytesOf({0, 0, 0, 5, 1, 2, 3, 4, 5, 6, 7, 8, 0xff, 0xff, 0xff, 0x9b}));
        QCOMPARE(zk::encodeRecord(zk::MultiHeader{zk::OpCode::Error, true, -1}),
                 bytesOf({0xff, 0xff, 0xff, 0xff, 1, 0xff, 0xff, 0xff, 0xff}));
    }

    void nullBufferIsDistinctFromEmpty()
    {
        const zk::Stat stat = sampleStat();
        const Bytes nullBytes = zk::encodeRecord(zk::GetDataResponse{std::nullopt, stat});
        QCOMPARE(Bytes(nullBytes.begin(), nullBytes.begin() + 4), intBytes(-1));
        QCOMPARE(nullBytes.size(), std::size_t{4 + 68});
        const auto nullDecoded = zk::decodeRecord<zk::GetDataResponse>(nullBytes);
        QVERIFY(nullDecoded.has_value());
        QVERIFY(!nullDecoded->data.has_value());
        QCOMPARE(nullDecoded->stat, stat);

        const Bytes emptyBytes = zk::encodeRecord(zk::GetDataResponse{Bytes{}, stat});
        QCOMPARE(Bytes(emptyBytes.begin(), emptyBytes.begin() + 4), intBytes(0));
        const auto emptyDecoded = zk::decodeRecord<zk::GetDataResponse>(emptyBytes);
        QVERIFY(emptyDecoded->data.has_value());
        QVERIFY(emptyDecoded->data->empty());

        // zkCli's "create /x" sends a null data buffer.
        const Bytes create = zk::encodeRecord(zk::CreateRequest{"/x", std::nullopt, {}, 0});
        Bytes expected = stringBytes("/x");
        append(expected, intBytes(-1));
        append(expected, intBytes(0));
        append(expected, intBytes(0));
        QCOMPARE(create, expected);
    }

    void nullStringAndVector()
    {
        // Reconfig's strings keep null apart from "".
        const zk::ReconfigRequest reconfig{std::nullopt, "", std::nullopt, -1};
        Bytes expected;
        append(expected, intBytes(-1));
        append(expected, intBytes(0));
        append(expected, intBytes(-1));
        append(expected, longBytes(-1));
        QCOMPARE(zk::encodeRecord(reconfig), expected);
        const auto decoded = zk::decodeRecord<zk::ReconfigRequest>(expected);
        QVERIFY(decoded.has_value());
        QVERIFY(!decoded->joiningServers.has_value());
        QCOMPARE(decoded->leavingServers, std::optional<std::string>{""});

        // A null vector (-1) reads as no children; a null path reads as "".
        const auto children = zk::decodeRecord<zk::GetChildrenResponse>(intBytes(-1));
        QVERIFY(children.has_value());
        QVERIFY(children->children.empty());
        Bytes event;
        append(event, intBytes(1));
        append(event, intBytes(3));
        append(event, intBytes(-1));
        const auto watcherEvent = zk::decodeRecord<zk::WatcherEvent>(event);
        QVERIFY(watcherEvent.has_value());
        QCOMPARE(watcherEvent->type, zk::EventType::NodeCreated);
        QVERIFY(watcherEvent->path.empty());
    }

    void hostileLengthsFail()
    {
        // A vector count far beyond the remaining bytes fails before allocating.
        Bytes children = intBytes(0x7ffffff0);
        append(children, intBytes(0));
        QVERIFY(!zk::decodeRecord<zk::GetChildrenResponse>(children));
        // A negative buffer length other than -1.
        Bytes auth = intBytes(0);
        append(auth, stringBytes("digest"));
        append(auth, intBytes(-2));
        QVERIFY(!zk::decodeRecord<zk::AuthPacket>(auth));
        // A string longer than the configured maximum.
        const Bytes sync = zk::encodeRecord(zk::SyncRequest{std::string(100, 'a')});
        QVERIFY(zk::decodeRecord<zk::SyncRequest>(sync, 100).has_value());
        QVERIFY(!zk::decodeRecord<zk::SyncRequest>(sync, 99).has_value());
    }

    void multiRequestFraming()
    {
        zk::MultiRequest multi;
        multi.ops.push_back({zk::OpCode::Create, zk::CreateRequest{"/m", Bytes{7}, {}, 1}});
        multi.ops.push_back({zk::OpCode::Delete, zk::DeleteRequest{"/d", 2}});
        multi.ops.push_back({zk::OpCode::Check, zk::CheckVersionRequest{"/c", -1}});

        Bytes expected;
        const auto header = [&expected](std::int32_t type, bool done) {
            append(expected, intBytes(type));
            expected.push_back(done ? 1 : 0);
            append(expected, intBytes(-1));
        };
        header(1, false);
        append(expected, stringBytes("/m"));
        append(expected, intBytes(1));
        expected.push_back(7);
        append(expected, intBytes(0));
        append(expected, intBytes(1));
        header(2, false);
        append(expected, stringBytes("/d"));
        append(expected, intBytes(2));
        header(13, false);
        append(expected, stringBytes("/c"));
        append(expected, intBytes(-1));
        header(-1, true);

        const Bytes bytes = zk::encodeRecord(multi);
        QCOMPARE(bytes, expected);
        checkRoundTrip(multi, "MultiRequest");
        checkRoundTrip(zk::MultiRequest{}, "MultiRequest empty");
        QCOMPARE(zk::encodeRecord(zk::MultiRequest{}).size(), std::size_t{9});
    }

    void multiRequestAllOpKinds()
    {
        zk::MultiRequest multi;
        multi.ops.push_back({zk::OpCode::Create2, sampleCreate()});
        multi.ops.push_back({zk::OpCode::CreateContainer, zk::CreateRequest{"/k", {}, {}, 4}});
        multi.ops.push_back({zk::OpCode::CreateTtl, zk::CreateTtlRequest{"/t", {}, {}, 5, 10}});
        multi.ops.push_back({zk::OpCode::SetData, zk::SetDataRequest{"/s", Bytes{1}, 3}});
        multi.ops.push_back({zk::OpCode::GetChildren, zk::GetChildrenRequest{"/g", false}});
        multi.ops.push_back({zk::OpCode::GetData, zk::GetDataRequest{"/g", false}});
        checkRoundTrip(multi, "MultiRequest all kinds");
        const auto decoded = zk::decodeRecord<zk::MultiRequest>(zk::encodeRecord(multi));
        QCOMPARE(decoded->ops.at(1).type, zk::OpCode::CreateContainer);
        QVERIFY(std::holds_alternative<zk::CreateTtlRequest>(decoded->ops.at(2).body));
    }

    void multiRequestRejectsBadInput()
    {
        // Unknown sub-op type (exists is not allowed inside multi).
        Bytes bad = zk::encodeRecord(zk::MultiHeader{zk::OpCode::Exists, false, -1});
        append(bad, zk::encodeRecord(zk::ExistsRequest{"/a", false}));
        append(bad, zk::encodeRecord(zk::MultiHeader{zk::OpCode::Error, true, -1}));
        QVERIFY(!zk::decodeRecord<zk::MultiRequest>(bad));

        // Missing done header.
        Bytes open = zk::encodeRecord(zk::MultiHeader{zk::OpCode::Delete, false, -1});
        append(open, zk::encodeRecord(zk::DeleteRequest{"/a", -1}));
        QVERIFY(!zk::decodeRecord<zk::MultiRequest>(open));

        // Many ops and no done header: decoding walks the input once and fails at its end.
        Bytes many;
        for (int i = 0; i < 1000; ++i) {
            append(many, zk::encodeRecord(zk::MultiHeader{zk::OpCode::Delete, false, -1}));
            append(many, zk::encodeRecord(zk::DeleteRequest{"/a", -1}));
        }
        QVERIFY(!zk::decodeRecord<zk::MultiRequest>(many));
        append(many, zk::encodeRecord(zk::MultiHeader{zk::OpCode::Error, true, -1}));
        const auto closed = zk::decodeRecord<zk::MultiRequest>(many);
        QVERIFY(closed.has_value());
        QCOMPARE(closed->ops.size(), std::size_t{1000});
        QVERIFY(!zk::decodeRecord<zk::MultiRequest>(Bytes{}));
    }

    void multiResponseFraming()
    {
        const zk::Stat stat = sampleStat();
        zk::MultiResponse response;
        response.results.push_back({zk::OpCode::Create, zk::CreateResponse{"/m"}});
        response.results.push_back({zk::OpCode::Delete, zk::EmptyResult{}});
        response.results.push_back({zk::OpCode::SetData, zk::SetDataResponse{stat}});
        response.results.push_back({zk::OpCode::Error, zk::ErrorResponse{-101}});

        Bytes expected;
        const auto header = [&expected](std::int32_t type, bool done, std::int32_t err) {
            append(expected, intBytes(type));
            expected.push_back(done ? 1 : 0);
            append(expected, intBytes(err));
        };
        header(1, false, 0);
        append(expected, stringBytes("/m"));
        header(2, false, 0);
        header(5, false, 0);
        append(expected, zk::encodeRecord(stat));
        header(-1, false, -101);
        append(expected, intBytes(-101));
        header(-1, true, -1);

        QCOMPARE(zk::encodeRecord(response), expected);
        checkRoundTrip(response, "MultiResponse");
    }

    void multiResponseAllResultKinds()
    {
        const zk::Stat stat = sampleStat();
        zk::MultiResponse response;
        response.results.push_back({zk::OpCode::Create2, zk::Create2Response{"/c", stat}});
        response.results.push_back({zk::OpCode::Check, zk::EmptyResult{}});
        response.results.push_back({zk::OpCode::GetChildren, zk::GetChildrenResponse{{"a"}}});
        response.results.push_back({zk::OpCode::GetData, zk::GetDataResponse{std::nullopt, stat}});
        response.results.push_back({zk::OpCode::Error, zk::ErrorResponse{0}});
        response.results.push_back({zk::OpCode::Error, zk::ErrorResponse{-2}});
        checkRoundTrip(response, "MultiResponse all kinds");

        // A result type Java's MultiResponse does not know fails.
        Bytes ttl = zk::encodeRecord(zk::MultiHeader{zk::OpCode::CreateTtl, false, 0});
        append(ttl, zk::encodeRecord(zk::Create2Response{"/t", stat}));
        append(ttl, zk::encodeRecord(zk::MultiHeader{zk::OpCode::Error, true, -1}));
        QVERIFY(!zk::decodeRecord<zk::MultiResponse>(ttl));
        Bytes bad = zk::encodeRecord(zk::MultiHeader{zk::OpCode::Sync, false, 0});
        append(bad, zk::encodeRecord(zk::MultiHeader{zk::OpCode::Error, true, -1}));
        QVERIFY(!zk::decodeRecord<zk::MultiResponse>(bad));
    }

    void multiTypesMatchBodies()
    {
        QVERIFY(zk::multiOpFitsType(zk::OpCode::Create2, sampleCreate()));
        QVERIFY(!zk::multiOpFitsType(zk::OpCode::CreateTtl, sampleCreate()));
        QVERIFY(!zk::multiOpFitsType(zk::OpCode::Exists, zk::GetDataRequest{}));
        QVERIFY(!zk::multiOpFitsType(zk::OpCode::DeleteContainer, zk::DeleteRequest{}));
        QVERIFY(zk::multiResultFitsType(zk::OpCode::Check, zk::EmptyResult{}));
        QVERIFY(!zk::multiResultFitsType(zk::OpCode::Create, zk::Create2Response{}));
        QVERIFY(zk::multiResultFitsType(zk::OpCode::Create2, zk::Create2Response{}));
        // Java clients know no createTTL/createContainer result types.
        QVERIFY(!zk::multiResultFitsType(zk::OpCode::CreateTtl, zk::Create2Response{}));
    }

    void readResetsPreviousContents()
    {
        // Reading into a reused record replaces, not appends.
        zk::MultiRequest multi;
        multi.ops.push_back({zk::OpCode::Delete, zk::DeleteRequest{"/a", -1}});
        const Bytes bytes = zk::encodeRecord(multi);
        zk::JuteReader r(bytes);
        multi.read(r);
        QVERIFY(r.ok());
        QCOMPARE(multi.ops.size(), std::size_t{1});
    }
};

QTEST_APPLESS_MAIN(ClientRecordsTest)
#include "test_client_records.moc"
