#include "models/zab_write_model.h"

#include <QColor>
#include <QStringList>

#include <algorithm>

namespace zoolab {

ZabWriteModel::ZabWriteModel(QObject* parent) : QAbstractTableModel(parent)
{}

void ZabWriteModel::reset(const std::vector<zk::Sid>& sids)
{
    beginResetModel();
    m_sids = sids;
    m_rows.clear();
    m_lastSampledMs.reset();
    m_proposals = 0;
    m_unsampled = 0;
    endResetModel();
}

QString ZabWriteModel::zxidText(zk::Zxid zxid)
{
    return QStringLiteral("%1:%2").arg(zk::zxidEpoch(zxid)).arg(zk::zxidCounter(zxid));
}

void ZabWriteModel::applyEvents(const PeerEventBridge::Batch& batch)
{
    for (const StampedPeerEvent& stamped : batch) {
        switch (stamped.event.kind) {
        case zk::PeerEvent::Kind::Proposal:
            propose(stamped);
            break;
        case zk::PeerEvent::Kind::Ack:
            ack(stamped);
            break;
        case zk::PeerEvent::Kind::Commit:
            commit(stamped);
            break;
        default:
            break;
        }
    }
}

void ZabWriteModel::propose(const StampedPeerEvent& stamped)
{
    ++m_proposals;
    if (m_lastSampledMs && stamped.atMs - *m_lastSampledMs < sampleIntervalMs) {
        ++m_unsampled;
        return;
    }
    m_lastSampledMs = stamped.atMs;
    if (m_rows.size() >= rowsMax) {
        beginRemoveRows({}, 0, 0);
        m_rows.pop_front();
        endRemoveRows();
    }
    const int at = int(m_rows.size());
    beginInsertRows({}, at, at);
    m_rows.push_back({stamped.event.zxid, stamped.event.sid, stamped.atMs, {}, {}, {}});
    endInsertRows();
}

void ZabWriteModel::ack(const StampedPeerEvent& stamped)
{
    for (std::size_t i = 0; i < m_rows.size(); ++i) {
        ZabWrite& write = m_rows[i];
        if (write.zxid != stamped.event.zxid || write.leader != stamped.event.sid)
            continue;
        write.acks.emplace(stamped.event.peer, stamped.atMs);
        if (!write.quorumMs && hasQuorum(write))
            write.quorumMs = stamped.atMs;
        changed(int(i));
        return;
    }
}

void ZabWriteModel::commit(const StampedPeerEvent& stamped)
{
    for (std::size_t i = 0; i < m_rows.size(); ++i) {
        ZabWrite& write = m_rows[i];
        if (write.committedMs || write.leader != stamped.event.sid ||
            write.zxid > stamped.event.zxid ||
            zk::zxidEpoch(write.zxid) != zk::zxidEpoch(stamped.event.zxid))
            continue;
        write.committedMs = stamped.atMs;
        // A commit means a quorum acked, whether or not every ack was reported (acks are
        // sampled under load by the leader itself).
        if (!write.quorumMs)
            write.quorumMs = stamped.atMs;
        changed(int(i));
    }
}

bool ZabWriteModel::hasQuorum(const ZabWrite& write) const
{
    // The leader acks its own proposals once they are logged; count it with the followers.
    const std::size_t acked = 1 + write.acks.size();
    return acked * 2 > m_sids.size();
}

void ZabWriteModel::changed(int index)
{
    emit dataChanged(this->index(index, 0), this->index(index, ColumnCount - 1));
}

const ZabWrite* ZabWriteModel::write(zk::Zxid zxid) const
{
    for (const ZabWrite& write : m_rows) {
        if (write.zxid == zxid)
            return &write;
    }
    return nullptr;
}

QString ZabWriteModel::stateText(const ZabWrite& write) const
{
    if (write.committedMs)
        return QStringLiteral("committed");
    if (write.quorumMs)
        return QStringLiteral("quorum acked");
    if (!write.acks.empty())
        return QStringLiteral("acked by %1").arg(write.acks.size());
    return QStringLiteral("proposed");
}

int ZabWriteModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ZabWriteModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ZabWriteModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= int(m_rows.size()))
        return {};
    const ZabWrite& write = m_rows[std::size_t(index.row())];
    const auto after = [&write](std::int64_t atMs) {
        return QStringLiteral("+%1 ms").arg(atMs - write.proposedMs);
    };
    if (role == Qt::ForegroundRole && index.column() == StateColumn)
        return write.committedMs ? QColor(0x15, 0x80, 0x3d) : QColor(0xb4, 0x53, 0x09);
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case ZxidColumn:
        return zxidText(write.zxid);
    case LeaderColumn:
        return QString::number(write.leader);
    case ProposedColumn:
        return QStringLiteral("%1 s").arg(double(write.proposedMs) / 1000.0, 0, 'f', 2);
    case AcksColumn: {
        QStringList acks;
        for (const auto& [sid, atMs] : write.acks)
            acks << QStringLiteral("%1 (%2)").arg(sid).arg(after(atMs));
        return acks.join(QStringLiteral(", "));
    }
    case QuorumColumn:
        return write.quorumMs ? after(*write.quorumMs) : QString();
    case CommitColumn:
        return write.committedMs ? after(*write.committedMs) : QString();
    case StateColumn:
        return stateText(write);
    default:
        return {};
    }
}

QVariant ZabWriteModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case ZxidColumn:
        return QStringLiteral("zxid");
    case LeaderColumn:
        return QStringLiteral("leader");
    case ProposedColumn:
        return QStringLiteral("proposed at");
    case AcksColumn:
        return QStringLiteral("acks");
    case QuorumColumn:
        return QStringLiteral("quorum");
    case CommitColumn:
        return QStringLiteral("commit");
    case StateColumn:
        return QStringLiteral("state");
    default:
        return {};
    }
}

} // namespace zoolab
