#include "views/progress_job.h"

#include "controllers/zk_session.h"

#include <QPointer>
#include <QProgressDialog>

#include <atomic>
#include <memory>

namespace zoolab {

bool runWithProgress(QWidget* parent, ZkSession* session, const QString& title, TreeJob job,
                     std::function<void(const TreeResult&)> done, int minimumDurationMs)
{
    if (!session->client())
        return false;
    auto* dialog = new QProgressDialog(title, QStringLiteral("Cancel"), 0, 0, parent);
    dialog->setWindowTitle(title);
    dialog->setWindowModality(Qt::WindowModal);
    dialog->setMinimumDuration(minimumDurationMs);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    auto cancelled = std::make_shared<std::atomic<bool>>(false);
    QObject::connect(dialog, &QProgressDialog::canceled, dialog,
                     [cancelled] { *cancelled = true; });
    QPointer<QProgressDialog> guard(dialog);
    auto inbox = session->inbox();
    auto reportQueued = std::make_shared<std::atomic<bool>>(false);
    Progress progress = [inbox, guard, cancelled, reportQueued](int doneCount, int total) {
        if (!reportQueued->exchange(true)) {
            inbox->post([guard, doneCount, total, reportQueued] {
                reportQueued->store(false);
                if (!guard)
                    return;
                guard->setMaximum(total);
                guard->setValue(total == 0 ? 0 : doneCount);
                guard->setLabelText(guard->labelText().section(QLatin1Char('\n'), 0, 0) +
                                    QStringLiteral("\n%1 nodes").arg(doneCount));
            });
        }
        return !cancelled->load();
    };
    QPointer<QWidget> owner(parent);
    return session->runInBackground<TreeResult>(
        [job = std::move(job), progress](zk::client::SyncClient& sync) {
            return job(sync, progress);
        },
        [owner, guard, done = std::move(done)](TreeResult result) {
            if (guard)
                guard->close();
            if (owner)
                done(result);
        });
}

} // namespace zoolab
