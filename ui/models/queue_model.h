#pragma once
// QueueModel: sequential ephemeral znodes seen as the queues they form. Children of one parent
// whose names end in a 10-digit sequence number (a lock recipe's /locks/x/_c_<guid>-lock-
// 0000000001, a leader election's /election/n_0000000003, ...) are one queue, ordered by that
// number: the first holds the lock (or leads), every other waits for the one before it. Each
// row names the owner session and the server that session is attached to, so a recipe's
// state is visible, and when a session dies its znodes leave their queues.
//
// Fed from the session rows (SessionTableModel::rowsOf); resets only when something changed.
// Thread: GUI thread only.

#include "models/session_table_model.h"

#include <QAbstractTableModel>

#include <optional>
#include <vector>

namespace zoolab {

struct QueueEntry
{
    QString parent;   // "/locks/x"
    int position = 0; // 1 for the head
    QString name;     // "_c_...-lock-0000000001"
    std::int64_t sequence = 0;
    zk::SessionId session = 0;
    zk::Sid server = 0; // 0: its session is attached to no live server

    bool operator==(const QueueEntry&) const = default;
};

class QueueModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column
    {
        QueueColumn,
        PositionColumn,
        ZnodeColumn,
        SessionColumn,
        ServerColumn,
        StateColumn,
        ColumnCount
    };

    explicit QueueModel(QObject* parent = nullptr);

    void apply(const std::vector<SessionRow>& sessions);
    static std::vector<QueueEntry> entriesOf(const std::vector<SessionRow>& sessions);
    // The sequence number a sequential znode's name ends with, if it does.
    static std::optional<std::int64_t> sequenceOf(const QString& name);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    const std::vector<QueueEntry>& entries() const { return m_entries; }
    // The entries of one queue, head first.
    std::vector<QueueEntry> queue(const QString& parent) const;

private:
    std::vector<QueueEntry> m_entries;
};

} // namespace zoolab
