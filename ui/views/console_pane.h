#pragma once
// ConsolePane: zkCli in the studio. Shows the ConsoleWorker's output, reads command lines with
// history (Up/Down) and completion (Tab). The worker, and so its session, starts on first use
// (the first command or the first time the pane is shown), not with the tab.
//
// Thread: GUI thread. Ownership: owns its ConsoleWorker (child QObject).

#include <QStringList>
#include <QWidget>

class QLabel;
class QLineEdit;
class QPlainTextEdit;

namespace zoolab {

class ConsoleWorker;

class ConsolePane : public QWidget
{
    Q_OBJECT
public:
    ConsolePane(QString connectString, QString digestCredentials, QWidget* parent = nullptr);

    // Starts the worker if needed and runs line as if typed.
    void run(const QString& line);
    QPlainTextEdit* output() const { return m_output; }
    QLineEdit* input() const { return m_input; }
    const QStringList& history() const { return m_history; }

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;
    void showEvent(QShowEvent* event) override;

private:
    void ensureWorker();
    void append(const QString& text, bool error);
    void onCompletions(const QString& line, const QStringList& candidates);

    QString m_connectString;
    QString m_credentials;
    ConsoleWorker* m_worker = nullptr;
    QPlainTextEdit* m_output = nullptr;
    QLabel* m_prompt = nullptr;
    QLineEdit* m_input = nullptr;
    QStringList m_history;
    int m_historyPos = 0;
};

} // namespace zoolab
