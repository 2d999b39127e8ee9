#pragma once
// Reads back one JSON line of a zoolab-server's event endpoint (engine/net/event_endpoint.h)
// as the PeerEvent it was written from, so a remote ensemble's events feed the same models as
// the embedded one's. Fields the line does not carry stay at their defaults: a VoteChanged's
// previous vote and rule come from the "line" text ("... (1, 0x0, 0) -> (2, 0x0, 0) by=2
// rule=same zxid, higher sid"); a LookingStarted's own vote is the server's own sid.
//
// Pure; any thread.

#include "zab/peer_events.h"

#include <QByteArray>

#include <optional>

namespace zoolab {

// nullopt for a line that is not a JSON object with a known kind.
std::optional<zk::PeerEvent> peerEventFromJson(const QByteArray& line);

} // namespace zoolab
