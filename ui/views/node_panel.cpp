#include "views/node_panel.h"

#include "models/studio_colors.h"
#include "models/znode_kind.h"
#include "views/acl_editor.h"

#include <QComboBox>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPointer>
#include <QPushButton>
#include <QTabWidget>
#include <QTableWidget>
#include <QVBoxLayout>

namespace zoolab {

using zk::client::DataResult;
using zk::client::Result;

NodePanel::NodePanel(ZkSession* session, QWidget* parent) : QWidget(parent), m_session(session)
{
    build();
    QPointer<NodePanel> self(this);
    m_watcher = session->guiWatcher([self](const zk::client::WatchedEvent& event) {
        if (!self || QString::fromStdString(event.path) != self->m_path)
            return;
        if (event.type == zk::EventType::NodeDeleted) {
            self->setNotice(QStringLiteral("This node was deleted on the server."), true);
            return;
        }
        if (event.type != zk::EventType::NodeDataChanged)
            return;
        if (self->isModified())
            self->setNotice(QStringLiteral("The node changed on the server. Saving will ask "
                                           "whether to overwrite; Reload shows the new data."),
                            true);
        else
            self->reload();
    });
    m_resolver = [this](const QString& path) {
        return askAboutConflict(this, path, QStringLiteral("data"));
    };
}

void NodePanel::build()
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    m_title = new QLabel(this);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont titleFont = m_title->font();
    titleFont.setBold(true);
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.15);
    m_title->setFont(titleFont);
    layout->addWidget(m_title);
    m_notice = new QLabel(this);
    m_notice->setWordWrap(true);
    m_notice->hide();
    layout->addWidget(m_notice);

    m_tabs = new QTabWidget(this);
    layout->addWidget(m_tabs, 1);

    auto* dataPage = new QWidget(m_tabs);
    auto* dataLayout = new QVBoxLayout(dataPage);
    dataLayout->setContentsMargins(2, 4, 2, 2);
    auto* bar = new QHBoxLayout;
    m_viewBox = new QComboBox(dataPage);
    m_viewBox->addItem(QStringLiteral("Text"), int(DataView::Text));
    m_viewBox->addItem(QStringLiteral("JSON"), int(DataView::Json));
    m_viewBox->addItem(QStringLiteral("Hex"), int(DataView::Hex));
    m_viewBox->addItem(QStringLiteral("Base64"), int(DataView::Base64));
    m_viewBox->setToolTip(QStringLiteral("How to show and edit the bytes"));
    bar->addWidget(new QLabel(QStringLiteral("View:"), dataPage));
    bar->addWidget(m_viewBox);
    m_dataInfo = new QLabel(dataPage);
    bar->addWidget(m_dataInfo, 1);
    m_reloadButton = new QPushButton(QStringLiteral("Reload"), dataPage);
    m_saveButton = new QPushButton(QStringLiteral("Save"), dataPage);
    m_saveButton->setToolTip(QStringLiteral("Save the data (Ctrl+S); checks the version"));
    bar->addWidget(m_reloadButton);
    bar->addWidget(m_saveButton);
    dataLayout->addLayout(bar);
    m_editor = new QPlainTextEdit(dataPage);
    m_editor->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_editor->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_editor->setPlaceholderText(QStringLiteral("(no data)"));
    dataLayout->addWidget(m_editor, 1);
    m_tabs->addTab(dataPage, QStringLiteral("Data"));

    m_statTable = new QTableWidget(0, 2, m_tabs);
    m_statTable->setHorizontalHeaderLabels({QStringLiteral("Field"), QStringLiteral("Value")});
    m_statTable->horizontalHeader()->setStretchLastSection(true);
    m_statTable->verticalHeader()->hide();
    m_statTable->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_statTable->setAlternatingRowColors(true);
    m_tabs->addTab(m_statTable, QStringLiteral("Stat"));

    m_aclEditor = new AclEditor(m_session, m_tabs);
    m_tabs->addTab(m_aclEditor, QStringLiteral("ACL"));
    connect(m_aclEditor, &AclEditor::problem, this, &NodePanel::problem);

    connect(m_viewBox, &QComboBox::activated, this, [this](int row) {
        m_userPickedView = true;
        setView(DataView(m_viewBox->itemData(row).toInt()));
    });
    connect(m_saveButton, &QPushButton::clicked, this, &NodePanel::save);
    connect(m_reloadButton, &QPushButton::clicked, this, &NodePanel::reload);
    connect(m_editor->document(), &QTextDocument::modificationChanged, this,
            [this](bool modified) { m_saveButton->setEnabled(modified && !m_gzip); });
    showNode({});
}

bool NodePanel::isModified() const
{
    return m_editor->document()->isModified();
}

void NodePanel::setNotice(const QString& text, bool error)
{
    m_notice->setText(text);
    m_notice->setStyleSheet(error ? noticeStyleSheet() : QString());
    m_notice->setVisible(!text.isEmpty());
    if (error && !text.isEmpty())
        emit problem(text);
}

void NodePanel::showNode(const QString& path)
{
    m_path = path;
    ++m_shown;
    m_stat.reset();
    m_bytes.clear();
    m_gzip = false;
    m_userPickedView = false;
    ++m_request;
    setNotice({}, false);
    m_title->setText(path.isEmpty() ? QStringLiteral("Select a znode") : path);
    m_editor->clear();
    m_editor->setReadOnly(true);
    m_editor->document()->setModified(false);
    m_saveButton->setEnabled(false);
    m_reloadButton->setEnabled(!path.isEmpty());
    m_dataInfo->clear();
    m_statTable->setRowCount(0);
    m_aclEditor->showNode(path);
    if (!path.isEmpty())
        reload();
}

void NodePanel::reload()
{
    auto client = m_session->client();
    if (m_path.isEmpty() || !client)
        return;
    const std::uint64_t request = ++m_request;
    const QString path = m_path;
    QPointer<NodePanel> self(this);
    client->getData(path.toStdString(), m_watcher,
                    m_session->onGui<DataResult>([self, request, path](Result<DataResult> r) {
                        if (self && self->m_request == request)
                            self->onData(path, r);
                    }));
    // The ACL editor loads on its own; a reload must not throw away an ACL edit.
    if (m_aclEditor->path() == path && !m_aclEditor->isModified() && m_aclEditor->loadedAversion())
        m_aclEditor->reload();
}

void NodePanel::onData(const QString& path, Result<DataResult> result)
{
    if (!result.ok()) {
        setNotice(
            QStringLiteral("Cannot read %1: %2.").arg(path, ZkSession::describe(result.error)),
            true);
        return;
    }
    setNotice({}, false);
    m_null = !result.value.data.has_value();
    const auto& value = result.value.data;
    m_bytes =
        value ? QByteArray(reinterpret_cast<const char*>(value->data()), qsizetype(value->size()))
              : QByteArray();
    m_stat = result.value.stat;
    m_gzip = looksGzip(m_bytes);
    if (!m_userPickedView) {
        const QByteArray shown = m_gzip ? gunzip(m_bytes).value_or(m_bytes) : m_bytes;
        m_view = guessView(shown);
    }
    const ZnodeKind kind = kindOf(*m_stat);
    const QString name = path.section(QLatin1Char('/'), -1);
    m_title->setText(QStringLiteral("%1   —   %2, version %3")
                         .arg(path, kindName(kind, looksSequential(name.toStdString())))
                         .arg(m_stat->version));
    fillEditor();
    fillStat();
    emit loaded(path);
}

void NodePanel::setView(DataView view)
{
    if (isModified()) {
        // Carry the edit across views when it is valid in the current one.
        const Encoded encoded = encodeFromView(m_editor->toPlainText(), m_view);
        if (!encoded.bytes) {
            setNotice(QStringLiteral("The edit is not valid %1; fix it before switching views.")
                          .arg(m_viewBox->currentText()),
                      true);
            m_viewBox->setCurrentIndex(m_viewBox->findData(int(m_view)));
            return;
        }
        m_view = view;
        const Decoded decoded = decodeForView(*encoded.bytes, view);
        m_editor->setPlainText(decoded.text);
        m_editor->document()->setModified(true);
        return;
    }
    m_view = view;
    fillEditor();
}

void NodePanel::fillEditor()
{
    m_viewBox->setCurrentIndex(m_viewBox->findData(int(m_view)));
    QByteArray shown = m_bytes;
    QString info = m_null ? QStringLiteral("null data") : formatBytes(m_bytes.size());
    if (m_gzip) {
        if (auto inflated = gunzip(m_bytes)) {
            shown = *inflated;
            info = QStringLiteral("gzip: %1 → %2, shown decompressed (read-only)")
                       .arg(formatBytes(m_bytes.size()), formatBytes(shown.size()));
        } else {
            info += QStringLiteral(" (gzip header, but it does not inflate)");
        }
    }
    const Decoded decoded = decodeForView(shown, m_view);
    m_dataInfo->setText(decoded.problem.isEmpty() ? info
                                                  : info + QStringLiteral(" · ") + decoded.problem);
    m_dataInfo->setToolTip(decoded.problem);
    m_editor->setPlainText(decoded.text);
    m_editor->setReadOnly(m_gzip);
    m_editor->document()->setModified(false);
    m_saveButton->setEnabled(false);
}

void NodePanel::fillStat()
{
    if (!m_stat)
        return;
    const zk::Stat& s = *m_stat;
    QString owner;
    switch (kindOf(s)) {
    case ZnodeKind::Persistent:
        owner = QStringLiteral("0x0 (persistent)");
        break;
    case ZnodeKind::Container:
        owner = QStringLiteral("0x8000000000000000 (container)");
        break;
    case ZnodeKind::Ttl:
        owner = QStringLiteral("0x%1 (TTL %2 ms)")
                    .arg(quint64(s.ephemeralOwner), 0, 16)
                    .arg(ttlMsOf(s));
        break;
    case ZnodeKind::Ephemeral:
        owner =
            QStringLiteral("0x%1 (ephemeral, owner session)").arg(quint64(s.ephemeralOwner), 0, 16);
        break;
    }
    const QList<QPair<QString, QString>> rows = {
        {QStringLiteral("czxid"), formatZxid(s.czxid)},
        {QStringLiteral("mzxid"), formatZxid(s.mzxid)},
        {QStringLiteral("pzxid"), formatZxid(s.pzxid)},
        {QStringLiteral("ctime"), formatMillis(s.ctime)},
        {QStringLiteral("mtime"), formatMillis(s.mtime)},
        {QStringLiteral("version"), QString::number(s.version)},
        {QStringLiteral("cversion"), QString::number(s.cversion)},
        {QStringLiteral("aversion"), QString::number(s.aversion)},
        {QStringLiteral("ephemeralOwner"), owner},
        {QStringLiteral("dataLength"), QString::number(s.dataLength)},
        {QStringLiteral("numChildren"), QString::number(s.numChildren)},
    };
    m_statTable->setRowCount(int(rows.size()));
    for (int i = 0; i < rows.size(); ++i) {
        m_statTable->setItem(i, 0, new QTableWidgetItem(rows[i].first));
        m_statTable->setItem(i, 1, new QTableWidgetItem(rows[i].second));
    }
    m_statTable->resizeColumnToContents(0);
}

QTableWidget* NodePanel::aclTable() const
{
    return m_aclEditor->table();
}

void NodePanel::showPage(const QString& name)
{
    for (int i = 0; i < m_tabs->count(); ++i) {
        if (m_tabs->tabText(i).compare(name, Qt::CaseInsensitive) == 0)
            m_tabs->setCurrentIndex(i);
    }
}

void NodePanel::save()
{
    if (m_path.isEmpty() || !m_stat)
        return;
    if (m_gzip) {
        setNotice(QStringLiteral("gzip data is shown read-only; the studio does not "
                                 "recompress."),
                  true);
        return;
    }
    const Encoded encoded = encodeFromView(m_editor->toPlainText(), m_view);
    if (!encoded.bytes) {
        setNotice(encoded.problem + QStringLiteral(" Nothing was saved."), true);
        return;
    }
    m_pendingSave = *encoded.bytes;
    sendSave(m_pendingSave, m_stat->version);
}

void NodePanel::sendSave(const QByteArray& bytes, std::int32_t version)
{
    auto client = m_session->client();
    if (!client)
        return;
    const QString path = m_path;
    const std::uint64_t shown = m_shown;
    QPointer<NodePanel> self(this);
    client->setData(path.toStdString(), zk::Bytes(bytes.begin(), bytes.end()), version,
                    m_session->onGui<zk::Stat>([self, path, shown, version](Result<zk::Stat> r) {
                        if (self && self->m_shown == shown)
                            self->onSaved(path, r, version == -1);
                    }));
}

void NodePanel::onSaved(const QString& path, Result<zk::Stat> result, bool forced)
{
    if (result.error == zk::ZError::BadVersion && !forced) {
        switch (m_resolver(path)) {
        case ConflictChoice::Reload:
            m_editor->document()->setModified(false);
            reload();
            return;
        case ConflictChoice::Overwrite:
            sendSave(m_pendingSave, -1);
            return;
        case ConflictChoice::Cancel:
            setNotice(QStringLiteral("Not saved: %1.").arg(ZkSession::describe(result.error)),
                      true);
            return;
        }
    }
    if (!result.ok()) {
        setNotice(QStringLiteral("Not saved: %1.").arg(ZkSession::describe(result.error)), true);
        return;
    }
    emit dataReplaced(path, m_bytes, m_null, result.value.version, forced);
    m_stat = result.value;
    m_bytes = m_pendingSave;
    m_null = false;
    m_editor->document()->setModified(false);
    setNotice({}, false);
    fillStat();
    m_title->setText(QStringLiteral("%1   —   saved, version %2").arg(path).arg(m_stat->version));
    emit saved(path, m_stat->version);
    // Our own write fired the data watch while the editor was still modified, so the watch
    // is not armed any more; reading again re-arms it (and shows the data as stored).
    reload();
}

} // namespace zoolab
