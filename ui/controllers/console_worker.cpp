#include "controllers/console_worker.h"

#include "cli/cli_shell.h"

namespace zoolab {

ConsoleWorker::ConsoleWorker(QString connectString, QString digestCredentials, QObject* parent)
    : QObject(parent), m_inbox(GuiInbox::create(this))
{
    Target target;
    target.connectString = connectString.toStdString();
    target.credentials = digestCredentials.toStdString();
    m_thread = std::thread(&ConsoleWorker::run, this, std::move(target));
}

ConsoleWorker::ConsoleWorker(std::shared_ptr<zk::client::ZkClient> client, QString label,
                             QObject* parent)
    : QObject(parent), m_inbox(GuiInbox::create(this))
{
    Target target;
    target.connectString = label.toStdString();
    target.attached = true;
    target.client = std::move(client);
    m_thread = std::thread(&ConsoleWorker::run, this, std::move(target));
}

ConsoleWorker::~ConsoleWorker()
{
    m_inbox->detach();
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
        m_jobs.clear();
    }
    m_wake.notify_all();
    m_thread.join();
}

bool ConsoleWorker::enqueue(Job job)
{
    {
        std::lock_guard lock(m_mutex);
        if (m_jobs.size() >= maxQueued)
            return false;
        m_jobs.push_back(std::move(job));
    }
    m_wake.notify_one();
    return true;
}

bool ConsoleWorker::submit(const QString& line)
{
    return enqueue({Job::Kind::Command, line.toStdString(), {}});
}

void ConsoleWorker::complete(const QString& line)
{
    enqueue({Job::Kind::Completion, line.toStdString(), {}});
}

void ConsoleWorker::reconnect()
{
    enqueue({Job::Kind::Reconnect, {}, {}});
}

void ConsoleWorker::attach(std::shared_ptr<zk::client::ZkClient> client)
{
    enqueue({Job::Kind::Attach, {}, std::move(client)});
}

void ConsoleWorker::refresh()
{
    enqueue({Job::Kind::Refresh, {}, {}});
}

void ConsoleWorker::run(Target target)
{
    auto inbox = m_inbox;
    auto emitText = [inbox, this](std::string_view text, bool error) {
        inbox->post([this, text = QString::fromUtf8(text.data(), qsizetype(text.size())), error] {
            emit output(text, error);
        });
    };
    zk::cli::CliSink sink{[emitText](std::string_view text) { emitText(text, false); },
                          [emitText](std::string_view text) { emitText(text, true); }};
    // Declared before the shell, so the shell lets go of the client before it is released.
    std::shared_ptr<zk::client::ZkClient> current;
    zk::cli::CliShell shell(sink);
    auto sendPrompt = [&] {
        inbox->post([this, prompt = QString::fromStdString(shell.prompt())] {
            emit promptChanged(prompt);
        });
    };
    auto sendSession = [&] {
        const quint64 id = shell.session() ? quint64(shell.session()->client().sessionId()) : 0;
        inbox->post([this, id] { emit sessionChanged(id); });
    };
    auto connectShell = [&] {
        if (target.attached) {
            current = target.client;
            if (current)
                shell.attach(*current, target.connectString);
            else
                shell.detach();
            return;
        }
        shell.connect(target.connectString);
        if (!target.credentials.empty())
            shell.execute("addauth digest " + target.credentials);
    };
    connectShell();
    sendPrompt();
    sendSession();
    for (;;) {
        Job job;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [this] { return m_stop || !m_jobs.empty(); });
            if (m_stop)
                return;
            job = std::move(m_jobs.front());
            m_jobs.pop_front();
        }
        if (job.kind == Job::Kind::Refresh) {
            sendPrompt();
            sendSession();
            continue;
        }
        if (job.kind == Job::Kind::Attach)
            target.client = std::move(job.client);
        if (job.kind == Job::Kind::Reconnect || job.kind == Job::Kind::Attach) {
            connectShell();
            sendPrompt();
            sendSession();
            continue;
        }
        if (job.kind == Job::Kind::Completion) {
            QStringList candidates;
            for (const auto& candidate : shell.complete(job.line))
                candidates << QString::fromStdString(candidate);
            inbox->post([this, line = QString::fromStdString(job.line), candidates] {
                emit completions(line, candidates);
            });
            continue;
        }
        inbox->post([this] { emit busyChanged(true); });
        shell.execute(job.line);
        if (shell.quitRequested()) {
            emitText(target.attached ? "The console let go of the tab's session (it stays open); "
                                       "type connect host:port to open a session of its own.\n"
                                     : "The console session is closed; type connect host:port "
                                       "to open another.\n",
                     true);
        }
        sendPrompt();
        sendSession();
        inbox->post([this] { emit busyChanged(false); });
    }
}

} // namespace zoolab
