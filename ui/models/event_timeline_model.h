#pragma once
// EventTimelineModel: what happened in the embedded ensemble, oldest first: every PeerEvent
// the bridge delivered (elections, state and phase changes, epochs, syncs, sessions, sampled
// proposals, acks and commits) and the studio's own actions (kill, restart, cut, ...). At most
// rowsMax rows are kept; older rows leave in one removal when the bound is passed.
//
// exportJsonLines() writes every kept row as one JSON object per line:
//   {"t_ms":1234,"sid":2,"kind":"VoteSent","category":"election","text":"to=1 LOOKING ..."}
// with t_ms on the bridge's clock (milliseconds since the studio started observing).
//
// Thread: GUI thread only.

#include "bridge/peer_event_bridge.h"

#include <QAbstractTableModel>

#include <deque>

namespace zoolab {

struct TimelineEntry
{
    std::int64_t atMs = 0;
    zk::Sid sid = 0;  // 0: the studio itself
    QString kind;     // "VoteSent", "StateChanged", "Studio", ...
    QString category; // "election", "zab", "session", "traffic" or "studio"
    QString text;
};

class EventTimelineModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column
    {
        TimeColumn,
        ServerColumn,
        KindColumn,
        TextColumn,
        ColumnCount
    };
    enum Role
    {
        CategoryRole = Qt::UserRole + 1,
    };

    explicit EventTimelineModel(QObject* parent = nullptr);

    void clear();
    void appendEvents(const PeerEventBridge::Batch& batch);
    void appendStudio(std::int64_t atMs, zk::Sid sid, const QString& text);
    // Replaces every row (a timeline opened for replay; not bounded by rowsMax).
    void setEntries(const std::vector<TimelineEntry>& entries);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    const TimelineEntry& entry(int row) const { return m_rows[std::size_t(row)]; }
    // Rows whose kind is `kind` (tests, the view's summaries).
    int count(const QString& kind) const;
    bool exportJsonLines(const QString& path, QString* error) const;
    static QString jsonLine(const TimelineEntry& entry);
    static TimelineEntry entryOf(const StampedPeerEvent& stamped);

    static constexpr int rowsMax = 5000;

private:
    void append(std::vector<TimelineEntry> entries);

    std::deque<TimelineEntry> m_rows;
};

} // namespace zoolab
