#pragma once
// What a QuorumPeer reports besides its actions, for the studio, the JSON event endpoint,
// traces and tests. Plain values; toString() is one stable line per event.

#include "core/ids.h"
#include "election/election_events.h"

#include <optional>
#include <string>

namespace zk {

// Apache's QuorumPeer.ZabState.
enum class ZabPhase
{
    Election,
    Discovery,
    Synchronization,
    Broadcast
};
std::string zabPhaseName(ZabPhase phase); // "ELECTION", ...

struct PeerEvent
{
    enum class Kind
    {
        Election,       // `election` holds a FastLeaderElection event
        StateChanged,   // `state` is the new ServerState; `text` says why
        PhaseChanged,   // `phase`
        EpochChanged,   // acceptedEpoch (`text` "accepted") or currentEpoch ("current")
        Sync,           // leader: learner `peer` synced with `text` DIFF/TRUNC/SNAP up to zxid
        Established,    // leader: epoch `epoch` established with a quorum (`text` lists sids)
        Proposal,       // leader proposed zxid
        Ack,            // leader: `peer` acked zxid
        Commit,         // zxid committed here
        SessionCreated, // `session`
        SessionClosed   // `session` (closed or expired)
    };
    Kind kind = Kind::Election;
    Sid sid = 0;  // the reporting server
    Sid peer = 0; // the other server, when there is one
    ServerState state = ServerState::Looking;
    ZabPhase phase = ZabPhase::Election;
    Zxid zxid = 0;
    Epoch epoch = 0;
    SessionId session = 0;
    std::string text = {};
    std::optional<ElectionEvent> election = std::nullopt;

    std::string kindName() const;
    // "sid=1 StateChanged LEADING (elected)" etc.
    std::string toString() const;
};

} // namespace zk
