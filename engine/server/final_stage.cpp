// The final stage of ServerCore: applies committed txns' results to replies and serves
// reads, as ZooKeeper's FinalRequestProcessor does.

#include "data/acl_check.h"
#include "data/path_utils.h"
#include "proto/client_records.h"
#include "server/server_core.h"

#include <algorithm>
#include <iterator>

namespace zk {

namespace {

void writeStat(JuteWriter& w, const Stat& stat)
{
    stat.write(w);
}

void writeMultiHeader(JuteWriter& w, OpCode type, bool done, std::int32_t err)
{
    MultiHeader{type, done, err}.write(w);
}

// MultiResponse for a multi's per-op results (MultiResponse.serialize).
std::vector<std::uint8_t> multiResponseBody(const std::vector<ProcessTxnResult>& results)
{
    JuteWriter w;
    for (const ProcessTxnResult& sub : results) {
        const auto err = static_cast<std::int32_t>(sub.err);
        switch (sub.type) {
        case OpCode::Create:
            writeMultiHeader(w, sub.type, false, 0);
            w.writeString(sub.path);
            break;
        case OpCode::Create2:
        case OpCode::CreateTtl:
        case OpCode::CreateContainer:
            // OpResult.CreateResult(path, stat) is typed create2 whatever the create was.
            writeMultiHeader(w, OpCode::Create2, false, 0);
            w.writeString(sub.path);
            writeStat(w, sub.stat.value_or(Stat{}));
            break;
        case OpCode::Delete:
        case OpCode::DeleteContainer:
            writeMultiHeader(w, OpCode::Delete, false, 0); // OpResult.DeleteResult
            break;
        case OpCode::Check:
            writeMultiHeader(w, sub.type, false, 0);
            break;
        case OpCode::SetData:
            writeMultiHeader(w, sub.type, false, 0);
            writeStat(w, sub.stat.value_or(Stat{}));
            break;
        default:
            writeMultiHeader(w, OpCode::Error, false, err);
            w.writeInt(err);
            break;
        }
    }
    writeMultiHeader(w, OpCode::Error, true, -1);
    return w.take();
}

} // namespace

void ServerCore::applyTxn(Pending& pending, ProcessTxnResult& result)
{
    const Zxid zxid = pending.txn->header.zxid;
    switch (pending.kind) {
    case PendingKind::Connect:
        sendFrame(pending.connection, encodeRecord(pending.connectResponse), false);
        return;
    case PendingKind::Expire: {
        m_sessions.removeSession(pending.session);
        auto bound = m_sessionConnection.find(pending.session);
        if (bound != m_sessionConnection.end())
            closeConnection(bound->second);
        return;
    }
    case PendingKind::Internal:
    case PendingKind::LearnerSync:
        return;
    case PendingKind::Request:
        break;
    }

    const ZError err = result.err;
    if (pending.type == OpCode::CloseSession) {
        m_sessions.removeSession(pending.session);
        m_sessionConnection.erase(pending.session);
        sendReply(pending.connection, pending.xid, zxid, ZError::Ok, {}, true);
        return;
    }
    if (pending.type == OpCode::Multi) {
        sendReply(pending.connection, pending.xid, zxid, ZError::Ok,
                  multiResponseBody(result.multiResult));
        return;
    }
    if (err != ZError::Ok) {
        sendReply(pending.connection, pending.xid, zxid, err, {});
        return;
    }
    JuteWriter body;
    switch (pending.type) {
    case OpCode::Create:
        body.writeString(result.path);
        break;
    case OpCode::Create2:
    case OpCode::CreateContainer:
    case OpCode::CreateTtl:
        body.writeString(result.path);
        writeStat(body, result.stat.value_or(Stat{}));
        break;
    case OpCode::SetData:
    case OpCode::SetAcl:
    case OpCode::Check:
        writeStat(body, result.stat.value_or(Stat{}));
        break;
    default:
        break;
    }
    sendReply(pending.connection, pending.xid, zxid, ZError::Ok, body.bytes());
}

namespace {

// The node at path if this connection may read it (NoNode or NoAuth otherwise), as
// FinalRequestProcessor checks before every read.
ZError readableNode(const DataTree& tree, const std::string& path, const std::vector<Id>& authIds,
                    const DataNode*& node)
{
    node = tree.node(path);
    if (node == nullptr)
        return ZError::NoNode;
    return checkAcl(tree.aclOf(*node), perms::Read, authIds) ? ZError::Ok : ZError::NoAuth;
}

} // namespace

// Serves one read (or session-level request) against the tree as it is now. Returns the error;
// fills body on success.
static ZError serveRead(DataTree& tree, const std::vector<Id>& authIds, ConnectionId connection,
                        SessionId session, OpCode type, std::span<const std::uint8_t> payload,
                        std::int32_t maxBuffer, JuteWriter& body);

void ServerCore::replyRead(Pending& pending)
{
    auto info = m_connections.find(pending.connection);
    if (info == m_connections.end())
        return;
    JuteWriter body;
    ZError err = ZError::Ok;
    if (pending.type == OpCode::MultiRead) {
        auto multi = decodeRecord<MultiRequest>(pending.body, m_config.maxBufferBytes);
        if (!multi) {
            err = ZError::MarshallingError;
        } else {
            for (const MultiOp& op : multi->ops) {
                JuteWriter sub;
                ZError subErr = ZError::BadArguments;
                if (op.type == OpCode::GetData || op.type == OpCode::GetChildren)
                    subErr =
                        serveRead(m_tree, info->second.authIds, pending.connection, pending.session,
                                  op.type, encodeMultiOpBody(op), m_config.maxBufferBytes, sub);
                if (subErr == ZError::Ok) {
                    MultiHeader{op.type, false, 0}.write(body);
                    body.writeRaw(sub.bytes());
                } else {
                    MultiHeader{OpCode::Error, false, static_cast<std::int32_t>(subErr)}.write(
                        body);
                    body.writeInt(static_cast<std::int32_t>(subErr));
                }
            }
            MultiHeader{OpCode::Error, true, -1}.write(body);
        }
    } else {
        err = serveRead(m_tree, info->second.authIds, pending.connection, pending.session,
                        pending.type, pending.body, m_config.maxBufferBytes, body);
    }
    sendReply(pending.connection, pending.xid, lastProcessedZxid(), err, body.bytes());
}

static ZError serveRead(DataTree& tree, const std::vector<Id>& authIds, ConnectionId connection,
                        SessionId session, OpCode type, std::span<const std::uint8_t> payload,
                        std::int32_t maxBuffer, JuteWriter& body)
{
    const auto watcher = static_cast<WatcherId>(connection);
    switch (type) {
    case OpCode::Ping:
        return ZError::Ok;
    case OpCode::Exists: {
        auto request = decodeRecord<ExistsRequest>(payload, maxBuffer);
        if (!request)
            return ZError::MarshallingError;
        if (request->path.find('\0') != std::string::npos)
            return ZError::BadArguments;
        const DataNode* node = tree.node(request->path);
        if (node != nullptr && !checkAcl(tree.aclOf(*node), perms::Read, authIds))
            return ZError::NoAuth;
        if (request->watch)
            tree.watches().addWatch(request->path, watcher, WatchKind::Data);
        if (node == nullptr)
            return ZError::NoNode;
        writeStat(body, tree.statOf(*node));
        return ZError::Ok;
    }
    case OpCode::GetData: {
        auto request = decodeRecord<GetDataRequest>(payload, maxBuffer);
        if (!request)
            return ZError::MarshallingError;
        const DataNode* node = nullptr;
        if (const ZError err = readableNode(tree, request->path, authIds, node); err != ZError::Ok)
            return err;
        if (request->watch)
            tree.watches().addWatch(request->path, watcher, WatchKind::Data);
        if (node->data)
            body.writeBuffer(*node->data);
        else
            body.writeNullBuffer();
        writeStat(body, tree.statOf(*node));
        return ZError::Ok;
    }
    case OpCode::GetChildren:
    case OpCode::GetChildren2: {
        auto request = decodeRecord<GetChildrenRequest>(payload, maxBuffer);
        if (!request)
            return ZError::MarshallingError;
        const DataNode* node = nullptr;
        if (const ZError err = readableNode(tree, request->path, authIds, node); err != ZError::Ok)
            return err;
        if (request->watch)
            tree.watches().addWatch(request->path, watcher, WatchKind::Child);
        body.writeInt(static_cast<std::int32_t>(node->children.size()));
        for (const auto& [name, child] : node->children)
            body.writeString(name);
        if (type == OpCode::GetChildren2)
            writeStat(body, tree.statOf(*node));
        return ZError::Ok;
    }
    case OpCode::GetAcl: {
        auto request = decodeRecord<GetAclRequest>(payload, maxBuffer);
        if (!request)
            return ZError::MarshallingError;
        const DataNode* node = tree.node(request->path);
        if (node == nullptr)
            return ZError::NoNode;
        AclList acl = tree.aclOf(*node);
        if (!checkAcl(acl, perms::Admin, authIds)) {
            if (!checkAcl(acl, perms::Read, authIds))
                return ZError::NoAuth;
            for (Acl& entry : acl) {
                if (entry.id.scheme == "digest")
                    entry.id.id = entry.id.id.substr(0, entry.id.id.find(':')) + ":x";
            }
        }
        writeAclList(body, acl);
        writeStat(body, tree.statOf(*node));
        return ZError::Ok;
    }
    case OpCode::GetAllChildrenNumber: {
        auto request = decodeRecord<GetAllChildrenNumberRequest>(payload, maxBuffer);
        if (!request)
            return ZError::MarshallingError;
        const DataNode* node = nullptr;
        if (const ZError err = readableNode(tree, request->path, authIds, node); err != ZError::Ok)
            return err;
        body.writeInt(tree.allChildrenNumber(request->path));
        return ZError::Ok;
    }
    case OpCode::GetEphemerals: {
        auto request = decodeRecord<GetEphemeralsRequest>(payload, maxBuffer);
        if (!request)
            return ZError::MarshallingError;
        std::vector<std::string> matches;
        for (const std::string& path : tree.ephemerals(session)) {
            if (request->prefixPath.empty() || request->prefixPath == "/" ||
                path.rfind(request->prefixPath, 0) == 0)
                matches.push_back(path);
        }
        body.writeInt(static_cast<std::int32_t>(matches.size()));
        for (const std::string& path : matches)
            body.writeString(path);
        return ZError::Ok;
    }
    case OpCode::Sync: {
        auto request = decodeRecord<SyncRequest>(payload, maxBuffer);
        if (!request)
            return ZError::MarshallingError;
        body.writeString(request->path);
        return ZError::Ok;
    }
    case OpCode::SetWatches: {
        auto request = decodeRecord<SetWatches>(payload, maxBuffer);
        if (!request)
            return ZError::MarshallingError;
        tree.setWatches(request->relativeZxid, request->dataWatches, request->existWatches,
                        request->childWatches, {}, {}, watcher);
        return ZError::Ok;
    }
    case OpCode::SetWatches2: {
        auto request = decodeRecord<SetWatches2>(payload, maxBuffer);
        if (!request)
            return ZError::MarshallingError;
        tree.setWatches(request->relativeZxid, request->dataWatches, request->existWatches,
                        request->childWatches, request->persistentWatches,
                        request->persistentRecursiveWatches, watcher);
        return ZError::Ok;
    }
    case OpCode::CheckWatches:
    case OpCode::RemoveWatches: {
        auto request = decodeRecord<CheckWatchesRequest>(payload, maxBuffer);
        if (!request)
            return ZError::MarshallingError;
        const WatcherType watcherType = request->type;
        const bool found = type == OpCode::CheckWatches
                               ? tree.watches().containsWatcher(request->path, watcherType, watcher)
                               : tree.watches().removeWatcher(request->path, watcherType, watcher);
        return found ? ZError::Ok : ZError::NoWatcher;
    }
    case OpCode::AddWatch: {
        auto request = decodeRecord<AddWatchRequest>(payload, maxBuffer);
        if (!request)
            return ZError::MarshallingError;
        if (request->mode != AddWatchMode::Persistent &&
            request->mode != AddWatchMode::PersistentRecursive)
            return ZError::BadArguments;
        tree.watches().addWatch(request->path, watcher,
                                request->mode == AddWatchMode::Persistent
                                    ? WatchKind::Persistent
                                    : WatchKind::PersistentRecursive);
        body.writeInt(0);
        return ZError::Ok;
    }
    case OpCode::WhoAmI: {
        // Authenticated ids first, then the connection's ip id, each with the user name its
        // provider reports (a digest id shows only the part before the colon).
        std::vector<Id> ordered;
        std::copy_if(authIds.begin(), authIds.end(), std::back_inserter(ordered),
                     [](const Id& id) { return id.scheme != "ip"; });
        std::copy_if(authIds.begin(), authIds.end(), std::back_inserter(ordered),
                     [](const Id& id) { return id.scheme == "ip"; });
        body.writeInt(static_cast<std::int32_t>(ordered.size()));
        for (const Id& id : ordered) {
            body.writeString(id.scheme);
            body.writeString(id.scheme == "digest" ? id.id.substr(0, id.id.find(':')) : id.id);
        }
        return ZError::Ok;
    }
    default:
        return ZError::Unimplemented;
    }
}

} // namespace zk
