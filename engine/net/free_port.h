#pragma once
// Picks a TCP port for a server that will be stopped and started again on the same port
// (an ensemble member, a node the studio kills and restarts).
//
// Ports from the kernel's ephemeral range (bind to port 0) are a trap for such servers:
// while the server is down, an outgoing connection elsewhere on the machine may take the
// port as its source, so the restart cannot bind; and a client retrying against the down
// server may be given that very port as its source and connect to itself (TCP simultaneous
// open), reading its own request back as the reply. So the pick avoids the range read from
// /proc/sys/net/ipv4/ip_local_port_range.

#include <cstdint>
#include <random>
#include <string>
#include <utility>

namespace zk {

// The kernel's ephemeral port range; Linux's default when the file cannot be read.
std::pair<std::uint16_t, std::uint16_t> ephemeralPortRange();

// A port free on host now (bound with SO_REUSEADDR and released), outside the ephemeral
// range. Returns 0 when none was found.
std::uint16_t pickServerPort(const std::string& host, std::mt19937_64& random);

// Whether host:port can be bound now.
bool portFree(const std::string& host, std::uint16_t port);

} // namespace zk
