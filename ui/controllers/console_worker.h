#pragma once
// ConsoleWorker runs a zk::cli::CliShell (zkCli's interpreter) on its own thread, because
// CliShell's commands block on the server. The GUI posts command lines and completion
// requests; output, prompts and completions come back through a GuiInbox.
//
// Thread: construct, submit(), complete() and destroy on the GUI thread. The shell lives and
// runs on the worker thread only. The queue is bounded (maxQueued); excess lines are refused.
// Ownership: owns the thread; the destructor stops it after the running command finishes
// (joins), and late output is dropped by the inbox.

#include "bridge/gui_inbox.h"

#include <QObject>
#include <QStringList>

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace zoolab {

class ConsoleWorker : public QObject
{
    Q_OBJECT
public:
    // Connects the shell to connectString; digest credentials (user:password) are added
    // with addauth when given.
    ConsoleWorker(QString connectString, QString digestCredentials, QObject* parent = nullptr);
    ~ConsoleWorker() override;

    bool submit(const QString& line);
    void complete(const QString& line);
    // Closes the shell's session and opens a new one to the same target with the same
    // credentials (the tab opened a new session; the console follows).
    void reconnect();
    static constexpr std::size_t maxQueued = 100;

signals:
    // The shell's own session id (0 while it has none), after connecting and each command.
    void sessionChanged(quint64 sessionId);
    void output(const QString& text, bool error);
    void promptChanged(const QString& prompt);
    void completions(const QString& line, const QStringList& candidates);
    void busyChanged(bool busy);

private:
    struct Job
    {
        enum class Kind
        {
            Command,
            Completion,
            Reconnect
        };
        Kind kind = Kind::Command;
        std::string line;
    };
    bool enqueue(Job job);
    void run(std::string connectString, std::string credentials);

    std::shared_ptr<GuiInbox> m_inbox;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<Job> m_jobs;
    bool m_stop = false;
    std::thread m_thread;
};

} // namespace zoolab
