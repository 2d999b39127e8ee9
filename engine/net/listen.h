#pragma once
// Opens a listening TCP acceptor the way every ZooLab server socket does: on one address
// (not a host name), with SO_REUSEADDR, at the default backlog. Port 0 picks a free port;
// read it back from acceptor.local_endpoint().

#include "net/asio.h"

#include <cstdint>
#include <string>
#include <system_error>

namespace zk {

std::error_code listenOn(tcp::acceptor& acceptor, const std::string& address, std::uint16_t port);

} // namespace zk
