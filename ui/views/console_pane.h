#pragma once
// ConsolePane: zkCli in the studio. Shows the ConsoleWorker's output, reads command lines with
// history (Up/Down) and completion (Tab). The worker, and so its session, starts on first use
// (the first command or the first time the pane is shown), not with the tab.
//
// A console of a connection tab runs on the tab's own session (CliShell::attach): nodes it
// creates belong to the tab's session, it uses the tab's credentials, and closing the console
// (or typing close/quit in it) leaves the tab's session open. When the tab opens a new
// session, the console moves to it. A console made from a connect string has a session of its
// own.
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
    // The session the console runs on (0 before it has one): the tab's for a tab's console.
    quint64 sessionId() const { return m_sessionId; }
    QString headerText() const;
    QString promptText() const;

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;
    void showEvent(QShowEvent* event) override;

private:
    void ensureWorker();
    void append(const QString& text, bool error);
    void onCompletions(const QString& line, const QStringList& candidates);
    void updateHeader();
    void followTabSession();

    QString m_connectString;
    QString m_credentials;
    ZkSession* m_tabSession = nullptr;
    const void* m_attachedClient = nullptr; // The tab client the worker was last given.
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
