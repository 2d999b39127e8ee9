// Proves the shell prints what zkCli 3.8 prints for a session against a live server
// (ZOOLAB_TEST_SERVER=host:port); expected text captured from Debian's zkCli.sh.
#include "../support/embedded_server.h"
#include "cli/cli_shell.h"

#include <QtTest>

#include <mutex>

using namespace zk::cli;

class CliLiveTest : public QObject
{
    Q_OBJECT
private:
    std::mutex m_mutex;
    std::string m_out;
    std::string m_err;

    CliSink sink()
    {
        return {[this](std::string_view t) {
                    std::lock_guard lock(m_mutex);
                    m_out += t;
                },
                [this](std::string_view t) {
                    std::lock_guard lock(m_mutex);
                    m_err += t;
                }};
    }
    void clear()
    {
        std::lock_guard lock(m_mutex);
        m_out.clear();
        m_err.clear();
    }

private slots:
    void session()
    {
        static zk::testing::EmbeddedServer embedded;
        const std::string server = embedded.address();
        QVERIFY2(!server.empty(), "the embedded server did not start");
        CliShell shell(sink());
        shell.connect(server);
        QCOMPARE(m_out, "Connecting to " + server +
                            "\n\nWATCHER::\n\nWatchedEvent state:SyncConnected type:None "
                            "path:null\n");
        const std::string root = "/zoolab-cli-test";
        shell.execute("deleteall " + root);
        clear();
        QCOMPARE(shell.execute("create " + root + " hello"), CliStatus::Ok);
        QCOMPARE(m_err, "Created " + root + "\n");
        clear();
        QCOMPARE(shell.execute("create " + root + " x"), CliStatus::Error);
        QCOMPARE(m_err, "Node already exists: " + root + "\n");
        clear();
        shell.execute("get " + root);
        QCOMPARE(m_out, std::string("hello\n"));
        clear();
        shell.execute("create " + root + "/e");
        shell.execute("create -s " + root + "/s- data");
        clear();
        shell.execute("ls " + root);
        QCOMPARE(m_out, std::string("[e, s-0000000001]\n"));
        clear();
        shell.execute("get -s " + root + "/e");
        QVERIFY(m_out.rfind("null\ncZxid = 0x", 0) == 0);
        QVERIFY(m_out.find("\nnumChildren = 0\n") != std::string::npos);
        clear();
        QCOMPARE(shell.execute("set -v 99 " + root + " w"), CliStatus::Error);
        QCOMPARE(m_err, "version No is not valid : " + root + "\n");
        clear();
        shell.execute("ls -R " + root);
        QCOMPARE(m_out, root + "\n" + root + "/e\n" + root + "/s-0000000001\n");
        clear();
        shell.execute("getAcl " + root);
        QCOMPARE(m_out, std::string("'world,'anyone\n: cdrwa\n"));
        clear();
        shell.execute("get -w " + root);
        shell.execute("set " + root + " changed");
        QTRY_VERIFY(m_out.find("WatchedEvent state:SyncConnected type:NodeDataChanged path:" +
                               root + "\n") != std::string::npos);
        clear();
        QCOMPARE(shell.execute("delete " + root), CliStatus::Error);
        QCOMPARE(m_err, "Node not empty: " + root + "\n");
        clear();
        shell.execute("removewatches " + root);
        QCOMPARE(m_err, "KeeperErrorCode = No such watcher for " + root + "\n");
        clear();
        shell.execute("sync " + root);
        QCOMPARE(m_out, std::string("Sync is OK\n"));
        clear();
        shell.execute("getAllChildrenNumber " + root);
        QCOMPARE(m_out, std::string("2\n"));
        clear();
        QCOMPARE(shell.execute("foo"), CliStatus::CommandNotFound);
        QVERIFY(m_err.find("Command not found: Command not found foo\n") != std::string::npos);
        clear();
        QCOMPARE(shell.execute("deleteall " + root), CliStatus::Ok);
        shell.execute("ls " + root);
        QCOMPARE(m_err, "Node does not exist: " + root + "\n");
        clear();
        shell.execute("close");
        QTRY_VERIFY(m_out.find("state:Closed") != std::string::npos);
        clear();
        shell.execute("ls /");
        QCOMPARE(m_out, std::string("Not connected\n"));
        QVERIFY(shell.prompt().find("(CLOSED)") != std::string::npos);
    }

    void attachedShell()
    {
        // A shell attached to someone else's client runs on that session, prints its own
        // watches, and never closes the session: not on close, quit or its destruction.
        static zk::testing::EmbeddedServer embedded;
        QVERIFY2(!embedded.address().empty(), "the embedded server did not start");
        zk::client::ClientOptions options;
        options.connectString = embedded.address();
        zk::client::ZkClient owner(options);
        zk::client::SyncClient sync(owner);
        QCOMPARE(sync.waitConnected(std::chrono::seconds(10)), zk::client::SessionState::Connected);
        const std::string root = "/zoolab-cli-attached";
        clear();
        {
            CliShell shell(sink());
            shell.attach(owner, embedded.address());
            QVERIFY(shell.attached());
            QVERIFY(shell.prompt().find("(CONNECTED)") != std::string::npos);
            QCOMPARE(shell.execute("create -e " + root + " x"), CliStatus::Ok);
            const auto stat = sync.exists(root);
            QVERIFY(stat.ok());
            QCOMPARE(stat.value.ephemeralOwner, std::int64_t(owner.sessionId()));
            clear();
            shell.execute("get -w " + root);
            sync.setData(root, zk::Bytes{'y'}, -1);
            QTRY_VERIFY(m_out.find("type:NodeDataChanged path:" + root) != std::string::npos);
            // Watches set through the shell stay pending after it is gone; they must not
            // reach it then.
            shell.execute("get -w " + root);
            clear();
            QCOMPARE(shell.execute("close"), CliStatus::Ok);
            QVERIFY(m_out.find("stays open") != std::string::npos);
            QCOMPARE(owner.state(), zk::client::SessionState::Connected);
            QCOMPARE(shell.execute("ls /"), CliStatus::Error);
        }
        sync.setData(root, zk::Bytes{'z'}, -1); // fires the watch the shell left behind
        QTest::qWait(200);
        QCOMPARE(owner.state(), zk::client::SessionState::Connected);
        QVERIFY(sync.exists(root).ok());
        {
            CliShell shell(sink());
            shell.attach(owner, embedded.address());
            QCOMPARE(shell.execute("quit"), CliStatus::Ok);
            QVERIFY(!shell.attached());
        }
        QCOMPARE(owner.state(), zk::client::SessionState::Connected);
        QVERIFY(sync.deleteNode(root, -1).ok());
    }
};

QTEST_APPLESS_MAIN(CliLiveTest)
#include "test_cli_live.moc"
