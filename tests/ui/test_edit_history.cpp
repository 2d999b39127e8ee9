// Proves Edit ▸ Undo against a live server: a data save, a create and the delete of a leaf are
// undone exactly, each only while nobody has touched the node since (otherwise the refusal
// says why in words); edits that cannot be undone say so; and the main window's Undo action
// (Ctrl+Z) follows the current tab.

#include "controllers/edit_history.h"
#include "live_server.h"
#include "views/connection_tab.h"
#include "views/main_window.h"
#include "views/node_actions.h"
#include "views/node_panel.h"

#include <QAction>
#include <QCoreApplication>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QTest>

using namespace zoolab;
using namespace zoolab::testing;
using zk::CreateMode;
using zk::client::SessionState;

class EditHistoryTest : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanup();
    void undoesASave();
    void refusesWhenChangedAfterSave();
    void overwritingSaveIsNotUndoable();
    void undoesACreate();
    void refusesCreateUndoAfterChange();
    void undoesALeafDelete();
    void refusesDeleteUndoWhenRecreated();
    void subtreeDeleteIsNotUndoable();
    void mainWindowUndoFollowsTab();

private:
    std::unique_ptr<ConnectionTab> openTab();
    void showNode(ConnectionTab& tab, const QString& path);
    void saveText(ConnectionTab& tab, const QString& text);
    QString undoAndWait(ConnectionTab& tab, bool expectSuccess);
    std::string data(const std::string& path);

    std::unique_ptr<LiveServer> m_server;
    std::unique_ptr<zk::client::ZkClient> m_raw;
};

void EditHistoryTest::initTestCase()
{
    QCoreApplication::setOrganizationName(QStringLiteral("ZooLabTest"));
    QCoreApplication::setApplicationName(QStringLiteral("zoolab-test"));
}

void EditHistoryTest::init()
{
    m_server = std::make_unique<LiveServer>();
    QVERIFY(!m_server->startError);
    m_raw = m_server->rawClient();
    QVERIFY(zk::client::SyncClient(*m_raw)
                .create("/n", bytesOf("before"), zk::openAclUnsafe(), CreateMode::Persistent)
                .ok());
}

void EditHistoryTest::cleanup()
{
    m_raw.reset();
    m_server.reset();
}

std::unique_ptr<ConnectionTab> EditHistoryTest::openTab()
{
    auto tab = std::make_unique<ConnectionTab>(m_server->spec());
    tab->setInteractive(false);
    [&] { QVERIFY(tab->start().isEmpty()); }();
    tab->show();
    [&] { QTRY_COMPARE_WITH_TIMEOUT(tab->session()->state(), SessionState::Connected, 10000); }();
    return tab;
}

void EditHistoryTest::showNode(ConnectionTab& tab, const QString& path)
{
    QSignalSpy loaded(tab.panel(), &NodePanel::loaded);
    tab.revealPath(path);
    QTRY_COMPARE_WITH_TIMEOUT(tab.currentPath(), path, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(!loaded.isEmpty() && loaded.last().first().toString() == path, 10000);
}

void EditHistoryTest::saveText(ConnectionTab& tab, const QString& text)
{
    tab.panel()->setView(DataView::Text);
    tab.panel()->editor()->selectAll();
    tab.panel()->editor()->insertPlainText(text);
    QSignalSpy saved(tab.panel(), &NodePanel::saved);
    tab.save();
    QVERIFY(saved.wait(10000));
}

QString EditHistoryTest::undoAndWait(ConnectionTab& tab, bool expectSuccess)
{
    QSignalSpy undone(tab.history(), &EditHistory::undone);
    QSignalSpy failed(tab.history(), &EditHistory::undoFailed);
    tab.undo();
    [&] { QTRY_VERIFY_WITH_TIMEOUT(undone.count() + failed.count() > 0, 10000); }();
    [&] { QCOMPARE(undone.count() > 0, expectSuccess); }();
    return expectSuccess ? undone.first().at(1).toString() : failed.first().first().toString();
}

std::string EditHistoryTest::data(const std::string& path)
{
    auto result = zk::client::SyncClient(*m_raw).getData(path);
    if (!result.ok())
        return "<" + std::string(zk::errorName(result.error)) + ">";
    if (!result.value.data)
        return "<null>";
    return std::string(result.value.data->begin(), result.value.data->end());
}

void EditHistoryTest::undoesASave()
{
    auto tab = openTab();
    showNode(*tab, QStringLiteral("/n"));
    QVERIFY(!tab->history()->canUndo());
    saveText(*tab, QStringLiteral("after"));
    QCOMPARE(data("/n"), std::string("after"));
    QVERIFY(tab->history()->canUndo());
    QCOMPARE(tab->history()->undoText(), QStringLiteral("Undo save of /n"));
    const QString message = undoAndWait(*tab, true);
    QVERIFY2(message.contains(QStringLiteral("from before the save")), qPrintable(message));
    QCOMPARE(data("/n"), std::string("before"));
    // The panel shows the restored data, and there is nothing more to undo.
    QTRY_COMPARE_WITH_TIMEOUT(tab->panel()->editor()->toPlainText(), QStringLiteral("before"),
                              10000);
    QVERIFY(!tab->history()->canUndo());
    QVERIFY(undoAndWait(*tab, false).contains(QStringLiteral("already undone")));
}

void EditHistoryTest::refusesWhenChangedAfterSave()
{
    auto tab = openTab();
    showNode(*tab, QStringLiteral("/n"));
    saveText(*tab, QStringLiteral("mine"));
    QVERIFY(zk::client::SyncClient(*m_raw).setData("/n", bytesOf("theirs")).ok());
    const QString why = undoAndWait(*tab, false);
    QVERIFY2(why.contains(QStringLiteral("was changed again after your save")), qPrintable(why));
    QCOMPARE(data("/n"), std::string("theirs"));
    QVERIFY(!tab->history()->canUndo());
}

void EditHistoryTest::overwritingSaveIsNotUndoable()
{
    auto tab = openTab();
    showNode(*tab, QStringLiteral("/n"));
    tab->panel()->setConflictResolver([](const QString&) { return ConflictChoice::Overwrite; });
    QVERIFY(zk::client::SyncClient(*m_raw).setData("/n", bytesOf("theirs")).ok());
    saveText(*tab, QStringLiteral("mine"));
    QCOMPARE(data("/n"), std::string("mine"));
    QVERIFY(!tab->history()->canUndo());
    QVERIFY(tab->history()->whyNot().contains(QStringLiteral("overwrote")));
}

void EditHistoryTest::undoesACreate()
{
    auto tab = openTab();
    tab->actions()->createNode(QStringLiteral("/n/fresh"), "new", CreateMode::Persistent);
    QTRY_VERIFY_WITH_TIMEOUT(tab->history()->canUndo(), 10000);
    QCOMPARE(tab->history()->undoText(), QStringLiteral("Undo create of /n/fresh"));
    QCOMPARE(data("/n/fresh"), std::string("new"));
    undoAndWait(*tab, true);
    QCOMPARE(data("/n/fresh"), std::string("<NoNode>"));
}

void EditHistoryTest::refusesCreateUndoAfterChange()
{
    auto tab = openTab();
    tab->actions()->createNode(QStringLiteral("/n/fresh"), "new", CreateMode::Persistent);
    QTRY_VERIFY_WITH_TIMEOUT(tab->history()->canUndo(), 10000);
    QVERIFY(zk::client::SyncClient(*m_raw).setData("/n/fresh", bytesOf("used")).ok());
    const QString why = undoAndWait(*tab, false);
    QVERIFY2(why.contains(QStringLiteral("was changed after you created it")), qPrintable(why));
    QCOMPARE(data("/n/fresh"), std::string("used"));

    // Deleted and created again by someone else: same version 0, but not our node.
    tab->actions()->createNode(QStringLiteral("/n/other"), "x", CreateMode::Persistent);
    QTRY_COMPARE_WITH_TIMEOUT(tab->history()->undoText(), QStringLiteral("Undo create of /n/other"),
                              10000);
    zk::client::SyncClient sync(*m_raw);
    QVERIFY(sync.deleteNode("/n/other").ok());
    QVERIFY(sync.create("/n/other", bytesOf("theirs"), zk::openAclUnsafe(), CreateMode::Persistent)
                .ok());
    const QString again = undoAndWait(*tab, false);
    QVERIFY2(again.contains(QStringLiteral("created again by someone else")), qPrintable(again));
    QCOMPARE(data("/n/other"), std::string("theirs"));
}

void EditHistoryTest::undoesALeafDelete()
{
    zk::client::SyncClient sync(*m_raw);
    const zk::AclList acl{{zk::perms::Read, {"world", "anyone"}},
                          {zk::perms::All, {"ip", "127.0.0.1"}}};
    QVERIFY(sync.create("/n/leaf", bytesOf("keep me"), acl, CreateMode::Persistent).ok());
    auto tab = openTab();
    QSignalSpy deleted(tab->actions(), &NodeActions::deleteFinished);
    tab->actions()->deleteNode(QStringLiteral("/n/leaf"));
    QVERIFY(deleted.wait(10000));
    QCOMPARE(deleted.first().at(1).toBool(), true);
    QCOMPARE(data("/n/leaf"), std::string("<NoNode>"));
    QCOMPARE(tab->history()->undoText(), QStringLiteral("Undo delete of /n/leaf"));
    const QString message = undoAndWait(*tab, true);
    QVERIFY2(message.contains(QStringLiteral("exists again")), qPrintable(message));
    QCOMPARE(data("/n/leaf"), std::string("keep me"));
    QCOMPARE(sync.getAcl("/n/leaf").value.acl, acl);
}

void EditHistoryTest::refusesDeleteUndoWhenRecreated()
{
    zk::client::SyncClient sync(*m_raw);
    QVERIFY(
        sync.create("/n/leaf", bytesOf("old"), zk::openAclUnsafe(), CreateMode::Persistent).ok());
    auto tab = openTab();
    QSignalSpy deleted(tab->actions(), &NodeActions::deleteFinished);
    tab->actions()->deleteNode(QStringLiteral("/n/leaf"));
    QVERIFY(deleted.wait(10000));
    QVERIFY(
        sync.create("/n/leaf", bytesOf("new"), zk::openAclUnsafe(), CreateMode::Persistent).ok());
    const QString why = undoAndWait(*tab, false);
    QVERIFY2(why.contains(QStringLiteral("someone created /n/leaf again")), qPrintable(why));
    QCOMPARE(data("/n/leaf"), std::string("new"));
}

void EditHistoryTest::subtreeDeleteIsNotUndoable()
{
    zk::client::SyncClient sync(*m_raw);
    QVERIFY(sync.create("/n/dir", {}, zk::openAclUnsafe(), CreateMode::Persistent).ok());
    QVERIFY(sync.create("/n/dir/a", {}, zk::openAclUnsafe(), CreateMode::Persistent).ok());
    auto tab = openTab();
    tab->actions()->createNode(QStringLiteral("/n/fresh"), "new", CreateMode::Persistent);
    QTRY_VERIFY_WITH_TIMEOUT(tab->history()->canUndo(), 10000);
    QSignalSpy deleted(tab->actions(), &NodeActions::deleteFinished);
    tab->actions()->deleteNode(QStringLiteral("/n/dir"));
    QVERIFY(deleted.wait(10000));
    QCOMPARE(data("/n/dir"), std::string("<NoNode>"));
    // The create before it is no longer "the last edit": nothing is undone, and the reason
    // names the delete.
    QVERIFY(!tab->history()->canUndo());
    const QString why = undoAndWait(*tab, false);
    QVERIFY2(why.contains(QStringLiteral("deleting /n/dir with everything below it")),
             qPrintable(why));
    QCOMPARE(data("/n/fresh"), std::string("new"));
}

void EditHistoryTest::mainWindowUndoFollowsTab()
{
    MainWindow::Options options;
    options.interactive = false;
    options.embeddedPort = 0;
    MainWindow window(options);
    window.startUp();
    ConnectionTab* tab = window.currentConnection();
    QVERIFY(tab);
    QTRY_COMPARE_WITH_TIMEOUT(tab->session()->state(), SessionState::Connected, 10000);
    QAction* undo = window.undoAction();
    QCOMPARE(undo->shortcut(), QKeySequence(QKeySequence::Undo));
    QCOMPARE(undo->text(), QStringLiteral("Undo"));
    tab->actions()->createNode(QStringLiteral("/undo-me"), "x", CreateMode::Persistent);
    QTRY_COMPARE_WITH_TIMEOUT(undo->text(), QStringLiteral("Undo create of /undo-me"), 10000);
    QSignalSpy undone(tab->history(), &EditHistory::undone);
    undo->trigger();
    QVERIFY(undone.wait(10000));
    QCOMPARE(undo->text(), QStringLiteral("Undo"));
    // With nothing to undo the action still answers, with the reason.
    QSignalSpy failed(tab->history(), &EditHistory::undoFailed);
    undo->trigger();
    QCOMPARE(failed.count(), 1);
    QVERIFY(failed.first().first().toString().contains(QStringLiteral("already undone")));
}

QTEST_MAIN(EditHistoryTest)
#include "test_edit_history.moc"
