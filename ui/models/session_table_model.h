#pragma once
// SessionTableModel: the embedded ensemble's client sessions, one row each: the session id,
// the server it is attached to (the one that holds its connection), its client's address,
// its timeout and its ephemerals. A session that owns ephemerals but has no connection on any
// live server (its server died; it waits to expire or to move) shows "none" as its server.
// When a session dies its row goes, and with it its ephemerals.
//
// Fed from ClusterController's polls: apply() takes what every live server's
// Ensemble::sessionsSnapshot said and updates the rows incrementally (rows removed, inserted,
// changed). Thread: GUI thread only.

#include "bridge/engine_ensemble.h"

#include <QAbstractTableModel>

#include <vector>

namespace zoolab {

struct ServerSessions
{
    zk::Sid sid = 0;
    zk::SessionsSnapshot snapshot;
};

struct SessionRow
{
    zk::SessionId session = 0;
    zk::Sid server = 0; // 0: attached to no live server
    QString remoteAddress;
    std::int32_t timeoutMs = 0;
    std::vector<std::string> ephemerals;

    bool operator==(const SessionRow&) const = default;
};

class SessionTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column
    {
        SessionColumn,
        ServerColumn,
        ClientColumn,
        TimeoutColumn,
        EphemeralsColumn,
        ColumnCount
    };

    explicit SessionTableModel(QObject* parent = nullptr);

    void apply(const std::vector<ServerSessions>& servers);
    void clear();
    // The rows apply() would make (sorted by session id).
    static std::vector<SessionRow> rowsOf(const std::vector<ServerSessions>& servers);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    const std::vector<SessionRow>& rows() const { return m_rows; }
    const SessionRow* find(zk::SessionId session) const;
    static QString sessionText(zk::SessionId session); // "0x1a2b..."

private:
    std::vector<SessionRow> m_rows;
};

} // namespace zoolab
