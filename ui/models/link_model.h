#pragma once
// LinkModel: the links between the servers of the embedded ensemble, one row per pair (a < b),
// with their state as the studio set it: up, cut (both directions, Ensemble::cut) or down (an
// end is down or paused), and the delay that slow motion puts on every message of a link.
// components() groups the live servers by the links that are up, which is how the banner and
// the charts see a partition.
//
// Thread: GUI thread only (ClusterController keeps it in step with what it asked the ensemble).

#include "core/ids.h"

#include <QAbstractTableModel>

#include <map>
#include <set>
#include <utility>
#include <vector>

namespace zoolab {

enum class LinkState
{
    Up,
    Cut,
    Down
};

class LinkModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column
    {
        LinkColumn,
        StateColumn,
        DelayColumn,
        ColumnCount
    };
    enum Role
    {
        FirstSidRole = Qt::UserRole + 1,
        SecondSidRole,
        StateRole, // int(LinkState)
    };

    explicit LinkModel(QObject* parent = nullptr);

    void reset(const std::vector<zk::Sid>& sids);
    void setCut(zk::Sid a, zk::Sid b, bool cut);
    void setAlive(const std::set<zk::Sid>& alive); // running and not paused
    void setDelayMs(int delayMs);                  // on every link

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    LinkState state(zk::Sid a, zk::Sid b) const;
    bool isCut(zk::Sid a, zk::Sid b) const;
    bool hasCut() const;
    std::vector<std::pair<zk::Sid, zk::Sid>> links() const { return m_links; }
    std::vector<std::pair<zk::Sid, zk::Sid>> cutLinks() const;
    int delayMs() const { return m_delayMs; }
    // Live servers grouped by links that are not cut: each group sorted, larger groups first.
    std::vector<std::vector<zk::Sid>> components() const;
    // "2 3 | 1" when the live servers form more than one group, else empty.
    QString partitionText() const;
    int rowOf(zk::Sid a, zk::Sid b) const;

private:
    std::vector<zk::Sid> m_sids;
    std::vector<std::pair<zk::Sid, zk::Sid>> m_links;
    std::set<std::pair<zk::Sid, zk::Sid>> m_cut;
    std::set<zk::Sid> m_alive;
    int m_delayMs = 0;
};

} // namespace zoolab
