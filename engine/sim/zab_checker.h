#pragma once
// ZabChecker holds the ZAB invariants of a ZabCluster run. The cluster reports what it sees
// the real peers do (txns they log or receive, their database's lastProcessedZxid after each
// input, resets, establishment, client acknowledgements); the checker keeps, per node, the
// history of txns its database holds, and one committed history for the whole run:
//
//   - one established leader per epoch;
//   - one txn per zxid: every copy of a zxid, logged or sent by anyone, has the same bytes;
//   - a node's history only grows, one txn at a time in zxid order, except at a reset the
//     cluster names (restart from disk, TRUNC reload, SNAP), and a TRUNC or SNAP never drops
//     a committed txn;
//   - the committed history is the history of the serving leader. A new leader's history
//     starts with all of it (ZAB's primary-order and integrity); while serving, the histories
//     of every leader and learner are prefixes of one another, and a serving node's DataTree
//     digest equals the digest of the committed history replayed up to its last zxid;
//   - a committed txn that carries a TxnDigest carries the digest of the committed history
//     replayed up to and including it (the leader predicted it before applying anything);
//   - a write a client got OK for is committed when the reply arrives;
//   - a node's currentEpoch e means its durable history starts with the history e was
//     established with (checked when it restarts and after a reset): else it could win an
//     election on e and truncate committed txns.
//
// How a node's history is known without a hook in the peer: a database only moves forward by
// applying txns that reached the node (logged by it, or received in PROPOSAL/INFORM), in zxid
// order, so a move from zxid a to b applied exactly the known txns in (a, b]. A node that
// goes back to LOOKING drops what it received but never applied (its inflight proposals), as
// the peer does. The digest check catches a wrong inference as surely as a wrong database.
//
// Problems are returned as text; the cluster stamps them with seed and tick. One thread.

#include "core/ids.h"
#include "data/data_tree.h"
#include "data/txn.h"

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace zk::sim {

// How a reset may lose txns: a SNAP or TRUNC from a leader must not drop a committed txn,
// except (TRUNC) the leader's own proposals of resentEpoch, which it sends again right after;
// a node reloading its own disk may lose committed txns it never acked, as in a crash.
struct ResetKind
{
    bool fromOwnDisk = false;
    Epoch resentEpoch = -1;
};

class ZabChecker
{
public:
    ZabChecker();

    // A node (re)starts with the history its recovered database holds.
    void started(Sid sid, std::vector<Zxid> history, Zxid treeZxid);
    void crashed(Sid sid);

    // A txn the node logs (Persist) or receives (PROPOSAL/INFORM data, encoded).
    void logged(Sid sid, const LoggedTxn& txn);
    void received(Sid sid, Zxid zxid, std::span<const std::uint8_t> bytes);
    // After every input: the database's lastProcessedZxid, and whether the node went back to
    // LOOKING during that input.
    void observe(Sid sid, Zxid treeZxid, bool wentLooking);
    // The database was replaced (TRUNC reload, SNAP) by one holding `history`.
    void reset(Sid sid, std::vector<Zxid> history, Zxid treeZxid, const std::string& why,
               ResetKind kind = {});
    void snapshotTaken(Sid sid, std::uint64_t snapshotId, Zxid zxid);
    std::vector<Zxid> snapshotHistory(Sid sid, std::optional<std::uint64_t> snapshotId) const;

    void established(Sid sid, Epoch epoch);
    // After a restart or reset: the node's currentEpoch, checked against its history.
    void holdsEpochHistory(Sid sid, Epoch currentEpoch, const std::string& when);
    // After every input of a serving node: a serving leader's history becomes the committed
    // one; a serving learner's must be a prefix of it; the digest must match.
    void serving(Sid sid, bool leader, std::int64_t treeDigest);
    // A client's OK for a write that carried zxid.
    void acknowledged(const std::string& what, Zxid zxid);

    const std::vector<Zxid>& history(Sid sid) const;
    std::vector<Zxid> historyUpTo(Sid sid, Zxid zxid) const;
    std::size_t committedCount() const { return m_committed.size(); }
    Zxid lastCommitted() const { return m_committed.empty() ? 0 : m_committed.back(); }
    bool isCommitted(Zxid zxid) const { return m_committedIndex.contains(zxid); }
    std::vector<std::string> takeProblems() { return std::exchange(m_problems, {}); }

private:
    struct Node
    {
        std::vector<Zxid> history;
        std::vector<std::uint64_t> chain; // chain[i] hashes history[0..i]
        std::set<Zxid> known;             // reached the node, not applied yet
        Zxid treeZxid = 0;
        bool live = false;
    };

    Node& node(Sid sid) { return m_nodes[sid]; }
    void setHistory(Node& n, std::vector<Zxid> history);
    void append(Node& n, Zxid zxid);
    void catalog(Sid sid, Zxid zxid, std::vector<std::uint8_t> bytes);
    bool isPrefixOfCommitted(const Node& n) const;
    bool committedIsPrefixOf(const Node& n) const;
    void extendCommitted(Sid sid, const Node& n);
    void problem(std::string text);

    std::map<Sid, Node> m_nodes;
    std::map<Zxid, std::vector<std::uint8_t>> m_txns; // every txn seen, encoded
    std::map<Epoch, Sid> m_establishedBy;
    // The leader's history when it established the epoch: its length and chain hash.
    std::map<Epoch, std::pair<std::size_t, std::uint64_t>> m_epochHistory;
    std::map<std::pair<Sid, std::uint64_t>, std::vector<Zxid>> m_snapshots;

    std::vector<Zxid> m_committed;
    std::vector<std::uint64_t> m_committedChain;
    std::vector<std::int64_t> m_committedDigest; // the reference tree's after each txn
    std::map<Zxid, std::size_t> m_committedIndex;
    DataTree m_reference;
    std::int64_t m_emptyDigest = 0;
    bool m_diverged = false; // reported once; the committed history stops growing

    std::vector<std::string> m_problems;
};

} // namespace zk::sim
