// Proves the ACL editor against a live server: digest ids are computed as ZooKeeper computes
// them, every settable scheme is validated and stored, a change is version-checked (BADVERSION
// offers reload or overwrite), and "apply to subtree" sets the ACL on every node below, with
// progress and cancel, off the GUI thread.

#include "controllers/acl_operations.h"
#include "live_server.h"
#include "models/acl_entry.h"
#include "views/acl_editor.h"

#include <QCryptographicHash>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTest>

using namespace zoolab;
using namespace zoolab::testing;
using zk::CreateMode;
using zk::client::SessionState;
namespace perms = zk::perms;

class AclEditorTest : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void digestMatchesZooKeeper();
    void validatesEveryScheme();
    void addsDigestEntryAndApplies();
    void permissionCheckboxesEditEntries();
    void authEntryStoresSessionCredentials();
    void authWithoutCredentialsSaysWhy();
    void storesIpAndSaslEntries();
    void conflictOffersReload();
    void conflictOffersOverwrite();
    void appliesToSubtree();
    void subtreeConflictChangesNothing();
    void cancelStopsSubtree();

private:
    void load(AclEditor& editor, const QString& path);
    zk::AclList serverAcl(const std::string& path);
    void makeTree(const std::string& root, int children, int grandchildren);

    std::unique_ptr<LiveServer> m_server;
    std::unique_ptr<ZkSession> m_session;
    std::unique_ptr<zk::client::ZkClient> m_raw;
};

void AclEditorTest::init()
{
    m_server = std::make_unique<LiveServer>();
    QVERIFY(!m_server->startError);
    m_session = m_server->connect();
    QTRY_COMPARE_WITH_TIMEOUT(m_session->state(), SessionState::Connected, 10000);
    m_raw = m_server->rawClient();
    QVERIFY(zk::client::SyncClient(*m_raw)
                .create("/guarded", bytesOf("v"), zk::openAclUnsafe(), CreateMode::Persistent)
                .ok());
}

void AclEditorTest::cleanup()
{
    m_raw.reset();
    m_session.reset();
    m_server.reset();
}

void AclEditorTest::load(AclEditor& editor, const QString& path)
{
    QSignalSpy loaded(&editor, &AclEditor::loaded);
    editor.showNode(path);
    QVERIFY(loaded.wait(10000));
}

zk::AclList AclEditorTest::serverAcl(const std::string& path)
{
    return zk::client::SyncClient(*m_raw).getAcl(path).value.acl;
}

void AclEditorTest::makeTree(const std::string& root, int children, int grandchildren)
{
    zk::client::SyncClient sync(*m_raw);
    const auto acl = zk::openAclUnsafe();
    QVERIFY(sync.create(root, {}, acl, CreateMode::Persistent).ok());
    for (int i = 0; i < children; ++i) {
        const std::string child = root + "/c" + std::to_string(i);
        QVERIFY(sync.create(child, {}, acl, CreateMode::Persistent).ok());
        for (int j = 0; j < grandchildren; ++j)
            QVERIFY(sync.create(child + "/g" + std::to_string(j), {}, acl, CreateMode::Persistent)
                        .ok());
    }
}

void AclEditorTest::digestMatchesZooKeeper()
{
    // The value ZooKeeper's documentation gives for DigestAuthenticationProvider "super:test".
    QCOMPARE(digestId(QStringLiteral("super"), QStringLiteral("test")),
             QStringLiteral("super:D/InIHSb7yEEbrWz8b9l71RjZJU="));
    // Only the first ':' separates the user; the hash covers the whole "user:password".
    const QByteArray sha = QCryptographicHash::hash("bob:a:b", QCryptographicHash::Sha1);
    QCOMPARE(digestId(QStringLiteral("bob"), QStringLiteral("a:b")),
             QStringLiteral("bob:") + QString::fromLatin1(sha.toBase64()));
}

void AclEditorTest::validatesEveryScheme()
{
    QCOMPARE(settableAclSchemes(), (QStringList{"world", "auth", "digest", "ip", "sasl"}));
    const std::int32_t all = perms::All;
    QVERIFY(aclEntryProblem("world", "anyone", all).isEmpty());
    QVERIFY(!aclEntryProblem("world", "bob", all).isEmpty());
    QVERIFY(aclEntryProblem("auth", "", all).isEmpty());
    QVERIFY(aclEntryProblem("digest", digestId("bob", "pw"), all).isEmpty());
    QVERIFY(aclEntryProblem("digest", "bob", all).contains(QStringLiteral("user:hash")));
    QVERIFY(aclEntryProblem("ip", "10.0.0.0/8", all).isEmpty());
    QVERIFY(aclEntryProblem("ip", "2001:db8::/32", all).isEmpty());
    QVERIFY(aclEntryProblem("ip", "10.0.0.300", all).contains(QStringLiteral("not an IP")));
    QVERIFY(aclEntryProblem("sasl", "bob", all).isEmpty());
    QVERIFY(!aclEntryProblem("sasl", "", all).isEmpty());
    QVERIFY(aclEntryProblem("super", "", all).contains(QStringLiteral("not an ACL scheme")));
    QVERIFY(aclEntryProblem("world", "anyone", 0).contains(QStringLiteral("no permission")));
    QVERIFY(!aclListProblem({}).isEmpty());
    QCOMPARE(permissionText(perms::Read | perms::Admin), QStringLiteral("--r-a"));
    QCOMPARE(permissionsFromText(QStringLiteral("cdrwa")), perms::All);
    QCOMPARE(permissionsFromText(QStringLiteral("rx")), -1);
}

void AclEditorTest::addsDigestEntryAndApplies()
{
    AclEditor editor(m_session.get());
    load(editor, QStringLiteral("/guarded"));
    QCOMPARE(editor.entries(), zk::openAclUnsafe());
    QCOMPARE(editor.table()->rowCount(), 1);

    // world:anyone keeps read only; bob gets everything through his password.
    editor.setPermission(0, perms::Write, false);
    editor.setPermission(0, perms::Create, false);
    editor.setPermission(0, perms::Delete, false);
    editor.setPermission(0, perms::Admin, false);
    editor.setForm(QStringLiteral("digest"), {}, perms::All);
    editor.setDigestCredentials(QStringLiteral("bob"), QStringLiteral("pw"));
    QCOMPARE(editor.formId(), digestId(QStringLiteral("bob"), QStringLiteral("pw")));
    QVERIFY(editor.addFromForm().isEmpty());
    QCOMPARE(editor.table()->rowCount(), 2);
    QVERIFY(editor.isModified());
    // The same id again is refused.
    QVERIFY(editor.addFromForm().contains(QStringLiteral("already an entry")));

    QSignalSpy applied(&editor, &AclEditor::applied);
    editor.apply();
    QVERIFY(applied.wait(10000));
    const std::string bob = digestId(QStringLiteral("bob"), QStringLiteral("pw")).toStdString();
    const zk::AclList expected{{perms::Read, {"world", "anyone"}}, {perms::All, {"digest", bob}}};
    auto bobClient = m_server->rawClient("bob:pw");
    zk::client::SyncClient asBob(*bobClient);
    QCOMPARE(asBob.getAcl("/guarded").value.acl, expected);
    QCOMPARE(applied.first().at(1).toInt(), 1); // aversion 0 -> 1

    // The server enforces it: anonymous may read but not write, bob may write.
    zk::client::SyncClient anonymous(*m_raw);
    QVERIFY(anonymous.getData("/guarded").ok());
    QCOMPARE(anonymous.setData("/guarded", bytesOf("x")).error, zk::ZError::NoAuth);
    QVERIFY(asBob.setData("/guarded", bytesOf("x")).ok());
    // Without admin the server hides digest hashes (user:x, as Apache's getACL); the editor
    // shows what its session may see and says why.
    const zk::AclList redacted{{perms::Read, {"world", "anyone"}},
                               {perms::All, {"digest", "bob:x"}}};
    QCOMPARE(serverAcl("/guarded"), redacted);
    QTRY_COMPARE_WITH_TIMEOUT(editor.entries(), redacted, 10000);
    QVERIFY(editor.noticeText().contains(QStringLiteral("hidden")));
    QVERIFY(!editor.isModified());
}

void AclEditorTest::permissionCheckboxesEditEntries()
{
    AclEditor editor(m_session.get());
    load(editor, QStringLiteral("/guarded"));
    // Clicking the "w" checkbox (column 2 + 3) clears write in the entry.
    QTableWidgetItem* write = editor.table()->item(0, 5);
    QCOMPARE(editor.table()->horizontalHeaderItem(5)->text(), QStringLiteral("w"));
    write->setCheckState(Qt::Unchecked);
    QCOMPARE(editor.entries().front().perms, perms::All & ~perms::Write);
    QVERIFY(editor.isModified());
    // An entry that grants nothing is refused when applying, in words, and nothing is sent.
    for (const auto bit : {perms::Read, perms::Create, perms::Delete, perms::Admin})
        editor.setPermission(0, bit, false);
    editor.setConfirmer([](const QString&) { return true; });
    editor.apply();
    QVERIFY(editor.noticeText().contains(QStringLiteral("grants no permission")));
    QCOMPARE(serverAcl("/guarded"), zk::openAclUnsafe());
    // Removing the last entry is refused too (ZooKeeper rejects an empty ACL).
    editor.table()->selectRow(0);
    editor.removeSelected();
    QVERIFY(editor.entries().empty());
    editor.apply();
    QVERIFY(editor.noticeText().contains(QStringLiteral("at least one entry")));
}

void AclEditorTest::authEntryStoresSessionCredentials()
{
    auto alice = m_server->connect(QStringLiteral("alice"), QStringLiteral("secret"));
    QTRY_COMPARE_WITH_TIMEOUT(alice->state(), SessionState::Connected, 10000);
    AclEditor editor(alice.get());
    load(editor, QStringLiteral("/guarded"));
    editor.table()->selectRow(0);
    editor.removeSelected();
    editor.setForm(QStringLiteral("auth"), {}, perms::All);
    QVERIFY(editor.addFromForm().isEmpty());
    QSignalSpy applied(&editor, &AclEditor::applied);
    editor.apply();
    QVERIFY(applied.wait(10000));
    // The server replaced "auth" with alice's digest id, the one digestId() computes.
    const zk::AclList expected{
        {perms::All,
         {"digest", digestId(QStringLiteral("alice"), QStringLiteral("secret")).toStdString()}}};
    auto aliceRaw = m_server->rawClient("alice:secret");
    QCOMPARE(zk::client::SyncClient(*aliceRaw).getAcl("/guarded").value.acl, expected);
    QTRY_COMPARE_WITH_TIMEOUT(editor.entries(), expected, 10000);
}

void AclEditorTest::authWithoutCredentialsSaysWhy()
{
    AclEditor editor(m_session.get());
    load(editor, QStringLiteral("/guarded"));
    editor.setForm(QStringLiteral("auth"), {}, perms::Read);
    QVERIFY(editor.addFromForm().isEmpty());
    QSignalSpy problem(&editor, &AclEditor::problem);
    editor.apply();
    QVERIFY(problem.wait(10000));
    const QString text = problem.first().first().toString();
    QVERIFY2(text.contains(QStringLiteral("InvalidACL")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("needs credentials")), qPrintable(text));
    QCOMPARE(serverAcl("/guarded"), zk::openAclUnsafe());
}

void AclEditorTest::storesIpAndSaslEntries()
{
    // A server that knows the sasl scheme, as Apache's does once SASL is configured.
    cleanup();
    EmbeddedCluster::Options options;
    options.saslAclScheme = true;
    m_server = std::make_unique<LiveServer>(options);
    QVERIFY(!m_server->startError);
    m_session = m_server->connect();
    QTRY_COMPARE_WITH_TIMEOUT(m_session->state(), SessionState::Connected, 10000);
    m_raw = m_server->rawClient();
    QVERIFY(zk::client::SyncClient(*m_raw)
                .create("/guarded", {}, zk::openAclUnsafe(), CreateMode::Persistent)
                .ok());

    AclEditor editor(m_session.get());
    load(editor, QStringLiteral("/guarded"));
    editor.setForm(QStringLiteral("ip"), QStringLiteral("10.0.0.300"), perms::Read);
    QVERIFY(editor.addFromForm().contains(QStringLiteral("not an IP address")));
    editor.setForm(QStringLiteral("ip"), QStringLiteral("10.0.0.0/8"), perms::Read | perms::Write);
    QVERIFY(editor.addFromForm().isEmpty());
    editor.setForm(QStringLiteral("sasl"), QStringLiteral("bob"), perms::Read);
    QVERIFY(editor.addFromForm().isEmpty());
    QSignalSpy applied(&editor, &AclEditor::applied);
    editor.apply();
    QVERIFY(applied.wait(10000));
    const zk::AclList expected{{perms::All, {"world", "anyone"}},
                               {perms::Read | perms::Write, {"ip", "10.0.0.0/8"}},
                               {perms::Read, {"sasl", "bob"}}};
    QCOMPARE(serverAcl("/guarded"), expected);
}

void AclEditorTest::conflictOffersReload()
{
    AclEditor editor(m_session.get());
    load(editor, QStringLiteral("/guarded"));
    int asked = 0;
    editor.setConflictResolver([&](const QString& path) {
        ++asked;
        [&] { QCOMPARE(path, QStringLiteral("/guarded")); }();
        return ConflictChoice::Reload;
    });
    editor.setPermission(0, perms::Write, false);
    // Someone else changes the ACL between our load and our apply.
    const zk::AclList theirs{{perms::Read | perms::Admin, {"world", "anyone"}}};
    QVERIFY(zk::client::SyncClient(*m_raw).setAcl("/guarded", theirs).ok());
    editor.apply();
    QTRY_COMPARE_WITH_TIMEOUT(asked, 1, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(editor.entries(), theirs, 10000);
    QCOMPARE(serverAcl("/guarded"), theirs);
    QCOMPARE(editor.loadedAversion(), std::optional<std::int32_t>(1));
}

void AclEditorTest::conflictOffersOverwrite()
{
    AclEditor editor(m_session.get());
    load(editor, QStringLiteral("/guarded"));
    int asked = 0;
    editor.setConflictResolver([&](const QString&) {
        ++asked;
        return ConflictChoice::Overwrite;
    });
    editor.setPermission(0, perms::Delete, false);
    QVERIFY(zk::client::SyncClient(*m_raw)
                .setAcl("/guarded", {{perms::Read | perms::Admin, {"world", "anyone"}}})
                .ok());
    QSignalSpy applied(&editor, &AclEditor::applied);
    editor.apply();
    QVERIFY(applied.wait(10000));
    QCOMPARE(asked, 1);
    QCOMPARE(serverAcl("/guarded"),
             (zk::AclList{{perms::All & ~perms::Delete, {"world", "anyone"}}}));
    QCOMPARE(applied.first().at(1).toInt(), 2);
}

void AclEditorTest::appliesToSubtree()
{
    makeTree("/tree", 6, 4); // 1 + 6 + 24 nodes
    AclEditor editor(m_session.get());
    load(editor, QStringLiteral("/tree"));
    QString question;
    editor.setConfirmer([&](const QString& q) {
        question = q;
        return true;
    });
    editor.setPermission(0, perms::Write, false);
    editor.setForm(QStringLiteral("ip"), QStringLiteral("127.0.0.1"), perms::All);
    QVERIFY(editor.addFromForm().isEmpty());
    QSignalSpy done(&editor, &AclEditor::appliedToSubtree);
    editor.applyToSubtree();
    QVERIFY(question.contains(QStringLiteral("every node below it")));
    QVERIFY(done.wait(20000));
    QCOMPARE(done.first().at(1).toInt(), 31);
    const zk::AclList expected{{perms::All & ~perms::Write, {"world", "anyone"}},
                               {perms::All, {"ip", "127.0.0.1"}}};
    zk::client::SyncClient sync(*m_raw);
    int checked = 0;
    for (const std::string& path : listSubtree(sync, "/tree", {}).paths) {
        QCOMPARE(serverAcl(path), expected);
        ++checked;
    }
    QCOMPARE(checked, 31);
    QTRY_VERIFY_WITH_TIMEOUT(editor.noticeText().contains(QStringLiteral("31 nodes")), 10000);
}

void AclEditorTest::subtreeConflictChangesNothing()
{
    makeTree("/tree", 3, 2);
    AclEditor editor(m_session.get());
    load(editor, QStringLiteral("/tree"));
    editor.setConfirmer([](const QString&) { return true; });
    int asked = 0;
    editor.setConflictResolver([&](const QString&) {
        ++asked;
        return ConflictChoice::Cancel;
    });
    QVERIFY(zk::client::SyncClient(*m_raw).setAcl("/tree", zk::openAclUnsafe()).ok()); // aversion 1
    editor.setPermission(0, perms::Admin, false);
    QSignalSpy problem(&editor, &AclEditor::problem);
    editor.applyToSubtree();
    QVERIFY(problem.wait(20000));
    QCOMPARE(asked, 1);
    QVERIFY(problem.first().first().toString().contains(QStringLiteral("Nothing was changed")));
    QCOMPARE(serverAcl("/tree/c0/g1"), zk::openAclUnsafe());
}

void AclEditorTest::cancelStopsSubtree()
{
    makeTree("/tree", 5, 3); // 21 nodes
    zk::client::SyncClient sync(*m_raw);
    const zk::AclList readOnly{{perms::Read | perms::Admin, {"world", "anyone"}}};
    int reports = 0;
    const TreeResult result =
        setAclRecursive(sync, "/tree", readOnly, -1, [&](int done, int total) {
            ++reports;
            return total == 0 || done < 5;
        });
    QVERIFY(result.cancelled);
    QVERIFY(result.error.isEmpty());
    QCOMPARE(result.nodes, 5);
    QVERIFY(reports > 5);
    int changed = 0;
    for (const std::string& path : listSubtree(sync, "/tree", {}).paths)
        changed += serverAcl(path) == readOnly ? 1 : 0;
    QCOMPARE(changed, 5);
    // A root that vanished is reported in words.
    const TreeResult gone = setAclRecursive(sync, "/nothing", readOnly, -1, {});
    QVERIFY(gone.error.contains(QStringLiteral("does not exist")));
}

QTEST_MAIN(AclEditorTest)
#include "test_acl_editor.moc"
