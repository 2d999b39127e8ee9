// Proves readLogHistory, the leader's DIFF from its own txn log: it returns exactly the txns
// after `after` up to `upTo` across log files, and nothing (so the leader sends a SNAP) when
// the log lacks `after` (never logged, or purged), ends before `upTo`, ends in a torn record,
// or holds more bytes than the limit allows.
#include "storage_test_util.h"

#include "storage/log_history.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace storagetest;
namespace fs = std::filesystem;

namespace {

constexpr std::size_t kNoLimit = std::size_t(1) << 30;

// Txns 1..30 in log.1 (1-10), log.b (11-20) and log.15 (21-30).
struct Fixture
{
    explicit Fixture(const QTemporaryDir& dir)
    {
        options = optionsFor(dir.path(), 4096);
        if (zk::ensureDirectory(options.logDir()))
            qFatal("mkdir");
        zk::TxnLogWriter log({options.logDir(), 4096, true, 0});
        LiveServer live(&log);
        live.createSession(0xA, 6000);
        for (int i = 2; i <= 30; ++i) {
            live.create("/n" + std::to_string(i), "data-" + std::to_string(i));
            if ((i == 10 || i == 20) && log.rollLog())
                qFatal("roll");
        }
        if (log.commit())
            qFatal("commit");
        applied = live.applied;
    }

    std::vector<zk::Zxid> zxids(const std::optional<std::vector<zk::LoggedTxn>>& txns) const
    {
        std::vector<zk::Zxid> out;
        if (txns)
            for (const auto& txn : *txns)
                out.push_back(txn.header.zxid);
        return out;
    }

    zk::StorageOptions options;
    std::vector<zk::LoggedTxn> applied;
};

std::vector<zk::Zxid> range(zk::Zxid from, zk::Zxid to)
{
    std::vector<zk::Zxid> out;
    for (zk::Zxid z = from; z <= to; ++z)
        out.push_back(z);
    return out;
}

} // namespace

class LogHistoryTest : public QObject
{
    Q_OBJECT
private slots:
    void readsTheStretchAcrossLogFiles()
    {
        QTemporaryDir dir;
        Fixture f(dir);
        const auto txns = zk::readLogHistory(f.options.logDir(), 5, 25, kNoLimit);
        QVERIFY(txns);
        QCOMPARE(f.zxids(txns), range(6, 25));
        // The txns come back whole, as they were logged.
        for (const auto& txn : *txns) {
            const auto& logged = f.applied.at(std::size_t(txn.header.zxid - 1));
            QCOMPARE(txn.header.type, logged.header.type);
            QCOMPARE(txn.header.time, logged.header.time);
            QVERIFY(std::get<zk::CreateTxn>(txn.txn.body).path ==
                    std::get<zk::CreateTxn>(logged.txn.body).path);
        }
        QCOMPARE(f.zxids(zk::readLogHistory(f.options.logDir(), 29, 30, kNoLimit)),
                 std::vector<zk::Zxid>{30});
    }

    void refusesWhatTheLogDoesNotHold()
    {
        QTemporaryDir dir;
        Fixture f(dir);
        const fs::path logDir = f.options.logDir();
        QVERIFY(!zk::readLogHistory(logDir, 0, 10, kNoLimit));  // no txn 0 was ever logged
        QVERIFY(!zk::readLogHistory(logDir, 25, 31, kNoLimit)); // the log ends at 30
        QVERIFY(!zk::readLogHistory(logDir, 30, 30, kNoLimit)); // nothing after itself
        QVERIFY(!zk::readLogHistory(logDir, 31, 40, kNoLimit)); // beyond the log
    }

    void refusesAStretchOverTheByteLimit()
    {
        QTemporaryDir dir;
        Fixture f(dir);
        const auto all = zk::readLogHistory(f.options.logDir(), 1, 30, kNoLimit);
        QVERIFY(all);
        QCOMPARE(all->size(), std::size_t(29));
        QVERIFY(!zk::readLogHistory(f.options.logDir(), 1, 30, 29 * 20)); // ~40 bytes each
        QVERIFY(zk::readLogHistory(f.options.logDir(), 28, 30, 29 * 20));
    }

    // After autopurge removed log.1, txns 1-10 are gone: a learner at 5 needs a SNAP, one at
    // 12 still gets its DIFF.
    void aPurgedLogFileMeansNoDiffFromIt()
    {
        QTemporaryDir dir;
        Fixture f(dir);
        const fs::path logDir = f.options.logDir();
        QVERIFY(fs::remove(logDir / "log.1"));
        QVERIFY(!zk::readLogHistory(logDir, 5, 30, kNoLimit));
        QCOMPARE(f.zxids(zk::readLogHistory(logDir, 12, 30, kNoLimit)), range(13, 30));
    }

    // A record still being written reads as a torn tail: the stretch up to it is missing.
    void aTornLastRecordIsMissing()
    {
        QTemporaryDir dir;
        Fixture f(dir);
        const fs::path last = f.options.logDir() / "log.15";
        std::int64_t lastRecord = 0;
        zk::readTxnLogFile(last, [&](const zk::LogEntry& entry) {
            lastRecord = entry.offset;
            return true;
        });
        QVERIFY(lastRecord > 0);
        fs::resize_file(last, std::uintmax_t(lastRecord + 8)); // mid-record
        QVERIFY(!zk::readLogHistory(f.options.logDir(), 20, 30, kNoLimit));
        QCOMPARE(f.zxids(zk::readLogHistory(f.options.logDir(), 20, 29, kNoLimit)), range(21, 29));
    }
};

QTEST_GUILESS_MAIN(LogHistoryTest)
#include "test_log_history.moc"
