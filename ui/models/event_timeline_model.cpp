#include "models/event_timeline_model.h"

#include <QBrush>
#include <QColor>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

namespace zoolab {

EventTimelineModel::EventTimelineModel(QObject* parent) : QAbstractTableModel(parent)
{}

void EventTimelineModel::clear()
{
    beginResetModel();
    m_rows.clear();
    endResetModel();
}

TimelineEntry EventTimelineModel::entryOf(const StampedPeerEvent& stamped)
{
    const zk::PeerEvent& event = stamped.event;
    TimelineEntry entry;
    entry.atMs = stamped.atMs;
    entry.sid = event.sid;
    QString text = QString::fromStdString(event.toString());
    // toString() starts "sid=N "; the server has its own column.
    const QString prefix = QStringLiteral("sid=%1 ").arg(event.sid);
    if (text.startsWith(prefix))
        text.remove(0, prefix.size());
    using Kind = zk::PeerEvent::Kind;
    switch (event.kind) {
    case Kind::Election: {
        // Election texts start with the event's name: "VoteSent to=1 ...".
        const qsizetype space = text.indexOf(QLatin1Char(' '));
        entry.kind = space < 0 ? text : text.left(space);
        text = space < 0 ? QString() : text.mid(space + 1);
        entry.category = QStringLiteral("election");
        break;
    }
    case Kind::Proposal:
    case Kind::Ack:
    case Kind::Commit:
        entry.kind = QString::fromStdString(event.kindName());
        entry.category = QStringLiteral("traffic");
        break;
    case Kind::SessionCreated:
    case Kind::SessionClosed:
        entry.kind = QString::fromStdString(event.kindName());
        entry.category = QStringLiteral("session");
        break;
    default:
        entry.kind = QString::fromStdString(event.kindName());
        entry.category = QStringLiteral("zab");
        break;
    }
    if (event.kind != Kind::Election && text.startsWith(entry.kind + QLatin1Char(' ')))
        text.remove(0, entry.kind.size() + 1);
    entry.text = text;
    return entry;
}

void EventTimelineModel::append(std::vector<TimelineEntry> entries)
{
    if (entries.empty())
        return;
    if (entries.size() > std::size_t(rowsMax))
        entries.erase(entries.begin(), entries.end() - rowsMax);
    const int overflow = int(m_rows.size() + entries.size()) - rowsMax;
    if (overflow > 0) {
        // Make room in one step, with some slack so the next batches need no removal.
        const int drop = std::min(int(m_rows.size()), overflow + rowsMax / 10);
        beginRemoveRows({}, 0, drop - 1);
        m_rows.erase(m_rows.begin(), m_rows.begin() + drop);
        endRemoveRows();
    }
    const int first = int(m_rows.size());
    beginInsertRows({}, first, first + int(entries.size()) - 1);
    for (auto& entry : entries)
        m_rows.push_back(std::move(entry));
    endInsertRows();
}

void EventTimelineModel::appendEvents(const PeerEventBridge::Batch& batch)
{
    std::vector<TimelineEntry> entries;
    entries.reserve(batch.size());
    for (const StampedPeerEvent& stamped : batch)
        entries.push_back(entryOf(stamped));
    append(std::move(entries));
}

void EventTimelineModel::setEntries(const std::vector<TimelineEntry>& entries)
{
    beginResetModel();
    m_rows.assign(entries.begin(), entries.end());
    endResetModel();
}

void EventTimelineModel::appendStudio(std::int64_t atMs, zk::Sid sid, const QString& text)
{
    TimelineEntry entry;
    entry.atMs = atMs;
    entry.sid = sid;
    entry.kind = QStringLiteral("Studio");
    entry.category = QStringLiteral("studio");
    entry.text = text;
    append({entry});
}

int EventTimelineModel::count(const QString& kind) const
{
    int n = 0;
    for (const auto& entry : m_rows)
        n += entry.kind == kind ? 1 : 0;
    return n;
}

QString EventTimelineModel::jsonLine(const TimelineEntry& entry)
{
    QJsonObject object;
    object.insert(QStringLiteral("t_ms"), qint64(entry.atMs));
    object.insert(QStringLiteral("sid"), qint64(entry.sid));
    object.insert(QStringLiteral("kind"), entry.kind);
    object.insert(QStringLiteral("category"), entry.category);
    object.insert(QStringLiteral("text"), entry.text);
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

bool EventTimelineModel::exportJsonLines(const QString& path, QString* error) const
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        if (error)
            *error = file.errorString();
        return false;
    }
    for (const auto& entry : m_rows) {
        const QByteArray line = jsonLine(entry).toUtf8() + '\n';
        if (file.write(line) != line.size()) {
            if (error)
                *error = file.errorString();
            return false;
        }
    }
    if (!file.commit()) {
        if (error)
            *error = file.errorString();
        return false;
    }
    return true;
}

int EventTimelineModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int EventTimelineModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant EventTimelineModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const TimelineEntry& entry = m_rows[std::size_t(index.row())];
    if (role == CategoryRole)
        return entry.category;
    if (role == Qt::ForegroundRole && index.column() == KindColumn) {
        if (entry.category == QLatin1String("studio"))
            return QBrush(QColor(0xdc, 0x26, 0x26));
        if (entry.kind == QLatin1String("LeaderElected") ||
            entry.kind == QLatin1String("QuorumReached"))
            return QBrush(QColor(0x16, 0xa3, 0x4a));
        return {};
    }
    if (role == Qt::ToolTipRole && index.column() == TextColumn)
        return entry.text;
    if (role != Qt::DisplayRole)
        return {};
    switch (Column(index.column())) {
    case TimeColumn:
        return QString::number(double(entry.atMs) / 1000.0, 'f', 3);
    case ServerColumn:
        return entry.sid == 0 ? QStringLiteral("studio") : QString::number(entry.sid);
    case KindColumn:
        return entry.kind;
    case TextColumn:
        return entry.text;
    case ColumnCount:
        break;
    }
    return {};
}

QVariant EventTimelineModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (Column(section)) {
    case TimeColumn:
        return QStringLiteral("Time (s)");
    case ServerColumn:
        return QStringLiteral("Server");
    case KindColumn:
        return QStringLiteral("Event");
    case TextColumn:
        return QStringLiteral("Details");
    case ColumnCount:
        break;
    }
    return {};
}

} // namespace zoolab
