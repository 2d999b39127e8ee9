#pragma once
// TxnPersister is what a server driver (net/ServerHost, later the simulator's SimDisk) uses
// to make txns durable and to take fuzzy snapshots, without blocking its own thread on disk.
//
// Contract:
//   - start(), append(), snapshotStep() and stop() are called on the driver's thread only
//     (the node's io thread, which owns the DataTree).
//   - append() hands over a batch in zxid order and returns at once, unless the bounded
//     queue is full, in which case it waits for the storage thread (back pressure).
//   - hooks.durable(lastZxid) runs on the persister's thread after the fsync that made every
//     txn up to lastZxid durable; values only grow. The driver posts it to its own thread
//     and calls ServerCore::persisted.
//   - hooks.snapshotDue() runs on the persister's thread when a snapshot should start (the
//     log was already rolled); the driver then calls snapshotStep() on its thread, one step
//     per event-loop turn, until it returns true.
//   - hooks.failed(error) runs at most once, on a persister thread; after it the persister
//     drops every append and the node must stop.

#include "data/data_tree.h"
#include "data/txn.h"
#include "server/session_tracker.h"
#include "storage/storage_error.h"

#include <functional>
#include <vector>

namespace zk {

class TxnPersister
{
public:
    struct Hooks
    {
        std::function<void(Zxid lastDurable)> durable;
        std::function<void()> snapshotDue;
        std::function<void(const StorageError& error)> failed;
    };

    virtual ~TxnPersister() = default;
    virtual StorageError start(Hooks hooks) = 0;
    virtual void append(std::vector<LoggedTxn> txns) = 0;
    // Serializes a bounded part of the tree; returns true when this snapshot needs no more
    // steps (the file is then written on a background thread).
    virtual bool snapshotStep(const DataTree& tree, const SessionTracker& sessions) = 0;
    // Writes what was queued, waits for a snapshot in flight, and joins the threads.
    virtual void stop() = 0;
};

} // namespace zk
