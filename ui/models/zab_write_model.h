#pragma once
// ZabWriteModel: ZAB's broadcast as a table, one row per write: the leader's PROPOSAL, each
// follower's ACK (with its delay), the moment a quorum had acked (the leader's own ack
// counts), and the COMMIT, with the zxid split into epoch:counter. Fed from the leader's
// PeerEvents Proposal, Ack and Commit; one Commit event covers every outstanding zxid up to
// its own.
//
// Sampling: under load a table (and the scene's animation, which follows sampled()) would
// flood the GUI, so a write gets a row only when sampleIntervalMs passed since the last row;
// the others are counted (unsampled()). At most rowsMax rows are kept, oldest dropped first.
//
// Thread: GUI thread only.

#include "bridge/peer_event_bridge.h"

#include <QAbstractTableModel>

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <vector>

namespace zoolab {

struct ZabWrite
{
    zk::Zxid zxid = 0;
    zk::Sid leader = 0;
    std::int64_t proposedMs = 0;
    std::map<zk::Sid, std::int64_t> acks; // follower -> when its ACK reached the leader
    std::optional<std::int64_t> quorumMs;
    std::optional<std::int64_t> committedMs;
};

class ZabWriteModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column
    {
        ZxidColumn,
        LeaderColumn,
        ProposedColumn,
        AcksColumn,
        QuorumColumn,
        CommitColumn,
        StateColumn,
        ColumnCount
    };

    explicit ZabWriteModel(QObject* parent = nullptr);

    void reset(const std::vector<zk::Sid>& sids);
    void applyEvents(const PeerEventBridge::Batch& batch);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    const ZabWrite* write(zk::Zxid zxid) const;
    const ZabWrite& row(int index) const { return m_rows.at(std::size_t(index)); }
    bool sampled(zk::Zxid zxid) const { return write(zxid) != nullptr; }
    std::size_t proposals() const { return m_proposals; } // every proposal seen
    std::size_t unsampled() const { return m_unsampled; }
    // "proposed", "acked 1 of 2 needed", "quorum acked", "committed".
    QString stateText(const ZabWrite& write) const;
    static QString zxidText(zk::Zxid zxid); // "epoch:counter"

    static constexpr std::int64_t sampleIntervalMs = 250;
    static constexpr std::size_t rowsMax = 200;

private:
    void propose(const StampedPeerEvent& stamped);
    void ack(const StampedPeerEvent& stamped);
    void commit(const StampedPeerEvent& stamped);
    bool hasQuorum(const ZabWrite& write) const;
    void changed(int index);

    std::vector<zk::Sid> m_sids;
    std::deque<ZabWrite> m_rows; // in zxid order (one leader proposes them in order)
    std::optional<std::int64_t> m_lastSampledMs;
    std::size_t m_proposals = 0;
    std::size_t m_unsampled = 0;
};

} // namespace zoolab
