// Proves the node editor against a live server: data round-trips through every view, a save
// sends the loaded version, and a BADVERSION conflict offers reload or overwrite.

#include "live_server.h"
#include "views/node_panel.h"

#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTest>

using namespace zoolab;
using namespace zoolab::testing;
using zk::CreateMode;
using zk::client::SessionState;

namespace {

// Replaces the editor's text as typing would (setPlainText would clear the modified flag).
void typeInto(NodePanel& panel, const QString& text)
{
    panel.editor()->selectAll();
    panel.editor()->insertPlainText(text);
}

} // namespace

class NodePanelTest : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void roundTripsEveryView();
    void showsEveryStatField();
    void conflictOffersReload();
    void conflictOffersOverwrite();
    void refusesInvalidJson();

private:
    void load(NodePanel& panel, const QString& path);
    std::string serverData(const std::string& path);

    std::unique_ptr<LiveServer> m_server;
    std::unique_ptr<ZkSession> m_session;
    std::unique_ptr<zk::client::ZkClient> m_raw;
};

void NodePanelTest::init()
{
    m_server = std::make_unique<LiveServer>();
    QVERIFY(!m_server->startError);
    m_session = m_server->connect();
    QTRY_COMPARE_WITH_TIMEOUT(m_session->state(), SessionState::Connected, 10000);
    m_raw = m_server->rawClient();
    zk::client::SyncClient sync(*m_raw);
    QVERIFY(sync.create("/n", bytesOf(R"({"b":1,"a":[true,null]})"), zk::openAclUnsafe(),
                        CreateMode::Persistent)
                .ok());
}

void NodePanelTest::cleanup()
{
    m_raw.reset();
    m_session.reset();
    m_server.reset();
}

void NodePanelTest::load(NodePanel& panel, const QString& path)
{
    QSignalSpy loaded(&panel, &NodePanel::loaded);
    panel.showNode(path);
    QVERIFY(loaded.wait(10000));
}

std::string NodePanelTest::serverData(const std::string& path)
{
    auto result = zk::client::SyncClient(*m_raw).getData(path);
    if (!result.ok() || !result.value.data)
        return "<none>";
    return std::string(result.value.data->begin(), result.value.data->end());
}

void NodePanelTest::roundTripsEveryView()
{
    NodePanel panel(m_session.get());
    load(panel, QStringLiteral("/n"));
    QCOMPARE(panel.view(), DataView::Json); // guessed from the bytes
    QVERIFY(panel.editor()->toPlainText().contains(QStringLiteral("\n    \"a\"")));

    struct Case
    {
        DataView view;
        QString text;
        std::string expected;
    };
    const QList<Case> cases = {
        {DataView::Text, QStringLiteral("plain text ✓"), "plain text ✓"},
        {DataView::Json, QStringLiteral("{ \"k\" : [1, 2] }"), R"({"k":[1,2]})"},
        {DataView::Hex, QStringLiteral("00 ff 41\n42"), std::string("\x00\xff\x41\x42", 4)},
        {DataView::Base64, QStringLiteral("aGVsbG8="), "hello"},
    };
    int version = panel.stat()->version;
    for (const Case& c : cases) {
        panel.setView(c.view);
        typeInto(panel, c.text);
        QVERIFY(panel.isModified());
        QSignalSpy saved(&panel, &NodePanel::saved);
        panel.save();
        QVERIFY(saved.wait(10000));
        QCOMPARE(saved.first().at(1).toInt(), ++version);
        QCOMPARE(serverData("/n"), c.expected);
        QVERIFY(!panel.isModified());
    }
    // Re-reading shows the last bytes in the base64 view unchanged.
    load(panel, QStringLiteral("/n"));
    panel.setView(DataView::Base64);
    QCOMPARE(panel.editor()->toPlainText(), QStringLiteral("aGVsbG8="));
    panel.setView(DataView::Hex);
    QCOMPARE(panel.editor()->toPlainText(), QStringLiteral("68 65 6c 6c 6f"));
}

void NodePanelTest::showsEveryStatField()
{
    NodePanel panel(m_session.get());
    load(panel, QStringLiteral("/n"));
    QTableWidget* table = panel.statTable();
    QStringList fields;
    for (int row = 0; row < table->rowCount(); ++row)
        fields << table->item(row, 0)->text();
    QCOMPARE(fields,
             (QStringList{"czxid", "mzxid", "pzxid", "ctime", "mtime", "version", "cversion",
                          "aversion", "ephemeralOwner", "dataLength", "numChildren"}));
    QVERIFY(table->item(0, 1)->text().contains(QStringLiteral("epoch ")));
    QVERIFY(table->item(0, 1)->text().contains(QStringLiteral(" : counter ")));
    QVERIFY(table->item(3, 1)->text().contains(QLatin1Char('-'))); // a readable date
    QTRY_COMPARE_WITH_TIMEOUT(panel.aclTable()->rowCount(), 1, 10000);
    QCOMPARE(panel.aclTable()->item(0, 0)->text(), QStringLiteral("world"));
    QCOMPARE(panel.aclTable()->item(0, 1)->text(), QStringLiteral("anyone"));
    // One checkbox column per permission, c d r w a, all ticked for OPEN_ACL_UNSAFE.
    QCOMPARE(panel.aclTable()->columnCount(), 7);
    for (int column = 2; column < 7; ++column)
        QCOMPARE(panel.aclTable()->item(0, column)->checkState(), Qt::Checked);
}

void NodePanelTest::conflictOffersReload()
{
    NodePanel panel(m_session.get());
    load(panel, QStringLiteral("/n"));
    int asked = 0;
    panel.setConflictResolver([&](const QString& path) {
        ++asked;
        [&] { QCOMPARE(path, QStringLiteral("/n")); }();
        return NodePanel::ConflictChoice::Reload;
    });
    panel.setView(DataView::Text);
    typeInto(panel, QStringLiteral("mine"));
    // Someone else writes between our load and our save.
    QVERIFY(zk::client::SyncClient(*m_raw).setData("/n", bytesOf("theirs")).ok());
    QSignalSpy loaded(&panel, &NodePanel::loaded);
    panel.save();
    QTRY_COMPARE_WITH_TIMEOUT(asked, 1, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(!loaded.isEmpty(), 10000);
    QCOMPARE(serverData("/n"), std::string("theirs"));
    QCOMPARE(panel.editor()->toPlainText(), QStringLiteral("theirs"));
    QCOMPARE(panel.stat()->version, 1);
}

void NodePanelTest::conflictOffersOverwrite()
{
    NodePanel panel(m_session.get());
    load(panel, QStringLiteral("/n"));
    int asked = 0;
    panel.setConflictResolver([&](const QString&) {
        ++asked;
        return NodePanel::ConflictChoice::Overwrite;
    });
    panel.setView(DataView::Text);
    typeInto(panel, QStringLiteral("mine"));
    QVERIFY(zk::client::SyncClient(*m_raw).setData("/n", bytesOf("theirs")).ok());
    QSignalSpy saved(&panel, &NodePanel::saved);
    panel.save();
    QVERIFY(saved.wait(10000));
    QCOMPARE(asked, 1);
    QCOMPARE(serverData("/n"), std::string("mine"));
    QCOMPARE(saved.first().at(1).toInt(), 2);
}

void NodePanelTest::refusesInvalidJson()
{
    NodePanel panel(m_session.get());
    load(panel, QStringLiteral("/n"));
    QSignalSpy problem(&panel, &NodePanel::problem);
    QSignalSpy saved(&panel, &NodePanel::saved);
    panel.setView(DataView::Json);
    typeInto(panel, QStringLiteral("{\"a\": "));
    panel.save();
    QCOMPARE(problem.count(), 1);
    QVERIFY(problem.first().first().toString().contains(QStringLiteral("Not valid JSON")));
    QTest::qWait(200);
    QCOMPARE(saved.count(), 0);
    QCOMPARE(serverData("/n"), std::string(R"({"b":1,"a":[true,null]})"));
}

QTEST_MAIN(NodePanelTest)
#include "test_node_panel.moc"
