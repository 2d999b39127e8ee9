#pragma once
// The prep stage turns a write request into the txn that every server will apply, as
// ZooKeeper's PrepRequestProcessor does: it validates paths, versions and ACLs against the
// tree *plus* the changes of txns that are prepared but not yet applied (outstanding
// change records), names sequential nodes, and expands ACLs. A request that fails becomes
// an ErrorTxn with its own zxid (a failed multi becomes a MultiTxn of per-op results).
//
// Caller: the server core, on its one thread. The tree is only read here; the core calls
// applied() after DataTree::processTxn so that stale change records are dropped.

#include "core/error.h"
#include "data/data_tree.h"
#include "data/txn.h"
#include "server/server_types.h"

#include <deque>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace zk {

struct MultiOp;

// The bytes of one op of a multi, as a standalone request body.
std::vector<std::uint8_t> encodeMultiOpBody(const MultiOp& op);

class PrepStage
{
public:
    struct Request
    {
        SessionId session = 0;
        Xid xid = 0;
        OpCode type = OpCode::Error;
        std::span<const std::uint8_t> body;
        const std::vector<Id>* authIds = nullptr;
    };

    PrepStage(const DataTree& tree, const ServerCoreConfig& config);

    // True for the request types that become txns.
    static bool isWrite(OpCode type);

    // Prepares a write. Returns nullopt only when the body cannot be decoded (the caller
    // answers MarshallingError without consuming a zxid).
    std::optional<LoggedTxn> prepare(const Request& request, Zxid zxid, std::int64_t wallMs);
    LoggedTxn prepareCreateSession(SessionId session, std::int32_t timeoutMs, Zxid zxid,
                                   std::int64_t wallMs);
    LoggedTxn prepareCloseSession(SessionId session, Zxid zxid, std::int64_t wallMs);
    // deleteContainer, issued by the container manager; nullopt when no longer eligible.
    std::optional<LoggedTxn> prepareDeleteContainer(const std::string& path, Zxid zxid,
                                                    std::int64_t wallMs);

    // Drops change records of txns with zxid <= applied.
    void applied(Zxid zxid);
    bool hasOutstandingChanges() const { return !m_changes.empty(); }
    // The tree's digest once every txn prepared so far is applied (as PrepRequestProcessor
    // .getCurrentTreeDigest): the tree's own digest plus the outstanding changes' deltas.
    std::int64_t predictedDigest() const;

private:
    struct ChangeRecord
    {
        Zxid zxid = 0;
        std::string path;
        std::optional<StatPersisted> stat; // nullopt: deleted by an outstanding txn
        std::int32_t childCount = 0;
        AclList acl;
        // CRC32 of path and data (data/node_digest.h); unset until the change is recorded.
        std::optional<std::uint32_t> contentCrc = std::nullopt;
        std::int64_t treeDigest = 0; // the tree's digest once this change is applied
    };

    struct Context
    {
        const Request& request;
        Zxid zxid;
        std::int64_t wallMs;
    };

    // Each returns the error of the op, filling txn on success.
    ZError prepCreate(const Context& ctx, OpCode type, std::span<const std::uint8_t> body,
                      Txn& txn);
    ZError prepDelete(const Context& ctx, std::span<const std::uint8_t> body, Txn& txn);
    ZError prepSetData(const Context& ctx, std::span<const std::uint8_t> body, Txn& txn);
    ZError prepSetAcl(const Context& ctx, std::span<const std::uint8_t> body, Txn& txn);
    ZError prepCheck(const Context& ctx, std::span<const std::uint8_t> body, Txn& txn);
    ZError prepOne(const Context& ctx, OpCode type, std::span<const std::uint8_t> body, Txn& txn,
                   bool& malformed);
    std::optional<LoggedTxn> prepMulti(const Context& ctx);

    // ChangeRecord for path from outstanding changes or the tree; nullopt means NoNode.
    std::optional<ChangeRecord> recordFor(const std::string& path) const;
    void addChange(ChangeRecord record);
    void rollback(Zxid zxid);
    bool checkAcl(const AclList& acl, std::int32_t perm, const Request& request) const;
    // The record at path if the request holds perm on it (NoNode or NoAuth otherwise).
    ZError permittedRecord(const std::string& path, std::int32_t perm, const Request& request,
                           std::optional<ChangeRecord>& out) const;

    const DataTree& m_tree;
    const ServerCoreConfig& m_config;
    std::deque<ChangeRecord> m_changes;
    std::map<std::string, std::size_t, std::less<>> m_latest; // path -> index offset
    std::size_t m_dropped = 0; // records popped from the front of m_changes so far
};

} // namespace zk
