#pragma once
// NodePanel: the selected znode's data editor, stat and ACL editor (AclEditor).
//
// Data: text / JSON (pretty-printed, validated) / hex / base64 views of the same bytes; gzip
// is detected and shown decompressed, read-only. Save sends setData with the version that was
// loaded; on BADVERSION the conflict resolver (a dialog by default) chooses reload or
// overwrite. The selected node holds a data watch: a change on the server reloads an
// unmodified editor, or shows a notice above a modified one.
//
// Thread: GUI thread. All requests are asynchronous through the ZkSession; replies for a node
// that is no longer shown are ignored. Ownership: a plain child widget; the session must
// outlive it.

#include "controllers/zk_session.h"
#include "data/stat.h"
#include "models/data_codec.h"
#include "views/conflict_choice.h"

#include <QWidget>

#include <functional>
#include <optional>

class QComboBox;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTabWidget;
class QTableWidget;

namespace zoolab {

class AclEditor;

class NodePanel : public QWidget
{
    Q_OBJECT
public:
    using ConflictChoice = zoolab::ConflictChoice;
    using ConflictResolver = zoolab::ConflictResolver;

    explicit NodePanel(ZkSession* session, QWidget* parent = nullptr);

    // Shows the node at path (empty: nothing) and loads its data, stat and ACL.
    void showNode(const QString& path);
    void reload();
    // Saves the editor's text as the node's data (Ctrl+S).
    void save();

    QString path() const { return m_path; }
    std::optional<zk::Stat> stat() const { return m_stat; }
    QByteArray loadedBytes() const { return m_bytes; }
    DataView view() const { return m_view; }
    void setView(DataView view);
    QPlainTextEdit* editor() const { return m_editor; }
    QTableWidget* statTable() const { return m_statTable; }
    QTableWidget* aclTable() const;
    AclEditor* aclEditor() const { return m_aclEditor; }
    // Shows the Data, Stat or ACL page.
    void showPage(const QString& name);
    bool isModified() const;
    void setConflictResolver(ConflictResolver resolver) { m_resolver = std::move(resolver); }

signals:
    void loaded(const QString& path);
    void saved(const QString& path, int version);
    // A save replaced `before` (null data when beforeIsNull) with the editor's bytes, giving
    // `version`. After an overwrite (forced, no version check) `before` is what was loaded,
    // not necessarily what the save replaced.
    void dataReplaced(const QString& path, const QByteArray& before, bool beforeIsNull, int version,
                      bool overwrote);
    // A plain-words problem for the status bar (also shown in the panel).
    void problem(const QString& text);

private:
    void build();
    void onData(const QString& path, zk::client::Result<zk::client::DataResult> result);
    void onSaved(const QString& path, zk::client::Result<zk::Stat> result, bool forced);
    void fillEditor();
    void fillStat();
    void setNotice(const QString& text, bool error);
    void sendSave(const QByteArray& bytes, std::int32_t version);

    ZkSession* m_session;
    QString m_path;
    QByteArray m_bytes;
    bool m_null = false;
    bool m_gzip = false;
    std::optional<zk::Stat> m_stat;
    DataView m_view = DataView::Text;
    bool m_userPickedView = false;
    std::uint64_t m_request = 0; // the latest read; older replies are ignored
    std::uint64_t m_shown = 0;   // the node on show; saves for another node are ignored
    zk::client::WatcherPtr m_watcher;
    ConflictResolver m_resolver;
    QByteArray m_pendingSave;

    QLabel* m_title = nullptr;
    QLabel* m_notice = nullptr;
    QTabWidget* m_tabs = nullptr;
    QComboBox* m_viewBox = nullptr;
    QLabel* m_dataInfo = nullptr;
    QPushButton* m_saveButton = nullptr;
    QPushButton* m_reloadButton = nullptr;
    QPlainTextEdit* m_editor = nullptr;
    QTableWidget* m_statTable = nullptr;
    AclEditor* m_aclEditor = nullptr;
};

} // namespace zoolab
