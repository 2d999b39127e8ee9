#include "net/free_port.h"

#include "net/asio.h"

#include <fstream>

namespace zk {

namespace {

// Servers are placed at or above this port, below the ephemeral range.
constexpr std::uint16_t kLowestServerPort = 10000;

} // namespace

std::pair<std::uint16_t, std::uint16_t> ephemeralPortRange()
{
    std::ifstream in("/proc/sys/net/ipv4/ip_local_port_range");
    unsigned low = 0;
    unsigned high = 0;
    if (in >> low >> high && low > 0 && low <= high && high <= 65535)
        return {static_cast<std::uint16_t>(low), static_cast<std::uint16_t>(high)};
    return {32768, 60999};
}

bool portFree(const std::string& host, std::uint16_t port)
{
    asio::io_context io;
    tcp::acceptor acceptor(io);
    boost::system::error_code ec;
    const tcp::endpoint endpoint(asio::ip::make_address(host, ec), port);
    if (ec)
        return false;
    acceptor.open(endpoint.protocol(), ec);
    acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
    acceptor.bind(endpoint, ec);
    return !ec;
}

std::uint16_t pickServerPort(const std::string& host, std::mt19937_64& random)
{
    const auto [low, high] = ephemeralPortRange();
    // The larger of the two spans outside the range: below it, or above it.
    std::uint16_t first = kLowestServerPort;
    std::uint16_t last = low > kLowestServerPort ? static_cast<std::uint16_t>(low - 1) : 0;
    if (high < 65535 && 65535 - high > last - first) {
        first = static_cast<std::uint16_t>(high + 1);
        last = 65535;
    }
    if (last < first)
        return 0;
    std::uniform_int_distribution<unsigned> pick(first, last);
    for (int attempt = 0; attempt < 200; ++attempt) {
        const auto port = static_cast<std::uint16_t>(pick(random));
        if (portFree(host, port))
            return port;
    }
    return 0;
}

} // namespace zk
