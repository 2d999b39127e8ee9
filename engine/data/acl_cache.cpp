#include "data/acl_cache.h"

#include "core/assert.h"

namespace zk {

AclCache::AclCache() : m_open(std::make_shared<const AclList>(openAclUnsafe()))
{}

std::int64_t AclCache::convertAcls(const AclList& acls)
{
    auto found = m_byList.find(acls);
    std::int64_t id = 0;
    if (found != m_byList.end()) {
        id = found->second;
    } else {
        id = ++m_lastId;
        m_byId.emplace(id, Entry{std::make_shared<const AclList>(acls), 0});
        m_byList.emplace(acls, id);
    }
    addUsage(id);
    return id;
}

const AclList& AclCache::convertLong(std::int64_t id) const
{
    if (id == openAclUnsafeId)
        return *m_open;
    const auto found = m_byId.find(id);
    ZK_ASSERT(found != m_byId.end());
    return *found->second.acls;
}

AclPtr AclCache::shared(std::int64_t id) const
{
    if (id == openAclUnsafeId)
        return m_open;
    const auto found = m_byId.find(id);
    ZK_ASSERT(found != m_byId.end());
    return found->second.acls;
}

bool AclCache::contains(std::int64_t id) const
{
    return id == openAclUnsafeId || m_byId.contains(id);
}

void AclCache::addUsage(std::int64_t id)
{
    const auto found = m_byId.find(id);
    if (found != m_byId.end())
        ++found->second.uses;
}

void AclCache::removeUsage(std::int64_t id)
{
    const auto found = m_byId.find(id);
    if (found == m_byId.end())
        return;
    if (--found->second.uses <= 0) {
        m_byList.erase(*found->second.acls);
        m_byId.erase(found);
    }
}

void AclCache::addRaw(std::int64_t id, AclList acls)
{
    if (id == openAclUnsafeId)
        return;
    if (id > m_lastId)
        m_lastId = id;
    auto shared = std::make_shared<const AclList>(std::move(acls));
    m_byList[*shared] = id;
    m_byId[id] = Entry{std::move(shared), 0};
}

void AclCache::purgeUnused()
{
    for (auto it = m_byId.begin(); it != m_byId.end();) {
        if (it->second.uses <= 0) {
            m_byList.erase(*it->second.acls);
            it = m_byId.erase(it);
        } else {
            ++it;
        }
    }
}

void AclCache::clear()
{
    m_byId.clear();
    m_byList.clear();
}

std::int64_t AclCache::useCount(std::int64_t id) const
{
    const auto found = m_byId.find(id);
    return found == m_byId.end() ? 0 : found->second.uses;
}

void AclCache::forEach(const std::function<void(std::int64_t id, const AclList& acls)>& visit) const
{
    for (const auto& [id, entry] : m_byId)
        visit(id, *entry.acls);
}

} // namespace zk
