#pragma once
// SimPeer is one simulated server: a FastLeaderElection plus a small stand-in for what ZAB
// does after an election, just enough for elections to happen again when they should. It is
// not ZAB (no proposals, no sync); the real quorum peer replaces it later.
//
// The stand-in, in Apache's terms:
//   - A learner pings its leader every pingIntervalTicks with its acceptedEpoch (FOLLOWERINFO,
//     later PING replies). It accepts a proposed epoch above its acceptedEpoch (ACKEPOCH) and
//     goes back to LOOKING when offered a lower one. An equal epoch from another leader is
//     never acked, only joined once established (stricter than registerWithLeader's -1 ack,
//     so that the stand-in is safe on its own). It also goes back to LOOKING when its leader
//     is silent for initLimitTicks before the epoch is established or
//     syncLimitTicks after (Learner socket timeouts).
//   - A leader answers learner pings. Once the participants it heard from within initLimit
//     (itself included) form a quorum, it proposes epoch = max(acceptedEpoch) + 1
//     (getEpochToPropose); once a quorum accepted it (waitForEpochAck) it establishes it:
//     currentEpoch = epoch, lastZxid = makeZxid(epoch, 0), and its learners adopt the epoch
//     and the leader's zxid (the sync, collapsed). Without that within initLimitTicks, or a
//     quorum of learners within syncLimitTicks later, it goes back to LOOKING ("Not
//     sufficient followers synced").
//   - Both call FastLeaderElection::updateElectionVote(epoch) on establishing, as Apache does.
//
// One thread; driven by SimCluster. Outputs are taken after each call.

#include "election/fast_leader_election.h"
#include "sim/sim_network.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace zk::sim {

// What survives a crash: the txn log's last zxid and the two epoch files.
struct PersistentState
{
    Zxid lastZxid = 0;
    Epoch currentEpoch = 0;
    Epoch acceptedEpoch = 0;
    Sid acceptedFrom = 0; // The leader acceptedEpoch came from (stand-in bookkeeping).
    bool operator==(const PersistentState&) const = default;
};

struct PeerTiming
{
    int pingIntervalTicks = 5;
    int initLimitTicks = 100;
    int syncLimitTicks = 50;
};

// Something a SimPeer did, for the cluster's trace and checkers.
struct PeerEvent
{
    enum class Kind
    {
        Election,    // `election` holds a FastLeaderElection event.
        RoleChanged, // from -> to; `leader` set for learners; `text` gives a reason.
        Established, // A leader established `epoch` with `quorum`.
        Synced       // A learner adopted `epoch` from `leader`.
    };
    Kind kind = Kind::Election;
    std::optional<ElectionEvent> election = std::nullopt;
    ServerState from = ServerState::Looking;
    ServerState to = ServerState::Looking;
    Sid leader = 0;
    Epoch epoch = 0;
    std::vector<Sid> quorum = {};
    std::string text = {};
};

class SimPeer
{
public:
    SimPeer(ElectionConfig config, PeerTiming timing, PersistentState state);

    void start(Tick now);
    void receive(Sid from, const SimPayload& payload, Tick now);
    void tick(Tick now);
    bool write(); // Leader with an established epoch: one more txn (zxid + 1).

    std::vector<Envelope> takeSends();
    std::vector<PeerEvent> takeEvents();

    Sid sid() const { return m_election.config().myId; }
    ServerState state() const { return m_election.state(); }
    bool isObserver() const { return m_election.isObserver(); }
    const FastLeaderElection& election() const { return m_election; }
    const PersistentState& persistent() const { return m_persistent; }
    // The leader this server follows or is, once the election ended.
    std::optional<Sid> leader() const;
    bool established() const { return m_established; }

private:
    void collectElection(Tick now);
    void goLooking(Tick now, std::string reason);
    void tickLeader(Tick now);
    void tickLearner(Tick now);
    void onLeaderPing(Sid from, const LeaderPing& ping, Tick now);
    void onLearnerPing(Sid from, const LearnerPing& ping, Tick now);
    void sendTo(Sid to, SimPayload payload);

    FastLeaderElection m_election;
    PeerTiming m_timing;
    PersistentState m_persistent;

    // Role stand-in; meaningful only while not LOOKING.
    Sid m_leader = 0;
    Tick m_roleStart = 0;
    Tick m_lastHeard = 0; // Learner: the last LeaderPing from our leader.
    bool m_established = false;
    Epoch m_proposedEpoch = 0; // Leader: the epoch offered to learners, once chosen.
    struct Heard
    {
        Tick at = 0;
        Epoch acceptedEpoch = 0;
        Epoch ackedEpoch = 0;
        bool observer = false;
    };
    std::map<Sid, Heard> m_learners; // Leader: learners by sid.

    std::vector<Envelope> m_sends;
    std::vector<PeerEvent> m_events;
};

} // namespace zk::sim
