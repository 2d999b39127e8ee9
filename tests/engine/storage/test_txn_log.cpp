// Proves the txn log is Apache's byte for byte (header, Adler32 entries, 0x42, zero
// preallocation), round-trips across rolled files, ends silently at torn tails and reports a
// bad checksum in the middle with its file and offset.
#include "storage_test_util.h"

#include "proto/jute_reader.h"
#include "storage/txn_log.h"

#include <QTemporaryDir>
#include <QtTest>

#include <zlib.h>

using namespace storagetest;
namespace fs = std::filesystem;

namespace {

std::vector<zk::LoggedTxn> readAll(const fs::path& dir, zk::StorageError* error = nullptr,
                                   zk::Zxid from = 1)
{
    std::vector<zk::LoggedTxn> txns;
    auto result = zk::readTxnLog(dir, from, [&](const zk::LogEntry& entry) {
        txns.push_back(entry.txn);
        return true;
    });
    if (error)
        *error = result;
    else if (result)
        qWarning("%s", result.message().c_str());
    return txns;
}

// A log of `count` creates in one file; returns the entry offsets.
std::vector<std::int64_t> writeLog(const fs::path& dir, int count, LiveServer& live)
{
    zk::TxnLogWriter log({dir, 4096, true, 0});
    for (int i = 0; i < count; ++i) {
        auto txn = live.make(zk::OpCode::Create, zk::CreateTxn{"/n" + std::to_string(i), Bytes{'x'},
                                                               zk::openAclUnsafe(), false, i + 1});
        live.apply(txn);
        if (log.append(txn))
            qFatal("append");
    }
    if (log.commit())
        qFatal("commit");
    std::vector<std::int64_t> offsets;
    zk::readTxnLogFile(dir / "log.1", [&](const zk::LogEntry& e) {
        offsets.push_back(e.offset);
        return true;
    });
    return offsets;
}

} // namespace

class TxnLogTest : public QObject
{
    Q_OBJECT
private slots:
    void headerAndEntryAreApacheBytes()
    {
        QTemporaryDir dir;
        const fs::path d = dir.path().toStdString();
        LiveServer live;
        auto txn = live.make(zk::OpCode::CreateSession, zk::CreateSessionTxn{30000}, 0x42);
        zk::TxnLogWriter log({d, 4096, true, 0});
        QVERIFY(!log.append(txn));
        QVERIFY(!log.commit());
        const Bytes file = readFile(d / "log.1");
        const Bytes header{0x5A, 0x4B, 0x4C, 0x47, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0};
        QCOMPARE(Bytes(file.begin(), file.begin() + 16), header);
        const Bytes body = zk::encodeTxn(txn);
        zk::JuteReader r{std::span<const std::uint8_t>(file).subspan(16)};
        const std::int64_t checksum = r.readLong();
        QCOMPARE(checksum, static_cast<std::int64_t>(adler32(adler32(0, nullptr, 0), body.data(),
                                                             static_cast<uInt>(body.size()))));
        QCOMPARE(r.readInt(), static_cast<std::int32_t>(body.size()));
        QCOMPARE(Bytes(file.begin() + 28, file.begin() + 28 + static_cast<long>(body.size())),
                 body);
        QCOMPARE(file[28 + body.size()], std::uint8_t{0x42});
        // Preallocated in 4096-byte blocks, zero after the record.
        QCOMPARE(file.size() % 4096, std::size_t{0});
        QVERIFY(file.size() >= 4096 + 29 + body.size());
        QVERIFY(std::all_of(file.begin() + 29 + static_cast<long>(body.size()), file.end(),
                            [](std::uint8_t b) { return b == 0; }));
    }

    void roundTripAcrossRolledFiles()
    {
        QTemporaryDir dir;
        const fs::path d = dir.path().toStdString();
        zk::TxnLogWriter log({d, 4096, true, 0});
        LiveServer live(&log);
        live.createSession(0x1000);
        live.create("/a", "hello");
        live.create("/a/e", "", 0x1000);
        QVERIFY(!log.commit());
        QVERIFY(!log.rollLog());
        live.setData("/a", "world");
        live.remove("/a/e");
        live.closeSession(0x1000);
        QVERIFY(!log.commit());
        QVERIFY(fs::exists(d / "log.1"));
        QVERIFY(fs::exists(d / "log.4"));
        QCOMPARE(readAll(d), live.applied);
        const auto fromFive = readAll(d, nullptr, 5);
        QCOMPARE(fromFive.size(), std::size_t{2});
        QCOMPARE(fromFive.front().header.zxid, zk::Zxid{5});
        zk::Zxid last = 0;
        QVERIFY(!zk::lastLoggedZxid(d, last));
        QCOMPARE(last, zk::Zxid{6});
    }

    void groupCommitSyncsOncePerBatchAndForceSyncOffSkipsIt()
    {
        QTemporaryDir dir;
        const fs::path d = dir.path().toStdString();
        {
            zk::TxnLogWriter log({d, 4096, true, 0});
            LiveServer live(&log);
            for (int i = 0; i < 10; ++i)
                live.create("/n" + std::to_string(i));
            QVERIFY(!log.commit());
            QCOMPARE(log.syncCount(), std::int64_t{1});
        }
        QTemporaryDir other;
        zk::TxnLogWriter log({fs::path(other.path().toStdString()), 4096, false, 0});
        LiveServer live(&log);
        live.create("/x");
        QVERIFY(!log.commit());
        QCOMPARE(log.syncCount(), std::int64_t{0});
        QCOMPARE(readAll(other.path().toStdString()).size(), std::size_t{1});
    }

    void tornTailsEndTheLogSilently_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::newRow("short entry") << "short";
        QTest::newRow("zeroed txn bytes") << "zeroed";
        QTest::newRow("missing 0x42") << "eor";
        QTest::newRow("cut inside the length") << "length";
    }

    void tornTailsEndTheLogSilently()
    {
        QFETCH(QString, kind);
        QTemporaryDir dir;
        const fs::path d = dir.path().toStdString();
        LiveServer live;
        const auto offsets = writeLog(d, 10, live);
        QCOMPARE(offsets.size(), std::size_t{10});
        Bytes file = readFile(d / "log.1");
        const auto last = static_cast<std::size_t>(offsets.back());
        if (kind == "short") {
            file.resize(last + 20);
        } else if (kind == "zeroed") {
            // The checksum and length reached the disk, the txn bytes did not.
            std::fill(file.begin() + static_cast<long>(last) + 12, file.end(), 0);
        } else if (kind == "eor") {
            const auto length = static_cast<std::size_t>(
                zk::JuteReader{std::span<const std::uint8_t>(file).subspan(last + 8)}.readInt());
            file[last + 12 + length] = 0x00;
        } else {
            file.resize(last + 10);
        }
        writeFile(d / "log.1", file);
        zk::StorageError error;
        const auto txns = readAll(d, &error);
        QVERIFY2(!error, error.message().c_str());
        QCOMPARE(txns.size(), std::size_t{9});
        QCOMPARE(txns.back(), live.applied[8]);
    }

    void badChecksumInTheMiddleNamesFileAndOffset()
    {
        QTemporaryDir dir;
        const fs::path d = dir.path().toStdString();
        LiveServer live;
        const auto offsets = writeLog(d, 10, live);
        Bytes file = readFile(d / "log.1");
        file[static_cast<std::size_t>(offsets[4]) + 14] ^= 0x55; // inside txn 5
        writeFile(d / "log.1", file);
        zk::StorageError error;
        const auto txns = readAll(d, &error);
        QCOMPARE(error.code, std::error_code(zk::StorageErrc::BadChecksum));
        QCOMPARE(error.offset, offsets[4]);
        QVERIFY(error.file.find("log.1") != std::string::npos);
        QVERIFY(error.message().find("log.1 at offset " + std::to_string(offsets[4])) !=
                std::string::npos);
        QCOMPARE(txns.size(), std::size_t{4});
    }

    void logFilesAfterKeepsTheFileHoldingTheZxid()
    {
        const std::vector<zk::ZxidFile> logs{{"log.1", 1}, {"log.10", 0x10}, {"log.20", 0x20}};
        const auto files = zk::logFilesAfter(logs, 0x15);
        QCOMPARE(files.size(), std::size_t{2});
        QCOMPARE(files[0].zxid, zk::Zxid{0x10});
        QCOMPARE(files[1].zxid, zk::Zxid{0x20});
        QCOMPARE(zk::logFilesAfter(logs, 0).size(), std::size_t{3});
        QCOMPARE(zk::zxidFromName("log.1a", "log"), std::optional<zk::Zxid>(0x1a));
        QCOMPARE(zk::zxidFromName("snapshot.ff.gz", "snapshot"), std::optional<zk::Zxid>(0xff));
        QCOMPARE(zk::zxidFromName("tmp.snapshot.ff", "snapshot"), std::nullopt);
    }
};

QTEST_APPLESS_MAIN(TxnLogTest)
#include "test_txn_log.moc"
