// Proves the SNAP stream is a snapshot file's body plus jute "BenWasHere", that the
// incremental decoder rebuilds the tree restoreSnapshot would (stats, ACL ids, ephemerals,
// containers, TTLs, digest, sessions) whatever the split, stops at the signature, refuses bad
// counts, lengths and signatures as soon as it sees them, handles 100,000 nodes fed a byte at
// a time, and that a decoded tree written with takeSnapshotNow recovers as it was.
#include "storage_test_util.h"

#include "proto/jute_reader.h"
#include "proto/jute_writer.h"
#include "storage/snap_stream.h"

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QtTest>

#include <zlib.h>

using namespace storagetest;
namespace fs = std::filesystem;

namespace {

const zk::AclList digestAcl{zk::Acl{31, zk::Id{"digest", "u:abc="}}};
const zk::AclList mixedAcl{zk::Acl{1, zk::Id{"ip", "10.0.0.0/8"}},
                           zk::Acl{31, zk::Id{"digest", "u:abc="}}};

// Ephemerals of three sessions, a sequential counter with a gap, a container, a TTL node,
// null data, ACL entries in use and one dropped with its node; extended types on so
// that the TTL index is exercised.
void buildSample(LiveServer& live)
{
    live.tree = zk::DataTree(true);
    live.createSession(0x1000, 12000);
    live.createSession(0x2000, 20000);
    live.createSession(0x3000, 30000);
    live.create("/app", "cfg");
    live.createWithAcl("/secret", digestAcl);
    live.createWithAcl("/secret2", mixedAcl);
    live.createWithAcl("/gone", {zk::Acl{3, zk::Id{"world", "anyone"}}});
    live.remove("/gone");
    live.create("/app/e1", "", 0x1000);
    live.create("/app/e2", "two", 0x1000);
    live.create("/e3", "three", 0x3000);
    live.create("/q");
    for (int i = 0; i < 5; ++i)
        live.create("/q/n-000000000" + std::to_string(i));
    live.remove("/q/n-0000000002");
    live.apply(live.make(
        zk::OpCode::CreateContainer,
        zk::CreateContainerTxn{"/c", Bytes{'c'}, zk::openAclUnsafe(), live.nextCversion("/")}));
    live.create("/c/x");
    live.apply(live.make(zk::OpCode::CreateTtl, zk::CreateTtlTxn{"/t", Bytes{}, zk::openAclUnsafe(),
                                                                 live.nextCversion("/"), 60000}));
    live.apply(
        live.make(zk::OpCode::Create, zk::CreateTxn{"/null", std::nullopt, zk::openAclUnsafe(),
                                                    false, live.nextCversion("/")}));
    live.setData("/app", "v2");
}

std::map<std::int64_t, std::pair<zk::AclList, std::int64_t>> aclTable(const zk::DataTree& tree)
{
    std::map<std::int64_t, std::pair<zk::AclList, std::int64_t>> out;
    tree.acls().forEach([&](std::int64_t id, const zk::AclList& acls) {
        out[id] = {acls, tree.acls().useCount(id)};
    });
    return out;
}

std::map<zk::SessionId, std::set<std::string>> ephemeralIndex(const zk::DataTree& tree)
{
    std::map<zk::SessionId, std::set<std::string>> out;
    for (zk::SessionId session : tree.sessionsWithEphemerals())
        out[session] = tree.ephemerals(session);
    return out;
}

// Everything restoreSnapshot rebuilds, compared field by field.
void compareTrees(const zk::DataTree& actual, const zk::DataTree& expected)
{
    QCOMPARE(dumpTree(actual), dumpTree(expected));
    QCOMPARE(actual.digest(), expected.digest());
    QCOMPARE(actual.nodeCount(), expected.nodeCount());
    QCOMPARE(actual.approximateDataSize(), expected.approximateDataSize());
    QCOMPARE(aclTable(actual), aclTable(expected));
    QCOMPARE(ephemeralIndex(actual), ephemeralIndex(expected));
    QCOMPARE(actual.containers(), expected.containers());
    QCOMPARE(actual.ttls(), expected.ttls());
    std::map<std::string, std::int64_t> aclIds;
    std::map<std::string, std::int64_t> expectedAclIds;
    actual.forEachNodePreOrder(
        [&](const std::string& path, const zk::DataNode& node) { aclIds[path] = node.aclId; });
    expected.forEachNodePreOrder([&](const std::string& path, const zk::DataNode& node) {
        expectedAclIds[path] = node.aclId;
    });
    QCOMPARE(aclIds, expectedAclIds);
}

struct Decoded
{
    zk::DecodeStatus status = zk::DecodeStatus::NeedMore;
    std::size_t consumed = 0;
    std::optional<zk::SnapStreamResult> result;
    std::string error;
    std::uint64_t errorOffset = 0;
};

// Feeds `bytes` in pieces whose sizes come from `nextChunk`, as a socket would deliver them,
// until the decoder stops asking for more.
Decoded decodeInChunks(zk::Zxid snapZxid, std::span<const std::uint8_t> bytes,
                       const std::function<std::size_t()>& nextChunk, bool extended = true)
{
    zk::SnapStreamDecoder decoder(snapZxid, extended);
    Decoded out;
    std::size_t offset = 0;
    while (offset < bytes.size() && out.status == zk::DecodeStatus::NeedMore) {
        const std::size_t size = std::min(nextChunk(), bytes.size() - offset);
        std::size_t used = 0;
        out.status = decoder.feed(bytes.subspan(offset, size), used);
        if (out.status == zk::DecodeStatus::NeedMore && used != size)
            qFatal("NeedMore left bytes unconsumed");
        offset += used;
    }
    out.consumed = offset;
    out.error = decoder.error();
    out.errorOffset = decoder.errorOffset();
    if (out.status == zk::DecodeStatus::Ok)
        out.result.emplace(decoder.take());
    return out;
}

Decoded decodeWhole(zk::Zxid snapZxid, std::span<const std::uint8_t> bytes, bool extended = true)
{
    return decodeInChunks(
        snapZxid, bytes, [&] { return bytes.size(); }, extended);
}

Bytes signature()
{
    zk::JuteWriter w;
    w.writeString("BenWasHere");
    return w.take();
}

// A stream whose body holds only the root with `aclId`, in the smallest valid form.
void writeRootOnly(zk::JuteWriter& w, std::int64_t aclId = -1)
{
    w.writeInt(0); // sessions
    w.writeInt(0); // ACL entries
    zk::DataNode root;
    root.aclId = aclId;
    zk::writeSnapshotNode(w, "/", root);
}

// "Ok", "NeedMore", "Malformed", so that a failed comparison says which.
QString name(zk::DecodeStatus status)
{
    return QString::fromStdString(std::string(zk::toString(status)));
}

QByteArray qbytes(const Bytes& bytes)
{
    return QByteArray(reinterpret_cast<const char*>(bytes.data()),
                      static_cast<qsizetype>(bytes.size()));
}

} // namespace

class SnapStreamTest : public QObject
{
    Q_OBJECT
private slots:
    void bytesAreTheSnapshotFileBodyPlusSignature()
    {
        QTemporaryDir dir;
        LiveServer live;
        buildSample(live);
        const Bytes stream = zk::encodeSnapStream(live.tree, live.sessions);
        fs::path written;
        QVERIFY(!zk::takeSnapshotNow(optionsFor(dir.path()), live.tree, live.sessions, &written));
        const Bytes file = readFile(written);

        const Bytes sig = signature();
        QCOMPARE(sig.size(), std::size_t{14});
        QCOMPARE(Bytes(stream.end() - 14, stream.end()), sig);
        const std::size_t bodyBytes = stream.size() - sig.size();
        QVERIFY(file.size() > 16 + bodyBytes + 13);
        QCOMPARE(Bytes(stream.begin(), stream.begin() + static_cast<long>(bodyBytes)),
                 Bytes(file.begin() + 16, file.begin() + 16 + static_cast<long>(bodyBytes)));
        // The first seal follows right there: adler32 of everything before it, then "/".
        zk::JuteReader seal{std::span<const std::uint8_t>(file).subspan(16 + bodyBytes)};
        QCOMPARE(static_cast<std::uint32_t>(seal.readLong()),
                 static_cast<std::uint32_t>(adler32(adler32(0, nullptr, 0), file.data(),
                                                    static_cast<uInt>(16 + bodyBytes))));
        QCOMPARE(seal.readString(), std::string("/"));
        // Three sessions, then four ACL entries (the one dropped with its node is gone).
        zk::JuteReader head{std::span<const std::uint8_t>(stream).subspan(4 + 3 * 12)};
        QCOMPARE(head.readInt(), 4);
    }

    void roundTripsWhateverTheSplit()
    {
        // Seeded: ZK_SEED=<n> replays a failure.
        const auto seed = static_cast<std::uint64_t>(qEnvironmentVariableIntValue("ZK_SEED"));
        std::mt19937_64 rng(seed == 0 ? 11 : seed);
        QTemporaryDir dir;
        LiveServer live;
        buildSample(live);
        const Bytes stream = zk::encodeSnapStream(live.tree, live.sessions);
        // What the same content restores to from a file.
        fs::path written;
        QVERIFY(!zk::takeSnapshotNow(optionsFor(dir.path()), live.tree, live.sessions, &written));
        zk::DataTree fromFile(true);
        std::map<zk::SessionId, std::int32_t> fileSessions;
        zk::SnapshotInfo info;
        QVERIFY(!zk::restoreSnapshot(written, fromFile, fileSessions, info));
        QCOMPARE(fileSessions.size(), std::size_t{3});
        QCOMPARE(fromFile.ttls().size(), std::size_t{1});
        QCOMPARE(fromFile.containers().size(), std::size_t{1});
        // READ_ACL_UNSAFE (/zookeeper/config), OPEN_ACL_UNSAFE as the txns carried it, digest,
        // mixed; the entry of the deleted /gone was dropped with its last use.
        QCOMPARE(fromFile.acls().size(), std::size_t{4});

        // The next QuorumPacket's bytes follow the signature and must be left alone.
        Bytes withNext = stream;
        const Bytes next{0, 0, 0, 10, 0, 0, 0, 5, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff};
        withNext.insert(withNext.end(), next.begin(), next.end());
        const zk::Zxid snapZxid = zk::makeZxid(3, 0x40);
        std::vector<std::pair<std::string, std::function<std::size_t()>>> splits = {
            {"whole", [&] { return withNext.size(); }},
            {"byte by byte", [] { return std::size_t{1}; }},
            {"random 1..40", [&] { return static_cast<std::size_t>(1 + rng() % 40); }},
            {"random 1..4096", [&] { return static_cast<std::size_t>(1 + rng() % 4096); }},
        };
        for (auto& [name, chunk] : splits) {
            const Decoded decoded = decodeInChunks(snapZxid, withNext, chunk);
            QVERIFY2(decoded.status == zk::DecodeStatus::Ok, (name + ": " + decoded.error).c_str());
            QCOMPARE(decoded.consumed, stream.size());
            QCOMPARE(decoded.result->bytes, std::uint64_t{stream.size()});
            QCOMPARE(decoded.result->tree.lastProcessedZxid(), snapZxid);
            QCOMPARE(decoded.result->sessions, live.sessions);
            QCOMPARE(decoded.result->sessions, fileSessions);
            compareTrees(decoded.result->tree, fromFile);
            if (QTest::currentTestFailed())
                qWarning("split %s", name.c_str());
            compareTrees(decoded.result->tree, live.tree);
        }
        const Decoded decoded = decodeWhole(snapZxid, stream);
        QCOMPARE(decoded.result->tree.aclOf(*decoded.result->tree.node("/secret2")), mixedAcl);
        QCOMPARE(decoded.result->tree.ephemerals(0x1000),
                 (std::set<std::string>{"/app/e1", "/app/e2"}));
        QCOMPARE(decoded.result->tree.node("/null")->data, std::nullopt);
        QCOMPARE(decoded.result->tree.node("/q")->stat.cversion, 5);
    }

    void everyPrefixNeedsMore()
    {
        LiveServer live;
        buildSample(live);
        const Bytes stream = zk::encodeSnapStream(live.tree, live.sessions);
        for (std::size_t size = 0; size < stream.size(); ++size) {
            zk::SnapStreamDecoder decoder(live.zxid, true);
            std::size_t used = 0;
            const auto status = decoder.feed(std::span(stream).first(size), used);
            QCOMPARE(name(status), name(zk::DecodeStatus::NeedMore));
            QCOMPARE(used, size);
            QCOMPARE(decoder.bytesConsumed(), std::uint64_t{size});
        }
    }

    void malformedStreamsAreRefused_data()
    {
        QTest::addColumn<QByteArray>("stream");
        QTest::addColumn<qulonglong>("offset");
        QTest::addColumn<QString>("words");
        auto add = [](const char* name, const Bytes& bytes, std::uint64_t offset,
                      const char* words) {
            QTest::newRow(name) << qbytes(bytes) << qulonglong{offset} << QString(words);
        };
        auto bytesOf = [](const std::function<void(zk::JuteWriter&)>& fill) {
            zk::JuteWriter w;
            fill(w);
            return w.take();
        };
        // Each hostile count or length ends its stream: it must be refused without waiting.
        add("session count above maxLength", bytesOf([](auto& w) { w.writeInt(0x7fffffff); }), 0,
            "session count 2147483647");
        add("session count below -1", bytesOf([](auto& w) { w.writeInt(-2); }), 0,
            "session count -2");
        add("ACL table count", bytesOf([](auto& w) {
                w.writeInt(0);
                w.writeInt(0x40000000);
            }),
            4, "ACL table count 1073741824");
        add("ACL list count", bytesOf([](auto& w) {
                w.writeInt(0);
                w.writeInt(1);
                w.writeLong(1);
                w.writeInt(-7);
            }),
            16, "ACL list count -7");
        add("ACL scheme length", bytesOf([](auto& w) {
                w.writeInt(0);
                w.writeInt(1);
                w.writeLong(1);
                w.writeInt(1);
                w.writeInt(31);
                w.writeInt(0x7fffffff);
            }),
            24, "ACL scheme length 2147483647");
        add("path length", bytesOf([](auto& w) {
                w.writeInt(0);
                w.writeInt(0);
                w.writeInt(-3);
            }),
            8, "path length -3");
        add("node data above maxLength", bytesOf([](auto& w) {
                w.writeInt(0);
                w.writeInt(0);
                w.writeString("");
                w.writeInt(80 * 1024 * 1024);
            }),
            12, "node data length 83886080");

        auto rootThen = [&](const std::function<void(zk::JuteWriter&)>& tail) {
            return bytesOf([&](zk::JuteWriter& w) {
                writeRootOnly(w);
                zk::writeSnapshotBodyEnd(w);
                tail(w);
            });
        };
        const std::uint64_t body = rootThen([](auto&) {}).size();
        add("wrong signature", rootThen([](auto& w) { w.writeString("BenWasHerf"); }), body,
            "Missing signature. Got \"BenWasHerf\"");
        add("signature length", rootThen([](auto& w) { w.writeInt(11); }), body,
            "a string of length 11");
        add("null signature", rootThen([](auto& w) { w.writeInt(-1); }), body,
            "a string of length -1");

        const Bytes orphan = bytesOf([](zk::JuteWriter& w) {
            writeRootOnly(w);
            zk::writeSnapshotNode(w, "/a/b", zk::DataNode());
            zk::writeSnapshotBodyEnd(w);
            w.writeString("BenWasHere");
        });
        add("node without its parent", orphan, orphan.size(), "parent");
        const Bytes unknownAcl = bytesOf([](zk::JuteWriter& w) {
            writeRootOnly(w, 7);
            zk::writeSnapshotBodyEnd(w);
            w.writeString("BenWasHere");
        });
        add("unknown ACL id", unknownAcl, unknownAcl.size(), "ACL entry is missing");
        const Bytes noRoot = bytesOf([](zk::JuteWriter& w) {
            w.writeInt(0);
            w.writeInt(0);
            zk::writeSnapshotNode(w, "/a", zk::DataNode());
            zk::writeSnapshotBodyEnd(w);
            w.writeString("BenWasHere");
        });
        add("no root", noRoot, noRoot.size(), "root");
    }

    void malformedStreamsAreRefused()
    {
        QFETCH(QByteArray, stream);
        QFETCH(qulonglong, offset);
        QFETCH(QString, words);
        const std::span<const std::uint8_t> bytes(
            reinterpret_cast<const std::uint8_t*>(stream.constData()),
            static_cast<std::size_t>(stream.size()));
        for (const bool byByte : {false, true}) {
            const Decoded decoded = byByte ? decodeInChunks(
                                                 1, bytes, [] { return std::size_t{1}; }, true)
                                           : decodeWhole(1, bytes);
            QCOMPARE(name(decoded.status), name(zk::DecodeStatus::Malformed));
            QCOMPARE(decoded.errorOffset, std::uint64_t{offset});
            QVERIFY2(decoded.error.find(words.toStdString()) != std::string::npos,
                     decoded.error.c_str());
        }
        // Malformed is final: nothing more is consumed.
        zk::SnapStreamDecoder decoder(1, true);
        std::size_t used = 0;
        decoder.feed(bytes, used);
        QCOMPARE(name(decoder.feed(bytes, used)), name(zk::DecodeStatus::Malformed));
        QCOMPARE(used, std::size_t{0});
    }

    void hostileButLegalCountsWaitForTheirBytes()
    {
        // Counts and lengths within maxLength are legal; the decoder takes them at their
        // word, keeps nothing but the bytes received, and waits.
        zk::JuteWriter w;
        w.writeInt(50 * 1000 * 1000); // sessions
        for (int i = 0; i < 3; ++i) {
            w.writeLong(i + 1);
            w.writeInt(4000);
        }
        zk::SnapStreamDecoder sessions(1);
        std::size_t used = 0;
        QCOMPARE(name(sessions.feed(w.bytes(), used)), name(zk::DecodeStatus::NeedMore));
        QCOMPARE(used, w.size());

        w = zk::JuteWriter();
        w.writeInt(0);
        w.writeInt(0);
        w.writeString("");
        w.writeInt(60 * 1024 * 1024); // data length
        w.writeRaw(Bytes(10, 'x'));
        zk::SnapStreamDecoder data(1);
        QCOMPARE(name(data.feed(w.bytes(), used)), name(zk::DecodeStatus::NeedMore));
        QCOMPARE(used, w.size());
        QCOMPARE(data.bytesConsumed(), std::uint64_t{w.size()});
    }

    void hundredThousandNodesInOnePass()
    {
        LiveServer live;
        live.createSession(0x77);
        for (int p = 0; p < 100; ++p) {
            const std::string parent = "/p" + std::to_string(p);
            live.create(parent);
            for (int c = 0; c < 1000; ++c)
                live.create(parent + "/c" + std::to_string(c), "sixteen bytes!!!",
                            c % 10 == 0 ? 0x77 : 0);
        }
        const Bytes stream = zk::encodeSnapStream(live.tree, live.sessions);
        QVERIFY(stream.size() > 10'000'000);
        for (const std::size_t chunk : {std::size_t{65536}, std::size_t{7}, std::size_t{1}}) {
            QElapsedTimer timer;
            timer.start();
            const Decoded decoded = decodeInChunks(
                live.zxid, stream, [&] { return chunk; }, false);
            QVERIFY2(decoded.status == zk::DecodeStatus::Ok, decoded.error.c_str());
            qInfo("%zu bytes in %zu-byte pieces: %lld ms", stream.size(), chunk,
                  static_cast<long long>(timer.elapsed()));
            QCOMPARE(decoded.result->tree.nodeCount(), live.tree.nodeCount());
            QCOMPARE(decoded.result->tree.digest(), live.tree.digest());
            QCOMPARE(decoded.result->tree.ephemerals(0x77).size(), std::size_t{10000});
        }
    }

    void decodedTreeSnapshotsAndRecovers()
    {
        // A learner's SNAP: decode, write snapshot.<SNAP zxid> at once, restart from disk.
        QTemporaryDir dir;
        const zk::StorageOptions options = optionsFor(dir.path());
        LiveServer leader;
        buildSample(leader);
        const zk::Zxid snapZxid = zk::makeZxid(2, 0x33);
        const Bytes stream = zk::encodeSnapStream(leader.tree, leader.sessions);
        Decoded decoded = decodeWhole(snapZxid, stream);
        QVERIFY2(decoded.status == zk::DecodeStatus::Ok, decoded.error.c_str());

        fs::path written;
        QVERIFY(!zk::takeSnapshotNow(options, decoded.result->tree, decoded.result->sessions,
                                     &written));
        QCOMPARE(written.filename().string(), std::string("snapshot.200000033"));
        zk::StorageOptions extended = options;
        extended.extendedTypesEnabled = true;
        zk::RecoveredState state;
        const auto error = zk::recover(extended, state);
        QVERIFY2(!error, error.message().c_str());
        QCOMPARE(state.snapshotZxid, snapZxid);
        QCOMPARE(state.lastZxid, snapZxid);
        QCOMPARE(state.txnsReplayed, std::int64_t{0});
        QVERIFY2(state.warnings.empty(), state.warnings.empty() ? "" : state.warnings[0].c_str());
        QCOMPARE(state.sessions, leader.sessions);
        compareTrees(state.tree, decoded.result->tree);
        compareTrees(state.tree, leader.tree);
    }
};

QTEST_APPLESS_MAIN(SnapStreamTest)
#include "test_snap_stream.moc"
