// Proves snapshots are Apache's bytes (header, seals, ZxidDigest), round-trip sessions, ACLs
// and stats, read the 3.9 trailer and .gz files, and that a fuzzy snapshot serialized in
// small steps while txns keep applying restores, after log replay, to the live tree.
#include "storage_test_util.h"

#include "proto/jute_reader.h"
#include "storage/file_storage.h"
#include "storage/snapshot.h"

#include <QTemporaryDir>
#include <QtTest>

#include <fmt/format.h>
#include <zlib.h>

using namespace storagetest;
namespace fs = std::filesystem;

namespace {

void buildSample(LiveServer& live)
{
    live.createSession(0x1000, 12000);
    live.createSession(0x2000, 20000);
    live.create("/a", "hello");
    live.create("/a/b", "x");
    live.createWithAcl("/secret", {zk::Acl{31, zk::Id{"digest", "u:abc="}}});
    live.create("/a/e", "", 0x1000);
    live.create("/q");
    for (int i = 0; i < 3; ++i)
        live.create("/q/n-000000000" + std::to_string(i));
    live.setData("/a", "again");
    live.remove("/q/n-0000000001");
}

} // namespace

class SnapshotTest : public QObject
{
    Q_OBJECT
private slots:
    void writesApacheLayoutAndRoundTrips()
    {
        QTemporaryDir dir;
        const fs::path d = dir.path().toStdString();
        LiveServer live;
        buildSample(live);
        zk::SnapshotBuilder builder(live.tree, live.sessions);
        while (!builder.step(live.tree, 3)) {
        }
        fs::path written;
        QVERIFY(!zk::writeSnapshotFile(d, builder.finish(live.tree), true, &written));
        QCOMPARE(written.filename().string(), std::string("snapshot.c"));
        const Bytes file = readFile(written);
        const Bytes header{0x5A, 0x4B, 0x53, 0x4E, 0,    0,    0,    2,
                           0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
        QCOMPARE(Bytes(file.begin(), file.begin() + 16), header);
        // Ends with the second seal: long checksum, int 1, '/'.
        const Bytes tail{0, 0, 0, 1, '/'};
        QCOMPARE(Bytes(file.end() - 5, file.end()), tail);
        const std::size_t seal2 = file.size() - 13;
        zk::JuteReader r{std::span<const std::uint8_t>(file).subspan(seal2)};
        QCOMPARE(static_cast<std::uint32_t>(r.readLong()),
                 static_cast<std::uint32_t>(
                     adler32(adler32(0, nullptr, 0), file.data(), static_cast<uInt>(seal2))));
        // ZxidDigest before it: zxid, version 2, digest.
        zk::JuteReader digest{std::span<const std::uint8_t>(file).subspan(seal2 - 20)};
        QCOMPARE(digest.readLong(), live.zxid);
        QCOMPARE(digest.readInt(), 2);
        QCOMPARE(digest.readLong(), live.tree.digest());
        QVERIFY(zk::looksLikeValidSnapshot(written));

        zk::DataTree restored;
        std::map<zk::SessionId, std::int32_t> sessions;
        zk::SnapshotInfo info;
        QVERIFY(!zk::restoreSnapshot(written, restored, sessions, info));
        QCOMPARE(sessions, live.sessions);
        QCOMPARE(info.zxid, live.zxid);
        QVERIFY(info.digest.has_value());
        QCOMPARE(restored.digest(), live.tree.digest());
        QCOMPARE(dumpTree(restored), dumpTree(live.tree));
        QCOMPARE(restored.aclOf(*restored.node("/secret")),
                 (zk::AclList{zk::Acl{31, zk::Id{"digest", "u:abc="}}}));
        QCOMPARE(restored.ephemerals(0x1000).count("/a/e"), std::size_t{1});
    }

    // zookeeper.snapshot.compression.method=gz: snapshot.<zxid>.gz, a gzip stream of exactly
    // the bytes of the plain file (so its seals cover the uncompressed bytes), recovered from.
    void writesGzipSnapshots()
    {
        QTemporaryDir dir;
        zk::StorageOptions options = optionsFor(dir.path());
        LiveServer live;
        buildSample(live);
        for (int i = 0; i < 200; ++i)
            live.create("/bulk-" + std::to_string(i), std::string(100, 'x'));
        fs::path plainFile;
        QVERIFY(!zk::takeSnapshotNow(options, live.tree, live.sessions, &plainFile));
        const Bytes plain = readFile(plainFile);
        fs::remove(plainFile);

        options.snapshotCompression = zk::SnapshotCompression::Gzip;
        fs::path gzipped;
        QVERIFY(!zk::takeSnapshotNow(options, live.tree, live.sessions, &gzipped));
        QCOMPARE(gzipped.filename().string(), fmt::format("snapshot.{:x}.gz", live.zxid));
        const Bytes compressed = readFile(gzipped);
        QCOMPARE(Bytes(compressed.begin(), compressed.begin() + 2), (Bytes{0x1f, 0x8b}));
        QVERIFY2(compressed.size() * 5 < plain.size(),
                 qPrintable(QStringLiteral("%1 of %2").arg(compressed.size()).arg(plain.size())));
        Bytes inflated(plain.size() + 1);
        z_stream z{};
        QCOMPARE(inflateInit2(&z, 15 + 16), Z_OK);
        z.next_in = const_cast<Bytef*>(compressed.data());
        z.avail_in = static_cast<uInt>(compressed.size());
        z.next_out = inflated.data();
        z.avail_out = static_cast<uInt>(inflated.size());
        QCOMPARE(inflate(&z, Z_FINISH), Z_STREAM_END);
        inflated.resize(z.total_out);
        inflateEnd(&z);
        QVERIFY(inflated == plain);

        zk::RecoveredState state;
        QVERIFY(!zk::recover(options, state));
        QCOMPARE(state.snapshotFile.value_or(fs::path()), gzipped);
        QCOMPARE(dumpTree(state.tree), dumpTree(live.tree));
        QCOMPARE(state.sessions, live.sessions);
        QVERIFY(state.warnings.empty());
    }

    void badSealIsRejectedWithOffset()
    {
        QTemporaryDir dir;
        const fs::path d = dir.path().toStdString();
        LiveServer live;
        buildSample(live);
        fs::path written;
        zk::StorageOptions options = optionsFor(dir.path());
        QVERIFY(!zk::takeSnapshotNow(options, live.tree, live.sessions, &written));
        Bytes file = readFile(written);
        file[60] ^= 0x01; // inside the node records
        writeFile(written, file);
        QVERIFY(zk::looksLikeValidSnapshot(written)); // the tail alone looks fine
        zk::DataTree restored;
        std::map<zk::SessionId, std::int32_t> sessions;
        zk::SnapshotInfo info;
        const auto error = zk::restoreSnapshot(written, restored, sessions, info);
        QVERIFY(error);
        QVERIFY(error.offset > 0);
        QVERIFY(error.message().find(written.filename().string()) != std::string::npos);
    }

    void readsTheTrailerOf39AndGzip()
    {
        QTemporaryDir dir;
        const fs::path d = dir.path().toStdString();
        LiveServer live;
        buildSample(live);
        zk::SnapshotBuilder builder(live.tree, live.sessions);
        QVERIFY(builder.step(live.tree, 1000));
        auto image = builder.finish(live.tree);
        image.writeLastProcessedZxid = true;
        fs::path written;
        QVERIFY(!zk::writeSnapshotFile(d, image, false, &written));
        zk::DataTree restored;
        std::map<zk::SessionId, std::int32_t> sessions;
        zk::SnapshotInfo info;
        QVERIFY(!zk::restoreSnapshot(written, restored, sessions, info));
        QCOMPARE(info.lastProcessedZxid, std::optional<zk::Zxid>(live.zxid));

        const Bytes plain = readFile(written);
        const fs::path gz = d / "snapshot.c.gz";
        gzFile out = gzopen(gz.c_str(), "wb");
        QVERIFY(out != nullptr);
        QCOMPARE(gzwrite(out, plain.data(), static_cast<unsigned>(plain.size())),
                 static_cast<int>(plain.size()));
        gzclose(out);
        zk::DataTree fromGz;
        QVERIFY(!zk::restoreSnapshot(gz, fromGz, sessions, info));
        QCOMPARE(fromGz.digest(), live.tree.digest());
    }

    void preOrderResumesAfterDeletedPath()
    {
        LiveServer live;
        live.create("/a");
        live.create("/a/x");
        live.create("/b");
        QCOMPARE(zk::nextPathInPreOrder(live.tree, "/"), std::optional<std::string>("/a"));
        QCOMPARE(zk::nextPathInPreOrder(live.tree, "/a"), std::optional<std::string>("/a/x"));
        QCOMPARE(zk::nextPathInPreOrder(live.tree, "/a/x"), std::optional<std::string>("/b"));
        live.remove("/a/x");
        live.remove("/a");
        // "/a/x" is gone with its parent; the walk continues after "/a" at the root.
        QCOMPARE(zk::nextPathInPreOrder(live.tree, "/a/x"), std::optional<std::string>("/b"));
        QCOMPARE(zk::nextPathInPreOrder(live.tree, "/zookeeper/quota"), std::nullopt);
    }

    void stepResumesAfterItsPathIsDeleted()
    {
        LiveServer live;
        for (const char* path : {"/a", "/a/x", "/a/x/deep", "/a/y", "/b", "/b/z"})
            live.create(path);
        zk::SnapshotBuilder builder(live.tree, live.sessions);
        QVERIFY(!builder.step(live.tree, 4)); // "/", /a, /a/x, /a/x/deep
        // The resume point and its parent go; new children land before and after them.
        live.remove("/a/x/deep");
        live.remove("/a/x");
        live.create("/a/w");  // before the walk's position: left to the log's replay
        live.create("/a/xa"); // after it: visited
        live.create("/c");
        while (!builder.step(live.tree, 1)) {
        }
        QVERIFY(builder.step(live.tree, 1)); // stays finished
        const zk::SnapshotImage image = builder.finish(live.tree);

        QTemporaryDir dir;
        fs::path written;
        QVERIFY(!zk::writeSnapshotFile(dir.path().toStdString(), image, false, &written));
        struct PathSink final : zk::SnapshotSink
        {
            std::vector<std::string> paths;
            void session(zk::SessionId, std::int32_t) override {}
            void acl(std::int64_t, zk::AclList) override {}
            void node(std::string path, zk::DataNode) override { paths.push_back(path); }
        } sink;
        zk::SnapshotInfo info;
        QVERIFY(!zk::readSnapshotFile(written, sink, info));
        const std::vector<std::string> expected{
            "",     "/a", "/a/x",       "/a/x/deep",         "/a/xa",           "/a/y", "/b",
            "/b/z", "/c", "/zookeeper", "/zookeeper/config", "/zookeeper/quota"};
        QCOMPARE(sink.paths, expected);
        QCOMPARE(image.nodeCount, expected.size());
    }

    void fuzzySnapshotPlusReplayEqualsLiveTree()
    {
        // Seeded: ZK_SEED=<n> replays a failure.
        const auto seed = static_cast<std::uint64_t>(qEnvironmentVariableIntValue("ZK_SEED"));
        std::mt19937_64 rng(seed == 0 ? 7 : seed);
        QTemporaryDir dir;
        zk::StorageOptions options = optionsFor(dir.path());
        QVERIFY(!zk::ensureDirectory(options.logDir()));
        zk::TxnLogWriter log({options.logDir(), 4096, false, 0});
        LiveServer live(&log);
        live.createSession(0x77);
        std::vector<std::string> paths;
        auto randomOp = [&] {
            const int op = static_cast<int>(rng() % 10);
            if (paths.empty() || op < 5) {
                const std::string parent =
                    paths.empty() || rng() % 3 == 0 ? std::string("") : paths[rng() % paths.size()];
                const std::string path = parent + "/n" + std::to_string(rng() % 1000);
                if (live.tree.node(path) == nullptr &&
                    live.tree.node(parent.empty() ? "/" : parent) &&
                    live.tree.node(parent.empty() ? "/" : parent)->stat.ephemeralOwner == 0) {
                    live.create(path, "v", rng() % 5 == 0 ? 0x77 : 0);
                    paths.push_back(path);
                }
            } else if (op < 8) {
                live.setData(paths[rng() % paths.size()], std::to_string(rng()));
            } else {
                const std::size_t i = rng() % paths.size();
                if (live.tree.node(paths[i]) && live.tree.node(paths[i])->children.empty()) {
                    live.remove(paths[i]);
                    paths.erase(paths.begin() + static_cast<long>(i));
                }
            }
        };
        for (int i = 0; i < 400; ++i)
            randomOp();
        QVERIFY(!zk::takeSnapshotNow(options, live.tree, live.sessions));
        zk::SnapshotBuilder builder(live.tree, live.sessions);
        const zk::Zxid snapZxid = builder.zxid();
        int steps = 0;
        while (!builder.step(live.tree, 5)) {
            for (int i = 0; i < 4; ++i)
                randomOp();
            ++steps;
        }
        QVERIFY(steps > 10);
        QVERIFY(!zk::writeSnapshotFile(options.snapDir(), builder.finish(live.tree), false));
        for (int i = 0; i < 50; ++i)
            randomOp();
        QVERIFY(!log.commit());
        QVERIFY(live.zxid > snapZxid + 40);

        zk::RecoveredState state;
        const auto error = zk::recover(options, state);
        QVERIFY2(!error, error.message().c_str());
        QCOMPARE(state.snapshotZxid, snapZxid);
        QCOMPARE(state.lastZxid, live.zxid);
        QVERIFY2(state.warnings.empty(), state.warnings.empty() ? "" : state.warnings[0].c_str());
        QCOMPARE(state.tree.digest(), live.tree.digest());
        QCOMPARE(dumpTree(state.tree), dumpTree(live.tree));
        QCOMPARE(state.sessions, live.sessions);
    }
};

QTEST_APPLESS_MAIN(SnapshotTest)
#include "test_snapshot.moc"
