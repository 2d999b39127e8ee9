#include "views/acl_editor.h"

#include "controllers/acl_operations.h"
#include "models/acl_entry.h"
#include "models/studio_colors.h"
#include "views/progress_job.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPointer>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace zoolab {

using zk::client::AclResult;
using zk::client::Result;

namespace {

constexpr std::array<std::pair<std::int32_t, const char*>, 5> permBoxes{{{zk::perms::Create, "c"},
                                                                         {zk::perms::Delete, "d"},
                                                                         {zk::perms::Read, "r"},
                                                                         {zk::perms::Write, "w"},
                                                                         {zk::perms::Admin, "a"}}};

const char* const permToolTips[] = {"create children", "delete children", "read data and list",
                                    "write data", "admin: change the ACL"};

QString schemeHint(const QString& scheme)
{
    if (scheme == QStringLiteral("world"))
        return QStringLiteral("world:anyone — every client, authenticated or not.");
    if (scheme == QStringLiteral("auth"))
        return QStringLiteral("auth — whoever this connection is authenticated as; the server "
                              "stores one digest entry per credential.");
    if (scheme == QStringLiteral("digest"))
        return QStringLiteral("digest — a user and password; the id stored is user:base64(SHA-1)."
                              " Type the password or paste an existing user:hash.");
    if (scheme == QStringLiteral("ip"))
        return QStringLiteral("ip — a client address or network, e.g. 10.0.0.0/8.");
    return QStringLiteral("sasl — a SASL principal; the server must have SASL enabled.");
}

// Apache's getACL replaces digest hashes with "x" for callers without ADMIN.
bool hidesDigests(const zk::AclList& acl)
{
    for (const zk::Acl& entry : acl) {
        const auto& id = entry.id.id;
        if (entry.id.scheme == "digest" && id.size() >= 2 &&
            id.compare(id.size() - 2, 2, ":x") == 0)
            return true;
    }
    return false;
}

} // namespace

AclEditor::AclEditor(ZkSession* session, QWidget* parent) : QWidget(parent), m_session(session)
{
    build();
    m_resolver = [this](const QString& path) {
        return askAboutConflict(this, path, QStringLiteral("ACL"));
    };
    m_confirm = [this](const QString& question) {
        return QMessageBox::question(this, QStringLiteral("Change ACL"), question) ==
               QMessageBox::Yes;
    };
    showNode({});
}

void AclEditor::build()
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 4, 2, 2);
    m_notice = new QLabel(this);
    m_notice->setWordWrap(true);
    m_notice->hide();
    layout->addWidget(m_notice);

    m_table = new QTableWidget(0, 2 + int(permBoxes.size()), this);
    QStringList headers{QStringLiteral("Scheme"), QStringLiteral("Id")};
    for (const auto& [bit, letter] : permBoxes)
        headers << QString::fromLatin1(letter);
    m_table->setHorizontalHeaderLabels(headers);
    for (int i = 0; i < int(permBoxes.size()); ++i) {
        m_table->horizontalHeaderItem(2 + i)->setToolTip(
            QString::fromLatin1(permToolTips[std::size_t(i)]));
        m_table->horizontalHeader()->setSectionResizeMode(2 + i, QHeaderView::ResizeToContents);
    }
    m_table->horizontalHeader()->setSectionResizeMode(1, QHeaderView::Stretch);
    m_table->verticalHeader()->hide();
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    layout->addWidget(m_table, 1);
    buildForm(layout);

    auto* bottom = new QHBoxLayout;
    m_remove = new QPushButton(QStringLiteral("Remove entry"), this);
    m_remove->setToolTip(QStringLiteral("Remove the selected entry from the edit"));
    bottom->addWidget(m_remove);
    m_revert = new QPushButton(QStringLiteral("Revert"), this);
    m_revert->setToolTip(QStringLiteral("Discard the edit and read the ACL again"));
    m_applySubtree = new QPushButton(QStringLiteral("Apply to subtree…"), this);
    m_applySubtree->setToolTip(
        QStringLiteral("Set this ACL on the node and on every node below it"));
    m_apply = new QPushButton(QStringLiteral("Apply"), this);
    m_apply->setToolTip(QStringLiteral("Set this ACL on the node; checks the ACL version"));
    bottom->addWidget(m_revert);
    bottom->addStretch(1);
    bottom->addWidget(m_applySubtree);
    bottom->addWidget(m_apply);
    layout->addLayout(bottom);

    connect(m_table, &QTableWidget::itemChanged, this, &AclEditor::onItemChanged);
    connect(m_table, &QTableWidget::itemSelectionChanged, this, &AclEditor::updateButtons);
    connect(m_remove, &QPushButton::clicked, this, &AclEditor::removeSelected);
    connect(m_revert, &QPushButton::clicked, this, &AclEditor::reload);
    connect(m_apply, &QPushButton::clicked, this, &AclEditor::apply);
    connect(m_applySubtree, &QPushButton::clicked, this, &AclEditor::applyToSubtree);
}

void AclEditor::buildForm(QVBoxLayout* layout)
{
    auto* first = new QHBoxLayout;
    m_scheme = new QComboBox(this);
    m_scheme->addItems(settableAclSchemes());
    m_scheme->setToolTip(QStringLiteral("Scheme of the entry"));
    m_id = new QLineEdit(this);
    m_id->setPlaceholderText(QStringLiteral("id"));
    first->addWidget(m_scheme);
    first->addWidget(m_id, 1);
    layout->addLayout(first);

    m_digestRow = new QWidget(this);
    auto* digest = new QHBoxLayout(m_digestRow);
    digest->setContentsMargins(0, 0, 0, 0);
    m_user = new QLineEdit(m_digestRow);
    m_user->setPlaceholderText(QStringLiteral("user"));
    m_password = new QLineEdit(m_digestRow);
    m_password->setPlaceholderText(QStringLiteral("password"));
    m_password->setEchoMode(QLineEdit::Password);
    digest->addWidget(new QLabel(QStringLiteral("User:"), m_digestRow));
    digest->addWidget(m_user, 1);
    digest->addWidget(new QLabel(QStringLiteral("Password:"), m_digestRow));
    digest->addWidget(m_password, 1);
    layout->addWidget(m_digestRow);

    auto* perms = new QHBoxLayout;
    perms->addWidget(new QLabel(QStringLiteral("New entry may:"), this));
    for (std::size_t i = 0; i < permBoxes.size(); ++i) {
        m_perms[i] = new QCheckBox(QString::fromLatin1(permBoxes[i].second), this);
        m_perms[i]->setToolTip(QString::fromLatin1(permToolTips[i]));
        perms->addWidget(m_perms[i]);
    }
    perms->addStretch(1);
    m_add = new QPushButton(QStringLiteral("Add entry"), this);
    m_add->setToolTip(QStringLiteral("Add the entry described above to the edit"));
    perms->addWidget(m_add);
    layout->addLayout(perms);

    m_hint = new QLabel(this);
    m_hint->setWordWrap(true);
    // Italic, not greyed out: disabled-text grey is too faint to read a sentence in.
    QFont hintFont = m_hint->font();
    hintFont.setItalic(true);
    m_hint->setFont(hintFont);
    layout->addWidget(m_hint);

    connect(m_scheme, &QComboBox::currentTextChanged, this, &AclEditor::onSchemeChanged);
    connect(m_user, &QLineEdit::textEdited, this, &AclEditor::onCredentialsEdited);
    connect(m_password, &QLineEdit::textEdited, this, &AclEditor::onCredentialsEdited);
    connect(m_add, &QPushButton::clicked, this, [this] {
        if (QString problem = addFromForm(); !problem.isEmpty())
            setNotice(problem, true);
    });
    onSchemeChanged();
}

void AclEditor::onSchemeChanged()
{
    const QString scheme = m_scheme->currentText();
    const bool fixedId = scheme == QStringLiteral("world") || scheme == QStringLiteral("auth");
    m_digestRow->setVisible(scheme == QStringLiteral("digest"));
    m_id->setEnabled(!fixedId);
    if (fixedId)
        m_id->setText(defaultAclId(scheme));
    m_id->setPlaceholderText(scheme == QStringLiteral("digest") ? QStringLiteral("user:hash")
                             : scheme == QStringLiteral("ip")   ? QStringLiteral("10.0.0.0/8")
                             : scheme == QStringLiteral("sasl") ? QStringLiteral("principal")
                                                                : QString());
    m_hint->setText(schemeHint(scheme));
}

void AclEditor::onCredentialsEdited()
{
    if (m_user->text().isEmpty()) {
        m_id->clear();
        return;
    }
    m_id->setText(digestId(m_user->text(), m_password->text()));
}

void AclEditor::setForm(const QString& scheme, const QString& id, std::int32_t perms)
{
    m_scheme->setCurrentText(scheme);
    onSchemeChanged();
    if (m_id->isEnabled())
        m_id->setText(id);
    m_user->clear();
    m_password->clear();
    for (std::size_t i = 0; i < permBoxes.size(); ++i)
        m_perms[i]->setChecked((perms & permBoxes[i].first) != 0);
}

void AclEditor::setDigestCredentials(const QString& user, const QString& password)
{
    m_scheme->setCurrentText(QStringLiteral("digest"));
    m_user->setText(user);
    m_password->setText(password);
    onCredentialsEdited();
}

QString AclEditor::formId() const
{
    return m_id->text().trimmed();
}

std::int32_t AclEditor::formPerms() const
{
    std::int32_t perms = 0;
    for (std::size_t i = 0; i < permBoxes.size(); ++i) {
        if (m_perms[i]->isChecked())
            perms |= permBoxes[i].first;
    }
    return perms;
}

std::optional<zk::Acl> AclEditor::formEntry(QString* problem) const
{
    const QString scheme = m_scheme->currentText();
    const QString id = formId();
    *problem = aclEntryProblem(scheme, id, formPerms());
    if (!problem->isEmpty())
        return std::nullopt;
    zk::Acl entry;
    entry.perms = formPerms();
    entry.id = {scheme.toStdString(), id.toStdString()};
    return entry;
}

QString AclEditor::addFromForm()
{
    QString problem;
    const auto entry = formEntry(&problem);
    if (!entry)
        return problem;
    for (const zk::Acl& existing : m_entries) {
        if (existing.id == entry->id)
            return QStringLiteral("There is already an entry for %1:%2; select it and use Update.")
                .arg(QString::fromStdString(entry->id.scheme),
                     QString::fromStdString(entry->id.id));
    }
    m_entries.push_back(*entry);
    setNotice({}, false);
    fillTable();
    m_table->selectRow(int(m_entries.size()) - 1);
    return {};
}

void AclEditor::removeSelected()
{
    const int row = m_table->currentRow();
    if (row < 0 || row >= int(m_entries.size()))
        return;
    m_entries.erase(m_entries.begin() + row);
    fillTable();
}

void AclEditor::setPermission(int row, std::int32_t perm, bool on)
{
    if (row < 0 || row >= int(m_entries.size()))
        return;
    std::int32_t& perms = m_entries[std::size_t(row)].perms;
    perms = on ? (perms | perm) : (perms & ~perm);
    // Mirror it in the checkbox (already right when the click came from there). The items
    // stay: this may run inside the table's own itemChanged signal.
    const QSignalBlocker blocker(m_table);
    for (std::size_t p = 0; p < permBoxes.size(); ++p) {
        if (permBoxes[p].first != perm)
            continue;
        if (QTableWidgetItem* item = m_table->item(row, 2 + int(p)))
            item->setCheckState(on ? Qt::Checked : Qt::Unchecked);
    }
    updateButtons();
}

void AclEditor::onItemChanged(QTableWidgetItem* item)
{
    const int column = item->column() - 2;
    if (column < 0 || column >= int(permBoxes.size()))
        return;
    setPermission(item->row(), permBoxes[std::size_t(column)].first,
                  item->checkState() == Qt::Checked);
}

void AclEditor::fillTable()
{
    const QSignalBlocker blocker(m_table);
    const int selected = m_table->currentRow();
    m_table->setRowCount(int(m_entries.size()));
    const Qt::ItemFlags checkable =
        m_busy || !m_loaded ? Qt::ItemIsSelectable
                            : Qt::ItemIsSelectable | Qt::ItemIsEnabled | Qt::ItemIsUserCheckable;
    for (int i = 0; i < int(m_entries.size()); ++i) {
        const zk::Acl& entry = m_entries[std::size_t(i)];
        m_table->setItem(i, 0, new QTableWidgetItem(QString::fromStdString(entry.id.scheme)));
        m_table->setItem(i, 1, new QTableWidgetItem(QString::fromStdString(entry.id.id)));
        for (std::size_t p = 0; p < permBoxes.size(); ++p) {
            auto* box = new QTableWidgetItem;
            box->setFlags(checkable);
            box->setCheckState((entry.perms & permBoxes[p].first) ? Qt::Checked : Qt::Unchecked);
            box->setToolTip(QString::fromLatin1(permToolTips[p]));
            m_table->setItem(i, 2 + int(p), box);
        }
    }
    m_table->resizeColumnToContents(0);
    if (selected >= 0 && selected < m_table->rowCount())
        m_table->selectRow(selected);
    updateButtons();
}

void AclEditor::setBusy(bool busy)
{
    m_busy = busy;
    fillTable(); // the checkboxes are read-only while a change is on its way
}

void AclEditor::updateButtons()
{
    const bool shown = !m_path.isEmpty() && m_loaded.has_value();
    const bool selected = m_table->currentRow() >= 0 && m_table->currentRow() < m_table->rowCount();
    for (QWidget* w : {static_cast<QWidget*>(m_add), static_cast<QWidget*>(m_scheme)})
        w->setEnabled(shown && !m_busy);
    m_remove->setEnabled(shown && selected && !m_busy);
    m_revert->setEnabled(!m_path.isEmpty() && !m_busy);
    m_apply->setEnabled(shown && isModified() && !m_busy);
    m_applySubtree->setEnabled(shown && !m_busy);
}

void AclEditor::setNotice(const QString& text, bool error, bool announce)
{
    m_notice->setText(text);
    m_notice->setStyleSheet(error ? noticeStyleSheet() : QString());
    m_notice->setVisible(!text.isEmpty());
    if (error && announce && !text.isEmpty())
        emit problem(text);
}

QString AclEditor::noticeText() const
{
    return m_notice->isHidden() ? QString() : m_notice->text();
}

void AclEditor::showNode(const QString& path)
{
    m_path = path;
    ++m_request;
    m_entries.clear();
    m_loaded.reset();
    m_aversion.reset();
    m_busy = false;
    setNotice({}, false);
    fillTable();
    if (!path.isEmpty())
        reload();
}

void AclEditor::reload()
{
    auto client = m_session->client();
    if (m_path.isEmpty() || !client)
        return;
    const std::uint64_t request = ++m_request;
    const QString path = m_path;
    QPointer<AclEditor> self(this);
    client->getAcl(path.toStdString(),
                   m_session->onGui<AclResult>([self, request, path](Result<AclResult> r) {
                       if (self && self->m_request == request)
                           self->onAcl(path, r);
                   }));
}

void AclEditor::onAcl(const QString& path, Result<AclResult> result)
{
    if (!result.ok()) {
        m_entries.clear();
        m_loaded.reset();
        fillTable();
        setNotice(QStringLiteral("Cannot read the ACL of %1: %2.")
                      .arg(path, ZkSession::describe(result.error)),
                  true);
        return;
    }
    m_entries = result.value.acl;
    m_loaded = result.value.acl;
    m_aversion = result.value.stat.aversion;
    setNotice(m_afterLoad, m_afterLoadIsError, false);
    m_afterLoad.clear();
    if (m_notice->isHidden() && hidesDigests(m_entries))
        setNotice(
            QStringLiteral("Digest hashes are hidden (shown as user:x): the server shows them "
                           "only to sessions with the admin permission on this node."),
            false);
    fillTable();
    emit loaded(path);
}

QString AclEditor::problemWithEdit() const
{
    if (QString problem = aclListProblem(m_entries); !problem.isEmpty())
        return problem;
    return {};
}

void AclEditor::apply()
{
    if (m_path.isEmpty() || !m_aversion || m_busy)
        return;
    if (QString problem = problemWithEdit(); !problem.isEmpty()) {
        setNotice(problem + QStringLiteral(" Nothing was changed."), true);
        return;
    }
    if (!grantsAdmin(m_entries) &&
        !m_confirm(QStringLiteral("No entry grants admin (a), so nobody but the superuser can "
                                  "change this ACL again. Apply it anyway?")))
        return;
    sendApply(*m_aversion);
}

void AclEditor::sendApply(std::int32_t version)
{
    auto client = m_session->client();
    if (!client)
        return;
    setBusy(true);
    const QString path = m_path;
    const std::uint64_t request = m_request;
    QPointer<AclEditor> self(this);
    client->setAcl(path.toStdString(), m_entries, version,
                   m_session->onGui<zk::Stat>([self, path, request, version](Result<zk::Stat> r) {
                       if (self && self->m_request == request)
                           self->onApplied(path, r, version == -1);
                   }));
}

QString AclEditor::explainFailure(zk::ZError error) const
{
    QString text = ZkSession::describe(error);
    if (error != zk::ZError::InvalidAcl)
        return text;
    for (const zk::Acl& entry : m_entries) {
        if (entry.id.scheme == "auth")
            text += QStringLiteral(". An auth entry needs credentials on this connection (connect "
                                   "with a digest user, or use a digest entry instead)");
        if (entry.id.scheme == "sasl")
            text += QStringLiteral(". A sasl entry needs a server with SASL enabled");
    }
    return text;
}

void AclEditor::onApplied(const QString& path, Result<zk::Stat> result, bool forced)
{
    setBusy(false);
    if (result.error == zk::ZError::BadVersion && !forced) {
        switch (m_resolver(path)) {
        case ConflictChoice::Reload:
            reload();
            return;
        case ConflictChoice::Overwrite:
            sendApply(-1);
            return;
        case ConflictChoice::Cancel:
            setNotice(QStringLiteral("ACL not changed: %1.").arg(explainFailure(result.error)),
                      true);
            return;
        }
    }
    if (!result.ok()) {
        setNotice(QStringLiteral("ACL not changed: %1.").arg(explainFailure(result.error)), true);
        return;
    }
    m_aversion = result.value.aversion;
    setNotice({}, false);
    emit applied(path, result.value.aversion);
    reload(); // shows what the server stored (auth entries become digest ids)
}

void AclEditor::applyToSubtree()
{
    if (m_path.isEmpty() || !m_aversion || m_busy)
        return;
    if (QString problem = problemWithEdit(); !problem.isEmpty()) {
        setNotice(problem + QStringLiteral(" Nothing was changed."), true);
        return;
    }
    QString question = QStringLiteral("Set this ACL on %1 and on every node below it? The nodes' "
                                      "own ACLs are replaced.")
                           .arg(m_path);
    if (!grantsAdmin(m_entries))
        question += QStringLiteral("\n\nNo entry grants admin (a): nobody but the superuser will "
                                   "be able to change these ACLs again.");
    if (!m_confirm(question))
        return;
    runSubtree(*m_aversion);
}

void AclEditor::runSubtree(std::int32_t rootVersion)
{
    const QString path = m_path;
    const std::string target = path.toStdString();
    const zk::AclList acl = m_entries;
    const std::uint64_t request = m_request;
    setBusy(true);
    QPointer<AclEditor> self(this);
    const bool started = runWithProgress(
        this, m_session, QStringLiteral("Setting the ACL of %1 and below").arg(path),
        [target, acl, rootVersion](zk::client::SyncClient& sync, const Progress& progress) {
            return setAclRecursive(sync, target, acl, rootVersion, progress);
        },
        [self, path, request, rootVersion](const TreeResult& result) {
            if (self && self->m_request == request)
                self->onSubtreeDone(path, result, rootVersion == -1);
        });
    if (!started) {
        setBusy(false);
        setNotice(QStringLiteral("Not connected."), true);
    }
}

void AclEditor::onSubtreeDone(const QString& path, const TreeResult& result, bool forced)
{
    setBusy(false);
    if (result.errorCode == zk::ZError::BadVersion && result.nodes == 0 && !forced) {
        switch (m_resolver(path)) {
        case ConflictChoice::Reload:
            reload();
            return;
        case ConflictChoice::Overwrite:
            runSubtree(-1);
            return;
        case ConflictChoice::Cancel:
            break;
        }
    }
    if (!result.error.isEmpty()) {
        setNotice(result.error +
                      (result.nodes > 0
                           ? QStringLiteral(" %1 nodes had the new ACL by then.").arg(result.nodes)
                           : QStringLiteral(" Nothing was changed.")),
                  true);
        return;
    }
    if (result.cancelled) {
        reloadThenSay(QStringLiteral("Cancelled: %1 nodes have the new ACL, the rest kept theirs.")
                          .arg(result.nodes),
                      true);
        return;
    }
    emit appliedToSubtree(path, result.nodes);
    reloadThenSay(QStringLiteral("The ACL is set on %1 nodes.").arg(result.nodes), false);
}

void AclEditor::reloadThenSay(const QString& text, bool error)
{
    setNotice(text, error);
    m_afterLoad = text;
    m_afterLoadIsError = error;
    reload();
}

} // namespace zoolab
