#include "data/data_tree.h"

#include "proto/txn_codec.h"

#include "core/assert.h"
#include "data/ephemeral_type.h"
#include "data/node_digest.h"
#include "data/path_utils.h"

#include <algorithm>

namespace zk {
namespace {

constexpr std::string_view rootPath = "/";
constexpr std::string_view procPath = "/zookeeper";
constexpr std::string_view quotaPath = "/zookeeper/quota";
constexpr std::string_view configPath = "/zookeeper/config";

// Apache splits at the last '/': the parent of "/a" is "" (the root's alias).
std::string_view rawParent(std::string_view path)
{
    const std::size_t slash = path.rfind('/');
    return slash == std::string_view::npos ? std::string_view{} : path.substr(0, slash);
}

std::string_view rawChild(std::string_view path)
{
    const std::size_t slash = path.rfind('/');
    return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

std::string_view watchPathOf(std::string_view parent)
{
    return parent.empty() ? rootPath : parent;
}

std::int64_t dataLength(const DataNode& node)
{
    return node.data ? static_cast<std::int64_t>(node.data->size()) : 0;
}

StatPersisted createStat(Zxid zxid, std::int64_t time, std::int64_t ephemeralOwner)
{
    StatPersisted stat;
    stat.czxid = zxid;
    stat.mzxid = zxid;
    stat.pzxid = zxid;
    stat.ctime = time;
    stat.mtime = time;
    stat.ephemeralOwner = ephemeralOwner;
    return stat;
}

template <typename T>
const T& bodyAs(const TxnBody& body)
{
    const T* typed = std::get_if<T>(&body);
    // The txn codec pairs each type code with its record; a mismatch is a bug.
    ZK_ASSERT(typed != nullptr);
    return *typed;
}

} // namespace

std::size_t DataTree::PathHash::operator()(std::string_view path) const noexcept
{
    return std::hash<std::string_view>{}(path);
}

DataTree::DataTree(bool extendedTypesEnabled) : m_extendedTypes(extendedTypesEnabled)
{
    addSpecialNodes();
}

// The DataTree constructor and addConfigNode: /, /zookeeper and /zookeeper/quota with
// OPEN_ACL_UNSAFE (-1) and empty data; /zookeeper/config set to READ_ACL_UNSAFE through
// setACL(path, acl, -1), which leaves its aversion at -1.
void DataTree::addSpecialNodes()
{
    for (const std::string_view path : {rootPath, procPath, quotaPath, configPath}) {
        DataNode node;
        node.data.emplace();
        m_nodes.emplace(std::string(path), std::move(node));
    }
    const auto link = [this](std::string_view parent, std::string_view child) {
        const auto entry = m_nodes.find(child);
        m_nodes.find(parent)->second.children.insert(rawChild(entry->first), &entry->second);
    };
    link(rootPath, procPath);
    link(procPath, quotaPath);
    link(procPath, configPath);
    setAcl(configPath, readAclUnsafe(), -1, nullptr);
    m_dataSize = 0;
    m_digest = 0;
    for (auto& [path, node] : m_nodes) {
        m_dataSize += nodeSize(path, node);
        node.digest = nodeDigest(path, node);
        m_digest = digestAdd(m_digest, node.digest);
    }
}

DataNode* DataTree::findNode(std::string_view path)
{
    const auto found = m_nodes.find(path.empty() ? rootPath : path);
    return found == m_nodes.end() ? nullptr : &found->second;
}

const DataNode* DataTree::node(std::string_view path) const
{
    const auto found = m_nodes.find(path.empty() ? rootPath : path);
    return found == m_nodes.end() ? nullptr : &found->second;
}

Stat DataTree::statOf(const DataNode& node) const
{
    const StatPersisted& s = node.stat;
    Stat stat;
    stat.czxid = s.czxid;
    stat.mzxid = s.mzxid;
    stat.ctime = s.ctime;
    stat.mtime = s.mtime;
    stat.version = s.version;
    stat.aversion = s.aversion;
    stat.pzxid = s.pzxid;
    const EphemeralType type = ephemeralTypeOf(s.ephemeralOwner, m_extendedTypes);
    stat.ephemeralOwner = type == EphemeralType::Normal ? s.ephemeralOwner : 0;
    stat.dataLength = static_cast<std::int32_t>(dataLength(node));
    stat.numChildren = static_cast<std::int32_t>(node.children.size());
    // The persisted cversion counts creates; clients see creates plus deletes.
    stat.cversion = s.cversion * 2 - stat.numChildren;
    return stat;
}

const AclList& DataTree::aclOf(const DataNode& node) const
{
    return m_acls.convertLong(node.aclId);
}

AclPtr DataTree::sharedAclOf(const DataNode& node) const
{
    return m_acls.shared(node.aclId);
}

std::vector<std::string> DataTree::children(std::string_view path) const
{
    const DataNode* found = node(path);
    if (found == nullptr)
        return {};
    std::vector<std::string> names;
    names.reserve(found->children.size());
    for (const auto& [name, child] : found->children)
        names.emplace_back(name);
    return names;
}

std::int32_t DataTree::allChildrenNumber(std::string_view path) const
{
    if (path == rootPath)
        return static_cast<std::int32_t>(m_nodes.size() - 1);
    // Walks the subtree rather than every node: small subtrees of big trees stay cheap.
    const DataNode* top = node(path);
    if (top == nullptr)
        return 0;
    std::int32_t count = 0;
    std::vector<const DataNode*> stack{top};
    while (!stack.empty()) {
        const DataNode* current = stack.back();
        stack.pop_back();
        for (const auto& [name, child] : current->children) {
            ++count;
            stack.push_back(child);
        }
    }
    return count;
}

std::int64_t DataTree::nodeSize(std::string_view path, const DataNode& node) const
{
    // The root is in Apache's map twice ("" and "/"), so its data counts twice.
    const std::int64_t size = static_cast<std::int64_t>(path.size()) + dataLength(node);
    return path == rootPath ? size + dataLength(node) : size;
}

// DigestCalculator.calculateDigest, version 2 (data/node_digest.h).
std::int64_t DataTree::nodeDigest(std::string_view path, const DataNode& node) const
{
    return zk::nodeDigest(path, node.data, node.stat);
}

void DataTree::rehash(std::string_view path, DataNode& node)
{
    m_digest = digestSub(m_digest, node.digest);
    node.digest = nodeDigest(path, node);
    m_digest = digestAdd(m_digest, node.digest);
}

void DataTree::indexNode(const std::string& path, std::int64_t owner)
{
    switch (ephemeralTypeOf(owner, m_extendedTypes)) {
    case EphemeralType::Container:
        m_containers.insert(path);
        break;
    case EphemeralType::Ttl:
        m_ttls.insert(path);
        break;
    case EphemeralType::Normal:
        m_ephemerals[owner].insert(path);
        break;
    case EphemeralType::Void:
        break;
    }
}

void DataTree::unindexNode(const std::string& path, std::int64_t owner)
{
    switch (ephemeralTypeOf(owner, m_extendedTypes)) {
    case EphemeralType::Container:
        m_containers.erase(path);
        break;
    case EphemeralType::Ttl:
        m_ttls.erase(path);
        break;
    case EphemeralType::Normal: {
        const auto found = m_ephemerals.find(owner);
        if (found != m_ephemerals.end()) {
            found->second.erase(path);
            if (found->second.empty())
                m_ephemerals.erase(found);
        }
        break;
    }
    case EphemeralType::Void:
        break;
    }
}

void DataTree::fire(std::vector<FiredWatch> fired)
{
    for (FiredWatch& watch : fired)
        m_fired.push_back(std::move(watch));
}

std::vector<FiredWatch> DataTree::takeFiredWatches()
{
    std::vector<FiredWatch> out;
    out.swap(m_fired);
    return out;
}

// As DataTree.createNode.
ZError DataTree::createNode(std::string_view path, std::optional<std::vector<std::uint8_t>> data,
                            const AclList& acl, std::int64_t ephemeralOwner,
                            std::int32_t parentCVersion, Zxid zxid, std::int64_t time,
                            std::optional<Stat>* outStat)
{
    const std::string_view parentName = rawParent(path);
    const std::string_view parentKey = watchPathOf(parentName);
    DataNode* parent = findNode(parentName);
    if (parent == nullptr || path == rootPath)
        return ZError::NoNode;
    const AclPtr parentAcl = m_acls.shared(parent->aclId);
    // Apache interns the ACL before the existence check and, for an existing node, swaps
    // in the txn's ACL (this repairs ACLs when replaying over a fuzzy snapshot). Unlike
    // Apache we release the old ACL's use instead of leaking it until the next restart.
    const std::int64_t aclId = m_acls.convertAcls(acl);
    if (DataNode* existing = findNode(path)) {
        m_acls.removeUsage(existing->aclId);
        existing->aclId = aclId;
        return ZError::NodeExists;
    }

    if (parentCVersion == -1)
        parentCVersion = parent->stat.cversion + 1;
    // Replaying a create over a snapshot that already saw later creates must not move
    // cversion or pzxid backwards.
    if (parentCVersion > parent->stat.cversion) {
        parent->stat.cversion = parentCVersion;
        parent->stat.pzxid = zxid;
    }

    DataNode child;
    child.data = std::move(data);
    child.aclId = aclId;
    child.stat = createStat(zxid, time, ephemeralOwner);
    const auto [it, inserted] = m_nodes.emplace(std::string(path), std::move(child));
    ZK_ASSERT(inserted);
    // The parent's entry views the child's key, which lives as long as the child.
    parent->children.insert(rawChild(it->first), &it->second);
    rehash(parentKey, *parent);
    m_dataSize += nodeSize(path, it->second);
    it->second.digest = nodeDigest(path, it->second);
    m_digest = digestAdd(m_digest, it->second.digest);
    indexNode(it->first, ephemeralOwner);
    if (outStat != nullptr)
        *outStat = statOf(it->second);

    fire(m_watches.triggerWatch(path, EventType::NodeCreated, zxid, m_acls.shared(aclId)));
    fire(m_watches.triggerWatch(parentKey, EventType::NodeChildrenChanged, zxid, parentAcl));
    return ZError::Ok;
}

// As DataTree.deleteNode: the parent's pzxid moves (never backwards) even when the child
// is already gone, and its cversion is untouched.
ZError DataTree::deleteNode(std::string_view path, Zxid zxid)
{
    if (path == rootPath || path.empty())
        return ZError::BadArguments;
    const std::string_view parentName = rawParent(path);
    const std::string_view parentKey = watchPathOf(parentName);
    DataNode* parent = findNode(parentName);
    if (parent == nullptr)
        return ZError::NoNode;
    parent->children.erase(rawChild(path));
    if (zxid > parent->stat.pzxid)
        parent->stat.pzxid = zxid;
    rehash(parentKey, *parent);

    const auto found = m_nodes.find(path);
    if (found == m_nodes.end())
        return ZError::NoNode;
    const AclPtr acl = m_acls.shared(found->second.aclId);
    m_acls.removeUsage(found->second.aclId);
    m_dataSize -= nodeSize(path, found->second);
    m_digest = digestSub(m_digest, found->second.digest);
    const std::int64_t owner = found->second.stat.ephemeralOwner;
    unindexNode(found->first, owner);
    m_nodes.erase(found);
    const AclPtr parentAcl = m_acls.shared(parent->aclId);

    fire(m_watches.triggerWatch(path, EventType::NodeDeleted, zxid, acl));
    fire(m_watches.triggerWatch(parentKey, EventType::NodeChildrenChanged, zxid, parentAcl));
    return ZError::Ok;
}

ZError DataTree::setData(std::string_view path,
                         const std::optional<std::vector<std::uint8_t>>& data, std::int32_t version,
                         Zxid zxid, std::int64_t time, std::optional<Stat>* out)
{
    DataNode* found = findNode(path);
    if (found == nullptr)
        return ZError::NoNode;
    const std::string_view key = path.empty() ? rootPath : path;
    m_dataSize -= nodeSize(key, *found);
    found->data = data;
    found->stat.mtime = time;
    found->stat.mzxid = zxid;
    found->stat.version = version;
    m_dataSize += nodeSize(key, *found);
    rehash(key, *found);
    if (out != nullptr)
        *out = statOf(*found);
    fire(
        m_watches.triggerWatch(key, EventType::NodeDataChanged, zxid, m_acls.shared(found->aclId)));
    return ZError::Ok;
}

ZError DataTree::setAcl(std::string_view path, const AclList& acl, std::int32_t version,
                        std::optional<Stat>* out)
{
    DataNode* found = findNode(path);
    if (found == nullptr)
        return ZError::NoNode;
    const std::string_view key = path.empty() ? rootPath : path;
    m_acls.removeUsage(found->aclId);
    found->stat.aversion = version;
    found->aclId = m_acls.convertAcls(acl);
    rehash(key, *found);
    if (out != nullptr)
        *out = statOf(*found);
    return ZError::Ok;
}

// As DataTree.setCversionPzxid.
ZError DataTree::setCversionPzxid(std::string_view path, std::int32_t newCversion, Zxid zxid)
{
    if (path.ends_with('/'))
        path.remove_suffix(1);
    DataNode* found = findNode(path);
    if (found == nullptr)
        return ZError::NoNode;
    const std::string_view key = path.empty() ? rootPath : path;
    if (newCversion == -1)
        newCversion = found->stat.cversion + 1;
    if (newCversion > found->stat.cversion) {
        found->stat.cversion = newCversion;
        found->stat.pzxid = zxid;
        rehash(key, *found);
    }
    return ZError::Ok;
}

// As DataTree.killSession: the txn's paths first, then whatever else the session still
// owned here. Missing nodes are skipped.
void DataTree::killSession(SessionId session, Zxid zxid,
                           const std::optional<std::vector<std::string>>& paths2Delete)
{
    std::set<std::string> local;
    if (const auto found = m_ephemerals.find(session); found != m_ephemerals.end()) {
        local = std::move(found->second);
        m_ephemerals.erase(found);
    }
    if (paths2Delete) {
        for (const std::string& path : *paths2Delete) {
            deleteNode(path, zxid);
            local.erase(path);
        }
    }
    for (const std::string& path : local)
        deleteNode(path, zxid);
}

ProcessTxnResult DataTree::processTxn(const TxnHeader& header, const Txn& txn)
{
    ProcessTxnResult rc = apply(header, header.type, txn.body);
    if (rc.zxid > m_lastProcessedZxid)
        m_lastProcessedZxid = rc.zxid;
    return rc;
}

ProcessTxnResult DataTree::processTxn(const LoggedTxn& txn)
{
    ProcessTxnResult rc = processTxn(txn.header, txn.txn);
    if (txn.digest && txn.digest->version == digestVersion && txn.digest->treeDigest != m_digest) {
        ++m_digestMismatches;
        if (!m_firstDigestMismatch)
            m_firstDigestMismatch = txn.header.zxid;
    }
    return rc;
}

ProcessTxnResult DataTree::apply(const TxnHeader& header, OpCode type, const TxnBody& body)
{
    ProcessTxnResult rc;
    rc.clientId = header.clientId;
    rc.cxid = header.cxid;
    rc.zxid = header.zxid;
    rc.type = type;
    switch (type) {
    case OpCode::Create:
    case OpCode::Create2: {
        const auto& create = bodyAs<CreateTxn>(body);
        rc.path = create.path;
        rc.err =
            createNode(create.path, create.data, create.acl, create.ephemeral ? header.clientId : 0,
                       create.parentCVersion, header.zxid, header.time, &rc.stat);
        break;
    }
    case OpCode::CreateTtl: {
        const auto& create = bodyAs<CreateTtlTxn>(body);
        rc.path = create.path;
        // EphemeralType.toEphemeralOwner rejects these; the prep stage never makes them.
        if (create.ttl <= 0 || create.ttl > ttlMax) {
            rc.err = ZError::BadArguments;
            break;
        }
        rc.err = createNode(create.path, create.data, create.acl, ttlEphemeralOwner(create.ttl),
                            create.parentCVersion, header.zxid, header.time, &rc.stat);
        break;
    }
    case OpCode::CreateContainer: {
        const auto& create = bodyAs<CreateContainerTxn>(body);
        rc.path = create.path;
        rc.err = createNode(create.path, create.data, create.acl, containerEphemeralOwner,
                            create.parentCVersion, header.zxid, header.time, &rc.stat);
        break;
    }
    case OpCode::Delete:
    case OpCode::DeleteContainer: {
        const auto& del = bodyAs<DeleteTxn>(body);
        rc.path = del.path;
        rc.err = deleteNode(del.path, header.zxid);
        break;
    }
    case OpCode::Reconfig:
    case OpCode::SetData: {
        const auto& set = bodyAs<SetDataTxn>(body);
        rc.path = set.path;
        rc.err = setData(set.path, set.data, set.version, header.zxid, header.time, &rc.stat);
        break;
    }
    case OpCode::SetAcl: {
        const auto& set = bodyAs<SetAclTxn>(body);
        rc.path = set.path;
        rc.err = setAcl(set.path, set.acl, set.version, &rc.stat);
        break;
    }
    case OpCode::CloseSession:
        killSession(header.clientId, header.zxid, bodyAs<CloseSessionTxn>(body).paths2Delete);
        break;
    case OpCode::Error:
        rc.err = static_cast<ZError>(bodyAs<ErrorTxn>(body).err);
        break;
    case OpCode::Check:
        rc.path = bodyAs<CheckVersionTxn>(body).path;
        break;
    case OpCode::Multi:
        applyMulti(header, bodyAs<MultiTxn>(body), rc);
        break;
    default:
        // createSession and anything else leave the tree alone.
        break;
    }

    // A create that finds its node already there (replay over a fuzzy snapshot where the
    // node was deleted and re-created by another session) still raises the parent's
    // cversion and pzxid. Apache applies this to type create only, sub-txns included.
    if (type == OpCode::Create && rc.err == ZError::NodeExists) {
        const auto& create = bodyAs<CreateTxn>(body);
        const ZError fixed =
            setCversionPzxid(rawParent(rc.path), create.parentCVersion, header.zxid);
        if (fixed != ZError::Ok)
            rc.err = fixed;
    }
    return rc;
}

// The multi case of DataTree.processTxn. If any sub-txn is an error the whole multi
// failed: sub-txns before the first error report Ok, after it RuntimeInconsistency.
void DataTree::applyMulti(const TxnHeader& header, const MultiTxn& multi, ProcessTxnResult& rc)
{
    const bool failed = std::any_of(multi.txns.begin(), multi.txns.end(),
                                    [](const Txn& sub) { return sub.type == OpCode::Error; });
    bool postFailed = false;
    for (const Txn& sub : multi.txns) {
        // Apache stops (IOException) at a type a multi cannot hold, keeping earlier results.
        if (!isMultiSubType(sub.type))
            break;
        if (sub.type == OpCode::Error)
            postFailed = true;
        TxnHeader subHeader = header;
        ProcessTxnResult subRc;
        if (failed && sub.type != OpCode::Error) {
            const ZError code = postFailed ? ZError::RuntimeInconsistency : ZError::Ok;
            subHeader.type = OpCode::Error;
            subRc = apply(subHeader, OpCode::Error, ErrorTxn{static_cast<std::int32_t>(code)});
        } else {
            subHeader.type = sub.type;
            subRc = apply(subHeader, sub.type, sub.body);
        }
        if (subRc.err != ZError::Ok && rc.err == ZError::Ok)
            rc.err = subRc.err;
        rc.multiResult.push_back(std::move(subRc));
    }
}

const std::set<std::string>& DataTree::ephemerals(SessionId session) const
{
    static const std::set<std::string> none;
    const auto found = m_ephemerals.find(session);
    return found == m_ephemerals.end() ? none : found->second;
}

std::vector<SessionId> DataTree::sessionsWithEphemerals() const
{
    std::vector<SessionId> sessions;
    sessions.reserve(m_ephemerals.size());
    for (const auto& [session, paths] : m_ephemerals)
        sessions.push_back(session);
    return sessions;
}

std::size_t DataTree::ephemeralCount() const
{
    std::size_t count = 0;
    for (const auto& [session, paths] : m_ephemerals)
        count += paths.size();
    return count;
}

std::vector<std::string> DataTree::candidateContainers(std::int64_t nowMs,
                                                       std::int64_t maxNeverUsedIntervalMs) const
{
    std::vector<std::string> candidates;
    for (const std::string& path : m_containers) {
        const DataNode* found = node(path);
        if (found == nullptr || !found->children.empty())
            continue;
        if (found->stat.cversion > 0)
            candidates.push_back(path);
        else if (maxNeverUsedIntervalMs != 0 && nowMs - found->stat.mtime > maxNeverUsedIntervalMs)
            candidates.push_back(path);
    }
    for (const std::string& path : m_ttls) {
        const DataNode* found = node(path);
        if (found == nullptr || !found->children.empty())
            continue;
        const std::int64_t owner = found->stat.ephemeralOwner;
        if (ephemeralTypeOf(owner, m_extendedTypes) != EphemeralType::Ttl)
            continue;
        const std::int64_t ttl = ttlOf(owner);
        if (ttl != 0 && nowMs - found->stat.mtime > ttl)
            candidates.push_back(path);
    }
    return candidates;
}

void DataTree::setWatches(Zxid relativeZxid, const std::vector<std::string>& dataWatches,
                          const std::vector<std::string>& existWatches,
                          const std::vector<std::string>& childWatches,
                          const std::vector<std::string>& persistentWatches,
                          const std::vector<std::string>& persistentRecursiveWatches,
                          WatcherId watcher)
{
    const auto now = [&](EventType type, const std::string& path, AclPtr acl) {
        m_fired.push_back(FiredWatch{
            watcher, WatchedEvent{type, KeeperState::SyncConnected, path, -1}, std::move(acl)});
    };
    for (const std::string& path : dataWatches) {
        const DataNode* found = node(path);
        if (found == nullptr)
            now(EventType::NodeDeleted, path, nullptr);
        else if (found->stat.mzxid > relativeZxid)
            now(EventType::NodeDataChanged, path, sharedAclOf(*found));
        else
            m_watches.addWatch(path, watcher, WatchKind::Data);
    }
    for (const std::string& path : existWatches) {
        const DataNode* found = node(path);
        if (found != nullptr)
            now(EventType::NodeCreated, path, sharedAclOf(*found));
        else
            m_watches.addWatch(path, watcher, WatchKind::Data);
    }
    for (const std::string& path : childWatches) {
        const DataNode* found = node(path);
        if (found == nullptr)
            now(EventType::NodeDeleted, path, nullptr);
        else if (found->stat.pzxid > relativeZxid)
            now(EventType::NodeChildrenChanged, path, sharedAclOf(*found));
        else
            m_watches.addWatch(path, watcher, WatchKind::Child);
    }
    for (const std::string& path : persistentWatches)
        m_watches.addWatch(path, watcher, WatchKind::Persistent);
    for (const std::string& path : persistentRecursiveWatches)
        m_watches.addWatch(path, watcher, WatchKind::PersistentRecursive);
}

void DataTree::forEachNodePreOrder(
    const std::function<void(const std::string& path, const DataNode& node)>& visit) const
{
    // An explicit stack: paths may nest far deeper than the call stack allows.
    std::vector<std::string> stack{std::string(rootPath)};
    while (!stack.empty()) {
        std::string path = std::move(stack.back());
        stack.pop_back();
        const DataNode* current = node(path);
        if (current == nullptr)
            continue;
        visit(path, *current);
        const std::size_t prefixLength = path == rootPath ? 0 : path.size();
        for (auto it = current->children.rbegin(); it != current->children.rend(); ++it) {
            std::string childPath;
            childPath.reserve(prefixLength + 1 + it->first.size());
            childPath.append(path, 0, prefixLength).append(1, '/').append(it->first);
            stack.push_back(std::move(childPath));
        }
    }
}

void DataTree::beginRestore()
{
    m_nodes.clear();
    m_acls.clear();
    m_ephemerals.clear();
    m_containers.clear();
    m_ttls.clear();
    m_dataSize = 0;
    m_digest = 0;
}

void DataTree::addNodeForRestore(std::string path, DataNode node)
{
    if (path.empty())
        path.push_back('/');
    node.children.clear();
    m_nodes.insert_or_assign(std::move(path), std::move(node));
}

// As DataTree.deserialize after the reads: children from paths, indexes, ACL uses, then
// the unused ACL entries are purged. Order of the hash map never reaches output here.
bool DataTree::finishRestore()
{
    if (findNode(rootPath) == nullptr)
        return false;
    m_dataSize = 0;
    m_digest = 0;
    for (auto& [path, current] : m_nodes) {
        if (!m_acls.contains(current.aclId))
            return false;
        m_acls.addUsage(current.aclId);
        m_dataSize += nodeSize(path, current);
        current.digest = nodeDigest(path, current);
        m_digest = digestAdd(m_digest, current.digest);
        if (path == rootPath)
            continue;
        DataNode* parent = findNode(rawParent(path));
        if (parent == nullptr)
            return false;
        parent->children.insert(rawChild(path), &current);
        indexNode(path, current.stat.ephemeralOwner);
    }
    m_acls.purgeUnused();
    return true;
}

} // namespace zk
