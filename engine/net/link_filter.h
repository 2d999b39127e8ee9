#pragma once
// LinkFilter is the network between the servers of an embedded ensemble, as tests and the
// studio shape it: which directed links are cut, how long each directed link delays a message
// (slow motion), and whether delivery is held (paused, then stepped one message at a time).
// ElectionTransport applies it to election messages and QuorumChannel to the ZAB stream
// between a leader and its learners.
//
// Held mode: while on, every message a transport would send is queued here instead, oldest
// first, across all links and servers. step() releases exactly the oldest one; setHeld(false)
// releases all of them in order. A release runs the sender's callback, which must only post
// into the sender's io_context (it runs under this object's mutex). A sender forgets its
// held messages with forget(owner) before its io_context goes away.
//
// Thread-safe: the one object shared by every server's io thread and the controlling thread.

#include "core/ids.h"

#include <chrono>
#include <cstddef>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <utility>

namespace zk {

// One message held back: which link, which channel, and what it says ("vote leader=3
// zxid=0:0 peerEpoch=1", "PROPOSAL 1:2").
struct HeldMessage
{
    enum class Channel
    {
        Election,
        Zab
    };
    Sid from = 0;
    Sid to = 0;
    Channel channel = Channel::Election;
    std::string kind;

    std::string toString() const; // "2->1 election: vote leader=3 zxid=0:0 peerEpoch=1"
};

class LinkFilter
{
public:
    // At most this many messages wait in held mode; beyond it hold() refuses.
    static constexpr std::size_t kHeldMax = 4096;

    void cut(Sid from, Sid to);
    void cutBoth(Sid a, Sid b);
    void healBoth(Sid a, Sid b); // Restores both directions between a and b.
    void heal();                 // Restores every link and removes every delay.
    void setDelay(Sid from, Sid to, std::chrono::milliseconds delay);

    bool allows(Sid from, Sid to) const;
    std::chrono::milliseconds delay(Sid from, Sid to) const;

    // Held mode. Turning it off releases every held message, oldest first.
    void setHeld(bool held);
    bool held() const;
    // Called by a sender: when held mode is on, queues `message` with its release callback
    // and returns true; otherwise (or when kHeldMax are waiting) returns false and the sender
    // goes on as usual. `owner` identifies the sender for forget().
    bool hold(const void* owner, HeldMessage message, std::function<void()> release);
    // Releases the oldest held message; nullopt when none waits.
    std::optional<HeldMessage> step();
    void releaseAll();
    std::size_t heldCount() const;
    std::optional<HeldMessage> nextHeld() const;
    // Drops the held messages of `owner` without releasing them (the sender stops).
    void forget(const void* owner);

private:
    struct Entry
    {
        const void* owner = nullptr;
        HeldMessage message;
        std::function<void()> release;
    };

    void releaseAllLocked();

    mutable std::mutex m_mutex;
    std::set<std::pair<Sid, Sid>> m_cut;
    std::map<std::pair<Sid, Sid>, std::chrono::milliseconds> m_delay;
    bool m_held = false;
    std::deque<Entry> m_heldQueue;
};

} // namespace zk
