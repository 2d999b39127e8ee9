#include "bridge/gui_inbox.h"

#include <QElapsedTimer>
#include <QMetaObject>

namespace zoolab {

std::shared_ptr<GuiInbox> GuiInbox::create(QObject* target)
{
    return std::shared_ptr<GuiInbox>(new GuiInbox(target));
}

bool GuiInbox::post(std::function<void()> task)
{
    std::lock_guard lock(m_mutex);
    if (!m_target) {
        ++m_dropped;
        return false;
    }
    m_pending.push_back(std::move(task));
    if (!m_drainQueued)
        queueDrainLocked();
    return true;
}

void GuiInbox::queueDrainLocked()
{
    m_drainQueued = true;
    // The lambda holds a weak reference: a drain queued just before the last owner let go
    // finds nothing to do. Qt itself drops the queued call if the target is deleted.
    std::weak_ptr<GuiInbox> weak = weak_from_this();
    QMetaObject::invokeMethod(
        m_target,
        [weak] {
            if (auto self = weak.lock())
                self->drain();
        },
        Qt::QueuedConnection);
}

void GuiInbox::drain()
{
    QElapsedTimer clock;
    clock.start();
    for (;;) {
        std::function<void()> task;
        {
            std::lock_guard lock(m_mutex);
            if (!m_target || m_pending.empty()) {
                m_pending.clear();
                m_drainQueued = false;
                ++m_drains;
                return;
            }
            if (clock.elapsed() >= sliceBudgetMs) {
                // Leave the rest for the next turn of the event loop so input and paint
                // events get in between.
                ++m_drains;
                queueDrainLocked();
                return;
            }
            task = std::move(m_pending.front());
            m_pending.pop_front();
        }
        task();
    }
}

void GuiInbox::detach()
{
    std::lock_guard lock(m_mutex);
    m_target = nullptr;
    m_dropped += m_pending.size();
    m_pending.clear();
}

bool GuiInbox::attached() const
{
    std::lock_guard lock(m_mutex);
    return m_target != nullptr;
}

std::size_t GuiInbox::drains() const
{
    std::lock_guard lock(m_mutex);
    return m_drains;
}

std::size_t GuiInbox::dropped() const
{
    std::lock_guard lock(m_mutex);
    return m_dropped;
}

} // namespace zoolab
