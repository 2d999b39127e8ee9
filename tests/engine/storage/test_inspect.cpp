// Proves --print-log and --print-snapshot lay files out as Apache's TxnLogToolkit and
// SnapshotFormatter do (header line, one line per txn, EOF count; node blocks, sessions with
// ephemeral counts, last zxid), and that a damaged file is reported, not printed as valid.
#include "storage_test_util.h"

#include "storage/inspect.h"

#include <QTemporaryDir>
#include <QtTest>

#include <sstream>

using namespace storagetest;
namespace fs = std::filesystem;

class InspectTest : public QObject
{
    Q_OBJECT
private slots:
    void printsLikeApacheTools()
    {
        QTemporaryDir dir;
        zk::StorageOptions options = optionsFor(dir.path());
        QVERIFY(!zk::ensureDirectory(options.logDir()));
        zk::TxnLogWriter log({options.logDir(), 4096, false, 0});
        LiveServer live(&log);
        live.createSession(0x100002f15a00000, 10000);
        live.create("/a", "hello");
        live.create("/a/e", "", 0x100002f15a00000);
        live.remove("/a/e");
        live.create("/a/e2", "", 0x100002f15a00000);
        QVERIFY(!log.commit());
        fs::path snap;
        QVERIFY(!zk::takeSnapshotNow(options, live.tree, live.sessions, &snap));

        std::ostringstream logText;
        QVERIFY(!zk::printTxnLog(options.logDir() / "log.1", logText));
        const std::string text = logText.str();
        QVERIFY(text.rfind("ZooKeeper Transactional Log File with dbid 0 txnlog format version 2\n",
                           0) == 0);
        QVERIFY(text.find("session 0x100002f15a00000 cxid 0x1 zxid 0x1 createSession 10000\n") !=
                std::string::npos);
        QVERIFY(text.find("zxid 0x2 create /a,hello,[31,s{'world,'anyone}\n],false,1\n") !=
                std::string::npos);
        QVERIFY(text.find("zxid 0x4 delete '/a/e\n") != std::string::npos);
        QVERIFY(text.find("11/14/23, 10:13:20 PM UTC") != std::string::npos); // 1700000000000
        QVERIFY(text.find("EOF reached after 5 txns.\n") != std::string::npos);

        std::ostringstream snapText;
        QVERIFY(!zk::printSnapshot(snap, snapText));
        const std::string s = snapText.str();
        QVERIFY(s.rfind("ZNode Details (count=", 0) == 0);
        QVERIFY(s.find("----\n/a\n  cZxid = 0x00000000000002\n") != std::string::npos);
        QVERIFY(s.find("  ephemeralOwner = 0x100002f15a00000\n") != std::string::npos);
        QVERIFY(s.find("Session Details (sid, timeout, ephemeralCount):\n"
                       "0x100002f15a00000, 10000, 1\n----\nLast zxid: 0x5\n") != std::string::npos);

        Bytes bytes = readFile(snap);
        bytes[bytes.size() / 2] ^= 0x10;
        writeFile(snap, bytes);
        std::ostringstream damaged;
        QVERIFY(zk::printSnapshot(snap, damaged));
    }
};

QTEST_APPLESS_MAIN(InspectTest)
#include "test_inspect.moc"
