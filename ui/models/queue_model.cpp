#include "models/queue_model.h"

#include <QBrush>
#include <QColor>
#include <QFont>

#include <algorithm>
#include <tuple>

namespace zoolab {

QueueModel::QueueModel(QObject* parent) : QAbstractTableModel(parent)
{}

std::optional<std::int64_t> QueueModel::sequenceOf(const QString& name)
{
    constexpr int digits = 10; // ZooKeeper's %010d
    if (name.size() < digits)
        return std::nullopt;
    const QString tail = name.right(digits);
    for (QChar c : tail) {
        if (!c.isDigit())
            return std::nullopt;
    }
    return tail.toLongLong();
}

std::vector<QueueEntry> QueueModel::entriesOf(const std::vector<SessionRow>& sessions)
{
    std::vector<QueueEntry> out;
    for (const SessionRow& row : sessions) {
        for (const std::string& path : row.ephemerals) {
            const QString full = QString::fromStdString(path);
            const qsizetype slash = full.lastIndexOf(QLatin1Char('/'));
            const QString name = full.mid(slash + 1);
            const auto sequence = sequenceOf(name);
            if (!sequence)
                continue;
            QueueEntry entry;
            entry.parent = slash <= 0 ? QStringLiteral("/") : full.left(slash);
            entry.name = name;
            entry.sequence = *sequence;
            entry.session = row.session;
            entry.server = row.server;
            out.push_back(std::move(entry));
        }
    }
    std::sort(out.begin(), out.end(), [](const QueueEntry& a, const QueueEntry& b) {
        return std::tie(a.parent, a.sequence, a.name) < std::tie(b.parent, b.sequence, b.name);
    });
    for (std::size_t i = 0; i < out.size(); ++i)
        out[i].position = i > 0 && out[i - 1].parent == out[i].parent ? out[i - 1].position + 1 : 1;
    return out;
}

void QueueModel::apply(const std::vector<SessionRow>& sessions)
{
    std::vector<QueueEntry> next = entriesOf(sessions);
    if (next == m_entries)
        return;
    beginResetModel();
    m_entries = std::move(next);
    endResetModel();
}

std::vector<QueueEntry> QueueModel::queue(const QString& parent) const
{
    std::vector<QueueEntry> out;
    for (const QueueEntry& entry : m_entries) {
        if (entry.parent == parent)
            out.push_back(entry);
    }
    return out;
}

int QueueModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}

int QueueModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant QueueModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const QueueEntry& entry = m_entries[std::size_t(index.row())];
    const bool head = entry.position == 1;
    if (role == Qt::FontRole && head) {
        QFont font;
        font.setBold(true);
        return font;
    }
    if (role == Qt::ForegroundRole && index.column() == StateColumn)
        return QBrush(head ? QColor(0x15, 0x80, 0x3d) : QColor(0xb4, 0x53, 0x09));
    if (role != Qt::DisplayRole)
        return {};
    switch (Column(index.column())) {
    case QueueColumn:
        return entry.position == 1 ? entry.parent : QString();
    case PositionColumn:
        return entry.position;
    case ZnodeColumn:
        return entry.name;
    case SessionColumn:
        return SessionTableModel::sessionText(entry.session);
    case ServerColumn:
        return entry.server == 0 ? QStringLiteral("none") : QString::number(entry.server);
    case StateColumn: {
        if (head)
            return QStringLiteral("holds it");
        return QStringLiteral("waits for #%1").arg(entry.position - 1);
    }
    case ColumnCount:
        break;
    }
    return {};
}

QVariant QueueModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (Column(section)) {
    case QueueColumn:
        return QStringLiteral("Queue");
    case PositionColumn:
        return QStringLiteral("#");
    case ZnodeColumn:
        return QStringLiteral("Znode");
    case SessionColumn:
        return QStringLiteral("Owner session");
    case ServerColumn:
        return QStringLiteral("Server");
    case StateColumn:
        return QStringLiteral("State");
    case ColumnCount:
        break;
    }
    return {};
}

} // namespace zoolab
