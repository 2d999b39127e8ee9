#pragma once
// GuiInbox carries work from engine threads (the ZkClient's io thread, worker threads) to the
// GUI thread, batched as ARCHITECTURE.md section 7 shows: post() appends to a mutex-guarded
// batch and, when the batch was empty, queues one drain on the target's thread.
//
// Threads: post() is safe from any thread; tasks run on the target QObject's thread (the GUI
// thread), in post order. A drain runs tasks for at most sliceBudgetMs and re-queues itself
// for the rest, so a burst never holds the GUI thread for long.
//
// Ownership and lifetime: the inbox is shared (std::shared_ptr); callbacks on other threads
// capture it by value. The target (a QObject that owns one reference) calls detach() from its
// destructor; afterwards post() drops tasks and pending tasks are discarded, so a callback
// that arrives after the receiver is gone does nothing. detach() and post() take the same
// mutex, so invokeMethod never sees a dangling target.

#include <QObject>
#include <QPointer>

#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>

namespace zoolab {

class GuiInbox : public std::enable_shared_from_this<GuiInbox>
{
public:
    static std::shared_ptr<GuiInbox> create(QObject* target);

    // Any thread. Returns false when the inbox is detached (the task is dropped).
    bool post(std::function<void()> task);
    // Target's thread, typically from the target's destructor. Idempotent.
    void detach();
    bool attached() const;

    // Counters for tests and the status bar (any thread).
    std::size_t drains() const;
    std::size_t dropped() const;

    static constexpr int sliceBudgetMs = 30;

private:
    explicit GuiInbox(QObject* target) : m_target(target) {}
    void drain();
    void queueDrainLocked();

    mutable std::mutex m_mutex;
    QObject* m_target = nullptr;
    std::deque<std::function<void()>> m_pending;
    bool m_drainQueued = false;
    std::size_t m_drains = 0;
    std::size_t m_dropped = 0;
};

} // namespace zoolab
