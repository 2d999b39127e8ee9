#pragma once
// SimCluster runs simulated servers (SimPeer) over a SimNetwork on one thread, one tick() at
// a time, every random decision taken from one seed. It injects faults (crash, restart with
// persisted state, partitions, loss, delay, duplication), keeps a trace, and checks the
// election invariants after every tick:
//
//   - one established leader per epoch (never two sids establishing the same epoch);
//   - an elected leader's (peerEpoch, zxid, sid) is not below the own vote of any server in
//     the quorum that elected it, in the round it voted in;
//   - liveness: once the live participants form a quorum and the network has been quiet
//     (no fault, no loss, no cut) for convergenceBoundTicks, they all agree on one
//     established leader.
//
// A violation is recorded with the seed and tick ("seed=7 t=120: ..."); ZK_SEED=<seed>
// replays a run (see seedFromEnvironment).

#include "sim/sim_network.h"
#include "sim/sim_peer.h"

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace zk::sim {

enum class TraceLevel
{
    Roles, // Role changes, establishment, crashes and restarts.
    Votes, // Also vote changes, rounds, quorums, decisions.
    All    // Also every notification sent and received, and timeouts.
};

struct SimOptions
{
    std::uint64_t seed = 1;
    int tickMs = 10;
    int finalizeWaitMs = 200;
    int minNotificationIntervalMs = 200;
    int maxNotificationIntervalMs = 60000;
    PeerTiming timing;
    LinkProfile link;
    Tick convergenceBoundTicks = 3000;
    TraceLevel traceLevel = TraceLevel::Roles;
};

// ZK_SEED from the environment when set (replay), else `fallback`.
std::uint64_t seedFromEnvironment(std::uint64_t fallback);

class SimCluster
{
public:
    explicit SimCluster(SimOptions options);

    // Adds participants (then observers) with the next sids, starting at 1. All nodes must
    // be added before the first start(): the quorum configuration is fixed.
    void addNodes(int participants, int observers = 0);
    void setPersistent(Sid sid, PersistentState state); // Before start.
    void start(Sid sid);
    void startAll();

    void tick(int count = 1);
    int deliverAll(); // Delivers everything in flight now, repeatedly (bounded).
    bool runUntilStable(Tick maxTicks);

    void crash(Sid sid);
    void restart(Sid sid, std::optional<PersistentState> state = std::nullopt);
    void partition(const std::vector<std::vector<Sid>>& groups);
    void cut(Sid from, Sid to);
    void heal();
    void setLinkProfile(const LinkProfile& link);
    bool write(); // One txn on the established leader, if any.

    // Every live node agrees on one established leader that a quorum follows.
    bool isStable() const;
    std::optional<Sid> leader() const; // The established leader when stable.
    std::vector<Sid> liveSids() const;
    bool isLive(Sid sid) const { return m_live.contains(sid); }
    const SimPeer& peer(Sid sid) const;
    PersistentState persisted(Sid sid) const;

    const std::vector<std::string>& violations() const { return m_violations; }
    bool checkInvariants() const { return m_violations.empty(); }
    std::vector<std::string> takeTrace() { return std::exchange(m_trace, {}); }
    void setTraceLevel(TraceLevel level) { m_options.traceLevel = level; }

    std::uint64_t seed() const { return m_options.seed; }
    Tick currentTick() const { return m_now; }
    std::uint64_t electionsDecided() const { return m_decisions; }
    // Rounds in which two servers each decided to lead (legal in FLE; ZAB's epoch
    // establishment keeps at most one of them; counted for the report).
    std::uint64_t splitRounds() const { return m_splitRounds; }
    std::uint64_t messagesSent() const { return m_messagesSent; }

private:
    void deliver(Envelope envelope);
    void collect(SimPeer& peer);
    void record(Sid sid, const PeerEvent& event);
    void onDecision(Sid sid, const LeaderElected& elected);
    void checkLiveness();
    void violation(std::string text);
    void disturbed() { m_lastDisturbance = m_now; }
    ElectionConfig electionConfig(Sid sid) const;
    std::string traceLine(Sid sid, const PeerEvent& event) const;

    SimOptions m_options;
    Prng m_prng;
    SimNetwork m_network;
    QuorumVerifier m_quorum;
    std::vector<Sid> m_participants;
    std::vector<Sid> m_observers;
    std::map<Sid, PersistentState> m_initial;
    std::map<Sid, PersistentState> m_disk; // Last persisted state of crashed nodes.
    std::map<Sid, std::unique_ptr<SimPeer>> m_peers;
    std::set<Sid> m_live;
    bool m_started = false;
    Tick m_now = 0;
    Tick m_lastDisturbance = 0;

    // Checker state.
    std::map<Epoch, Sid> m_establishedBy;
    std::map<std::pair<Sid, Epoch>, VoteKey> m_ownVote; // (sid, round) -> own vote then.
    std::map<Epoch, std::set<Sid>> m_leadersByRound;
    std::uint64_t m_decisions = 0;
    std::uint64_t m_splitRounds = 0;
    std::uint64_t m_messagesSent = 0;

    std::vector<std::string> m_violations;
    std::vector<std::string> m_trace;
};

} // namespace zk::sim
