// Proves truncateLog (a learner's TRUNC) keeps exactly the txns up to the zxid across several
// log files: the file holding the boundary ends right after that txn's record, later logs and
// snapshots named above the zxid are gone, recover() and readTxnLog show the kept txns, a
// new FileStorage appends after them, a retry changes nothing, and an unreadable log is
// refused before any file changes.
#include "storage_test_util.h"

#include "storage/log_truncate.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace storagetest;
namespace fs = std::filesystem;

namespace {

struct Record
{
    fs::path file;
    std::int64_t end = 0; // offset just past the record's 0x42
};

// A dataDir (logs in their own dataLogDir) with txns 1..30 in log.1 (1-10), log.b (11-20)
// and log.15 (21-30), zero-padded to 4 KiB blocks, and snapshot.5 and snapshot.19.
struct Fixture
{
    explicit Fixture(const QTemporaryDir& dir)
    {
        options = optionsFor(dir.path(), 4096);
        options.dataLogDir = fs::path(dir.path().toStdString()) / "txnlogs";
        if (zk::ensureDirectory(options.logDir()) || zk::ensureDirectory(options.snapDir()))
            qFatal("mkdir");
        zk::TxnLogWriter log({options.logDir(), 4096, true, 0});
        LiveServer live(&log);
        for (int i = 1; i <= 30; ++i) {
            step(live, i);
            if (i == 5 || i == 25) {
                if (zk::takeSnapshotNow(options, live.tree, live.sessions))
                    qFatal("snapshot");
            }
            if ((i == 10 || i == 20) && log.rollLog())
                qFatal("roll");
        }
        if (log.commit())
            qFatal("commit");
        applied = live.applied;
        for (const auto& file : zk::listZxidFiles(options.logDir(), zk::kLogPrefix)) {
            zk::readTxnLogFile(file.path, [&](const zk::LogEntry& entry) {
                records[entry.txn.header.zxid] =
                    Record{file.path,
                           entry.offset + 12 + static_cast<std::int64_t>(entry.bytes.size()) + 1};
                return true;
            });
        }
    }

    // Sessions, ephemerals, sequential children, data changes, a close and deletes.
    static void step(LiveServer& live, int i)
    {
        if (i == 1 || i == 11) {
            live.createSession(i == 1 ? 0xA : 0xB, 6000);
        } else if (i == 2) {
            live.create("/q");
        } else if (i == 20) {
            live.closeSession(0xA);
        } else if (i % 7 == 0) {
            live.setData("/q", "v" + std::to_string(i));
        } else if (i > 25) {
            const std::map<int, int> removed{{26, 4}, {27, 5}, {29, 8}, {30, 10}};
            live.remove("/q/s-" + std::to_string(removed.at(i)));
        } else {
            live.create("/q/s-" + std::to_string(i), "d", i % 3 == 0 ? (i < 11 ? 0xA : 0xB) : 0);
        }
    }

    // The server after the first `count` txns, as a reference.
    LiveServer replayed(std::size_t count) const
    {
        LiveServer ref;
        for (std::size_t i = 0; i < count; ++i)
            ref.apply(applied[i]);
        return ref;
    }

    zk::StorageOptions options;
    std::vector<zk::LoggedTxn> applied;
    std::map<zk::Zxid, Record> records;
};

std::vector<std::string> names(const fs::path& dir, std::string_view prefix)
{
    std::vector<std::string> out;
    for (const auto& file : zk::listZxidFiles(dir, prefix))
        out.push_back(file.path.filename().string());
    return out;
}

std::vector<zk::Zxid> loggedZxids(const fs::path& dir)
{
    std::vector<zk::Zxid> out;
    const auto error = zk::readTxnLog(dir, 1, [&](const zk::LogEntry& entry) {
        out.push_back(entry.txn.header.zxid);
        return true;
    });
    if (error)
        qWarning("%s", error.message().c_str());
    return out;
}

std::vector<zk::Zxid> upTo(zk::Zxid last)
{
    std::vector<zk::Zxid> out;
    for (zk::Zxid z = 1; z <= last; ++z)
        out.push_back(z);
    return out;
}

std::map<fs::path, std::uintmax_t> sizes(const zk::StorageOptions& options)
{
    std::map<fs::path, std::uintmax_t> out;
    for (const auto& dir : {options.logDir(), options.snapDir()}) {
        for (const auto& entry : fs::directory_iterator(dir))
            out[entry.path()] = fs::file_size(entry.path());
    }
    return out;
}

void appendTxns(const zk::StorageOptions& options, zk::Zxid after, std::vector<zk::LoggedTxn> txns)
{
    zk::FileStorage storage(options, after);
    zk::TxnPersister::Hooks hooks;
    hooks.failed = [](const zk::StorageError& e) { qFatal("%s", e.message().c_str()); };
    QVERIFY(!storage.start(hooks));
    storage.append(std::move(txns));
    storage.stop();
    QCOMPARE(storage.stats().txnsLogged, std::int64_t{5});
}

} // namespace

class LogTruncateTest : public QObject
{
    Q_OBJECT
private slots:
    void keepsExactlyTheTxnsUpToTheZxid_data()
    {
        QTest::addColumn<qlonglong>("zxid");
        QTest::addColumn<QStringList>("logs");
        QTest::addColumn<QStringList>("snapshots");
        const QStringList all{"log.1", "log.b", "log.15"};
        QTest::newRow("inside a file") << 15LL << all.mid(0, 2) << QStringList{"snapshot.5"};
        QTest::newRow("last txn of a file") << 20LL << all.mid(0, 2) << QStringList{"snapshot.5"};
        QTest::newRow("first txn of a file") << 11LL << all.mid(0, 2) << QStringList{"snapshot.5"};
        QTest::newRow("first txn of the log") << 1LL << all.mid(0, 1) << QStringList{};
        QTest::newRow("zxid 0") << 0LL << QStringList{} << QStringList{};
        QTest::newRow("last txn of the log")
            << 30LL << all << QStringList{"snapshot.5", "snapshot.19"};
    }

    void keepsExactlyTheTxnsUpToTheZxid()
    {
        QFETCH(qlonglong, zxid);
        QFETCH(QStringList, logs);
        QFETCH(QStringList, snapshots);
        QTemporaryDir dir;
        const Fixture fixture(dir);
        const zk::StorageOptions& options = fixture.options;
        QCOMPARE(names(options.logDir(), zk::kLogPrefix),
                 (std::vector<std::string>{"log.1", "log.b", "log.15"}));
        QCOMPARE(loggedZxids(options.logDir()), upTo(30));

        const auto error = zk::truncateLog(options, zxid);
        QVERIFY2(!error, error.message().c_str());

        std::vector<std::string> expectedLogs;
        for (const QString& name : logs)
            expectedLogs.push_back(name.toStdString());
        std::vector<std::string> expectedSnapshots;
        for (const QString& name : snapshots)
            expectedSnapshots.push_back(name.toStdString());
        QCOMPARE(names(options.logDir(), zk::kLogPrefix), expectedLogs);
        QCOMPARE(names(options.snapDir(), zk::kSnapshotPrefix), expectedSnapshots);
        if (zxid > 0) {
            // The boundary file ends right after the record: no padding for any reader.
            const Record& last = fixture.records.at(zxid);
            QCOMPARE(static_cast<std::int64_t>(fs::file_size(last.file)), last.end);
        }
        QCOMPARE(loggedZxids(options.logDir()), upTo(zxid));
        zk::Zxid lastLogged = -1;
        QVERIFY(!zk::lastLoggedZxid(options.logDir(), lastLogged));
        QCOMPARE(lastLogged, zk::Zxid{zxid});

        // A retry (say after a crash part-way) finds nothing left to do.
        const auto before = sizes(options);
        QVERIFY(!zk::truncateLog(options, zxid));
        QCOMPARE(sizes(options), before);

        zk::RecoveredState state;
        const auto recovered = zk::recover(options, state);
        QVERIFY2(!recovered, recovered.message().c_str());
        QCOMPARE(state.lastZxid, zk::Zxid{zxid});
        QVERIFY2(state.warnings.empty(), state.warnings.empty() ? "" : state.warnings[0].c_str());
        LiveServer ref = fixture.replayed(static_cast<std::size_t>(zxid));
        QCOMPARE(dumpTree(state.tree), dumpTree(ref.tree));
        QCOMPARE(state.sessions, ref.sessions);

        // The learner carries on: the DIFF's txns go to a new log after the kept ones.
        std::vector<zk::LoggedTxn> diff;
        for (int i = 0; i < 5; ++i) {
            ref.create("/after-" + std::to_string(i));
            diff.push_back(ref.applied.back());
        }
        appendTxns(options, state.lastZxid, diff);
        QVERIFY(fs::exists(options.logDir() / zk::zxidFileName(zk::kLogPrefix, zxid + 1)));
        QCOMPARE(loggedZxids(options.logDir()), upTo(zxid + 5));
        zk::RecoveredState again;
        QVERIFY(!zk::recover(options, again));
        QCOMPARE(again.lastZxid, zk::Zxid{zxid + 5});
        QCOMPARE(dumpTree(again.tree), dumpTree(ref.tree));
        QCOMPARE(again.sessions, ref.sessions);
    }

    void unreadableLogIsRefusedBeforeAnythingChanges()
    {
        QTemporaryDir dir;
        const Fixture fixture(dir);
        const zk::StorageOptions& options = fixture.options;
        // Corrupt txn 13's bytes (not its length) in log.b.
        const Record& r12 = fixture.records.at(12);
        Bytes bytes = readFile(r12.file);
        bytes[static_cast<std::size_t>(r12.end) + 20] ^= 0xff;
        writeFile(r12.file, bytes);
        const auto before = sizes(options);

        const auto error = zk::truncateLog(options, 15);
        QVERIFY(error);
        QCOMPARE(error.code, std::error_code(zk::StorageErrc::BadChecksum));
        QVERIFY2(error.message().find("log.b") != std::string::npos, error.message().c_str());
        QCOMPARE(sizes(options), before);

        // Cutting before the damage never reads it.
        QVERIFY(!zk::truncateLog(options, 12));
        QCOMPARE(static_cast<std::int64_t>(fs::file_size(r12.file)), r12.end);
        QCOMPARE(loggedZxids(options.logDir()), upTo(12));
    }
};

QTEST_APPLESS_MAIN(LogTruncateTest)
#include "test_log_truncate.moc"
