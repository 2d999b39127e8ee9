#pragma once
// PortOffer: what the studio tells the user when the embedded ensemble's client ports are
// taken: which ports, and a run of free ones to use instead. A plain value built by
// makePortOffer() (which probes the ports), so tests check the words and the offer without
// a dialog; PortsInUseDialog (ui/views) shows it.
//
// Only client ports are fixed: the ensemble picks its quorum and election ports free at
// start (and tries again when one is taken meanwhile, see EmbeddedCluster::start()).
//
// Thread: any; makePortOffer() binds and releases sockets on 127.0.0.1, so it takes a few
// milliseconds.

#include <QString>

#include <cstdint>
#include <optional>
#include <vector>

namespace zoolab {

struct PortOffer
{
    QString host;
    std::uint16_t basePort = 0;
    int count = 0;
    std::vector<std::uint16_t> taken;      // in use, in order; empty: nothing to ask
    std::optional<std::uint16_t> freeBase; // freeBase..freeBase+count-1 were free when probed

    bool needed() const { return !taken.empty(); }
    // "Port 2182 on 127.0.0.1 is already in use (another ZooKeeper server?)".
    QString problem() const;
    // The problem and what the ensemble needs, for the dialog's text.
    QString question() const;
    // "2184–2186", or empty without free ports.
    QString freeRange() const;
    // "127.0.0.1:2182": the connect string of the servers found on the taken ports.
    QString takenConnectString() const;
};

// Probes host:basePort..basePort+count-1; when some are taken, looks for count free ports in
// a row after them.
PortOffer makePortOffer(const QString& host, std::uint16_t basePort, int count);

} // namespace zoolab
