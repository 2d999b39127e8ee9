#include "models/vote_table_model.h"

#include "models/cluster_model.h"

#include <QBrush>
#include <QFont>

#include <set>

namespace zoolab {

namespace {

QString ruleText(zk::VoteRule rule)
{
    const auto text = zk::toString(rule);
    return QString::fromUtf8(text.data(), qsizetype(text.size()));
}

} // namespace

VoteTableModel::VoteTableModel(QObject* parent) : QAbstractTableModel(parent)
{}

void VoteTableModel::reset(const std::vector<zk::Sid>& sids)
{
    beginResetModel();
    m_sids = sids;
    m_voters.clear();
    for (zk::Sid sid : sids)
        m_voters[sid] = Voter{};
    endResetModel();
}

int VoteTableModel::rowOf(zk::Sid voter) const
{
    for (std::size_t i = 0; i < m_sids.size(); ++i) {
        if (m_sids[i] == voter)
            return int(i);
    }
    return -1;
}

int VoteTableModel::candidateColumn(zk::Sid candidate) const
{
    const int row = rowOf(candidate);
    return row < 0 ? -1 : row + 1;
}

void VoteTableModel::record(Voter& state, VoteChange change)
{
    state.changes.push_back(std::move(change));
    if (state.changes.size() > changesMax)
        state.changes.erase(state.changes.begin());
}

bool VoteTableModel::apply(zk::Sid voter, Voter& state, const StampedPeerEvent& stamped)
{
    const zk::ElectionEvent& election = *stamped.event.election;
    const zk::Sid before = state.vote ? state.vote->id : 0;
    if (const auto* started = std::get_if<zk::LookingStarted>(&election)) {
        state.vote = started->vote;
        state.seen.clear();
        state.seen[voter] = started->vote.id;
        state.outcome = QStringLiteral("looking, round %1").arg(started->round);
        record(state, {stamped.atMs, before, started->vote.id, QStringLiteral("own vote"), 0});
        return true;
    }
    if (const auto* round = std::get_if<zk::RoundChanged>(&election)) {
        state.seen.clear();
        state.outcome = QStringLiteral("looking, round %1").arg(round->to);
        return true;
    }
    if (const auto* changed = std::get_if<zk::VoteChanged>(&election)) {
        state.vote = changed->to;
        state.seen[voter] = changed->to.id;
        record(state, {stamped.atMs, changed->from.id, changed->to.id, ruleText(changed->rule),
                       changed->by});
        return true;
    }
    if (const auto* received = std::get_if<zk::VoteReceived>(&election)) {
        state.seen[received->from] = received->notification.leader;
        return false; // only the tooltip shows it
    }
    if (const auto* quorum = std::get_if<zk::QuorumReached>(&election)) {
        state.outcome = QStringLiteral("quorum for %1: %2")
                            .arg(quorum->vote.id)
                            .arg(QString::fromStdString(zk::joinSids(quorum->voters)));
        return true;
    }
    if (const auto* elected = std::get_if<zk::LeaderElected>(&election)) {
        if (elected->outOfElection && before != elected->vote.id)
            record(state, {stamped.atMs, before, elected->vote.id,
                           QStringLiteral("joined the sitting leader"), 0});
        state.vote = elected->vote;
        const auto name = zk::toString(elected->state);
        const QString role = QString::fromUtf8(name.data(), qsizetype(name.size()));
        const QString voters = QString::fromStdString(zk::joinSids(elected->voters));
        state.outcome =
            elected->state == zk::ServerState::Leading
                ? QStringLiteral("LEADING · quorum %1").arg(voters)
                : QStringLiteral("%1 %2 · quorum %3").arg(role).arg(elected->vote.id).arg(voters);
        return true;
    }
    return false;
}

void VoteTableModel::applyEvents(const PeerEventBridge::Batch& batch)
{
    std::set<int> changed;
    for (const StampedPeerEvent& stamped : batch) {
        if (stamped.event.kind != zk::PeerEvent::Kind::Election || !stamped.event.election)
            continue;
        auto it = m_voters.find(stamped.event.sid);
        if (it == m_voters.end())
            continue;
        if (apply(stamped.event.sid, it->second, stamped))
            changed.insert(rowOf(stamped.event.sid));
    }
    for (int row : changed)
        emit dataChanged(index(row, 0), index(row, columnCount() - 1));
}

void VoteTableModel::markDown(zk::Sid voter)
{
    auto it = m_voters.find(voter);
    if (it == m_voters.end() || (!it->second.vote && it->second.outcome == QStringLiteral("down")))
        return;
    it->second.vote.reset();
    it->second.seen.clear();
    it->second.outcome = QStringLiteral("down");
    const int row = rowOf(voter);
    emit dataChanged(index(row, 0), index(row, columnCount() - 1));
}

std::optional<zk::Sid> VoteTableModel::proposal(zk::Sid voter) const
{
    auto it = m_voters.find(voter);
    if (it == m_voters.end() || !it->second.vote)
        return std::nullopt;
    return it->second.vote->id;
}

QString VoteTableModel::lastRule(zk::Sid voter) const
{
    auto it = m_voters.find(voter);
    if (it == m_voters.end() || it->second.changes.empty())
        return {};
    return it->second.changes.back().rule;
}

QString VoteTableModel::outcome(zk::Sid voter) const
{
    auto it = m_voters.find(voter);
    return it == m_voters.end() ? QString() : it->second.outcome;
}

std::vector<VoteChange> VoteTableModel::changes(zk::Sid voter) const
{
    auto it = m_voters.find(voter);
    return it == m_voters.end() ? std::vector<VoteChange>{} : it->second.changes;
}

int VoteTableModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_sids.size());
}

int VoteTableModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_sids.size()) + 3;
}

QVariant VoteTableModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const zk::Sid voter = m_sids[std::size_t(index.row())];
    const Voter& state = m_voters.at(voter);
    const int column = index.column();
    if (column == 0) {
        if (role == Qt::DisplayRole)
            return QString::number(voter);
        if (role == Qt::TextAlignmentRole)
            return int(Qt::AlignCenter);
        return {};
    }
    if (column <= int(m_sids.size())) {
        const zk::Sid candidate = m_sids[std::size_t(column - 1)];
        const bool proposed = state.vote && state.vote->id == candidate;
        switch (role) {
        case ProposedRole:
            return proposed;
        case Qt::DisplayRole:
            return proposed ? QStringLiteral("● %1").arg(ClusterModel::zxidText(state.vote->zxid))
                            : QString();
        case Qt::BackgroundRole:
            if (!proposed)
                return {};
            return QBrush(ClusterModel::roleColor(NodeRole::Leading).lighter(190));
        case Qt::ForegroundRole:
            return proposed ? QBrush(QColor(0x14, 0x53, 0x2d)) : QVariant();
        case Qt::ToolTipRole: {
            QStringList from;
            for (const auto& [sender, leader] : state.seen) {
                if (leader == candidate)
                    from << QString::number(sender);
            }
            QString tip = QStringLiteral("Server %1 has seen votes for %2 from: %3")
                              .arg(voter)
                              .arg(candidate)
                              .arg(from.isEmpty() ? QStringLiteral("nobody")
                                                  : from.join(QStringLiteral(", ")));
            if (proposed)
                tip += QStringLiteral("\nIts own vote: %1 (leader, zxid, peer epoch), round %2")
                           .arg(ClusterModel::voteText(state.vote->id, state.vote->zxid,
                                                       state.vote->peerEpoch))
                           .arg(state.vote->electionEpoch);
            return tip;
        }
        default:
            return {};
        }
    }
    if (column == ruleColumn()) {
        if (state.changes.empty())
            return {};
        const VoteChange& last = state.changes.back();
        if (role == Qt::DisplayRole)
            return last.by != 0 ? QStringLiteral("→ %1: %2 (from %3)")
                                      .arg(last.to)
                                      .arg(last.rule)
                                      .arg(last.by)
                                : QStringLiteral("→ %1: %2").arg(last.to).arg(last.rule);
        if (role == Qt::ToolTipRole) {
            QStringList lines;
            for (const VoteChange& change : state.changes)
                lines << QStringLiteral("%1 s: %2 → %3, %4")
                             .arg(double(change.atMs) / 1000.0, 0, 'f', 2)
                             .arg(change.from)
                             .arg(change.to)
                             .arg(change.rule);
            return lines.join(QLatin1Char('\n'));
        }
        return {};
    }
    if (column == outcomeColumn() && role == Qt::DisplayRole)
        return state.outcome;
    return {};
}

QVariant VoteTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    if (section == 0)
        return QStringLiteral("Voter");
    if (section >= 1 && section <= int(m_sids.size()))
        return QStringLiteral("for %1").arg(m_sids[std::size_t(section - 1)]);
    if (section == ruleColumn())
        return QStringLiteral("Last change (rule)");
    if (section == outcomeColumn())
        return QStringLiteral("Outcome");
    return {};
}

} // namespace zoolab
