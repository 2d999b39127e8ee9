#pragma once
// AclEditor: the selected znode's ACL as a table of entries with c/d/r/w/a permission
// checkboxes, and a form to add entries of every settable scheme (world, auth, digest, ip,
// sasl). For digest the form takes a user and a password and computes the id as ZooKeeper
// does (digestId()); the password never leaves the form.
//
// Apply sends setACL with the aversion that was loaded; on BADVERSION the conflict resolver
// chooses reload or overwrite, as for data saves. "Apply to subtree" sets the ACL on the node
// and everything below it on a pool thread, behind a progress dialog with Cancel.
//
// Thread: GUI thread. Requests go through the ZkSession asynchronously; replies for a node no
// longer shown are ignored. Ownership: a plain child widget; the session must outlive it.

#include "controllers/tree_operations.h"
#include "controllers/zk_session.h"
#include "views/conflict_choice.h"

#include <QWidget>

#include <array>
#include <functional>
#include <optional>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableWidget;
class QTableWidgetItem;
class QVBoxLayout;

namespace zoolab {

class AclEditor : public QWidget
{
    Q_OBJECT
public:
    using Confirmer = std::function<bool(const QString& question)>;

    explicit AclEditor(ZkSession* session, QWidget* parent = nullptr);

    // Shows the ACL of path (empty: nothing) and loads it.
    void showNode(const QString& path);
    void reload();
    void apply();
    void applyToSubtree();

    // The form: fills it from scheme, id and permissions (as the user would).
    void setForm(const QString& scheme, const QString& id, std::int32_t perms);
    void setDigestCredentials(const QString& user, const QString& password);
    // Adds the form's entry; returns a problem sentence (and adds nothing) when it is invalid.
    QString addFromForm();
    void removeSelected();
    // Ticks or clears one permission of an entry, as clicking its checkbox does.
    void setPermission(int row, std::int32_t perm, bool on);

    QString path() const { return m_path; }
    const zk::AclList& entries() const { return m_entries; }
    std::optional<std::int32_t> loadedAversion() const { return m_aversion; }
    bool isModified() const { return m_loaded && m_entries != *m_loaded; }
    QTableWidget* table() const { return m_table; }
    QString formId() const;
    std::int32_t formPerms() const;
    QString noticeText() const;

    void setConflictResolver(ConflictResolver resolver) { m_resolver = std::move(resolver); }
    void setConfirmer(Confirmer confirmer) { m_confirm = std::move(confirmer); }

signals:
    void loaded(const QString& path);
    void applied(const QString& path, int aversion);
    void appliedToSubtree(const QString& path, int nodes);
    void problem(const QString& text);

private:
    void build();
    void buildForm(QVBoxLayout* layout);
    void onAcl(const QString& path, zk::client::Result<zk::client::AclResult> result);
    void onApplied(const QString& path, zk::client::Result<zk::Stat> result, bool forced);
    void onSubtreeDone(const QString& path, const TreeResult& result, bool forced);
    void sendApply(std::int32_t version);
    void runSubtree(std::int32_t rootVersion);
    void fillTable();
    void onItemChanged(QTableWidgetItem* item);
    void reloadThenSay(const QString& text, bool error);
    void onSchemeChanged();
    void onCredentialsEdited();
    void updateButtons();
    void setBusy(bool busy);
    void setNotice(const QString& text, bool error, bool announce = true);
    QString problemWithEdit() const;
    QString explainFailure(zk::ZError error) const;
    std::optional<zk::Acl> formEntry(QString* problem) const;

    ZkSession* m_session;
    QString m_path;
    zk::AclList m_entries;
    std::optional<zk::AclList> m_loaded;
    std::optional<std::int32_t> m_aversion;
    std::uint64_t m_request = 0;
    QString m_afterLoad; // a notice to show once the next load is in
    bool m_afterLoadIsError = false;
    bool m_busy = false;
    ConflictResolver m_resolver;
    Confirmer m_confirm;

    QLabel* m_notice = nullptr;
    QTableWidget* m_table = nullptr;
    QComboBox* m_scheme = nullptr;
    QLineEdit* m_id = nullptr;
    QWidget* m_digestRow = nullptr;
    QLineEdit* m_user = nullptr;
    QLineEdit* m_password = nullptr;
    std::array<QCheckBox*, 5> m_perms{};
    QLabel* m_hint = nullptr;
    QPushButton* m_add = nullptr;
    QPushButton* m_remove = nullptr;
    QPushButton* m_revert = nullptr;
    QPushButton* m_apply = nullptr;
    QPushButton* m_applySubtree = nullptr;
};

} // namespace zoolab
