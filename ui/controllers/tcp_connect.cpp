#include "controllers/tcp_connect.h"

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace zoolab {

namespace {

bool sameAddress(const sockaddr_in& a, const sockaddr_in& b)
{
    return a.sin_port == b.sin_port && a.sin_addr.s_addr == b.sin_addr.s_addr;
}

bool connectedToItself(int fd)
{
    sockaddr_in local{};
    sockaddr_in remote{};
    socklen_t localLength = sizeof local;
    socklen_t remoteLength = sizeof remote;
    return ::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &localLength) == 0 &&
           ::getpeername(fd, reinterpret_cast<sockaddr*>(&remote), &remoteLength) == 0 &&
           sameAddress(local, remote);
}

int fail(int fd, std::string& error, std::string why)
{
    error = std::move(why);
    if (fd >= 0)
        ::close(fd);
    return -1;
}

} // namespace

int connectWithTimeout(const std::string& host, std::uint16_t port,
                       std::chrono::milliseconds timeout, std::string& error)
{
    addrinfo hints{};
    hints.ai_family = AF_INET;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    if (::getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &found) != 0 || !found)
        return fail(-1, error, "cannot resolve " + host);
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) {
        ::freeaddrinfo(found);
        return fail(-1, error, std::strerror(errno));
    }
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
    const int rc = ::connect(fd, found->ai_addr, found->ai_addrlen);
    const int connectErrno = errno;
    ::freeaddrinfo(found);
    if (rc != 0 && connectErrno != EINPROGRESS)
        return fail(fd, error, std::strerror(connectErrno));
    if (rc != 0) {
        pollfd p{fd, POLLOUT, 0};
        if (::poll(&p, 1, int(timeout.count())) != 1)
            return fail(fd, error, "timed out connecting");
        int soError = 0;
        socklen_t length = sizeof soError;
        if (::getsockopt(fd, SOL_SOCKET, SO_ERROR, &soError, &length) != 0 || soError != 0)
            return fail(fd, error, std::strerror(soError ? soError : errno));
    }
    if (connectedToItself(fd))
        return fail(fd, error, "connection refused (the socket met itself)");
    return fd;
}

} // namespace zoolab
