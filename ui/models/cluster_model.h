#pragma once
// ClusterModel: the servers of the embedded ensemble, one row each, as the studio knows them:
// the last polled QuorumStatus (role, epochs, zxids, sessions, clients, ports) plus what the
// event stream said since the poll (state changes, the current vote and why it changed, the
// quorum moment of the last election, how the server last synced with its leader).
//
// Updates are incremental: applyPolls() and applyEvents() emit dataChanged for the rows that
// changed, once per call. reset() starts over for a new ensemble.
//
// Thread: GUI thread only (ClusterController feeds it).

#include "bridge/engine_ensemble.h"
#include "bridge/peer_event_bridge.h"

#include <QAbstractTableModel>
#include <QColor>

#include <optional>
#include <vector>

namespace zoolab {

enum class NodeRole
{
    Down,
    Paused,
    Looking,
    Following,
    Leading,
    Observing
};

// What one poll of one server found (taken on the controller's worker thread).
struct NodePoll
{
    zk::Sid sid = 0;
    bool running = false;
    bool paused = false;
    std::uint16_t clientPort = 0;
    std::optional<zk::QuorumStatus> status; // none while down
};

struct ClusterNode
{
    zk::Sid sid = 0;
    bool running = false;
    bool paused = false;
    std::uint16_t clientPort = 0;
    std::optional<zk::QuorumStatus> status;
    std::optional<zk::Vote> vote; // the current proposal (looking) or the last elected vote
    QString voteRule;             // why the vote last changed ("higher zxid", ...)
    QString syncMode;             // DIFF, TRUNC or SNAP: how it last synced with a leader
    zk::Sid syncLeader = 0;       // the leader of that sync
    std::int64_t quorumAtMs = -1; // when its last election reached a quorum (bridge clock)
    QString electionText;         // "LEADING by 1,2", "quorum for 2: 1,2,3", ...
};

class ClusterModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column
    {
        SidColumn,
        RoleColumn,
        EpochColumn,
        ZxidColumn,
        ClientsColumn,
        SessionsColumn,
        ZnodesColumn,
        PortColumn,
        VoteColumn,
        SyncColumn,
        ElectionColumn,
        ColumnCount
    };
    enum Role
    {
        SidRole = Qt::UserRole + 1,
        NodeRoleRole, // int(NodeRole)
    };

    explicit ClusterModel(QObject* parent = nullptr);

    void reset(const std::vector<zk::Sid>& sids);
    void applyPolls(const std::vector<NodePoll>& polls);
    void applyEvents(const PeerEventBridge::Batch& batch);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    const std::vector<ClusterNode>& nodes() const { return m_nodes; }
    const ClusterNode* node(zk::Sid sid) const;
    int rowOf(zk::Sid sid) const;
    NodeRole role(zk::Sid sid) const;
    // The sid in LEADING state per the last poll or event, if exactly one claims it.
    std::optional<zk::Sid> leader() const;
    int aliveCount() const; // running and not paused
    int size() const { return int(m_nodes.size()); }

    static NodeRole roleOf(const ClusterNode& node);
    static QString roleName(NodeRole role); // "LEADING", ..., "DOWN", "PAUSED"
    static QColor roleColor(NodeRole role);
    // "3:12": epoch and counter of a zxid, in decimal.
    static QString zxidText(zk::Zxid zxid);
    // "(2, 3:12, 3)": leader, zxid, peer epoch, as a vote travels.
    static QString voteText(zk::Sid leader, zk::Zxid zxid, zk::Epoch peerEpoch);

private:
    ClusterNode* find(zk::Sid sid);
    bool applyElection(ClusterNode& node, const StampedPeerEvent& stamped);
    void emitRowChanged(int row);

    std::vector<ClusterNode> m_nodes;
};

} // namespace zoolab
