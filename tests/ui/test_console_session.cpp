// Proves the console of a connection tab runs zkCli on the tab's own session: what it creates
// belongs to the tab's session, it has the tab's credentials, closing it (or typing close)
// leaves the tab's session open, and it follows the tab when the tab opens a new session.

#include "live_server.h"
#include "models/acl_entry.h"
#include "views/console_pane.h"

#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QTest>

using namespace zoolab;
using namespace zoolab::testing;
using zk::CreateMode;
using zk::client::SessionState;

class ConsoleSessionTest : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void usesTheTabsTargetAndCredentials();
    void createsWithTheTabsSession();
    void promptFollowsTheTabsState();
    void closingTheConsoleKeepsTheTabsSession();
    void followsTheTabsNewSession();

private:
    std::unique_ptr<LiveServer> m_server;
    std::unique_ptr<zk::client::ZkClient> m_raw;
};

void ConsoleSessionTest::init()
{
    m_server = std::make_unique<LiveServer>();
    QVERIFY(!m_server->startError);
    m_raw = m_server->rawClient();
    // Only alice may read /secret.
    const std::string alice = digestId(QStringLiteral("alice"), QStringLiteral("pw")).toStdString();
    QVERIFY(zk::client::SyncClient(*m_raw)
                .create("/secret", bytesOf("for alice"), {{zk::perms::All, {"digest", alice}}},
                        CreateMode::Persistent)
                .ok());
}

void ConsoleSessionTest::cleanup()
{
    m_raw.reset();
    m_server.reset();
}

void ConsoleSessionTest::usesTheTabsTargetAndCredentials()
{
    auto session = m_server->connect(QStringLiteral("alice"), QStringLiteral("pw"));
    QTRY_COMPARE_WITH_TIMEOUT(session->state(), SessionState::Connected, 10000);
    ConsolePane console(session.get());
    console.run(QStringLiteral("get /secret"));
    QTRY_VERIFY_WITH_TIMEOUT(
        console.output()->toPlainText().contains(QStringLiteral("\nfor alice")), 15000);
    // The tab's session, named as such.
    const auto tabId = quint64(session->client()->sessionId());
    QTRY_COMPARE_WITH_TIMEOUT(console.sessionId(), tabId, 10000);
    QVERIFY2(console.headerText().contains(QStringLiteral("0x%1").arg(tabId, 0, 16)),
             qPrintable(console.headerText()));
    QVERIFY(console.headerText().contains(QStringLiteral("tree's session")));
}

void ConsoleSessionTest::createsWithTheTabsSession()
{
    auto session = m_server->connect();
    QTRY_COMPARE_WITH_TIMEOUT(session->state(), SessionState::Connected, 10000);
    const auto tabId = session->client()->sessionId();
    QVERIFY(tabId != 0);
    ConsolePane console(session.get());
    console.run(QStringLiteral("create -e /mine here"));
    QTRY_VERIFY_WITH_TIMEOUT(console.output()->toPlainText().contains(QStringLiteral("Created")),
                             15000);
    const auto stat = zk::client::SyncClient(*m_raw).exists("/mine");
    QVERIFY(stat.ok());
    QCOMPARE(stat.value.ephemeralOwner, std::int64_t(tabId));
    // Completion still works on the shared session.
    console.input()->setText(QStringLiteral("get /mi"));
    QTest::keyClick(console.input(), Qt::Key_Tab);
    QTRY_COMPARE_WITH_TIMEOUT(console.input()->text(), QStringLiteral("get /mine"), 10000);
}

void ConsoleSessionTest::promptFollowsTheTabsState()
{
    // A console shown before the tab connects: its prompt catches up with the tab's state
    // without a command being typed.
    ZkSession session(m_server->spec());
    ConsolePane console(&session);
    console.show();
    QTRY_VERIFY2_WITH_TIMEOUT(console.promptText().contains(QStringLiteral("(CLOSED)")),
                              qPrintable(console.promptText()), 10000);
    QVERIFY(session.open().isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), SessionState::Connected, 10000);
    QTRY_VERIFY2_WITH_TIMEOUT(console.promptText().contains(QStringLiteral("(CONNECTED)")),
                              qPrintable(console.promptText()), 10000);
}

void ConsoleSessionTest::closingTheConsoleKeepsTheTabsSession()
{
    auto session = m_server->connect();
    QTRY_COMPARE_WITH_TIMEOUT(session->state(), SessionState::Connected, 10000);
    const auto tabId = session->client()->sessionId();
    {
        ConsolePane console(session.get());
        console.run(QStringLiteral("create -e /kept here"));
        QTRY_VERIFY_WITH_TIMEOUT(zk::client::SyncClient(*m_raw).exists("/kept").ok(), 15000);
        // zkCli's close would end the session; on a shared one the console only lets go.
        console.run(QStringLiteral("close"));
        QTRY_VERIFY_WITH_TIMEOUT(
            console.output()->toPlainText().contains(QStringLiteral("it stays open")), 10000);
        console.run(QStringLiteral("ls /"));
        QTRY_VERIFY_WITH_TIMEOUT(
            console.output()->toPlainText().contains(QStringLiteral("Not connected")), 10000);
    }
    // The console is gone; the tab's session and its ephemeral node are not.
    QTest::qWait(500);
    QCOMPARE(session->state(), SessionState::Connected);
    QCOMPARE(session->client()->sessionId(), tabId);
    const auto stat = zk::client::SyncClient(*m_raw).exists("/kept");
    QVERIFY(stat.ok());
    QCOMPARE(stat.value.ephemeralOwner, std::int64_t(tabId));
    QVERIFY(zk::client::SyncClient(*session->client()).exists("/kept").ok());
}

void ConsoleSessionTest::followsTheTabsNewSession()
{
    auto session = m_server->connect(QStringLiteral("alice"), QStringLiteral("pw"));
    QTRY_COMPARE_WITH_TIMEOUT(session->state(), SessionState::Connected, 10000);
    ConsolePane console(session.get());
    console.run(QStringLiteral("create -e /mine here"));
    QTRY_VERIFY_WITH_TIMEOUT(zk::client::SyncClient(*m_raw).exists("/mine").ok(), 10000);
    const quint64 first = quint64(session->client()->sessionId());
    QTRY_COMPARE_WITH_TIMEOUT(console.sessionId(), first, 10000);

    // File ▸ Reconnect: the tab gets a new session and the console moves to it (the
    // ephemeral node goes with the old session).
    session->reopen();
    QTRY_COMPARE_WITH_TIMEOUT(session->state(), SessionState::Connected, 10000);
    const quint64 second = quint64(session->client()->sessionId());
    QVERIFY(second != first);
    QTRY_COMPARE_WITH_TIMEOUT(zk::client::SyncClient(*m_raw).exists("/mine").error,
                              zk::ZError::NoNode, 10000);
    QVERIFY(console.output()->toPlainText().contains(QStringLiteral("console uses it too")));
    // Still authenticated as alice, now on the new session.
    console.output()->clear();
    console.run(QStringLiteral("get /secret"));
    QTRY_VERIFY_WITH_TIMEOUT(
        console.output()->toPlainText().contains(QStringLiteral("\nfor alice")), 15000);
    QTRY_COMPARE_WITH_TIMEOUT(console.sessionId(), second, 10000);
}

QTEST_MAIN(ConsoleSessionTest)
#include "test_console_session.moc"
