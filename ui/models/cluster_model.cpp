#include "models/cluster_model.h"

#include <QBrush>
#include <QFont>

#include <set>

namespace zoolab {

ClusterModel::ClusterModel(QObject* parent) : QAbstractTableModel(parent)
{}

void ClusterModel::reset(const std::vector<zk::Sid>& sids)
{
    beginResetModel();
    m_nodes.clear();
    for (zk::Sid sid : sids) {
        ClusterNode node;
        node.sid = sid;
        m_nodes.push_back(node);
    }
    endResetModel();
}

ClusterNode* ClusterModel::find(zk::Sid sid)
{
    for (auto& node : m_nodes) {
        if (node.sid == sid)
            return &node;
    }
    return nullptr;
}

const ClusterNode* ClusterModel::node(zk::Sid sid) const
{
    for (const auto& node : m_nodes) {
        if (node.sid == sid)
            return &node;
    }
    return nullptr;
}

int ClusterModel::rowOf(zk::Sid sid) const
{
    for (std::size_t i = 0; i < m_nodes.size(); ++i) {
        if (m_nodes[i].sid == sid)
            return int(i);
    }
    return -1;
}

void ClusterModel::emitRowChanged(int row)
{
    emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

void ClusterModel::applyPolls(const std::vector<NodePoll>& polls)
{
    for (const NodePoll& poll : polls) {
        const int row = rowOf(poll.sid);
        if (row < 0)
            continue;
        ClusterNode& node = m_nodes[std::size_t(row)];
        node.running = poll.running;
        node.paused = poll.paused;
        if (poll.clientPort != 0)
            node.clientPort = poll.clientPort;
        node.status = poll.status;
        if (!poll.running) {
            // A server that is down has no vote; when it comes back it starts afresh (its
            // LookingStarted event may arrive before the poll that sees it running).
            node.vote.reset();
            node.voteRule.clear();
            node.syncMode.clear();
            node.syncLeader = 0;
            node.electionText.clear();
            node.quorumAtMs = -1;
        }
        emitRowChanged(row);
    }
}

bool ClusterModel::applyElection(ClusterNode& node, const StampedPeerEvent& stamped)
{
    const zk::ElectionEvent& election = *stamped.event.election;
    if (const auto* started = std::get_if<zk::LookingStarted>(&election)) {
        node.vote = started->vote;
        node.voteRule = QStringLiteral("own vote");
        node.electionText = QStringLiteral("looking, round %1").arg(started->round);
        return true;
    }
    if (const auto* changed = std::get_if<zk::VoteChanged>(&election)) {
        node.vote = changed->to;
        node.voteRule = QString::fromUtf8(zk::toString(changed->rule).data(),
                                          qsizetype(zk::toString(changed->rule).size()));
        return true;
    }
    if (const auto* quorum = std::get_if<zk::QuorumReached>(&election)) {
        node.quorumAtMs = stamped.atMs;
        node.electionText = QStringLiteral("quorum for %1: %2")
                                .arg(quorum->vote.id)
                                .arg(QString::fromStdString(zk::joinSids(quorum->voters)));
        return true;
    }
    if (const auto* elected = std::get_if<zk::LeaderElected>(&election)) {
        // A late joiner follows a sitting leader without ever changing its proposal.
        if (elected->outOfElection && (!node.vote || node.vote->id != elected->vote.id))
            node.voteRule = QStringLiteral("joined the sitting leader");
        node.vote = elected->vote;
        const auto state = zk::toString(elected->state);
        node.electionText = QStringLiteral("%1 by %2")
                                .arg(QString::fromUtf8(state.data(), qsizetype(state.size())),
                                     QString::fromStdString(zk::joinSids(elected->voters)));
        if (elected->outOfElection)
            node.electionText += QStringLiteral(" (joined)");
        return true;
    }
    return false;
}

void ClusterModel::applyEvents(const PeerEventBridge::Batch& batch)
{
    std::set<int> changed;
    for (const StampedPeerEvent& stamped : batch) {
        const zk::PeerEvent& event = stamped.event;
        ClusterNode* node = find(event.sid);
        if (!node)
            continue;
        bool touched = false;
        switch (event.kind) {
        case zk::PeerEvent::Kind::Election:
            touched = event.election && applyElection(*node, stamped);
            break;
        case zk::PeerEvent::Kind::StateChanged:
            if (!node->status)
                node->status = zk::QuorumStatus{};
            node->status->state = event.state;
            node->status->serving = false; // the next poll says when it serves again
            node->syncMode.clear();        // a new role syncs afresh (if it follows)
            node->syncLeader = 0;
            if (event.state == zk::ServerState::Leading)
                node->status->leader = event.sid;
            else if (event.state == zk::ServerState::Following)
                node->status->leader = event.peer;
            node->running = true;
            touched = true;
            break;
        case zk::PeerEvent::Kind::PhaseChanged:
            if (node->status)
                node->status->phase = event.phase;
            touched = node->status.has_value();
            break;
        case zk::PeerEvent::Kind::Sync: {
            // Both ends report it: the learner (peer = its leader) and the leader (peer = the
            // learner). Either way the learner's row shows the mode.
            const bool fromLeader = node->status && node->status->state == zk::ServerState::Leading;
            ClusterNode* learner = fromLeader ? find(event.peer) : node;
            if (learner) {
                learner->syncMode = QString::fromStdString(event.text);
                learner->syncLeader = fromLeader ? event.sid : event.peer;
                changed.insert(rowOf(learner->sid));
            }
            break;
        }
        default:
            break;
        }
        if (touched)
            changed.insert(rowOf(node->sid));
    }
    for (int row : changed)
        emitRowChanged(row);
}

NodeRole ClusterModel::roleOf(const ClusterNode& node)
{
    if (!node.running)
        return NodeRole::Down;
    if (node.paused)
        return NodeRole::Paused;
    if (!node.status)
        return NodeRole::Looking;
    switch (node.status->state) {
    case zk::ServerState::Leading:
        return NodeRole::Leading;
    case zk::ServerState::Following:
        return NodeRole::Following;
    case zk::ServerState::Observing:
        return NodeRole::Observing;
    case zk::ServerState::Looking:
        break;
    }
    return NodeRole::Looking;
}

NodeRole ClusterModel::role(zk::Sid sid) const
{
    const ClusterNode* found = node(sid);
    return found ? roleOf(*found) : NodeRole::Down;
}

std::optional<zk::Sid> ClusterModel::leader() const
{
    std::optional<zk::Sid> out;
    for (const auto& node : m_nodes) {
        if (roleOf(node) != NodeRole::Leading)
            continue;
        if (out)
            return std::nullopt;
        out = node.sid;
    }
    return out;
}

int ClusterModel::aliveCount() const
{
    int alive = 0;
    for (const auto& node : m_nodes)
        alive += node.running && !node.paused ? 1 : 0;
    return alive;
}

QString ClusterModel::roleName(NodeRole role)
{
    switch (role) {
    case NodeRole::Down:
        return QStringLiteral("DOWN");
    case NodeRole::Paused:
        return QStringLiteral("PAUSED");
    case NodeRole::Looking:
        return QStringLiteral("LOOKING");
    case NodeRole::Following:
        return QStringLiteral("FOLLOWING");
    case NodeRole::Leading:
        return QStringLiteral("LEADING");
    case NodeRole::Observing:
        return QStringLiteral("OBSERVING");
    }
    return {};
}

QColor ClusterModel::roleColor(NodeRole role)
{
    switch (role) {
    case NodeRole::Down:
        return QColor(0x6b, 0x72, 0x80);
    case NodeRole::Paused:
        return QColor(0x7c, 0x3a, 0xed);
    case NodeRole::Looking:
        return QColor(0xd9, 0x77, 0x06);
    case NodeRole::Following:
        return QColor(0x25, 0x63, 0xeb);
    case NodeRole::Leading:
        return QColor(0x16, 0xa3, 0x4a);
    case NodeRole::Observing:
        return QColor(0x0d, 0x94, 0x88);
    }
    return {};
}

QString ClusterModel::zxidText(zk::Zxid zxid)
{
    return QStringLiteral("%1:%2").arg(zk::zxidEpoch(zxid)).arg(zk::zxidCounter(zxid));
}

QString ClusterModel::voteText(zk::Sid leader, zk::Zxid zxid, zk::Epoch peerEpoch)
{
    return QStringLiteral("(%1, %2, %3)").arg(leader).arg(zxidText(zxid)).arg(peerEpoch);
}

int ClusterModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_nodes.size());
}

int ClusterModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ClusterModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ClusterNode& node = m_nodes[std::size_t(index.row())];
    const NodeRole nodeRole = roleOf(node);
    if (role == SidRole)
        return QVariant::fromValue<qlonglong>(node.sid);
    if (role == NodeRoleRole)
        return int(nodeRole);
    if (role == Qt::ForegroundRole && index.column() == RoleColumn)
        return QBrush(roleColor(nodeRole));
    if (role == Qt::FontRole && index.column() == RoleColumn) {
        QFont font;
        font.setBold(true);
        return font;
    }
    if (role == Qt::ToolTipRole && index.column() == ZxidColumn && node.status)
        return QStringLiteral("last processed 0x%1, last logged 0x%2")
            .arg(node.status->lastZxid, 0, 16)
            .arg(node.status->lastLoggedZxid, 0, 16);
    if (role != Qt::DisplayRole)
        return {};
    const auto* status = node.status ? &*node.status : nullptr;
    const bool up = node.running && status;
    switch (Column(index.column())) {
    case SidColumn:
        return QVariant::fromValue<qlonglong>(node.sid);
    case RoleColumn:
        return roleName(nodeRole);
    case EpochColumn:
        return up ? QVariant::fromValue<qlonglong>(status->currentEpoch) : QVariant();
    case ZxidColumn:
        return up ? zxidText(status->lastZxid) : QString();
    case ClientsColumn:
        return up ? QVariant::fromValue<qulonglong>(status->clientConnections) : QVariant();
    case SessionsColumn:
        return up ? QVariant::fromValue<qulonglong>(status->sessions) : QVariant();
    case ZnodesColumn:
        return up ? QVariant::fromValue<qulonglong>(status->znodes) : QVariant();
    case PortColumn:
        return node.clientPort != 0 ? QVariant(int(node.clientPort)) : QVariant();
    case VoteColumn:
        return node.vote ? voteText(node.vote->id, node.vote->zxid, node.vote->peerEpoch)
                         : QString();
    case SyncColumn:
        return node.syncMode.isEmpty()
                   ? QString()
                   : QStringLiteral("%1 from %2").arg(node.syncMode).arg(node.syncLeader);
    case ElectionColumn:
        return node.electionText;
    case ColumnCount:
        break;
    }
    return {};
}

QVariant ClusterModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (Column(section)) {
    case SidColumn:
        return QStringLiteral("Server");
    case RoleColumn:
        return QStringLiteral("Role");
    case EpochColumn:
        return QStringLiteral("Epoch");
    case ZxidColumn:
        return QStringLiteral("Last zxid");
    case ClientsColumn:
        return QStringLiteral("Clients");
    case SessionsColumn:
        return QStringLiteral("Sessions");
    case ZnodesColumn:
        return QStringLiteral("Znodes");
    case PortColumn:
        return QStringLiteral("Client port");
    case VoteColumn:
        return QStringLiteral("Vote");
    case SyncColumn:
        return QStringLiteral("Synced by");
    case ElectionColumn:
        return QStringLiteral("Election");
    case ColumnCount:
        break;
    }
    return {};
}

} // namespace zoolab
