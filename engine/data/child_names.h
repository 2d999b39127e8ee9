#pragma once
// The sorted children of a znode, kept compact for trees of millions of nodes: the map is
// allocated with the first child (most znodes are leaves), each name is a view into the
// child's own path key in the DataTree, and each value points at the child's DataNode; both
// stay put for as long as the child exists (the tree's map never moves its elements). The
// pointers let walks over the tree (snapshots) go from parent to child without a lookup by
// path. Only DataTree inserts and erases; everyone else reads.

#include <absl/container/btree_map.h>

#include <memory>
#include <string_view>

namespace zk {

struct DataNode;

class ChildNames
{
public:
    // A B-tree packs a node's many children in far less memory than std::map.
    using Set = absl::btree_map<std::string_view, const DataNode*>;
    // Iterators yield (name, child) pairs.
    using const_iterator = Set::const_iterator;
    using const_reverse_iterator = Set::const_reverse_iterator;

    ChildNames() = default;
    // A copied node leaves its tree, and its views would outlive their keys; children are
    // derived from paths anyway (DataTree::finishRestore rebuilds them), so copies are empty.
    ChildNames(const ChildNames&) {}
    ChildNames& operator=(const ChildNames&)
    {
        m_names.reset();
        return *this;
    }
    ChildNames(ChildNames&&) noexcept = default;
    ChildNames& operator=(ChildNames&&) noexcept = default;

    std::size_t size() const { return m_names ? m_names->size() : 0; }
    bool empty() const { return size() == 0; }
    const_iterator begin() const { return names().begin(); }
    const_iterator end() const { return names().end(); }
    const_reverse_iterator rbegin() const { return names().rbegin(); }
    const_reverse_iterator rend() const { return names().rend(); }
    bool contains(std::string_view name) const { return m_names && m_names->count(name) != 0; }
    // The first name after `name`, for walks that resume between changes of the tree.
    const_iterator upper_bound(std::string_view name) const { return names().upper_bound(name); }

    // name must view memory that outlives its membership (the child's key in the tree), and
    // child must stay put as long (the child's value in the tree).
    void insert(std::string_view name, const DataNode* child)
    {
        if (!m_names)
            m_names = std::make_unique<Set>();
        m_names->insert_or_assign(name, child);
    }
    void erase(std::string_view name)
    {
        if (!m_names)
            return;
        m_names->erase(name);
        if (m_names->empty())
            m_names.reset();
    }
    void clear() { m_names.reset(); }

private:
    const Set& names() const
    {
        static const Set kEmpty;
        return m_names ? *m_names : kEmpty;
    }

    std::unique_ptr<Set> m_names;
};

} // namespace zk
