#pragma once
// A TCP connect to a local port nobody listens on can succeed against itself: when the
// kernel gives the connecting socket that same port as its source, the SYN meets itself
// (simultaneous open). The peer then reads its own bytes back, so a client would take its
// ConnectRequest for the server's reply, and an election link would hear its own votes as
// the peer's. Every outgoing connection checks for this and treats it as a failed connect.

#include "net/asio.h"

namespace zk {

inline bool connectedToItself(const tcp::socket& socket)
{
    boost::system::error_code localError;
    boost::system::error_code remoteError;
    const auto local = socket.local_endpoint(localError);
    const auto remote = socket.remote_endpoint(remoteError);
    return !localError && !remoteError && local == remote;
}

} // namespace zk
