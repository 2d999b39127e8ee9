#pragma once
// The studio's blocking TCP connect for its plain-socket readers (four-letter words, the
// remote event stream): IPv4, non-blocking connect bounded by a timeout, and a connection
// that met itself (the port was down and the kernel picked it as the source port) counts
// as a failed connect rather than a server that echoes what it was sent.

#include <chrono>
#include <cstdint>
#include <string>

namespace zoolab {

// A connected, non-blocking socket, or -1 with `error` saying why.
int connectWithTimeout(const std::string& host, std::uint16_t port,
                       std::chrono::milliseconds timeout, std::string& error);

} // namespace zoolab
