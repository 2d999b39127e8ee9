#include "zab/peer_events.h"

#include <fmt/format.h>

#include "election/vote.h"

namespace zk {

std::string zabPhaseName(ZabPhase phase)
{
    switch (phase) {
    case ZabPhase::Election:
        return "ELECTION";
    case ZabPhase::Discovery:
        return "DISCOVERY";
    case ZabPhase::Synchronization:
        return "SYNCHRONIZATION";
    case ZabPhase::Broadcast:
        return "BROADCAST";
    }
    return "UNKNOWN";
}

std::string PeerEvent::kindName() const
{
    switch (kind) {
    case Kind::Election:
        return "Election";
    case Kind::StateChanged:
        return "StateChanged";
    case Kind::PhaseChanged:
        return "PhaseChanged";
    case Kind::EpochChanged:
        return "EpochChanged";
    case Kind::Sync:
        return "Sync";
    case Kind::Established:
        return "Established";
    case Kind::Proposal:
        return "Proposal";
    case Kind::Ack:
        return "Ack";
    case Kind::Commit:
        return "Commit";
    case Kind::SessionCreated:
        return "SessionCreated";
    case Kind::SessionClosed:
        return "SessionClosed";
    }
    return "Unknown";
}

std::string PeerEvent::toString() const
{
    switch (kind) {
    case Kind::Election:
        return fmt::format("sid={} {}", sid, election ? zk::toString(*election) : "");
    case Kind::StateChanged:
        return fmt::format("sid={} StateChanged {} ({})", sid, zk::toString(state), text);
    case Kind::PhaseChanged:
        return fmt::format("sid={} PhaseChanged {}", sid, zabPhaseName(phase));
    case Kind::EpochChanged:
        return fmt::format("sid={} EpochChanged {}={}", sid, text, epoch);
    case Kind::Sync:
        return fmt::format("sid={} Sync peer={} {} zxid=0x{:x}", sid, peer, text, zxid);
    case Kind::Established:
        return fmt::format("sid={} Established epoch={} quorum={}", sid, epoch, text);
    case Kind::Proposal:
        return fmt::format("sid={} Proposal zxid=0x{:x}", sid, zxid);
    case Kind::Ack:
        return fmt::format("sid={} Ack peer={} zxid=0x{:x}", sid, peer, zxid);
    case Kind::Commit:
        return fmt::format("sid={} Commit zxid=0x{:x}", sid, zxid);
    case Kind::SessionCreated:
        return fmt::format("sid={} SessionCreated 0x{:x}", sid, session);
    case Kind::SessionClosed:
        return fmt::format("sid={} SessionClosed 0x{:x}", sid, session);
    }
    return "";
}

} // namespace zk
