#include "models/znode_filter_model.h"

#include "models/znode_tree_model.h"

namespace zoolab {

ZnodeFilterModel::ZnodeFilterModel(QObject* parent) : QSortFilterProxyModel(parent)
{
    setRecursiveFilteringEnabled(true);
    setDynamicSortFilter(false); // rows arrive sorted; re-sorting 100,000 rows would stall
}

void ZnodeFilterModel::setPathFilter(const QString& text)
{
    m_text = text.trimmed();
    invalidateRowsFilter();
}

bool ZnodeFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const
{
    if (m_text.isEmpty())
        return true;
    const QModelIndex index = sourceModel()->index(sourceRow, 0, sourceParent);
    // The root stays so that matches below it have a parent to hang from.
    if (!sourceParent.isValid())
        return true;
    const QString path = index.data(ZnodeTreeModel::PathRole).toString();
    return path.contains(m_text, Qt::CaseInsensitive);
}

} // namespace zoolab
