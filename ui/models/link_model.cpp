#include "models/link_model.h"

#include <QBrush>
#include <QColor>
#include <QStringList>

#include <algorithm>

namespace zoolab {

namespace {

std::pair<zk::Sid, zk::Sid> ordered(zk::Sid a, zk::Sid b)
{
    return a < b ? std::pair{a, b} : std::pair{b, a};
}

} // namespace

LinkModel::LinkModel(QObject* parent) : QAbstractTableModel(parent)
{}

void LinkModel::reset(const std::vector<zk::Sid>& sids)
{
    beginResetModel();
    m_sids = sids;
    std::sort(m_sids.begin(), m_sids.end());
    m_links.clear();
    for (std::size_t i = 0; i < m_sids.size(); ++i) {
        for (std::size_t j = i + 1; j < m_sids.size(); ++j)
            m_links.emplace_back(m_sids[i], m_sids[j]);
    }
    m_cut.clear();
    m_alive = std::set<zk::Sid>(m_sids.begin(), m_sids.end());
    m_delayMs = 0;
    endResetModel();
}

int LinkModel::rowOf(zk::Sid a, zk::Sid b) const
{
    const auto key = ordered(a, b);
    const auto it = std::find(m_links.begin(), m_links.end(), key);
    return it == m_links.end() ? -1 : int(it - m_links.begin());
}

void LinkModel::setCut(zk::Sid a, zk::Sid b, bool cut)
{
    const int row = rowOf(a, b);
    if (row < 0 || isCut(a, b) == cut)
        return;
    if (cut)
        m_cut.insert(ordered(a, b));
    else
        m_cut.erase(ordered(a, b));
    emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

void LinkModel::setAlive(const std::set<zk::Sid>& alive)
{
    if (alive == m_alive)
        return;
    m_alive = alive;
    if (!m_links.empty())
        emit dataChanged(index(0, 0), index(int(m_links.size()) - 1, ColumnCount - 1));
}

void LinkModel::setDelayMs(int delayMs)
{
    if (delayMs == m_delayMs)
        return;
    m_delayMs = delayMs;
    if (!m_links.empty())
        emit dataChanged(index(0, DelayColumn), index(int(m_links.size()) - 1, DelayColumn));
}

LinkState LinkModel::state(zk::Sid a, zk::Sid b) const
{
    if (isCut(a, b))
        return LinkState::Cut;
    if (!m_alive.contains(a) || !m_alive.contains(b))
        return LinkState::Down;
    return LinkState::Up;
}

bool LinkModel::isCut(zk::Sid a, zk::Sid b) const
{
    return m_cut.contains(ordered(a, b));
}

bool LinkModel::hasCut() const
{
    return !m_cut.empty();
}

std::vector<std::pair<zk::Sid, zk::Sid>> LinkModel::cutLinks() const
{
    return {m_cut.begin(), m_cut.end()};
}

std::vector<std::vector<zk::Sid>> LinkModel::components() const
{
    std::vector<std::vector<zk::Sid>> groups;
    std::set<zk::Sid> placed;
    for (zk::Sid start : m_sids) {
        if (!m_alive.contains(start) || placed.contains(start))
            continue;
        std::vector<zk::Sid> group{start};
        placed.insert(start);
        for (std::size_t i = 0; i < group.size(); ++i) {
            for (zk::Sid other : m_sids) {
                if (placed.contains(other) || !m_alive.contains(other) || isCut(group[i], other))
                    continue;
                placed.insert(other);
                group.push_back(other);
            }
        }
        std::sort(group.begin(), group.end());
        groups.push_back(group);
    }
    // The larger side first (where a quorum may be), then by sid.
    std::sort(groups.begin(), groups.end(), [](const auto& a, const auto& b) {
        return a.size() != b.size() ? a.size() > b.size() : a < b;
    });
    return groups;
}

QString LinkModel::partitionText() const
{
    const auto groups = components();
    if (groups.size() < 2)
        return {};
    QStringList parts;
    for (const auto& group : groups) {
        QStringList sids;
        for (zk::Sid sid : group)
            sids << QString::number(sid);
        parts << sids.join(QLatin1Char(' '));
    }
    return parts.join(QStringLiteral(" | "));
}

int LinkModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_links.size());
}

int LinkModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant LinkModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const auto [a, b] = m_links[std::size_t(index.row())];
    const LinkState linkState = state(a, b);
    switch (role) {
    case FirstSidRole:
        return QVariant::fromValue<qlonglong>(a);
    case SecondSidRole:
        return QVariant::fromValue<qlonglong>(b);
    case StateRole:
        return int(linkState);
    case Qt::ForegroundRole:
        if (index.column() == StateColumn && linkState == LinkState::Cut)
            return QBrush(QColor(0xdc, 0x26, 0x26));
        return {};
    case Qt::DisplayRole:
        break;
    default:
        return {};
    }
    switch (Column(index.column())) {
    case LinkColumn:
        return QStringLiteral("%1 – %2").arg(a).arg(b);
    case StateColumn:
        return linkState == LinkState::Cut    ? QStringLiteral("cut")
               : linkState == LinkState::Down ? QStringLiteral("down")
                                              : QStringLiteral("up");
    case DelayColumn:
        return m_delayMs > 0 ? QStringLiteral("%1 ms").arg(m_delayMs) : QString();
    case ColumnCount:
        break;
    }
    return {};
}

QVariant LinkModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (Column(section)) {
    case LinkColumn:
        return QStringLiteral("Link");
    case StateColumn:
        return QStringLiteral("State");
    case DelayColumn:
        return QStringLiteral("Delay per message");
    case ColumnCount:
        break;
    }
    return {};
}

} // namespace zoolab
