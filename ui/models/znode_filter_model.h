#pragma once
// ZnodeFilterModel: filters the znode tree by a substring of the path (case-insensitive) and
// keeps the ancestors of matches visible. Loaded nodes only: the filter does not list the
// server. GUI thread only; does not own its source model.

#include <QSortFilterProxyModel>

namespace zoolab {

class ZnodeFilterModel : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    explicit ZnodeFilterModel(QObject* parent = nullptr);
    void setPathFilter(const QString& text);
    QString pathFilter() const { return m_text; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

private:
    QString m_text;
};

} // namespace zoolab
