#include "net/link_filter.h"

#include <fmt/format.h>

namespace zk {

std::string HeldMessage::toString() const
{
    return fmt::format("{}->{} {}: {}", from, to, channel == Channel::Election ? "election" : "zab",
                       kind);
}

void LinkFilter::cut(Sid from, Sid to)
{
    std::lock_guard lock(m_mutex);
    m_cut.insert({from, to});
}

void LinkFilter::cutBoth(Sid a, Sid b)
{
    std::lock_guard lock(m_mutex);
    m_cut.insert({a, b});
    m_cut.insert({b, a});
}

void LinkFilter::healBoth(Sid a, Sid b)
{
    std::lock_guard lock(m_mutex);
    m_cut.erase({a, b});
    m_cut.erase({b, a});
}

void LinkFilter::heal()
{
    std::lock_guard lock(m_mutex);
    m_cut.clear();
    m_delay.clear();
}

void LinkFilter::setDelay(Sid from, Sid to, std::chrono::milliseconds delay)
{
    std::lock_guard lock(m_mutex);
    m_delay[{from, to}] = delay;
}

bool LinkFilter::allows(Sid from, Sid to) const
{
    std::lock_guard lock(m_mutex);
    return !m_cut.contains({from, to});
}

std::chrono::milliseconds LinkFilter::delay(Sid from, Sid to) const
{
    std::lock_guard lock(m_mutex);
    const auto it = m_delay.find({from, to});
    return it == m_delay.end() ? std::chrono::milliseconds(0) : it->second;
}

void LinkFilter::setHeld(bool held)
{
    std::lock_guard lock(m_mutex);
    m_held = held;
    if (!held)
        releaseAllLocked();
}

bool LinkFilter::held() const
{
    std::lock_guard lock(m_mutex);
    return m_held;
}

bool LinkFilter::hold(const void* owner, HeldMessage message, std::function<void()> release)
{
    std::lock_guard lock(m_mutex);
    if (!m_held || m_heldQueue.size() >= kHeldMax)
        return false;
    m_heldQueue.push_back({owner, std::move(message), std::move(release)});
    return true;
}

std::optional<HeldMessage> LinkFilter::step()
{
    std::lock_guard lock(m_mutex);
    if (m_heldQueue.empty())
        return std::nullopt;
    Entry entry = std::move(m_heldQueue.front());
    m_heldQueue.pop_front();
    entry.release();
    return std::move(entry.message);
}

void LinkFilter::releaseAll()
{
    std::lock_guard lock(m_mutex);
    releaseAllLocked();
}

void LinkFilter::releaseAllLocked()
{
    // Releases post into the senders' io_contexts, so running them under the lock is cheap and
    // keeps forget() a barrier: once it returns, nothing posts for that owner any more.
    while (!m_heldQueue.empty()) {
        Entry entry = std::move(m_heldQueue.front());
        m_heldQueue.pop_front();
        entry.release();
    }
}

std::size_t LinkFilter::heldCount() const
{
    std::lock_guard lock(m_mutex);
    return m_heldQueue.size();
}

std::optional<HeldMessage> LinkFilter::nextHeld() const
{
    std::lock_guard lock(m_mutex);
    if (m_heldQueue.empty())
        return std::nullopt;
    return m_heldQueue.front().message;
}

void LinkFilter::forget(const void* owner)
{
    std::lock_guard lock(m_mutex);
    std::erase_if(m_heldQueue, [owner](const Entry& entry) { return entry.owner == owner; });
}

} // namespace zk
