#include "models/session_table_model.h"

#include <algorithm>
#include <map>

namespace zoolab {

SessionTableModel::SessionTableModel(QObject* parent) : QAbstractTableModel(parent)
{}

std::vector<SessionRow> SessionTableModel::rowsOf(const std::vector<ServerSessions>& servers)
{
    std::map<zk::SessionId, SessionRow> rows;
    for (const ServerSessions& server : servers) {
        for (const zk::AttachedSession& attached : server.snapshot.attached) {
            SessionRow& row = rows[attached.session];
            row.session = attached.session;
            row.server = server.sid;
            row.remoteAddress = QString::fromStdString(attached.remoteAddress);
            row.timeoutMs = attached.timeoutMs;
        }
    }
    // Ephemerals from the server with the newest tree that knows the owner (any will do: the
    // trees agree once they caught up); the owner gets a row even without a connection.
    for (const ServerSessions& server : servers) {
        for (const auto& [owner, paths] : server.snapshot.ephemerals) {
            SessionRow& row = rows[owner];
            row.session = owner;
            if (paths.size() > row.ephemerals.size())
                row.ephemerals = paths;
        }
    }
    std::vector<SessionRow> out;
    for (auto& [session, row] : rows)
        out.push_back(std::move(row));
    return out;
}

void SessionTableModel::apply(const std::vector<ServerSessions>& servers)
{
    const std::vector<SessionRow> next = rowsOf(servers);
    // Both lists are sorted by session id: walk them together.
    std::size_t i = 0;
    std::size_t j = 0;
    while (i < m_rows.size() || j < next.size()) {
        if (j == next.size() || (i < m_rows.size() && m_rows[i].session < next[j].session)) {
            beginRemoveRows({}, int(i), int(i));
            m_rows.erase(m_rows.begin() + std::ptrdiff_t(i));
            endRemoveRows();
        } else if (i == m_rows.size() || next[j].session < m_rows[i].session) {
            beginInsertRows({}, int(i), int(i));
            m_rows.insert(m_rows.begin() + std::ptrdiff_t(i), next[j]);
            endInsertRows();
            ++i;
            ++j;
        } else {
            if (!(m_rows[i] == next[j])) {
                m_rows[i] = next[j];
                emit dataChanged(index(int(i), 0), index(int(i), ColumnCount - 1));
            }
            ++i;
            ++j;
        }
    }
}

void SessionTableModel::clear()
{
    beginResetModel();
    m_rows.clear();
    endResetModel();
}

const SessionRow* SessionTableModel::find(zk::SessionId session) const
{
    for (const SessionRow& row : m_rows) {
        if (row.session == session)
            return &row;
    }
    return nullptr;
}

QString SessionTableModel::sessionText(zk::SessionId session)
{
    return QStringLiteral("0x") + QString::number(quint64(session), 16);
}

int SessionTableModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int SessionTableModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant SessionTableModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const SessionRow& row = m_rows[std::size_t(index.row())];
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    switch (Column(index.column())) {
    case SessionColumn:
        return sessionText(row.session);
    case ServerColumn:
        return row.server == 0 ? QStringLiteral("none") : QString::number(row.server);
    case ClientColumn:
        return row.remoteAddress;
    case TimeoutColumn:
        return row.timeoutMs > 0 ? QStringLiteral("%1 ms").arg(row.timeoutMs) : QString();
    case EphemeralsColumn: {
        QStringList paths;
        for (const std::string& path : row.ephemerals)
            paths << QString::fromStdString(path);
        return paths.join(role == Qt::ToolTipRole ? QStringLiteral("\n") : QStringLiteral(", "));
    }
    case ColumnCount:
        break;
    }
    return {};
}

QVariant SessionTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (Column(section)) {
    case SessionColumn:
        return QStringLiteral("Session");
    case ServerColumn:
        return QStringLiteral("Server");
    case ClientColumn:
        return QStringLiteral("Client");
    case TimeoutColumn:
        return QStringLiteral("Timeout");
    case EphemeralsColumn:
        return QStringLiteral("Ephemerals");
    case ColumnCount:
        break;
    }
    return {};
}

} // namespace zoolab
