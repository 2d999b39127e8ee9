#include "controllers/search_job.h"

#include "controllers/zk_session.h"

#include <QPointer>

#include <mutex>

namespace zoolab {

// What the worker and the GUI thread share for one search.
struct SearchJob::Shared
{
    std::atomic<bool> cancelled{false};
    std::mutex mutex;
    QStringList pending; // matches not yet handed to the GUI thread
    int visited = 0;
    int total = 0;
    bool flushQueued = false;
};

SearchJob::SearchJob(ZkSession* session, QObject* parent) : QObject(parent), m_session(session)
{}

SearchJob::~SearchJob()
{
    cancel();
}

void SearchJob::cancel()
{
    if (m_current)
        m_current->cancelled = true;
}

QString SearchJob::start(const QString& root, const SearchQuery& query)
{
    if (QString problem = SearchMatcher(query).problem(); !problem.isEmpty())
        return problem;
    if (!m_session->usable())
        return QStringLiteral("Not connected; the search needs a live session.");
    cancel();
    auto shared = std::make_shared<Shared>();
    m_current = shared;
    m_running = true;
    auto inbox = m_session->inbox();
    QPointer<SearchJob> self(this);
    // The worker appends under the mutex and queues one flush when the batch was empty.
    auto queueFlush = [inbox, self, shared] {
        if (shared->flushQueued)
            return;
        shared->flushQueued = true;
        inbox->post([self, shared] {
            if (self)
                self->flush(shared);
        });
    };
    auto onMatch = [shared, queueFlush](const std::string& path) {
        std::lock_guard lock(shared->mutex);
        shared->pending << QString::fromStdString(path);
        queueFlush();
    };
    Progress progress = [shared, queueFlush](int visited, int total) {
        std::lock_guard lock(shared->mutex);
        shared->visited = visited;
        shared->total = total;
        queueFlush();
        return !shared->cancelled.load();
    };
    const std::string target = root.toStdString();
    const bool started = m_session->runInBackground<SearchResult>(
        [target, query, progress, onMatch](zk::client::SyncClient& sync) {
            return searchSubtree(sync, target, query, progress, onMatch);
        },
        [self, shared](SearchResult result) {
            if (!self || self->m_current != shared)
                return;
            self->flush(shared);
            self->m_running = false;
            self->m_last = result;
            emit self->finished();
        });
    if (!started) {
        m_running = false;
        return QStringLiteral("Not connected; the search needs a live session.");
    }
    return {};
}

void SearchJob::flush(const std::shared_ptr<Shared>& shared)
{
    QStringList batch;
    int visited = 0;
    int total = 0;
    {
        std::lock_guard lock(shared->mutex);
        batch.swap(shared->pending);
        visited = shared->visited;
        total = shared->total;
        shared->flushQueued = false;
    }
    if (m_current != shared)
        return; // a newer search replaced this one
    if (!batch.isEmpty())
        emit found(batch);
    emit progress(visited, total);
}

} // namespace zoolab
