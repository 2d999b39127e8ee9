#pragma once
// Runs a blocking subtree operation (tree_operations.h and friends) on a pool thread behind a
// window-modal progress dialog with a Cancel button, and hands the result back on the GUI
// thread. The dialog appears only when the job takes longer than minimumDurationMs.
//
// Thread: call on the GUI thread. The job runs on QThreadPool with its own SyncClient over
// the session's client; progress reports are coalesced (at most one queued update at a time).
// Ownership: the dialog is a child of `parent` and deletes itself when closed. `done` runs
// only while `parent` is alive; it decides how to show an error or a cancellation.

#include "controllers/tree_operations.h"

#include <QString>

#include <functional>

class QWidget;

namespace zoolab {

class ZkSession;

using TreeJob = std::function<TreeResult(zk::client::SyncClient&, const Progress&)>;

// Returns false (and runs nothing) when the session has no client.
bool runWithProgress(QWidget* parent, ZkSession* session, const QString& title, TreeJob job,
                     std::function<void(const TreeResult&)> done, int minimumDurationMs = 300);

} // namespace zoolab
