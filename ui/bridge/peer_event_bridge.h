#pragma once
// PeerEventBridge carries the ensemble's PeerEvents from the node threads to the GUI thread,
// as ARCHITECTURE.md section 7 draws it: publish() stamps the event with the time it arrived,
// appends it to a mutex-guarded batch and, when the batch was empty, queues one drain on the
// target's thread. The drain hands the whole batch to `deliver` in one call, so the models see
// one call (and do one round of dataChanged) per batch, not per event.
//
// Threads: publish() and sink() are safe from any thread (the nodes' io threads call them);
// `deliver` runs on the target QObject's thread. Stamps come from one steady clock started in
// create(); elapsedMs() reads the same clock.
//
// Bounds: at most pendingMax events wait; further ones are dropped and counted until the GUI
// thread drains (the controller's status polling repairs what a dropped event would have said).
//
// Ownership and lifetime: the bridge is shared (std::shared_ptr); the sink handed to the
// engine holds a reference. The owner calls detach() on its thread before it goes away; after
// that publish() drops everything and a drain already queued does nothing.

#include "zab/peer_events.h"

#include <QObject>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

namespace zoolab {

struct StampedPeerEvent
{
    std::int64_t atMs = 0; // since the bridge was created
    zk::PeerEvent event;
};

class PeerEventBridge : public std::enable_shared_from_this<PeerEventBridge>
{
public:
    using Batch = std::vector<StampedPeerEvent>;
    using Deliver = std::function<void(Batch batch)>;

    static std::shared_ptr<PeerEventBridge> create(QObject* target, Deliver deliver);

    // Any thread.
    void publish(const zk::PeerEvent& event);
    // A function for zk::Ensemble::setEventSink that publishes here.
    std::function<void(const zk::PeerEvent&)> sink();
    // Target's thread. Idempotent.
    void detach();

    std::int64_t elapsedMs() const;
    // Counters for tests and diagnostics (any thread).
    std::size_t published() const;
    std::size_t batches() const;
    std::size_t dropped() const;

    static constexpr std::size_t pendingMax = 20000;

private:
    PeerEventBridge(QObject* target, Deliver deliver);
    void drain();

    const std::chrono::steady_clock::time_point m_start;
    mutable std::mutex m_mutex;
    QObject* m_target = nullptr;
    Deliver m_deliver;
    Batch m_pending;
    std::size_t m_published = 0;
    std::size_t m_batches = 0;
    std::size_t m_dropped = 0;
};

} // namespace zoolab
