#include "sim/zab_checker.h"

#include "proto/txn_codec.h"

#include <fmt/format.h>

#include <algorithm>

namespace zk::sim {

namespace {

std::uint64_t chainNext(std::uint64_t previous, Zxid zxid)
{
    std::uint64_t z = previous ^ (static_cast<std::uint64_t>(zxid) + 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

std::string hex(Zxid zxid)
{
    return fmt::format("0x{:x}", zxid);
}

} // namespace

ZabChecker::ZabChecker() : m_emptyDigest(m_reference.digest())
{}

void ZabChecker::problem(std::string text)
{
    m_problems.push_back(std::move(text));
}

void ZabChecker::setHistory(Node& n, std::vector<Zxid> history)
{
    n.history = std::move(history);
    n.chain.clear();
    n.chain.reserve(n.history.size());
    std::uint64_t chain = 0;
    for (Zxid zxid : n.history) {
        chain = chainNext(chain, zxid);
        n.chain.push_back(chain);
    }
}

void ZabChecker::append(Node& n, Zxid zxid)
{
    n.chain.push_back(chainNext(n.chain.empty() ? 0 : n.chain.back(), zxid));
    n.history.push_back(zxid);
}

void ZabChecker::started(Sid sid, std::vector<Zxid> history, Zxid treeZxid)
{
    Node& n = node(sid);
    const Zxid last = history.empty() ? 0 : history.back();
    if (last != treeZxid)
        problem(fmt::format("n{} recovered a tree at {} from a history ending at {}", sid,
                            hex(treeZxid), hex(last)));
    setHistory(n, std::move(history));
    n.known.clear();
    n.treeZxid = treeZxid;
    n.live = true;
}

void ZabChecker::crashed(Sid sid)
{
    Node& n = node(sid);
    n.live = false;
    n.known.clear();
}

void ZabChecker::catalog(Sid sid, Zxid zxid, std::vector<std::uint8_t> bytes)
{
    const auto [it, inserted] = m_txns.try_emplace(zxid, std::move(bytes));
    if (!inserted && it->second != bytes)
        problem(fmt::format("n{} holds a txn {} whose bytes differ from another copy of {}", sid,
                            hex(zxid), hex(zxid)));
}

void ZabChecker::logged(Sid sid, const LoggedTxn& txn)
{
    catalog(sid, txn.header.zxid, encodeTxn(txn));
    Node& n = node(sid);
    if (txn.header.zxid > n.treeZxid)
        n.known.insert(txn.header.zxid);
}

void ZabChecker::received(Sid sid, Zxid zxid, std::span<const std::uint8_t> bytes)
{
    catalog(sid, zxid, std::vector<std::uint8_t>(bytes.begin(), bytes.end()));
    Node& n = node(sid);
    if (zxid > n.treeZxid)
        n.known.insert(zxid);
}

void ZabChecker::observe(Sid sid, Zxid treeZxid, bool wentLooking)
{
    Node& n = node(sid);
    if (treeZxid > n.treeZxid) {
        Zxid last = n.treeZxid;
        auto it = n.known.upper_bound(n.treeZxid);
        while (it != n.known.end() && *it <= treeZxid) {
            append(n, *it);
            last = *it;
            it = n.known.erase(it);
        }
        if (last != treeZxid)
            problem(fmt::format("n{} applied txns up to {}, but no txn {} reached it", sid,
                                hex(treeZxid), hex(treeZxid)));
    } else if (treeZxid < n.treeZxid) {
        problem(fmt::format("n{} lastProcessedZxid went back from {} to {} without a TRUNC, "
                            "SNAP or restart",
                            sid, hex(n.treeZxid), hex(treeZxid)));
    }
    n.treeZxid = treeZxid;
    n.known.erase(n.known.begin(), n.known.upper_bound(treeZxid));
    if (wentLooking)
        n.known.clear(); // what was received and not applied is gone with the role
}

void ZabChecker::reset(Sid sid, std::vector<Zxid> history, Zxid treeZxid, const std::string& why,
                       ResetKind kind)
{
    Node& n = node(sid);
    const Zxid last = history.empty() ? 0 : history.back();
    if (last != treeZxid)
        problem(fmt::format("n{} {}: a tree at {} from a history ending at {}", sid, why,
                            hex(treeZxid), hex(last)));
    // What the reset drops must not be committed.
    std::size_t common = 0;
    while (common < n.history.size() && common < history.size() &&
           n.history[common] == history[common])
        ++common;
    for (std::size_t i = common; i < n.history.size() && !kind.fromOwnDisk; ++i) {
        if (isCommitted(n.history[i]) && zxidEpoch(n.history[i]) != kind.resentEpoch) {
            problem(fmt::format("n{} {} dropped committed txn {} (kept {} of {} txns, the new "
                                "history has {}{})",
                                sid, why, hex(n.history[i]), common, n.history.size(),
                                history.size(),
                                common < history.size() ? ", from " + hex(history[common]) : ""));
            break;
        }
    }
    setHistory(n, std::move(history));
    n.known.clear();
    n.treeZxid = treeZxid;
}

void ZabChecker::snapshotTaken(Sid sid, std::uint64_t snapshotId, Zxid zxid)
{
    const Node& n = node(sid);
    const Zxid last = n.history.empty() ? 0 : n.history.back();
    if (last != zxid)
        problem(fmt::format("n{} took a snapshot at {} of a history ending at {}", sid, hex(zxid),
                            hex(last)));
    m_snapshots[{sid, snapshotId}] = n.history;
}

std::vector<Zxid> ZabChecker::snapshotHistory(Sid sid,
                                              std::optional<std::uint64_t> snapshotId) const
{
    if (!snapshotId)
        return {};
    const auto it = m_snapshots.find({sid, *snapshotId});
    return it == m_snapshots.end() ? std::vector<Zxid>{} : it->second;
}

const std::vector<Zxid>& ZabChecker::history(Sid sid) const
{
    static const std::vector<Zxid> none;
    const auto it = m_nodes.find(sid);
    return it == m_nodes.end() ? none : it->second.history;
}

std::vector<Zxid> ZabChecker::historyUpTo(Sid sid, Zxid zxid) const
{
    const std::vector<Zxid>& all = history(sid);
    return {all.begin(), std::upper_bound(all.begin(), all.end(), zxid)};
}

bool ZabChecker::isPrefixOfCommitted(const Node& n) const
{
    if (n.history.size() > m_committed.size())
        return false;
    return n.history.empty() || n.chain.back() == m_committedChain[n.history.size() - 1];
}

bool ZabChecker::committedIsPrefixOf(const Node& n) const
{
    if (m_committed.size() > n.history.size())
        return false;
    return m_committed.empty() || m_committedChain.back() == n.chain[m_committed.size() - 1];
}

void ZabChecker::established(Sid sid, Epoch epoch)
{
    const auto [it, inserted] = m_establishedBy.try_emplace(epoch, sid);
    if (!inserted && it->second != sid)
        problem(
            fmt::format("two leaders established epoch {}: n{} and n{}", epoch, it->second, sid));
    const Node& n = node(sid);
    m_epochHistory.try_emplace(epoch, n.history.size(), n.chain.empty() ? 0 : n.chain.back());
    if (!m_diverged && !committedIsPrefixOf(n)) {
        problem(fmt::format("n{} established epoch {} without every committed txn: it holds {} "
                            "txns up to {}, {} are committed up to {}",
                            sid, epoch, n.history.size(), hex(n.treeZxid), m_committed.size(),
                            hex(lastCommitted())));
        m_diverged = true;
    }
}

void ZabChecker::holdsEpochHistory(Sid sid, Epoch currentEpoch, const std::string& when)
{
    const auto it = m_epochHistory.find(currentEpoch);
    if (it == m_epochHistory.end())
        return; // not established (yet)
    const auto [size, chain] = it->second;
    const Node& n = node(sid);
    const bool holds = size == 0 || (n.history.size() >= size && n.chain[size - 1] == chain);
    if (!holds) {
        problem(fmt::format("n{} {} with currentEpoch {} but without the {} txns epoch {} was "
                            "established with (it holds {} up to {})",
                            sid, when, currentEpoch, size, currentEpoch, n.history.size(),
                            hex(n.treeZxid)));
    }
}

void ZabChecker::extendCommitted(Sid sid, const Node& n)
{
    for (std::size_t i = m_committed.size(); i < n.history.size(); ++i) {
        const Zxid zxid = n.history[i];
        const auto txn = m_txns.find(zxid);
        std::optional<LoggedTxn> decoded;
        if (txn != m_txns.end())
            decoded = decodeTxn(txn->second);
        if (!decoded) {
            problem(fmt::format("n{} committed {}, a txn nobody logged or sent", sid, hex(zxid)));
            m_diverged = true;
            return;
        }
        m_reference.processTxn(decoded->header, decoded->txn);
        m_reference.takeFiredWatches();
        // The leader predicted this digest when it prepared the txn, with others outstanding.
        if (decoded->digest && decoded->digest->treeDigest != m_reference.digest())
            problem(fmt::format("n{} committed {} whose TxnDigest 0x{:x} is not the tree's 0x{:x}",
                                sid, hex(zxid), decoded->digest->treeDigest, m_reference.digest()));
        m_committedIndex[zxid] = m_committed.size();
        m_committed.push_back(zxid);
        m_committedChain.push_back(n.chain[i]);
        m_committedDigest.push_back(m_reference.digest());
    }
}

void ZabChecker::serving(Sid sid, bool leader, std::int64_t treeDigest)
{
    if (m_diverged)
        return;
    const Node& n = node(sid);
    if (leader && committedIsPrefixOf(n)) {
        extendCommitted(sid, n);
    } else if (!isPrefixOfCommitted(n)) {
        problem(fmt::format("serving {} n{} holds {} txns up to {}, which is not a prefix of the "
                            "{} committed up to {}",
                            leader ? "leader" : "learner", sid, n.history.size(), hex(n.treeZxid),
                            m_committed.size(), hex(lastCommitted())));
        m_diverged = true;
        return;
    }
    const std::int64_t expected =
        n.history.empty() ? m_emptyDigest : m_committedDigest[n.history.size() - 1];
    if (treeDigest != expected) {
        problem(fmt::format("serving n{} at {}: DataTree digest {} differs from the committed "
                            "history's {}",
                            sid, hex(n.treeZxid), treeDigest, expected));
        m_diverged = true;
    }
}

void ZabChecker::acknowledged(const std::string& what, Zxid zxid)
{
    if (!m_diverged && !isCommitted(zxid))
        problem(fmt::format("{} was acknowledged with zxid {}, which is not committed", what,
                            hex(zxid)));
}

} // namespace zk::sim
