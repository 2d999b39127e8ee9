// Proves the console of a connection tab: it reaches the tab's ensemble with the tab's
// credentials, says which session is its own (zkCli's interpreter cannot run on the tab's
// client; see console_pane.h), and follows the tab when the tab opens a new session.

#include "live_server.h"
#include "models/acl_entry.h"
#include "views/console_pane.h"

#include <QLabel>
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
    // Its own session, named as such next to the tree's.
    QTRY_VERIFY_WITH_TIMEOUT(console.sessionId() != 0, 10000);
    const auto tabId = quint64(session->client()->sessionId());
    QVERIFY(console.sessionId() != tabId);
    QVERIFY2(console.headerText().contains(QStringLiteral("0x%1").arg(console.sessionId(), 0, 16)),
             qPrintable(console.headerText()));
    QVERIFY(console.headerText().contains(QStringLiteral("0x%1").arg(tabId, 0, 16)));
}

void ConsoleSessionTest::followsTheTabsNewSession()
{
    auto session = m_server->connect(QStringLiteral("alice"), QStringLiteral("pw"));
    QTRY_COMPARE_WITH_TIMEOUT(session->state(), SessionState::Connected, 10000);
    ConsolePane console(session.get());
    console.run(QStringLiteral("create -e /mine here"));
    QTRY_VERIFY_WITH_TIMEOUT(console.sessionId() != 0, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(zk::client::SyncClient(*m_raw).exists("/mine").ok(), 10000);
    const quint64 first = console.sessionId();

    // File ▸ Reconnect: the tab gets a new session, and so does the console (its ephemeral
    // node goes with its old session).
    session->reopen();
    QTRY_VERIFY_WITH_TIMEOUT(console.sessionId() != first && console.sessionId() != 0, 15000);
    QTRY_COMPARE_WITH_TIMEOUT(zk::client::SyncClient(*m_raw).exists("/mine").error,
                              zk::ZError::NoNode, 10000);
    QVERIFY(console.output()->toPlainText().contains(QStringLiteral("console reconnects too")));
    // Still authenticated as alice.
    console.output()->clear();
    console.run(QStringLiteral("get /secret"));
    QTRY_VERIFY_WITH_TIMEOUT(
        console.output()->toPlainText().contains(QStringLiteral("\nfor alice")), 15000);
}

QTEST_MAIN(ConsoleSessionTest)
#include "test_console_session.moc"
