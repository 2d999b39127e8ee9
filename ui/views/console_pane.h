#pragma once
// ConsolePane: zkCli in the studio. Shows the ConsoleWorker's output, reads command lines with
// history (Up/Down) and completion (Tab). The worker, and so its session, starts on first use
// (the first command or the first time the pane is shown), not with the tab.
//
// Why the console has a session of its own instead of the tab's: it runs zkCli's interpreter
// (zk::cli::CliShell in engine/cli), which creates and owns its ZkClient inside
// CliShell::connect() and offers no way to run on a client it did not create; its watch
// output also hangs on that client's default watcher, set when the client is constructed.
// Sharing needs a CliShell that can attach to an existing client (an engine change, left to
// the engine's owners). Until then the console connects to the tab's connect string with the
// tab's credentials, follows the tab when it opens a new session (Reconnect), and says in its
// header which session is its own, so an ephemeral node created here is not mistaken for one
// of the tree's.
//
// Thread: GUI thread. Ownership: owns its ConsoleWorker (child QObject); a tab's session must
// outlive the pane.

#include <QStringList>
#include <QWidget>

class QLabel;
class QLineEdit;
class QPlainTextEdit;

namespace zoolab {

class ConsoleWorker;
class ZkSession;

class ConsolePane : public QWidget
{
    Q_OBJECT
public:
    ConsolePane(QString connectString, QString digestCredentials, QWidget* parent = nullptr);
    // A console for a connection tab: same target and credentials as the tab's session.
    explicit ConsolePane(ZkSession* session, QWidget* parent = nullptr);

    // Starts the worker if needed and runs line as if typed.
    void run(const QString& line);
    QPlainTextEdit* output() const { return m_output; }
    QLineEdit* input() const { return m_input; }
    const QStringList& history() const { return m_history; }
    // The console's own session id (0 before it connected).
    quint64 sessionId() const { return m_sessionId; }
    QString headerText() const;

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;
    void showEvent(QShowEvent* event) override;

private:
    void ensureWorker();
    void append(const QString& text, bool error);
    void onCompletions(const QString& line, const QStringList& candidates);
    void updateHeader();

    QString m_connectString;
    QString m_credentials;
    ZkSession* m_tabSession = nullptr;
    quint64 m_sessionId = 0;
    ConsoleWorker* m_worker = nullptr;
    QLabel* m_header = nullptr;
    QPlainTextEdit* m_output = nullptr;
    QLabel* m_prompt = nullptr;
    QLineEdit* m_input = nullptr;
    QStringList m_history;
    int m_historyPos = 0;
};

} // namespace zoolab
