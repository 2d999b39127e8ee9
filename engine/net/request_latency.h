#pragma once
// RequestLatency: how long one server takes to answer its clients, as the studio's charts draw
// it. A client's requests on one connection are answered in order (ZooKeeper's FIFO client
// order), so the host notes each request frame's arrival on its connection and, for each reply
// frame it sends there (not watch notifications, xid -1), takes the oldest arrival: the time
// between is that request's latency, and the arrivals still waiting are the outstanding
// requests (mntr's zk_outstanding_requests). Percentiles cover the replies of the last
// windowMs, at most samplesMax of them.
//
// Thread: the host's io thread only (the host copies the numbers into its QuorumStatus).
// Times are passed in (steady clock, microseconds), so tests drive it without a clock.

#include "server/server_types.h"

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <span>

namespace zk {

class RequestLatency
{
public:
    struct Summary
    {
        double p50Ms = 0;
        double p99Ms = 0;
        std::size_t samples = 0; // replies within the window
    };

    void requestArrived(ConnectionId connection, std::int64_t atUs);
    // A frame the host sends `connection` (length prefix included). Returns the latency in
    // microseconds when the frame answers a request, else -1 (a watch notification, or a frame
    // no request waits for).
    std::int64_t frameSent(ConnectionId connection, std::span<const std::uint8_t> frame,
                           std::int64_t atUs);
    void connectionClosed(ConnectionId connection);

    std::size_t outstanding() const;
    Summary summary(std::int64_t nowUs);

    static constexpr std::int64_t windowMs = 1000;
    static constexpr std::size_t samplesMax = 4096;
    static constexpr std::size_t waitingMax = 100000; // per connection

private:
    std::map<ConnectionId, std::deque<std::int64_t>> m_waiting;
    std::deque<std::pair<std::int64_t, std::int64_t>> m_recent; // (answered at, latency), us
};

} // namespace zk
