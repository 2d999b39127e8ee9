#include "net/request_latency.h"

#include <algorithm>
#include <vector>

namespace zk {

namespace {

constexpr std::int32_t notificationXid = -1;

double percentileMs(std::vector<std::int64_t>& sorted, double fraction)
{
    // Nearest rank: the smallest sample with at least `fraction` of them at or below it.
    const auto rank = static_cast<std::size_t>(fraction * double(sorted.size()) + 0.999999);
    const std::size_t index = std::min(sorted.size() - 1, rank == 0 ? 0 : rank - 1);
    return double(sorted[index]) / 1000.0;
}

} // namespace

void RequestLatency::requestArrived(ConnectionId connection, std::int64_t atUs)
{
    auto& waiting = m_waiting[connection];
    if (waiting.size() < waitingMax)
        waiting.push_back(atUs);
}

std::int64_t RequestLatency::frameSent(ConnectionId connection, std::span<const std::uint8_t> frame,
                                       std::int64_t atUs)
{
    auto found = m_waiting.find(connection);
    if (found == m_waiting.end() || found->second.empty())
        return -1;
    // Bytes 4..7 are the reply header's xid (after the length); the connect response has none,
    // but no waiting request of its connection precedes it, and its first field is never -1.
    if (frame.size() >= 8) {
        const auto xid = static_cast<std::int32_t>(
            (std::uint32_t(frame[4]) << 24) | (std::uint32_t(frame[5]) << 16) |
            (std::uint32_t(frame[6]) << 8) | std::uint32_t(frame[7]));
        if (xid == notificationXid)
            return -1;
    }
    const std::int64_t latency = std::max<std::int64_t>(0, atUs - found->second.front());
    found->second.pop_front();
    m_recent.emplace_back(atUs, latency);
    if (m_recent.size() > samplesMax)
        m_recent.pop_front();
    return latency;
}

void RequestLatency::connectionClosed(ConnectionId connection)
{
    m_waiting.erase(connection);
}

std::size_t RequestLatency::outstanding() const
{
    std::size_t total = 0;
    for (const auto& [connection, waiting] : m_waiting)
        total += waiting.size();
    return total;
}

RequestLatency::Summary RequestLatency::summary(std::int64_t nowUs)
{
    while (!m_recent.empty() && m_recent.front().first < nowUs - windowMs * 1000)
        m_recent.pop_front();
    Summary out;
    out.samples = m_recent.size();
    if (m_recent.empty())
        return out;
    std::vector<std::int64_t> sorted;
    sorted.reserve(m_recent.size());
    for (const auto& [at, latency] : m_recent)
        sorted.push_back(latency);
    std::sort(sorted.begin(), sorted.end());
    out.p50Ms = percentileMs(sorted, 0.50);
    out.p99Ms = percentileMs(sorted, 0.99);
    return out;
}

} // namespace zk
