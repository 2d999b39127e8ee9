#pragma once
// SearchPane: find znodes below a path by name (substring or regular expression) or by data,
// with a progress bar, a Stop button and a result list that grows while the search runs.
// Activating a result (double-click or Enter) emits activated(path); the connection tab
// selects that node in the tree.
//
// Thread: GUI thread. The walk runs in a SearchJob on a pool thread. Ownership: owns its
// SearchJob; the session must outlive the pane.

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QProgressBar;
class QPushButton;

namespace zoolab {

class SearchJob;
class ZkSession;

class SearchPane : public QWidget
{
    Q_OBJECT
public:
    enum Mode
    {
        NameContains,
        NameRegex,
        DataContains,
        DataRegex
    };

    explicit SearchPane(ZkSession* session, QWidget* parent = nullptr);

    // Fills the form as the user would.
    void setQuery(const QString& text, Mode mode, bool caseSensitive = false);
    void setRoot(const QString& path);
    QString root() const;
    // Starts (or restarts) the search; a problem shows in the status line.
    void search();
    void stop();
    void focusQuery();

    bool running() const;
    QStringList results() const;
    QListWidget* resultList() const { return m_results; }
    QProgressBar* progressBar() const { return m_progress; }
    QString statusText() const;
    SearchJob* job() const { return m_job; }

signals:
    void activated(const QString& path);
    void closeRequested();

private:
    void onFound(const QStringList& paths);
    void onProgress(int visited, int total);
    void onFinished();
    void setStatus(const QString& text, bool error);

    SearchJob* m_job = nullptr;
    QString m_searchedRoot;
    QLineEdit* m_query = nullptr;
    QComboBox* m_mode = nullptr;
    QCheckBox* m_case = nullptr;
    QLineEdit* m_root = nullptr;
    QPushButton* m_go = nullptr;
    QPushButton* m_stop = nullptr;
    QProgressBar* m_progress = nullptr;
    QLabel* m_status = nullptr;
    QListWidget* m_results = nullptr;
};

} // namespace zoolab
