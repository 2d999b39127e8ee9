#include "server/prep_stage.h"

#include "core/assert.h"
#include "data/acl_check.h"
#include "data/ephemeral_type.h"
#include "data/node_digest.h"
#include "data/path_utils.h"
#include "proto/client_records.h"

#include <fmt/format.h>

namespace zk {

namespace {

bool isSpecialPath(std::string_view path)
{
    return path == "/" || path == "/zookeeper" || path == "/zookeeper/quota" ||
           path == "/zookeeper/config";
}

// The parent of path for delete and friends (getParentPathAndValidate).
std::optional<std::string> parentForDelete(const std::string& path)
{
    const auto slash = path.rfind('/');
    if (slash == std::string::npos || path.find('\0') != std::string::npos || isSpecialPath(path))
        return std::nullopt;
    return path.substr(0, slash);
}

// checkAndIncVersion, including ZOOKEEPER-4743's skip over -1.
ZError checkAndIncVersion(std::int32_t current, std::int32_t expected, std::int32_t& next)
{
    if (expected != -1 && expected != current)
        return ZError::BadVersion;
    next = current + 1 == -1 ? 0 : current + 1;
    return ZError::Ok;
}

bool isContainerOrTtl(std::int64_t owner, bool extendedTypesEnabled)
{
    const EphemeralType type = ephemeralTypeOf(owner, extendedTypesEnabled);
    return type == EphemeralType::Container || type == EphemeralType::Ttl;
}

bool isSequential(CreateMode mode)
{
    return mode == CreateMode::PersistentSequential || mode == CreateMode::EphemeralSequential ||
           mode == CreateMode::PersistentSequentialWithTtl;
}
bool isEphemeral(CreateMode mode)
{
    return mode == CreateMode::Ephemeral || mode == CreateMode::EphemeralSequential;
}
bool isTtlMode(CreateMode mode)
{
    return mode == CreateMode::PersistentWithTtl || mode == CreateMode::PersistentSequentialWithTtl;
}

} // namespace

std::vector<std::uint8_t> encodeMultiOpBody(const MultiOp& op)
{
    return std::visit([](const auto& record) { return encodeRecord(record); }, op.body);
}

PrepStage::PrepStage(const DataTree& tree, const ServerCoreConfig& config)
    : m_tree(tree), m_config(config)
{}

bool PrepStage::isWrite(OpCode type)
{
    switch (type) {
    case OpCode::Create:
    case OpCode::Create2:
    case OpCode::CreateContainer:
    case OpCode::CreateTtl:
    case OpCode::Delete:
    case OpCode::DeleteContainer:
    case OpCode::SetData:
    case OpCode::SetAcl:
    case OpCode::Check:
    case OpCode::Multi:
    case OpCode::Reconfig:
        return true;
    default:
        return false;
    }
}

std::optional<PrepStage::ChangeRecord> PrepStage::recordFor(const std::string& path) const
{
    auto latest = m_latest.find(path);
    if (latest != m_latest.end()) {
        const ChangeRecord& record = m_changes[latest->second - m_dropped];
        if (!record.stat)
            return std::nullopt;
        return record;
    }
    const DataNode* node = m_tree.node(path);
    if (node == nullptr)
        return std::nullopt;
    return ChangeRecord{-1, path, node->stat, static_cast<std::int32_t>(node->children.size()),
                        m_tree.aclOf(*node)};
}

std::int64_t PrepStage::predictedDigest() const
{
    return m_changes.empty() ? m_tree.digest() : m_changes.back().treeDigest;
}

void PrepStage::addChange(ChangeRecord record)
{
    // The node's digest before this change: that of its latest outstanding record, or the
    // tree's node's; then the tree's digest moves by the difference (precalculateDigest).
    const auto digestOf = [](const ChangeRecord& r) -> std::int64_t {
        return r.stat ? nodeDigestFromContent(r.path, r.contentCrc.value_or(0), *r.stat) : 0;
    };
    std::int64_t before = 0;
    const auto latest = m_latest.find(record.path);
    const DataNode* node = latest == m_latest.end() ? m_tree.node(record.path) : nullptr;
    if (latest != m_latest.end())
        before = digestOf(m_changes[latest->second - m_dropped]);
    else if (node != nullptr)
        before = node->digest;
    // A stat change of a node whose data no outstanding change set: hash the tree's data.
    // (A record copied from an outstanding one carries that one's content CRC.)
    if (record.stat && !record.contentCrc)
        record.contentCrc = nodeContentCrc(record.path, node ? node->data : NodeData{});
    record.treeDigest = digestAdd(digestSub(predictedDigest(), before), digestOf(record));
    const std::string path = record.path;
    m_changes.push_back(std::move(record));
    m_latest[path] = m_dropped + m_changes.size() - 1;
}

void PrepStage::applied(Zxid zxid)
{
    while (!m_changes.empty() && m_changes.front().zxid <= zxid) {
        auto latest = m_latest.find(m_changes.front().path);
        if (latest != m_latest.end() && latest->second == m_dropped)
            m_latest.erase(latest);
        m_changes.pop_front();
        ++m_dropped;
    }
}

void PrepStage::rollback(Zxid zxid)
{
    std::vector<std::string> touched;
    while (!m_changes.empty() && m_changes.back().zxid == zxid) {
        touched.push_back(m_changes.back().path);
        m_changes.pop_back();
    }
    for (const std::string& path : touched) {
        m_latest.erase(path);
        for (std::size_t i = m_changes.size(); i-- > 0;) {
            if (m_changes[i].path == path) {
                m_latest[path] = m_dropped + i;
                break;
            }
        }
    }
}

ZError PrepStage::permittedRecord(const std::string& path, std::int32_t perm,
                                  const Request& request, std::optional<ChangeRecord>& out) const
{
    out = recordFor(path);
    if (!out)
        return ZError::NoNode;
    return checkAcl(out->acl, perm, request) ? ZError::Ok : ZError::NoAuth;
}

bool PrepStage::checkAcl(const AclList& acl, std::int32_t perm, const Request& request) const
{
    static const std::vector<Id> kNoIds;
    return zk::checkAcl(acl, perm, request.authIds ? *request.authIds : kNoIds);
}

ZError PrepStage::prepCreate(const Context& ctx, OpCode type, std::span<const std::uint8_t> body,
                             Txn& txn)
{
    std::string path;
    std::optional<std::vector<std::uint8_t>> data;
    AclList acl;
    std::int32_t flags = 0;
    std::int64_t ttl = -1;
    if (type == OpCode::CreateTtl) {
        auto request = decodeRecord<CreateTtlRequest>(body, m_config.maxBufferBytes);
        if (!request)
            return ZError::MarshallingError;
        path = std::move(request->path);
        data = std::move(request->data);
        acl = std::move(request->acl);
        flags = request->flags;
        ttl = request->ttl;
    } else {
        auto request = decodeRecord<CreateRequest>(body, m_config.maxBufferBytes);
        if (!request)
            return ZError::MarshallingError;
        path = std::move(request->path);
        data = std::move(request->data);
        acl = std::move(request->acl);
        flags = request->flags;
    }
    if (flags < 0 || flags > 6)
        return ZError::BadArguments;
    const auto mode = static_cast<CreateMode>(flags);
    if (isTtlMode(mode) && !m_config.extendedTypesEnabled)
        return ZError::Unimplemented;
    if (isTtlMode(mode) ? (ttl <= 0 || ttl > ttlMax) : ttl >= 0)
        return ZError::BadArguments;

    const auto slash = path.rfind('/');
    if (slash == std::string::npos || path.find('\0') != std::string::npos)
        return ZError::BadArguments;
    const std::string parentPath = slash == 0 ? "/" : path.substr(0, slash);
    // validatePathForCreate keeps the text before the last slash; "/a" has parent "".
    const std::string parentKey = path.substr(0, slash);

    auto fixed = fixupAcl(acl, ctx.request.authIds ? *ctx.request.authIds : std::vector<Id>{},
                          m_config.saslEnabled);
    if (!fixed)
        return ZError::InvalidAcl;
    auto parent = recordFor(parentKey.empty() ? std::string("/") : parentKey);
    if (!parent)
        return ZError::NoNode;
    if (!checkAcl(parent->acl, perms::Create, ctx.request))
        return ZError::NoAuth;
    if (isSequential(mode))
        path += fmt::format("{:010d}", parent->stat->cversion);
    if (validatePath(path) != ZError::Ok)
        return ZError::BadArguments;
    if (recordFor(path))
        return ZError::NodeExists;
    if (ephemeralTypeOf(parent->stat->ephemeralOwner, m_config.extendedTypesEnabled) ==
        EphemeralType::Normal)
        return ZError::NoChildrenForEphemerals;
    const std::int32_t newCversion = parent->stat->cversion + 1;

    std::int64_t owner = 0;
    if (type == OpCode::CreateContainer) {
        txn = Txn{type, CreateContainerTxn{path, data, *fixed, newCversion}};
    } else if (type == OpCode::CreateTtl) {
        txn = Txn{type, CreateTtlTxn{path, data, *fixed, newCversion, ttl}};
    } else {
        txn = Txn{type, CreateTxn{path, data, *fixed, isEphemeral(mode), newCversion}};
    }
    if (mode == CreateMode::Container)
        owner = containerEphemeralOwner;
    else if (isTtlMode(mode))
        owner = ttlEphemeralOwner(ttl);
    else if (isEphemeral(mode))
        owner = ctx.request.session;

    ChangeRecord parentChange = *parent;
    parentChange.zxid = ctx.zxid;
    parentChange.childCount++;
    parentChange.stat->cversion = newCversion;
    parentChange.stat->pzxid = ctx.zxid;
    addChange(std::move(parentChange));

    StatPersisted stat;
    stat.czxid = stat.mzxid = stat.pzxid = ctx.zxid;
    stat.ctime = stat.mtime = ctx.wallMs;
    stat.ephemeralOwner = owner;
    const std::uint32_t contentCrc = nodeContentCrc(path, data);
    addChange(ChangeRecord{ctx.zxid, path, stat, 0, std::move(*fixed), contentCrc});
    return ZError::Ok;
}

ZError PrepStage::prepDelete(const Context& ctx, std::span<const std::uint8_t> body, Txn& txn)
{
    auto request = decodeRecord<DeleteRequest>(body, m_config.maxBufferBytes);
    if (!request)
        return ZError::MarshallingError;
    auto parentPath = parentForDelete(request->path);
    if (!parentPath)
        return ZError::BadArguments;
    auto parent = recordFor(parentPath->empty() ? std::string("/") : *parentPath);
    if (!parent)
        return ZError::NoNode;
    if (!checkAcl(parent->acl, perms::Delete, ctx.request))
        return ZError::NoAuth;
    auto node = recordFor(request->path);
    if (!node)
        return ZError::NoNode;
    std::int32_t next = 0;
    if (auto err = checkAndIncVersion(node->stat->version, request->version, next);
        err != ZError::Ok)
        return err;
    if (node->childCount > 0)
        return ZError::NotEmpty;
    txn = Txn{OpCode::Delete, DeleteTxn{request->path}};
    parent->zxid = ctx.zxid;
    parent->childCount--;
    parent->stat->pzxid = ctx.zxid;
    addChange(std::move(*parent));
    addChange(ChangeRecord{ctx.zxid, request->path, std::nullopt, -1, {}});
    return ZError::Ok;
}

std::optional<LoggedTxn> PrepStage::prepareDeleteContainer(const std::string& path, Zxid zxid,
                                                           std::int64_t wallMs)
{
    auto parentPath = parentForDelete(path);
    auto node = recordFor(path);
    if (!parentPath || !node || node->childCount > 0 ||
        !isContainerOrTtl(node->stat->ephemeralOwner, m_config.extendedTypesEnabled))
        return std::nullopt;
    auto parent = recordFor(parentPath->empty() ? std::string("/") : *parentPath);
    if (!parent)
        return std::nullopt;
    parent->zxid = zxid;
    parent->childCount--;
    parent->stat->pzxid = zxid;
    addChange(std::move(*parent));
    addChange(ChangeRecord{zxid, path, std::nullopt, -1, {}});
    LoggedTxn logged;
    logged.header = TxnHeader{0, 0, zxid, wallMs, OpCode::DeleteContainer};
    logged.txn = Txn{OpCode::DeleteContainer, DeleteTxn{path}};
    return logged;
}

ZError PrepStage::prepSetData(const Context& ctx, std::span<const std::uint8_t> body, Txn& txn)
{
    auto request = decodeRecord<SetDataRequest>(body, m_config.maxBufferBytes);
    if (!request)
        return ZError::MarshallingError;
    if (validatePath(request->path) != ZError::Ok)
        return ZError::BadArguments;
    std::optional<ChangeRecord> node;
    if (auto err = permittedRecord(request->path, perms::Write, ctx.request, node);
        err != ZError::Ok)
        return err;
    std::int32_t next = 0;
    if (auto err = checkAndIncVersion(node->stat->version, request->version, next);
        err != ZError::Ok)
        return err;
    node->contentCrc = nodeContentCrc(request->path, request->data);
    txn = Txn{OpCode::SetData, SetDataTxn{request->path, request->data, next}};
    node->zxid = ctx.zxid;
    node->stat->version = next;
    node->stat->mtime = ctx.wallMs;
    node->stat->mzxid = ctx.zxid;
    addChange(std::move(*node));
    return ZError::Ok;
}

ZError PrepStage::prepSetAcl(const Context& ctx, std::span<const std::uint8_t> body, Txn& txn)
{
    auto request = decodeRecord<SetAclRequest>(body, m_config.maxBufferBytes);
    if (!request)
        return ZError::MarshallingError;
    if (validatePath(request->path) != ZError::Ok)
        return ZError::BadArguments;
    auto fixed =
        fixupAcl(request->acl, ctx.request.authIds ? *ctx.request.authIds : std::vector<Id>{},
                 m_config.saslEnabled);
    if (!fixed)
        return ZError::InvalidAcl;
    std::optional<ChangeRecord> node;
    if (auto err = permittedRecord(request->path, perms::Admin, ctx.request, node);
        err != ZError::Ok)
        return err;
    std::int32_t next = 0;
    if (auto err = checkAndIncVersion(node->stat->aversion, request->version, next);
        err != ZError::Ok)
        return err;
    txn = Txn{OpCode::SetAcl, SetAclTxn{request->path, *fixed, next}};
    node->zxid = ctx.zxid;
    node->stat->aversion = next;
    node->acl = std::move(*fixed);
    addChange(std::move(*node));
    return ZError::Ok;
}

ZError PrepStage::prepCheck(const Context& ctx, std::span<const std::uint8_t> body, Txn& txn)
{
    auto request = decodeRecord<CheckVersionRequest>(body, m_config.maxBufferBytes);
    if (!request)
        return ZError::MarshallingError;
    if (validatePath(request->path) != ZError::Ok)
        return ZError::BadArguments;
    std::optional<ChangeRecord> node;
    if (auto err = permittedRecord(request->path, perms::Read, ctx.request, node);
        err != ZError::Ok)
        return err;
    std::int32_t next = 0;
    if (auto err = checkAndIncVersion(node->stat->version, request->version, next);
        err != ZError::Ok)
        return err;
    txn = Txn{OpCode::Check, CheckVersionTxn{request->path, next}};
    return ZError::Ok;
}

ZError PrepStage::prepOne(const Context& ctx, OpCode type, std::span<const std::uint8_t> body,
                          Txn& txn, bool& malformed)
{
    ZError err = ZError::Ok;
    switch (type) {
    case OpCode::Create:
    case OpCode::Create2:
    case OpCode::CreateContainer:
    case OpCode::CreateTtl:
        err = prepCreate(ctx, type, body, txn);
        break;
    case OpCode::Delete:
        err = prepDelete(ctx, body, txn);
        break;
    case OpCode::SetData:
        err = prepSetData(ctx, body, txn);
        break;
    case OpCode::SetAcl:
        err = prepSetAcl(ctx, body, txn);
        break;
    case OpCode::Check:
        err = prepCheck(ctx, body, txn);
        break;
    case OpCode::Reconfig:
        // PrepRequestProcessor: RECONFIGDISABLED unless reconfigEnabled, and a standalone
        // server cannot reconfigure at all (UNIMPLEMENTED).
        err = m_config.reconfigEnabled ? ZError::Unimplemented : ZError::ReconfigDisabled;
        break;
    default:
        err = ZError::Unimplemented;
        break;
    }
    malformed = err == ZError::MarshallingError;
    return err;
}

std::optional<LoggedTxn> PrepStage::prepare(const Request& request, Zxid zxid, std::int64_t wallMs)
{
    const Context ctx{request, zxid, wallMs};
    if (request.type == OpCode::Multi)
        return prepMulti(ctx);
    LoggedTxn logged;
    logged.header = TxnHeader{request.session, request.xid, zxid, wallMs, request.type};
    bool malformed = false;
    const ZError err = prepOne(ctx, request.type, request.body, logged.txn, malformed);
    if (malformed)
        return std::nullopt;
    if (err != ZError::Ok) {
        logged.header.type = OpCode::Error;
        logged.txn = Txn{OpCode::Error, ErrorTxn{static_cast<std::int32_t>(err)}};
    }
    return logged;
}

std::optional<LoggedTxn> PrepStage::prepMulti(const Context& ctx)
{
    auto multi = decodeRecord<MultiRequest>(ctx.request.body, m_config.maxBufferBytes);
    if (!multi)
        return std::nullopt;
    LoggedTxn logged;
    logged.header =
        TxnHeader{ctx.request.session, ctx.request.xid, ctx.zxid, ctx.wallMs, OpCode::Multi};
    MultiTxn result;
    bool failed = false;
    for (const MultiOp& op : multi->ops) {
        if (failed) {
            result.txns.push_back(Txn{
                OpCode::Error, ErrorTxn{static_cast<std::int32_t>(ZError::RuntimeInconsistency)}});
            continue;
        }
        const std::vector<std::uint8_t> body = encodeMultiOpBody(op);
        Txn txn;
        bool malformed = false;
        ZError err = ZError::Ok;
        if (op.type == OpCode::GetData || op.type == OpCode::GetChildren)
            err = ZError::BadArguments; // reads belong in multiRead
        else
            err = prepOne(ctx, op.type, body, txn, malformed);
        if (err != ZError::Ok) {
            failed = true;
            rollback(ctx.zxid);
            result.txns.push_back(Txn{OpCode::Error, ErrorTxn{static_cast<std::int32_t>(err)}});
            continue;
        }
        result.txns.push_back(std::move(txn));
    }
    // Ops before the failure keep their txns in the log; DataTree::processTxn reports them
    // as OK without applying them, as Apache does.
    logged.txn = Txn{OpCode::Multi, std::move(result)};
    return logged;
}

LoggedTxn PrepStage::prepareCreateSession(SessionId session, std::int32_t timeoutMs, Zxid zxid,
                                          std::int64_t wallMs)
{
    LoggedTxn logged;
    logged.header = TxnHeader{session, 0, zxid, wallMs, OpCode::CreateSession};
    logged.txn = Txn{OpCode::CreateSession, CreateSessionTxn{timeoutMs}};
    return logged;
}

LoggedTxn PrepStage::prepareCloseSession(SessionId session, Zxid zxid, std::int64_t wallMs)
{
    std::set<std::string> paths = m_tree.ephemerals(session);
    for (const ChangeRecord& change : m_changes) {
        if (!change.stat)
            paths.erase(change.path);
        else if (change.stat->ephemeralOwner == session)
            paths.insert(change.path);
    }
    for (const std::string& path : paths) {
        if (auto parentPath = parentForDelete(path)) {
            if (auto parent = recordFor(parentPath->empty() ? std::string("/") : *parentPath)) {
                parent->zxid = zxid;
                parent->childCount--;
                parent->stat->pzxid = zxid;
                addChange(std::move(*parent));
            }
        }
        addChange(ChangeRecord{zxid, path, std::nullopt, 0, {}});
    }
    LoggedTxn logged;
    logged.header = TxnHeader{session, 0, zxid, wallMs, OpCode::CloseSession};
    CloseSessionTxn close;
    if (m_config.closeSessionTxnEnabled)
        close.paths2Delete = std::vector<std::string>(paths.begin(), paths.end());
    logged.txn = Txn{OpCode::CloseSession, std::move(close)};
    return logged;
}

} // namespace zk
