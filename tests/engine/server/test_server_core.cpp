// Proves the standalone server core's contract with its driver and clients: handshakes,
// replies held until their txn is durable and released in request order, session expiry
// with its ephemerals and watches, reconnects, sequential names, multi results and ACLs.
#include "data/replay_txn.h"
#include "proto/client_records.h"
#include "server/server_core.h"
#include "server/session_password.h"

#include <QtTest>

using namespace zk;

namespace {

ServerCoreConfig testConfig()
{
    ServerCoreConfig config;
    config.sid = 1;
    config.tickTimeMs = 1000;
    config.minSessionTimeoutMs = 2000;
    config.maxSessionTimeoutMs = 20000;
    config.superDigest = "super:D/InIHSb7yEEbrWz8b9l71RjZJU=";
    return config;
}

Bytes connectBytes(SessionId session = 0, std::int32_t timeoutMs = 5000, bool readOnlyByte = true,
                   Zxid lastZxid = 0, Bytes passwd = Bytes(16, 0))
{
    ConnectRequest request;
    request.lastZxidSeen = lastZxid;
    request.timeOut = timeoutMs;
    request.sessionId = session;
    request.passwd = std::move(passwd);
    request.hasReadOnly = readOnlyByte;
    return encodeRecord(request);
}

template <typename Record>
Bytes requestBytes(Xid xid, OpCode type, const Record& record)
{
    JuteWriter w;
    RequestHeader{xid, type}.write(w);
    record.write(w);
    return w.take();
}

Bytes requestBytes(Xid xid, OpCode type)
{
    JuteWriter w;
    RequestHeader{xid, type}.write(w);
    return w.take();
}

struct Reply
{
    ReplyHeader header;
    Bytes body;
};

// A driver that makes txns durable at once unless told to hold them.
class Harness
{
public:
    Harness() : core(testConfig(), DataTree(), 1'000'000) {}

    ServerOutput pump()
    {
        ServerOutput all;
        while (core.hasOutput()) {
            ServerOutput out = core.takeOutput();
            for (auto& txn : out.persist)
                all.persist.push_back(txn);
            for (auto& frame : out.frames)
                all.frames.push_back(frame);
            for (auto id : out.closeConnections)
                all.closeConnections.push_back(id);
            if (!out.persist.empty() && !holdDurability)
                core.persisted(out.persist.back().header.zxid);
        }
        return all;
    }

    SessionId open(ConnectionId connection, std::int32_t timeoutMs = 5000)
    {
        core.connectionOpened(connection, "127.0.0.1:4000" + std::to_string(connection));
        core.receive(connection, connectBytes(0, timeoutMs));
        auto out = pump();
        auto response = decodeRecord<ConnectResponse>(payload(out.frames.at(0)));
        return response ? response->sessionId : 0;
    }

    static std::span<const std::uint8_t> payload(const OutboundFrame& frame)
    {
        return std::span<const std::uint8_t>(frame.bytes).subspan(4);
    }

    static Reply reply(const OutboundFrame& frame)
    {
        JuteReader r(payload(frame));
        Reply out;
        out.header.read(r);
        auto rest = r.rest();
        out.body.assign(rest.begin(), rest.end());
        return out;
    }

    std::vector<Reply> call(ConnectionId connection, const Bytes& request)
    {
        core.receive(connection, request);
        std::vector<Reply> replies;
        for (const auto& frame : pump().frames)
            replies.push_back(reply(frame));
        return replies;
    }

    ServerCore core;
    bool holdDurability = false;
};

CreateRequest createRequest(std::string path, std::string data = "",
                            CreateMode mode = CreateMode::Persistent, AclList acl = openAclUnsafe())
{
    CreateRequest request;
    request.path = std::move(path);
    request.data = Bytes(data.begin(), data.end());
    request.acl = std::move(acl);
    request.flags = static_cast<std::int32_t>(mode);
    return request;
}

} // namespace

class ServerCoreTest : public QObject
{
    Q_OBJECT
private slots:
    void handshakeMirrorsTheReadOnlyByte()
    {
        Harness h;
        h.core.connectionOpened(1, "127.0.0.1:1");
        h.core.receive(1, connectBytes(0, 5000, false));
        auto out = h.pump();
        QCOMPARE(out.frames.size(), std::size_t{1});
        QCOMPARE(out.frames[0].bytes.size(), std::size_t{4 + 36});
        h.core.connectionOpened(2, "127.0.0.1:2");
        h.core.receive(2, connectBytes(0, 5000, true));
        out = h.pump();
        QCOMPARE(out.frames[0].bytes.size(), std::size_t{4 + 37});
        QCOMPARE(out.persist.size(), std::size_t{1});
        QVERIFY(out.persist[0].header.type == OpCode::CreateSession);
    }

    void timeoutIsClampedAndPasswordIsApaches()
    {
        Harness h;
        h.core.connectionOpened(1, "127.0.0.1:1");
        h.core.receive(1, connectBytes(0, 100));
        auto response = decodeRecord<ConnectResponse>(Harness::payload(h.pump().frames.at(0)));
        QVERIFY(response.has_value());
        QCOMPARE(response->timeOut, 2000);
        QCOMPARE(response->sessionId >> 56, std::int64_t{1});
        const auto expected = sessionPassword(response->sessionId);
        QVERIFY(std::equal(expected.begin(), expected.end(), response->passwd.begin()));
        h.core.connectionOpened(2, "127.0.0.1:2");
        h.core.receive(2, connectBytes(0, 999999));
        response = decodeRecord<ConnectResponse>(Harness::payload(h.pump().frames.at(0)));
        QCOMPARE(response->timeOut, 20000);
    }

    void javaRandomMatchesJava()
    {
        // new java.util.Random(42).nextInt() == -1170105035 (JDK specification).
        JavaRandom random(42);
        QCOMPARE(random.nextInt(), -1170105035);
    }

    void clientAheadOfServerIsRefused()
    {
        Harness h;
        h.core.connectionOpened(1, "127.0.0.1:1");
        h.core.receive(1, connectBytes(0, 5000, true, 0x500));
        auto out = h.pump();
        QVERIFY(out.frames.empty());
        QCOMPARE(out.closeConnections, std::vector<ConnectionId>{1});
    }

    void repliesWaitForDurabilityAndKeepOrder()
    {
        Harness h;
        h.open(1);
        h.holdDurability = true;
        h.core.receive(1, requestBytes(1, OpCode::Create, createRequest("/a", "x")));
        h.core.receive(1, requestBytes(2, OpCode::GetData, GetDataRequest{"/a", false}));
        auto out = h.pump();
        QCOMPARE(out.persist.size(), std::size_t{1});
        QVERIFY(out.frames.empty()); // the read waits behind the write
        h.core.persisted(out.persist[0].header.zxid);
        out = h.pump();
        QCOMPARE(out.frames.size(), std::size_t{2});
        const Reply create = Harness::reply(out.frames[0]);
        const Reply read = Harness::reply(out.frames[1]);
        QCOMPARE(create.header.xid, 1);
        QCOMPARE(create.header.err, 0);
        QCOMPARE(read.header.xid, 2);
        QCOMPARE(read.header.err, 0);
        auto data = decodeRecord<GetDataResponse>(read.body);
        QVERIFY(data && data->data == Bytes{'x'});
    }

    void sequentialNamesCountCreatesNotDeletes()
    {
        Harness h;
        h.open(1);
        h.call(1, requestBytes(1, OpCode::Create, createRequest("/q")));
        auto first =
            h.call(1, requestBytes(2, OpCode::Create,
                                   createRequest("/q/n-", "", CreateMode::PersistentSequential)));
        QCOMPARE(decodeRecord<CreateResponse>(first.at(0).body)->path,
                 std::string("/q/n-0000000000"));
        h.call(1, requestBytes(3, OpCode::Delete, DeleteRequest{"/q/n-0000000000", -1}));
        auto second =
            h.call(1, requestBytes(4, OpCode::Create,
                                   createRequest("/q/n-", "", CreateMode::PersistentSequential)));
        QCOMPARE(decodeRecord<CreateResponse>(second.at(0).body)->path,
                 std::string("/q/n-0000000001"));
    }

    void pipelinedWritesSeeEachOther()
    {
        // The second create's parent exists only as an outstanding change.
        Harness h;
        h.open(1);
        h.holdDurability = true;
        h.core.receive(1, requestBytes(1, OpCode::Create, createRequest("/p")));
        h.core.receive(1, requestBytes(2, OpCode::Create, createRequest("/p/c")));
        h.core.receive(1, requestBytes(3, OpCode::Create, createRequest("/p")));
        auto out = h.pump();
        QCOMPARE(out.persist.size(), std::size_t{3});
        QVERIFY(out.persist[1].header.type == OpCode::Create);
        QVERIFY(out.persist[2].header.type == OpCode::Error);
        h.core.persisted(out.persist.back().header.zxid);
        out = h.pump();
        QCOMPARE(Harness::reply(out.frames.at(1)).header.err, 0);
        QCOMPARE(Harness::reply(out.frames.at(2)).header.err,
                 static_cast<std::int32_t>(ZError::NodeExists));
    }

    void expiryDeletesEphemeralsAndFiresWatches()
    {
        Harness h;
        const SessionId owner = h.open(1, 2000);
        h.open(2, 20000);
        h.call(1, requestBytes(1, OpCode::Create, createRequest("/e", "", CreateMode::Ephemeral)));
        h.call(2, requestBytes(1, OpCode::Exists, ExistsRequest{"/e", true}));
        QCOMPARE(h.core.tree().ephemerals(owner).size(), std::size_t{1});
        // Connection 2 keeps its session alive; connection 1 stays silent past its timeout.
        std::vector<OutboundFrame> frames;
        std::vector<ConnectionId> closed;
        for (int tick = 0; tick < 4; ++tick) {
            h.core.tick(1'000'000 + (tick + 1) * 1000);
            h.core.receive(2, requestBytes(-2, OpCode::Ping));
            auto out = h.pump();
            frames.insert(frames.end(), out.frames.begin(), out.frames.end());
            closed.insert(closed.end(), out.closeConnections.begin(), out.closeConnections.end());
        }
        QVERIFY(h.core.tree().node("/e") == nullptr);
        QVERIFY(h.core.sessions().find(owner) == nullptr);
        QVERIFY(std::find(closed.begin(), closed.end(), ConnectionId{1}) != closed.end());
        bool deletedEvent = false;
        for (const auto& frame : frames) {
            const Reply reply = Harness::reply(frame);
            if (frame.connection == 2 && reply.header.xid == -1) {
                auto event = decodeRecord<WatcherEvent>(reply.body);
                deletedEvent =
                    event && event->type == EventType::NodeDeleted && event->path == "/e";
            }
        }
        QVERIFY(deletedEvent);
    }

    void writeFromExpiringSessionFails()
    {
        // Regression (ZAB simulator seed 3100094): the session expired and its closeSession is
        // not durable yet when the stalled client sends a create. Apache's checkSession turns
        // it into an error txn; preparing it left an ephemeral owned by a closed session.
        Harness h;
        const SessionId owner = h.open(1, 2000);
        h.holdDurability = true;
        bool closing = false;
        for (int tick = 0; tick < 4 && !closing; ++tick) {
            h.core.tick(1'000'000 + (tick + 1) * 1000);
            for (const LoggedTxn& txn : h.pump().persist)
                closing = closing || txn.header.type == OpCode::CloseSession;
        }
        QVERIFY(closing);
        h.core.receive(
            1, requestBytes(7, OpCode::Create, createRequest("/late", "", CreateMode::Ephemeral)));
        auto out = h.pump();
        QCOMPARE(out.persist.size(), std::size_t{1});
        QVERIFY(out.persist[0].header.type == OpCode::Error);
        h.core.persisted(out.persist[0].header.zxid);
        h.pump();
        QVERIFY(h.core.tree().node("/late") == nullptr);
        QVERIFY(h.core.tree().ephemerals(owner).empty());
    }

    void reconnectMovesTheSessionAndWrongPasswordExpires()
    {
        Harness h;
        const SessionId session = h.open(1);
        const auto password = sessionPassword(session);
        h.core.connectionOpened(2, "127.0.0.1:2");
        h.core.receive(
            2, connectBytes(session, 5000, true, 0, Bytes(password.begin(), password.end())));
        auto out = h.pump();
        QCOMPARE(decodeRecord<ConnectResponse>(Harness::payload(out.frames.at(0)))->sessionId,
                 session);
        QCOMPARE(out.closeConnections, std::vector<ConnectionId>{1});

        h.core.connectionOpened(3, "127.0.0.1:3");
        h.core.receive(3, connectBytes(session, 5000, true, 0, Bytes(16, 7)));
        out = h.pump();
        auto refused = decodeRecord<ConnectResponse>(Harness::payload(out.frames.at(0)));
        QCOMPARE(refused->timeOut, 0);
        QCOMPARE(refused->sessionId, SessionId{0});
        QVERIFY(out.frames.at(0).closeAfter);
    }

    void failedMultiReportsEachOp()
    {
        Harness h;
        h.open(1);
        MultiRequest multi;
        multi.ops.push_back(MultiOp{OpCode::Create, createRequest("/m1")});
        multi.ops.push_back(MultiOp{OpCode::Delete, DeleteRequest{"/missing", -1}});
        multi.ops.push_back(MultiOp{OpCode::Create, createRequest("/m2")});
        auto replies = h.call(1, requestBytes(1, OpCode::Multi, multi));
        QCOMPARE(replies.at(0).header.err, 0);
        auto response = decodeRecord<MultiResponse>(replies.at(0).body);
        QVERIFY(response.has_value());
        QCOMPARE(response->results.size(), std::size_t{3});
        QCOMPARE(std::get<ErrorResponse>(response->results[0].body).err, 0);
        QCOMPARE(std::get<ErrorResponse>(response->results[1].body).err,
                 static_cast<std::int32_t>(ZError::NoNode));
        QCOMPARE(std::get<ErrorResponse>(response->results[2].body).err,
                 static_cast<std::int32_t>(ZError::RuntimeInconsistency));
        QVERIFY(h.core.tree().node("/m1") == nullptr);
    }

    // OpResult.CreateResult: a container create inside a multi answers as create2, so that
    // clients (kazoo, the C client, ours) can read the result.
    void multiResultTypesAreApaches()
    {
        Harness h;
        h.open(1);
        MultiRequest create;
        create.ops.push_back(
            MultiOp{OpCode::CreateContainer, createRequest("/c", "", CreateMode::Container)});
        auto created = h.call(1, requestBytes(1, OpCode::Multi, create));
        QCOMPARE(created.at(0).header.err, 0);
        auto response = decodeRecord<MultiResponse>(created.at(0).body);
        QVERIFY(response.has_value());
        QCOMPARE(response->results.size(), std::size_t{1});
        QCOMPARE(static_cast<int>(response->results[0].type), static_cast<int>(OpCode::Create2));
    }

    void digestAuthGuardsAcls()
    {
        Harness h;
        h.open(1);
        h.open(2);
        AuthPacket auth{0, "digest", Bytes{'u', ':', 'p'}};
        auto authReply = h.call(1, requestBytes(-4, OpCode::Auth, auth));
        QCOMPARE(authReply.at(0).header.err, 0);
        const AclList mine{Acl{perms::All, Id{"auth", ""}}};
        auto created =
            h.call(1, requestBytes(1, OpCode::Create,
                                   createRequest("/s", "x", CreateMode::Persistent, mine)));
        QCOMPARE(created.at(0).header.err, 0);
        auto denied = h.call(2, requestBytes(1, OpCode::GetData, GetDataRequest{"/s", false}));
        QCOMPARE(denied.at(0).header.err, static_cast<std::int32_t>(ZError::NoAuth));
        auto allowed = h.call(1, requestBytes(2, OpCode::GetData, GetDataRequest{"/s", false}));
        QCOMPARE(allowed.at(0).header.err, 0);
        AuthPacket super{0, "digest", Bytes{'s', 'u', 'p', 'e', 'r', ':', 't', 'e', 's', 't'}};
        h.call(2, requestBytes(-4, OpCode::Auth, super));
        auto asSuper = h.call(2, requestBytes(2, OpCode::GetData, GetDataRequest{"/s", false}));
        QCOMPARE(asSuper.at(0).header.err, 0);
        AuthPacket unknown{0, "kerberos", Bytes{'x'}};
        h.core.receive(2, requestBytes(-4, OpCode::Auth, unknown));
        auto out = h.pump();
        QCOMPARE(Harness::reply(out.frames.at(0)).header.err,
                 static_cast<std::int32_t>(ZError::AuthFailed));
        QVERIFY(out.frames.at(0).closeAfter);
    }

    void reconfigIsDisabledThenUnimplemented()
    {
        // As Apache's PrepRequestProcessor: disabled by default, impossible when standalone.
        Harness h;
        h.open(1);
        ReconfigRequest request;
        request.curConfigId = -1;
        auto replies = h.call(1, requestBytes(1, OpCode::Reconfig, request));
        QCOMPARE(replies.at(0).header.err, static_cast<std::int32_t>(ZError::ReconfigDisabled));
    }

    // PrepRequestProcessor's precalculated digests: each txn carries the tree digest it
    // leads to, predicted while the txns before it are still outstanding (nothing durable,
    // nothing applied), across every kind of change, a failed multi and a session close.
    void everyTxnCarriesTheDigestItLeadsTo()
    {
        Harness h;
        h.open(1);
        h.open(2);
        DataTree reference;
        std::map<SessionId, std::int32_t> sessions;
        for (const LoggedTxn& txn : h.pump().persist)
            replayLoggedTxn(txn, reference, sessions);
        h.holdDurability = true;
        Xid xid = 1;
        const auto send = [&](ConnectionId connection, OpCode type, const auto& record) {
            h.core.receive(connection, requestBytes(xid++, type, record));
        };
        send(1, OpCode::Create, createRequest("/d", "data"));
        send(1, OpCode::Create, createRequest("/d/s-", "1", CreateMode::PersistentSequential));
        send(1, OpCode::Create, createRequest("/d/s-", "2", CreateMode::PersistentSequential));
        send(2, OpCode::Create, createRequest("/d/e", "eph", CreateMode::Ephemeral));
        send(1, OpCode::SetData, SetDataRequest{"/d", Bytes{'n', 'e', 'w'}, 0});
        send(1, OpCode::SetData, SetDataRequest{"/", Bytes{'r'}, -1});
        send(1, OpCode::SetAcl, SetAclRequest{"/d", openAclUnsafe(), 0});
        send(1, OpCode::Delete, DeleteRequest{"/d/s-0000000000", -1});
        send(1, OpCode::Check, CheckVersionRequest{"/d", 1});
        send(1, OpCode::Create, createRequest("/d", "exists")); // an ErrorTxn
        MultiRequest good;
        good.ops.push_back(MultiOp{OpCode::Create, createRequest("/m", "m")});
        good.ops.push_back(MultiOp{OpCode::SetData, SetDataRequest{"/m", Bytes{'2'}, 0}});
        good.ops.push_back(MultiOp{OpCode::Delete, DeleteRequest{"/d/s-0000000001", -1}});
        send(1, OpCode::Multi, good);
        MultiRequest bad;
        bad.ops.push_back(MultiOp{OpCode::Create, createRequest("/n")});
        bad.ops.push_back(MultiOp{OpCode::SetData, SetDataRequest{"/m", Bytes{'3'}, 7}});
        send(1, OpCode::Multi, bad);
        send(1, OpCode::Create, createRequest("/zookeeper/quota/q", "undigested"));
        h.core.receive(2, requestBytes(xid++, OpCode::CloseSession));
        send(1, OpCode::Create, createRequest("/d/after-close"));

        const auto persisted = h.pump().persist;
        QCOMPARE(persisted.size(), std::size_t{15});
        QCOMPARE(h.core.tree().digest(), reference.digest()); // nothing applied yet
        for (const LoggedTxn& txn : persisted) {
            QVERIFY(txn.digest.has_value());
            QCOMPARE(txn.digest->version, DataTree::digestVersion);
            replayLoggedTxn(txn, reference, sessions);
            QCOMPARE(txn.digest->treeDigest, reference.digest());
        }
        QCOMPARE(reference.digestMismatches(), std::uint64_t{0});
        QVERIFY(reference.node("/d/e") == nullptr);
        QVERIFY(reference.node("/m") != nullptr);
        QVERIFY(reference.node("/n") == nullptr);

        h.core.persisted(persisted.back().header.zxid);
        h.pump();
        QCOMPARE(h.core.tree().digest(), reference.digest());
        QCOMPARE(h.core.tree().digestMismatches(), std::uint64_t{0});

        // A txn whose digest is wrong is counted, not refused.
        LoggedTxn wrong = persisted.back();
        wrong.header.zxid += 100;
        wrong.txn = Txn{OpCode::Create, CreateTxn{"/x", Bytes{}, openAclUnsafe(), false, -1}};
        wrong.header.type = OpCode::Create;
        reference.processTxn(wrong);
        QCOMPARE(reference.digestMismatches(), std::uint64_t{1});
        QCOMPARE(reference.firstDigestMismatch().value_or(0), wrong.header.zxid);
        QVERIFY(reference.node("/x") != nullptr);
    }

    void digestsCanBeTurnedOff()
    {
        ServerCoreConfig config = testConfig();
        config.digestEnabled = false;
        ServerCore core(config, DataTree(), 1'000'000);
        core.connectionOpened(1, "127.0.0.1:1");
        core.receive(1, connectBytes());
        const ServerOutput out = core.takeOutput();
        QCOMPARE(out.persist.size(), std::size_t{1});
        QVERIFY(!out.persist[0].digest.has_value());
    }

    void closeSessionRepliesThenCloses()
    {
        Harness h;
        const SessionId session = h.open(1);
        h.call(1,
               requestBytes(1, OpCode::Create, createRequest("/eph", "", CreateMode::Ephemeral)));
        h.core.receive(1, requestBytes(2, OpCode::CloseSession));
        auto out = h.pump();
        QCOMPARE(out.frames.size(), std::size_t{1});
        QVERIFY(out.frames[0].closeAfter);
        QVERIFY(h.core.tree().node("/eph") == nullptr);
        QVERIFY(h.core.sessions().find(session) == nullptr);
        const auto& close = std::get<CloseSessionTxn>(out.persist.at(0).txn.body);
        QVERIFY(close.paths2Delete.has_value());
        QCOMPARE(close.paths2Delete->size(), std::size_t{1});
    }
};

QTEST_APPLESS_MAIN(ServerCoreTest)
#include "test_server_core.moc"
