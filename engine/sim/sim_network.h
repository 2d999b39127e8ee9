#pragma once
// SimNetwork is the simulated network between simulated servers: per-link delivery delay
// drawn from a uniform [delayMin, delayMax] tick range (so messages on a link can overtake
// each other), loss, duplication, symmetric and asymmetric partitions, and dropping a crashed
// node's traffic. Every decision comes from its Prng; delivery order is (deliver tick, send
// sequence), so one seed gives one history. One thread; owned by SimCluster.
//
// Messages in flight when a link is cut are dropped at delivery, as a broken TCP connection
// loses what it had queued.

#include "core/ids.h"
#include "core/prng.h"
#include "proto/quorum_messages.h"

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace zk::sim {

using Tick = std::int64_t;

// The ZAB stand-in's liveness messages (see sim_peer.h); not Apache wire formats.
struct LearnerPing
{
    Epoch acceptedEpoch = 0;
    Epoch ackedEpoch = 0; // The epoch accepted from this leader (ACKEPOCH), or 0.
    Zxid lastZxid = 0;
    bool observer = false;
};

struct LeaderPing
{
    Epoch proposedEpoch = 0;  // 0 until the leader proposes one (LEADERINFO).
    bool established = false; // A quorum accepted proposedEpoch (NEWLEADER/UPTODATE).
    Zxid zxid = 0;
};

// An election payload travels encoded (a frame's content), so every simulated notification
// also runs through the byte codec.
using SimPayload = std::variant<std::vector<std::uint8_t>, LearnerPing, LeaderPing>;

struct Envelope
{
    Sid from = 0;
    Sid to = 0;
    SimPayload payload;
    // "1->2 LOOKING leader=2 zxid=0x0 round=1 peerEpoch=0", "1->2 LearnerPing ...".
    std::string toString() const;
};

struct LinkProfile
{
    Tick delayMinTicks = 1;
    Tick delayMaxTicks = 1;
    std::uint32_t lossPerMillion = 0;
    std::uint32_t duplicatePerMillion = 0;
};

class SimNetwork
{
public:
    SimNetwork(Prng prng, LinkProfile profile);

    void setProfile(const LinkProfile& profile);
    const LinkProfile& profile() const { return m_profile; }

    void send(Envelope envelope, Tick now);
    // Everything due at or before `now`, in delivery order; cut links drop their messages.
    std::vector<Envelope> takeDue(Tick now);
    // Everything in flight regardless of delay (the scenario command `deliver`).
    std::vector<Envelope> takeAll();
    void dropNode(Sid sid); // A crash: the node's queued traffic, both ways, is gone.

    // Cuts every link between different groups (symmetric). Sids in no group keep their links.
    void partition(const std::vector<std::vector<Sid>>& groups);
    void cut(Sid from, Sid to); // One direction only.
    void heal();
    bool isCut(Sid from, Sid to) const { return m_cut.contains({from, to}); }
    bool hasCuts() const { return !m_cut.empty(); }

    std::size_t inFlight() const { return m_queue.size(); }
    std::uint64_t dropped() const { return m_dropped; }

private:
    struct Key
    {
        Tick deliverAt = 0;
        std::uint64_t sequence = 0;
        auto operator<=>(const Key&) const = default;
    };

    Prng m_prng;
    LinkProfile m_profile;
    std::map<Key, Envelope> m_queue;
    std::set<std::pair<Sid, Sid>> m_cut;
    std::uint64_t m_sequence = 0;
    std::uint64_t m_dropped = 0;
};

} // namespace zk::sim
