#include "server/session_tracker.h"

#include "core/assert.h"

namespace zk {

SessionTracker::SessionTracker(Sid sid, std::int32_t tickTimeMs)
    : m_sid(sid), m_tickTimeMs(tickTimeMs)
{
    ZK_ASSERT(tickTimeMs > 0);
}

void SessionTracker::initializeNextSessionId(std::int64_t wallMs)
{
    const auto shifted = static_cast<std::uint64_t>(wallMs) << 24;
    const std::uint64_t base = shifted >> 8;
    m_nextId = static_cast<SessionId>(base | (static_cast<std::uint64_t>(m_sid) << 56));
}

SessionId SessionTracker::nextSessionId()
{
    return m_nextId++;
}

std::int64_t SessionTracker::bucketFor(std::int64_t nowTick, std::int32_t timeoutMs) const
{
    // ExpiryQueue.roundToNextInterval in tick units: the first tick boundary after now+timeout.
    const std::int64_t timeoutTicks = timeoutMs / m_tickTimeMs;
    return nowTick + timeoutTicks + 1;
}

void SessionTracker::addSession(SessionId id, std::int32_t timeoutMs, std::int64_t nowTick)
{
    removeSession(id);
    Session session{id, timeoutMs, bucketFor(nowTick, timeoutMs), false};
    m_buckets[session.expiryTick].insert(id);
    m_sessions.emplace(id, session);
}

void SessionTracker::removeSession(SessionId id)
{
    auto it = m_sessions.find(id);
    if (it == m_sessions.end())
        return;
    auto bucket = m_buckets.find(it->second.expiryTick);
    if (bucket != m_buckets.end()) {
        bucket->second.erase(id);
        if (bucket->second.empty())
            m_buckets.erase(bucket);
    }
    m_sessions.erase(it);
}

bool SessionTracker::touch(SessionId id, std::int64_t nowTick)
{
    auto it = m_sessions.find(id);
    if (it == m_sessions.end() || it->second.closing)
        return false;
    Session& session = it->second;
    const std::int64_t newTick = bucketFor(nowTick, session.timeoutMs);
    if (newTick != session.expiryTick) {
        auto bucket = m_buckets.find(session.expiryTick);
        if (bucket != m_buckets.end()) {
            bucket->second.erase(id);
            if (bucket->second.empty())
                m_buckets.erase(bucket);
        }
        session.expiryTick = newTick;
        m_buckets[newTick].insert(id);
    }
    return true;
}

void SessionTracker::setClosing(SessionId id)
{
    auto it = m_sessions.find(id);
    if (it != m_sessions.end())
        it->second.closing = true;
}

const SessionTracker::Session* SessionTracker::find(SessionId id) const
{
    auto it = m_sessions.find(id);
    return it == m_sessions.end() ? nullptr : &it->second;
}

std::vector<SessionId> SessionTracker::expire(std::int64_t nowTick)
{
    std::vector<SessionId> expired;
    while (!m_buckets.empty() && m_buckets.begin()->first <= nowTick) {
        for (SessionId id : m_buckets.begin()->second) {
            auto it = m_sessions.find(id);
            if (it != m_sessions.end() && !it->second.closing) {
                it->second.closing = true;
                expired.push_back(id);
            }
        }
        m_buckets.erase(m_buckets.begin());
    }
    return expired;
}

} // namespace zk
