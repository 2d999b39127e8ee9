#include "controllers/four_letter.h"

#include "controllers/tcp_connect.h"

#include <cerrno>
#include <charconv>
#include <cstring>
#include <sstream>

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace zoolab {

namespace {

constexpr std::size_t kReplyBytesMax = 1 << 20;

// Waits until fd is ready for `events`; false on timeout or error.
bool waitFor(int fd, short events, std::chrono::milliseconds timeout)
{
    pollfd p{fd, events, 0};
    return ::poll(&p, 1, int(timeout.count())) == 1;
}

std::int64_t toInt(const std::string& text, int base = 10)
{
    std::int64_t value = -1;
    const char* begin = text.data();
    if (base == 16 && text.rfind("0x", 0) == 0)
        begin += 2;
    const auto [end, ec] = std::from_chars(begin, text.data() + text.size(), value, base);
    (void)end;
    return ec == std::errc{} ? value : -1;
}

std::string trim(const std::string& text)
{
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string::npos)
        return {};
    const auto last = text.find_last_not_of(" \t\r\n");
    return text.substr(first, last - first + 1);
}

} // namespace

FourLetterReply askFourLetter(const std::string& host, std::uint16_t port, const std::string& word,
                              std::chrono::milliseconds timeout)
{
    FourLetterReply reply;
    const int fd = connectWithTimeout(host, port, timeout, reply.error);
    if (fd < 0)
        return reply;
    if (::send(fd, word.data(), word.size(), MSG_NOSIGNAL) != ssize_t(word.size())) {
        reply.error = "cannot send";
        ::close(fd);
        return reply;
    }
    char buffer[4096];
    for (;;) {
        if (!waitFor(fd, POLLIN, timeout)) {
            reply.error = "timed out waiting for the answer";
            ::close(fd);
            return reply;
        }
        const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
        if (n == 0)
            break;
        if (n < 0) {
            if (errno == EAGAIN || errno == EINTR)
                continue;
            // A reset after the answer (the server closes at once) still counts when text came.
            if (!reply.text.empty())
                break;
            reply.error = std::strerror(errno);
            ::close(fd);
            return reply;
        }
        reply.text.append(buffer, std::size_t(n));
        if (reply.text.size() > kReplyBytesMax)
            break;
    }
    ::close(fd);
    reply.reached = true;
    return reply;
}

bool notWhitelisted(const std::string& text)
{
    return text.find("is not executed because it is not in the whitelist") != std::string::npos;
}

std::optional<SrvrInfo> parseSrvr(const std::string& text)
{
    if (text.find("Mode:") == std::string::npos)
        return std::nullopt;
    SrvrInfo info;
    std::istringstream lines(text);
    std::string line;
    while (std::getline(lines, line)) {
        const auto colon = line.find(':');
        if (colon == std::string::npos)
            continue;
        const std::string key = trim(line.substr(0, colon));
        const std::string value = trim(line.substr(colon + 1));
        if (key == "Zookeeper version")
            info.version = value.substr(0, value.find(','));
        else if (key == "Mode")
            info.mode = value;
        else if (key == "Zxid")
            info.zxid = toInt(value, 16);
        else if (key == "Connections")
            info.connections = toInt(value);
        else if (key == "Outstanding")
            info.outstanding = toInt(value);
        else if (key == "Node count")
            info.nodeCount = toInt(value);
        else if (key == "Latency min/avg/max")
            info.latency = value;
    }
    return info;
}

std::map<std::string, std::string> parseMntr(const std::string& text)
{
    std::map<std::string, std::string> out;
    std::istringstream lines(text);
    std::string line;
    while (std::getline(lines, line)) {
        const auto tab = line.find('\t');
        if (tab == std::string::npos || line.rfind("zk_", 0) != 0)
            continue;
        out[line.substr(0, tab)] = trim(line.substr(tab + 1));
    }
    return out;
}

std::optional<std::int64_t> serverIdFromConf(const std::string& text)
{
    const auto at = text.find("serverId=");
    if (at == std::string::npos)
        return std::nullopt;
    const auto end = text.find('\n', at);
    const std::int64_t id = toInt(trim(text.substr(at + 9, end - at - 9)));
    if (id < 0)
        return std::nullopt;
    return id;
}

} // namespace zoolab
