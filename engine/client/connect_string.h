#pragma once
// The client connect string, "host1:port1,host2:port2/chroot" (ConnectStringParser.java),
// and the chroot mapping between client paths and server paths. Pure functions.
//
//   connectString := hostPort ("," hostPort)* [chroot]
//   hostPort      := host [":" port]      (port 2181 when absent; IPv6 as "[::1]:2181")
//   chroot        := "/" path             ("/" alone means no chroot)

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace zk::client {

struct HostPort
{
    std::string host;
    std::uint16_t port = 2181;

    bool operator==(const HostPort&) const = default;
};

std::string toString(const HostPort& hostPort);

struct ConnectString
{
    std::vector<HostPort> hosts;
    std::string chroot; // Empty for none; otherwise a valid path without a trailing '/'.

    // Returns nullopt and sets *error (when given) for an empty host list, a bad port or an
    // invalid chroot path.
    static std::optional<ConnectString> parse(std::string_view text, std::string* error = nullptr);
};

// ZooKeeper's PathUtils.validatePath, reduced to the rules a client can check cheaply.
// Returns an empty string when the path is valid, else the message Java would throw
// (e.g. "Path must start with / character").
std::string validatePath(std::string_view path, bool sequential = false);

// "/a" under chroot "/app" is "/app/a"; "/" is "/app".
std::string prependChroot(std::string_view chroot, std::string_view clientPath);

// The inverse, for paths the server sends (created paths, watch events). A server path
// outside the chroot is returned unchanged (as ClientCnxn.stripChroot does).
std::string stripChroot(std::string_view chroot, std::string_view serverPath);

} // namespace zk::client
