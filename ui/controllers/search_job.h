#pragma once
// SearchJob: one search (znode_search.h) at a time for a ZkSession, run on a pool thread.
// Matches arrive on the GUI thread in batches while the walk goes on; progress is coalesced.
//
// Thread: GUI thread (a QObject). start() hands the walk to QThreadPool; cancel() asks it to
// stop at the next node. A new start() cancels the running search; results of a cancelled or
// replaced search that arrive late are dropped (each search has a generation).
// Ownership: does not own the session; the session must outlive it.

#include "controllers/znode_search.h"

#include <QObject>
#include <QStringList>

#include <atomic>
#include <memory>

namespace zoolab {

class ZkSession;

class SearchJob : public QObject
{
    Q_OBJECT
public:
    explicit SearchJob(ZkSession* session, QObject* parent = nullptr);
    ~SearchJob() override;

    // Starts searching below root; returns a problem sentence (bad query, not connected) or
    // an empty string.
    QString start(const QString& root, const SearchQuery& query);
    void cancel();
    bool running() const { return m_running; }
    // The summary of the last finished search.
    const SearchResult& lastResult() const { return m_last; }

signals:
    void progress(int visited, int total);
    void found(const QStringList& paths);
    void finished();

private:
    struct Shared;
    void flush(const std::shared_ptr<Shared>& shared);

    ZkSession* m_session;
    std::shared_ptr<Shared> m_current;
    bool m_running = false;
    SearchResult m_last;
};

} // namespace zoolab
