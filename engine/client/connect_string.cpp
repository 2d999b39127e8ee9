#include "client/connect_string.h"

#include <charconv>

namespace zk::client {

std::string toString(const HostPort& hostPort)
{
    if (hostPort.host.find(':') != std::string::npos)
        return "[" + hostPort.host + "]:" + std::to_string(hostPort.port);
    return hostPort.host + ":" + std::to_string(hostPort.port);
}

namespace {

bool setError(std::string* error, std::string text)
{
    if (error)
        *error = std::move(text);
    return false;
}

bool parsePort(std::string_view text, std::uint16_t& port)
{
    unsigned value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size() || value == 0 || value > 65535)
        return false;
    port = static_cast<std::uint16_t>(value);
    return true;
}

bool parseHostPort(std::string_view text, HostPort& out, std::string* error)
{
    std::string_view host = text;
    std::string_view port;
    if (!text.empty() && text.front() == '[') {
        const auto close = text.find(']');
        if (close == std::string_view::npos)
            return setError(error, "unterminated IPv6 address: " + std::string(text));
        host = text.substr(1, close - 1);
        const std::string_view rest = text.substr(close + 1);
        if (!rest.empty()) {
            if (rest.front() != ':')
                return setError(error, "bad host: " + std::string(text));
            port = rest.substr(1);
        }
    } else if (const auto colon = text.rfind(':'); colon != std::string_view::npos) {
        host = text.substr(0, colon);
        port = text.substr(colon + 1);
    }
    if (host.empty())
        return setError(error, "empty host in: " + std::string(text));
    out.host = std::string(host);
    out.port = 2181;
    if (!port.empty() && !parsePort(port, out.port))
        return setError(error, "bad port in: " + std::string(text));
    return true;
}

} // namespace

std::optional<ConnectString> ConnectString::parse(std::string_view text, std::string* error)
{
    ConnectString result;
    std::string_view hosts = text;
    if (const auto slash = text.find('/'); slash != std::string_view::npos) {
        hosts = text.substr(0, slash);
        std::string chroot(text.substr(slash));
        if (chroot.size() > 1) {
            if (std::string why = validatePath(chroot); !why.empty()) {
                setError(error, "invalid chroot: " + why);
                return std::nullopt;
            }
            result.chroot = std::move(chroot);
        }
    }
    while (!hosts.empty()) {
        const auto comma = hosts.find(',');
        const std::string_view item = hosts.substr(0, comma);
        hosts = comma == std::string_view::npos ? std::string_view{} : hosts.substr(comma + 1);
        if (item.empty())
            continue;
        HostPort hostPort;
        if (!parseHostPort(item, hostPort, error))
            return std::nullopt;
        result.hosts.push_back(std::move(hostPort));
    }
    if (result.hosts.empty()) {
        setError(error, "A HostProvider may not be empty!");
        return std::nullopt;
    }
    return result;
}

namespace {

// Decodes one UTF-8 code point at text[i]; returns its length (1 for a stray byte).
std::size_t decodeUtf8(std::string_view text, std::size_t i, char32_t& cp)
{
    const auto b = static_cast<unsigned char>(text[i]);
    std::size_t len = 1;
    if (b >= 0xf0)
        len = 4;
    else if (b >= 0xe0)
        len = 3;
    else if (b >= 0xc0)
        len = 2;
    if (len == 1 || i + len > text.size()) {
        cp = b;
        return 1;
    }
    cp = b & (0xff >> (len + 1));
    for (std::size_t k = 1; k < len; ++k)
        cp = (cp << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3f);
    return len;
}

bool forbidden(char32_t c)
{
    return (c > 0 && c <= 0x1f) || (c >= 0x7f && c <= 0x9f) || (c >= 0xd800 && c <= 0xf8ff) ||
           (c >= 0xfff0 && c <= 0xffff);
}

std::string invalid(std::string_view path, std::string_view reason, std::size_t at)
{
    return "Invalid path string \"" + std::string(path) + "\" caused by " + std::string(reason) +
           " @" + std::to_string(at);
}

} // namespace

std::string validatePath(std::string_view path, bool sequential)
{
    if (sequential) {
        const std::string withSuffix = std::string(path) + "1";
        return validatePath(withSuffix, false);
    }
    if (path.empty())
        return "Path length must be > 0";
    if (path.front() != '/')
        return "Path must start with / character";
    if (path.size() == 1)
        return {};
    if (path.back() == '/')
        return "Path must not end with / character";
    char32_t last = '/';
    for (std::size_t i = 1; i < path.size();) {
        char32_t c = 0;
        const std::size_t len = decodeUtf8(path, i, c);
        if (c == 0)
            return invalid(path, "null character not allowed", i);
        if (c == '/' && last == '/')
            return invalid(path, "empty node name specified", i);
        if (c == '.' && last == '.') {
            const bool segmentEnd = i + 1 == path.size() || path[i + 1] == '/';
            if (path[i - 2] == '/' && segmentEnd)
                return invalid(path, "relative paths not allowed", i);
        } else if (c == '.') {
            const bool segmentEnd = i + 1 == path.size() || path[i + 1] == '/';
            if (path[i - 1] == '/' && segmentEnd)
                return invalid(path, "relative paths not allowed", i);
        } else if (forbidden(c)) {
            return invalid(path, "invalid character", i);
        }
        last = c;
        i += len;
    }
    return {};
}

std::string prependChroot(std::string_view chroot, std::string_view clientPath)
{
    if (chroot.empty())
        return std::string(clientPath);
    if (clientPath == "/")
        return std::string(chroot);
    return std::string(chroot) + std::string(clientPath);
}

std::string stripChroot(std::string_view chroot, std::string_view serverPath)
{
    if (chroot.empty())
        return std::string(serverPath);
    if (serverPath.substr(0, chroot.size()) != chroot)
        return std::string(serverPath);
    if (serverPath.size() == chroot.size())
        return "/";
    if (serverPath[chroot.size()] != '/')
        return std::string(serverPath);
    return std::string(serverPath.substr(chroot.size()));
}

} // namespace zk::client
