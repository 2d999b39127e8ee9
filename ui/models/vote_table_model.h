#pragma once
// VoteTableModel: FastLeaderElection as a table, voter x proposed leader. Row v, column "for c"
// is marked "● <zxid>" when server v currently proposes c (the whole vote, round and the votes
// v has seen for c are in the tooltip); the last columns give the rule of v's last change
// ("higher zxid", "same zxid, higher sid", "higher epoch", "own vote", "joined the sitting
// leader"), who made it change, and the outcome (the quorum moment, then the role it took).
// Every change is kept (boundedly) for the tooltip and for tests.
//
// Fed from the real event stream: LookingStarted, VoteChanged, QuorumReached, LeaderElected;
// VoteReceived updates what each voter has seen (the tally in the tooltip). A voter that goes
// down (markDown) loses its proposal.
//
// Thread: GUI thread only.

#include "bridge/peer_event_bridge.h"

#include <QAbstractTableModel>

#include <map>
#include <optional>
#include <vector>

namespace zoolab {

struct VoteChange
{
    std::int64_t atMs = 0;
    zk::Sid from = 0; // the leader proposed before (0: none)
    zk::Sid to = 0;
    QString rule;   // "own vote", "higher zxid", ...
    zk::Sid by = 0; // whose notification made it change (0: a new round)
};

class VoteTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Role
    {
        ProposedRole = Qt::UserRole + 1, // bool: this voter proposes this column's candidate
    };

    explicit VoteTableModel(QObject* parent = nullptr);

    void reset(const std::vector<zk::Sid>& sids);
    void applyEvents(const PeerEventBridge::Batch& batch);
    void markDown(zk::Sid voter);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    // Columns: 0 voter, 1..n candidates in sid order, then these.
    int ruleColumn() const { return int(m_sids.size()) + 1; }
    int outcomeColumn() const { return int(m_sids.size()) + 2; }
    int candidateColumn(zk::Sid candidate) const; // -1 when unknown
    int rowOf(zk::Sid voter) const;

    std::optional<zk::Sid> proposal(zk::Sid voter) const;
    QString lastRule(zk::Sid voter) const;
    QString outcome(zk::Sid voter) const;
    std::vector<VoteChange> changes(zk::Sid voter) const;

    static constexpr std::size_t changesMax = 64; // per voter

private:
    struct Voter
    {
        std::optional<zk::Vote> vote;
        std::vector<VoteChange> changes;
        std::map<zk::Sid, zk::Sid> seen; // sender -> the leader it proposed, this round
        QString outcome;
    };

    bool apply(zk::Sid voter, Voter& state, const StampedPeerEvent& stamped);
    void record(Voter& state, VoteChange change);

    std::vector<zk::Sid> m_sids;
    std::map<zk::Sid, Voter> m_voters;
};

} // namespace zoolab
