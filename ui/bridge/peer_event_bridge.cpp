#include "bridge/peer_event_bridge.h"

#include <QMetaObject>

namespace zoolab {

std::shared_ptr<PeerEventBridge> PeerEventBridge::create(QObject* target, Deliver deliver)
{
    return std::shared_ptr<PeerEventBridge>(new PeerEventBridge(target, std::move(deliver)));
}

PeerEventBridge::PeerEventBridge(QObject* target, Deliver deliver)
    : m_start(std::chrono::steady_clock::now()), m_target(target), m_deliver(std::move(deliver))
{}

std::int64_t PeerEventBridge::elapsedMs() const
{
    const auto since = std::chrono::steady_clock::now() - m_start;
    return std::chrono::duration_cast<std::chrono::milliseconds>(since).count();
}

void PeerEventBridge::publish(const zk::PeerEvent& event)
{
    const std::int64_t atMs = elapsedMs();
    std::lock_guard lock(m_mutex);
    if (!m_target || m_pending.size() >= pendingMax) {
        ++m_dropped;
        return;
    }
    m_pending.push_back({atMs, event});
    ++m_published;
    if (m_pending.size() != 1)
        return; // a drain is queued already
    // The lambda holds a weak reference: a drain queued just before the last owner let go
    // finds nothing to do. Qt itself drops the queued call if the target is deleted.
    std::weak_ptr<PeerEventBridge> weak = weak_from_this();
    QMetaObject::invokeMethod(
        m_target,
        [weak] {
            if (auto self = weak.lock())
                self->drain();
        },
        Qt::QueuedConnection);
}

std::function<void(const zk::PeerEvent&)> PeerEventBridge::sink()
{
    auto self = shared_from_this();
    return [self](const zk::PeerEvent& event) { self->publish(event); };
}

void PeerEventBridge::drain()
{
    Batch batch;
    Deliver deliver;
    {
        std::lock_guard lock(m_mutex);
        if (!m_target || m_pending.empty())
            return;
        batch.swap(m_pending);
        ++m_batches;
        deliver = m_deliver;
    }
    if (deliver)
        deliver(std::move(batch));
}

void PeerEventBridge::detach()
{
    std::lock_guard lock(m_mutex);
    m_target = nullptr;
    m_dropped += m_pending.size();
    m_pending.clear();
    m_deliver = nullptr;
}

std::size_t PeerEventBridge::published() const
{
    std::lock_guard lock(m_mutex);
    return m_published;
}

std::size_t PeerEventBridge::batches() const
{
    std::lock_guard lock(m_mutex);
    return m_batches;
}

std::size_t PeerEventBridge::dropped() const
{
    std::lock_guard lock(m_mutex);
    return m_dropped;
}

} // namespace zoolab
