#pragma once
// The znode tree of one server, as Apache's server/DataTree: znodes keyed by full path,
// the ephemeral/container/TTL indexes, the ACL cache, the watches and the tree digest.
//
// Callers: the final stage applies committed txns with processTxn and serves reads with
// node/statOf/children; storage writes and restores snapshots with forEachNodePreOrder and
// the restore calls; the ContainerManager asks for candidateContainers. Not thread-safe:
// one thread owns the tree. Pure: no clock (time comes from TxnHeader.time or arguments).
//
// Every watch fired by a txn or by setWatches is appended to a queue; the caller drains it
// with takeFiredWatches after each call and delivers the events before the write's reply.

#include "core/error.h"
#include "core/ids.h"
#include "data/acl_cache.h"
#include "data/child_names.h"
#include "data/stat.h"
#include "data/txn.h"
#include "data/watch_manager.h"

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace zk {

struct DataNode
{
    // nullopt is Java's null data (written as buffer length -1 in snapshots).
    std::optional<std::vector<std::uint8_t>> data;
    // Key into the tree's AclCache; -1 is OPEN_ACL_UNSAFE.
    std::int64_t aclId = AclCache::openAclUnsafeId;
    StatPersisted stat;
    // Child names (not paths). Rebuilt by finishRestore; not part of the snapshot.
    ChildNames children;
    // This node's DigestCalculator digest (data/node_digest.h), kept current by the tree
    // (as DataNode.digestCached), so that a change re-hashes the node once.
    std::int64_t digest = 0;
};

// The outcome of one txn (as DataTree.ProcessTxnResult). For a multi, `multiResult` holds
// one result per sub-txn and `err` is the first non-zero sub-result error; a failed multi's
// sub-results are type Error with Ok before the failing op, its code at it and
// RuntimeInconsistency after it. (The reply header of a multi always carries 0.)
struct ProcessTxnResult
{
    SessionId clientId = 0;
    Xid cxid = 0;
    Zxid zxid = 0;
    ZError err = ZError::Ok;
    OpCode type = OpCode::Error;
    // The znode acted on (create: the final, possibly sequential, path).
    std::string path;
    // The node's client-visible stat after create*, setData and setACL.
    std::optional<Stat> stat;
    std::vector<ProcessTxnResult> multiResult;
};

class DataTree
{
public:
    // With extendedTypesEnabled (zookeeper.extendedTypesEnabled) 0xFF.. owners are TTL
    // nodes; otherwise they are plain session ids, as in Apache.
    explicit DataTree(bool extendedTypesEnabled = false);

    // --- Reads -------------------------------------------------------------------------
    // The node at `path` ("/" is the root; "" also finds it), or null.
    const DataNode* node(std::string_view path) const;
    // DataNode.copyStat: cversion shown as cversion*2 - numChildren, ephemeralOwner shown
    // as 0 for container and TTL nodes, plus dataLength and numChildren.
    Stat statOf(const DataNode& node) const;
    const AclList& aclOf(const DataNode& node) const;
    AclPtr sharedAclOf(const DataNode& node) const;
    // Child names in sorted order; empty when the node does not exist.
    std::vector<std::string> children(std::string_view path) const;
    // getAllChildrenNumber: every node below `path` (as DataTree.getAllChildrenNumber).
    std::int32_t allChildrenNumber(std::string_view path) const;

    // --- Writes ------------------------------------------------------------------------
    // Applies one committed txn exactly as DataTree.processTxn(hdr, txn): failures are
    // results (NoNode, NodeExists, ...) so that replaying txns over a fuzzy snapshot is
    // harmless; a create that meets NodeExists still raises the parent's cversion/pzxid.
    // header.type selects the operation (create vs create2, delete vs deleteContainer,
    // reconfig vs setData). Advances lastProcessedZxid.
    ProcessTxnResult processTxn(const TxnHeader& header, const Txn& txn);
    // The same for a logged txn, then DataTree.compareDigest: a TxnDigest of this tree's
    // digest version that differs from the tree's digest after the txn is counted as a
    // mismatch (and the first one's zxid kept). As in Apache it is reported, not fatal.
    // Replay over a fuzzy snapshot must use the form above until the snapshot's digest zxid.
    ProcessTxnResult processTxn(const LoggedTxn& txn);
    std::uint64_t digestMismatches() const { return m_digestMismatches; }
    std::optional<Zxid> firstDigestMismatch() const { return m_firstDigestMismatch; }
    Zxid lastProcessedZxid() const { return m_lastProcessedZxid; }
    void setLastProcessedZxid(Zxid zxid) { m_lastProcessedZxid = zxid; }

    // --- Sessions, containers, TTL -----------------------------------------------------
    // Paths of a session's ephemerals (empty set if none).
    const std::set<std::string>& ephemerals(SessionId session) const;
    std::vector<SessionId> sessionsWithEphemerals() const;
    std::size_t ephemeralCount() const;
    const std::set<std::string>& containers() const { return m_containers; }
    const std::set<std::string>& ttls() const { return m_ttls; }
    // Sorted paths the ContainerManager should delete now (as ContainerManager
    // .getCandidates): containers with no children and cversion > 0 (or, when
    // maxNeverUsedIntervalMs > 0, never used and older than that), and TTL nodes with no
    // children and nowMs - mtime > ttl.
    std::vector<std::string> candidateContainers(std::int64_t nowMs,
                                                 std::int64_t maxNeverUsedIntervalMs = 0) const;

    // --- Watches -----------------------------------------------------------------------
    WatchManager& watches() { return m_watches; }
    const WatchManager& watches() const { return m_watches; }
    // Re-registers a reconnecting client's watches (as DataTree.setWatches): a data watch
    // on a missing node fires NodeDeleted, on a node with mzxid > relativeZxid
    // NodeDataChanged; an exist watch on an existing node fires NodeCreated; a child watch
    // on a missing node fires NodeDeleted, with pzxid > relativeZxid NodeChildrenChanged;
    // everything else, and all persistent watches, is re-added.
    void setWatches(Zxid relativeZxid, const std::vector<std::string>& dataWatches,
                    const std::vector<std::string>& existWatches,
                    const std::vector<std::string>& childWatches,
                    const std::vector<std::string>& persistentWatches,
                    const std::vector<std::string>& persistentRecursiveWatches, WatcherId watcher);
    std::vector<FiredWatch> takeFiredWatches();
    bool hasFiredWatches() const { return !m_fired.empty(); }

    // --- Counters ----------------------------------------------------------------------
    // As DataTree.getNodeCount, which counts the root twice (Apache maps both "" and "/"
    // to it): a fresh tree reports 5.
    std::size_t nodeCount() const { return m_nodes.size() + 1; }
    // As DataTree.approximateDataSize: the sum over that same map of path length plus data
    // length (so the root's data counts twice and "/" adds 1).
    std::int64_t approximateDataSize() const { return m_dataSize; }
    // DigestCalculator version 2: the sum of CRC32(path, data, stat) over all nodes,
    // nodes under "/zookeeper/" excluded and the root hashed with path "" (as
    // NodeHashMapImpl and AdHash).
    std::int64_t digest() const { return m_digest; }
    static constexpr std::int32_t digestVersion = 2;
    AclCache& acls() { return m_acls; }
    const AclCache& acls() const { return m_acls; }

    // --- Snapshots ---------------------------------------------------------------------
    // Visits every node, the root first (as path "/"; Apache's snapshot writes it as ""),
    // then each subtree with children in sorted order.
    void forEachNodePreOrder(
        const std::function<void(const std::string& path, const DataNode& node)>& visit) const;
    // Restore: beginRestore empties the tree, its indexes and the ACL cache (watches stay);
    // then the snapshot's ACL entries go to acls().addRaw and its nodes to
    // addNodeForRestore ("" or "/" for the root; children are ignored); finishRestore
    // rebuilds children, indexes, ACL use counts, size and digest, and returns false if a
    // node's parent or the root is missing.
    void beginRestore();
    void addNodeForRestore(std::string path, DataNode node);
    bool finishRestore();

private:
    struct PathHash
    {
        using is_transparent = void;
        std::size_t operator()(std::string_view path) const noexcept;
    };
    using NodeMap = std::unordered_map<std::string, DataNode, PathHash, std::equal_to<>>;

    DataNode* findNode(std::string_view path);
    ProcessTxnResult apply(const TxnHeader& header, OpCode type, const TxnBody& body);
    void applyMulti(const TxnHeader& header, const MultiTxn& multi, ProcessTxnResult& rc);
    ZError createNode(std::string_view path, std::optional<std::vector<std::uint8_t>> data,
                      const AclList& acl, std::int64_t ephemeralOwner, std::int32_t parentCVersion,
                      Zxid zxid, std::int64_t time, std::optional<Stat>* outStat);
    ZError deleteNode(std::string_view path, Zxid zxid);
    ZError setData(std::string_view path, const std::optional<std::vector<std::uint8_t>>& data,
                   std::int32_t version, Zxid zxid, std::int64_t time, std::optional<Stat>* out);
    ZError setAcl(std::string_view path, const AclList& acl, std::int32_t version,
                  std::optional<Stat>* out);
    ZError setCversionPzxid(std::string_view path, std::int32_t newCversion, Zxid zxid);
    void killSession(SessionId session, Zxid zxid,
                     const std::optional<std::vector<std::string>>& paths2Delete);
    void indexNode(const std::string& path, std::int64_t owner);
    void unindexNode(const std::string& path, std::int64_t owner);
    std::int64_t nodeDigest(std::string_view path, const DataNode& node) const;
    // After a change to node: the tree's digest trades its cached digest for a fresh one.
    void rehash(std::string_view path, DataNode& node);
    std::int64_t nodeSize(std::string_view path, const DataNode& node) const;
    void fire(std::vector<FiredWatch> fired);
    void addSpecialNodes();

    bool m_extendedTypes;
    NodeMap m_nodes;
    AclCache m_acls;
    WatchManager m_watches;
    std::vector<FiredWatch> m_fired;
    std::map<SessionId, std::set<std::string>> m_ephemerals;
    std::set<std::string> m_containers;
    std::set<std::string> m_ttls;
    Zxid m_lastProcessedZxid = 0;
    std::int64_t m_dataSize = 0;
    std::int64_t m_digest = 0;
    std::uint64_t m_digestMismatches = 0;
    std::optional<Zxid> m_firstDigestMismatch;
};

} // namespace zk
