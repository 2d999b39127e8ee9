#pragma once
// Interns ACL lists as longs with reference counts, as server/ReferenceCountedACLCache.
// Each znode stores only the long; snapshots store the table once:
//
//   acl map := int count, (long id, vector<ACL> acls){count}
//
// Id -1 is OPEN_ACL_UNSAFE and is never stored (Apache uses it for the built-in nodes).
// Ids grow from 1 and are never reused within a run. Owned by one DataTree; not
// thread-safe.

#include "data/acl.h"

#include <cstdint>
#include <functional>
#include <map>
#include <memory>

namespace zk {

// ACL lists are shared read-only so that fired watches can carry them cheaply.
using AclPtr = std::shared_ptr<const AclList>;

class AclCache
{
public:
    static constexpr std::int64_t openAclUnsafeId = -1;

    AclCache();

    // The id for `acls` (order matters, as in Java's List.equals), adding one use
    // (as convertAcls).
    std::int64_t convertAcls(const AclList& acls);
    // The list for an id; -1 gives OPEN_ACL_UNSAFE. The id must be known (as convertLong,
    // which throws in Apache).
    const AclList& convertLong(std::int64_t id) const;
    AclPtr shared(std::int64_t id) const;
    bool contains(std::int64_t id) const;

    // Unknown ids and -1 are ignored. The last removal drops the entry.
    void addUsage(std::int64_t id);
    void removeUsage(std::int64_t id);

    // Snapshot restore: an entry with zero uses, then addUsage per node, then purgeUnused
    // (as deserialize + DataTree.deserialize).
    void addRaw(std::int64_t id, AclList acls);
    void purgeUnused();
    void clear();

    std::size_t size() const { return m_byId.size(); }
    std::int64_t useCount(std::int64_t id) const;
    // Entries in id order (for snapshots).
    void forEach(const std::function<void(std::int64_t id, const AclList& acls)>& visit) const;

private:
    struct Entry
    {
        AclPtr acls;
        std::int64_t uses = 0;
    };

    std::map<std::int64_t, Entry> m_byId;
    std::map<AclList, std::int64_t> m_byList;
    std::int64_t m_lastId = 0;
    AclPtr m_open;
};

} // namespace zk
