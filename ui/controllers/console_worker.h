#pragma once
// ConsoleWorker runs a zk::cli::CliShell (zkCli's interpreter) on its own thread, because
// CliShell's commands block on the server. The GUI posts command lines and completion
// requests; output, prompts and completions come back through a GuiInbox.
//
// Thread: construct, submit(), complete() and destroy on the GUI thread. The shell lives and
// runs on the worker thread only. The queue is bounded (maxQueued); excess lines are refused.
// Ownership: owns the thread; the destructor stops it after the running command finishes
// (joins), and late output is dropped by the inbox.
//
// Two kinds: a console with a session of its own (connect string and credentials), or one
// attached to a client someone else owns (a tab's), which it keeps alive while a command runs
// on it but never closes.

#include "bridge/gui_inbox.h"

#include "client/zk_client.h"

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
    // Runs the commands on `client` (may be null: "Not connected" until attach()); label names
    // it in the prompt.
    ConsoleWorker(std::shared_ptr<zk::client::ZkClient> client, QString label,
                  QObject* parent = nullptr);
    ~ConsoleWorker() override;

    // Moves an attached console to another client (the tab opened a new session).
    void attach(std::shared_ptr<zk::client::ZkClient> client);
    // Sends the prompt and session id again (the shared session changed state).
    void refresh();

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
            Reconnect,
            Attach,
            Refresh
        };
        Kind kind = Kind::Command;
        std::string line;
        std::shared_ptr<zk::client::ZkClient> client;
    };
    struct Target
    {
        std::string connectString;
        std::string credentials;
        bool attached = false;
        std::shared_ptr<zk::client::ZkClient> client;
    };
    bool enqueue(Job job);
    void run(Target target);

    std::shared_ptr<GuiInbox> m_inbox;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<Job> m_jobs;
    bool m_stop = false;
    std::thread m_thread;
};

} // namespace zoolab
