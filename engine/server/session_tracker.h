#pragma once
// Global sessions and their expiry, bucketed on ticks as ZooKeeper's ExpiryQueue does:
// a session touched at time t with timeout T expires when the tick bucket
// ceil-to-next-interval(t + T) has passed. Pure: time is the tick count handed in.
//
// Caller: the server core, on its one thread. Session ids follow
// SessionTrackerImpl.initializeNextSessionId: (wallMs << 24) >>> 8 | sid << 56, then +1.

#include "core/ids.h"

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <vector>

namespace zk {

class SessionTracker
{
public:
    struct Session
    {
        SessionId id = 0;
        std::int32_t timeoutMs = 0;
        std::int64_t expiryTick = 0;
        bool closing = false;
    };

    SessionTracker(Sid sid, std::int32_t tickTimeMs);

    // Seeds the id generator from the wall clock, once, at start-up.
    void initializeNextSessionId(std::int64_t wallMs);
    SessionId nextSessionId();

    // Adds or replaces a session (also used when replaying createSession txns).
    void addSession(SessionId id, std::int32_t timeoutMs, std::int64_t nowTick);
    void removeSession(SessionId id);
    // Returns false if the session is unknown or closing.
    bool touch(SessionId id, std::int64_t nowTick);
    void setClosing(SessionId id);

    const Session* find(SessionId id) const;
    bool contains(SessionId id) const { return m_sessions.count(id) != 0; }
    std::size_t size() const { return m_sessions.size(); }
    const std::map<SessionId, Session>& sessions() const { return m_sessions; }

    // Sessions whose bucket has passed at nowTick; they are marked closing.
    std::vector<SessionId> expire(std::int64_t nowTick);

private:
    std::int64_t bucketFor(std::int64_t nowTick, std::int32_t timeoutMs) const;

    Sid m_sid;
    std::int32_t m_tickTimeMs;
    SessionId m_nextId = 0;
    std::map<SessionId, Session> m_sessions;
    std::map<std::int64_t, std::set<SessionId>> m_buckets;
};

} // namespace zk
