#include "controllers/console_worker.h"

#include "cli/cli_shell.h"

namespace zoolab {

ConsoleWorker::ConsoleWorker(QString connectString, QString digestCredentials, QObject* parent)
    : QObject(parent), m_inbox(GuiInbox::create(this))
{
    m_thread = std::thread(&ConsoleWorker::run, this, connectString.toStdString(),
                           digestCredentials.toStdString());
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

bool ConsoleWorker::submit(const QString& line)
{
    {
        std::lock_guard lock(m_mutex);
        if (m_jobs.size() >= maxQueued)
            return false;
        m_jobs.push_back({false, line.toStdString()});
    }
    m_wake.notify_one();
    return true;
}

void ConsoleWorker::complete(const QString& line)
{
    {
        std::lock_guard lock(m_mutex);
        if (m_jobs.size() >= maxQueued)
            return;
        m_jobs.push_back({true, line.toStdString()});
    }
    m_wake.notify_one();
}

void ConsoleWorker::run(std::string connectString, std::string credentials)
{
    auto inbox = m_inbox;
    auto emitText = [inbox, this](std::string_view text, bool error) {
        inbox->post([this, text = QString::fromUtf8(text.data(), qsizetype(text.size())), error] {
            emit output(text, error);
        });
    };
    zk::cli::CliSink sink{[emitText](std::string_view text) { emitText(text, false); },
                          [emitText](std::string_view text) { emitText(text, true); }};
    zk::cli::CliShell shell(sink);
    auto sendPrompt = [&] {
        inbox->post([this, prompt = QString::fromStdString(shell.prompt())] {
            emit promptChanged(prompt);
        });
    };
    shell.connect(connectString);
    if (!credentials.empty())
        shell.execute("addauth digest " + credentials);
    sendPrompt();
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
        if (job.completion) {
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
            emitText("The console session is closed; type connect host:port to open another.\n",
                     true);
        }
        sendPrompt();
        inbox->post([this] { emit busyChanged(false); });
    }
}

} // namespace zoolab
