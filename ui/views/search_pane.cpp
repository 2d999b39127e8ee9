#include "views/search_pane.h"

#include "controllers/search_job.h"
#include "models/studio_colors.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QProgressBar>
#include <QPushButton>
#include <QShortcut>
#include <QToolButton>
#include <QVBoxLayout>

namespace zoolab {

SearchPane::SearchPane(ZkSession* session, QWidget* parent)
    : QWidget(parent), m_job(new SearchJob(session, this))
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 4, 0, 0);
    layout->setSpacing(3);

    auto* top = new QHBoxLayout;
    m_query = new QLineEdit(this);
    m_query->setPlaceholderText(QStringLiteral("Find znodes…"));
    m_query->setClearButtonEnabled(true);
    m_mode = new QComboBox(this);
    m_mode->addItem(QStringLiteral("Name contains"), NameContains);
    m_mode->addItem(QStringLiteral("Name matches regex"), NameRegex);
    m_mode->addItem(QStringLiteral("Data contains"), DataContains);
    m_mode->addItem(QStringLiteral("Data matches regex"), DataRegex);
    m_case = new QCheckBox(QStringLiteral("Aa"), this);
    m_case->setToolTip(QStringLiteral("Match case"));
    auto* close = new QToolButton(this);
    close->setText(QStringLiteral("✕"));
    close->setToolTip(QStringLiteral("Close the search (Esc)"));
    close->setAutoRaise(true);
    top->addWidget(m_query, 1);
    top->addWidget(m_mode);
    top->addWidget(m_case);
    top->addWidget(close);
    layout->addLayout(top);

    auto* second = new QHBoxLayout;
    second->addWidget(new QLabel(QStringLiteral("Under:"), this));
    m_root = new QLineEdit(QStringLiteral("/"), this);
    m_root->setToolTip(QStringLiteral("The subtree to search (the selected node by default)"));
    m_go = new QPushButton(QStringLiteral("Search"), this);
    m_go->setDefault(true);
    m_stop = new QPushButton(QStringLiteral("Stop"), this);
    m_stop->setEnabled(false);
    second->addWidget(m_root, 1);
    second->addWidget(m_go);
    second->addWidget(m_stop);
    layout->addLayout(second);

    m_progress = new QProgressBar(this);
    m_progress->setRange(0, 1);
    m_progress->setValue(0);
    m_progress->setTextVisible(false);
    m_progress->setMaximumHeight(8);
    layout->addWidget(m_progress);
    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    layout->addWidget(m_status);
    m_results = new QListWidget(this);
    m_results->setUniformItemSizes(true);
    m_results->setToolTip(QStringLiteral("Double-click or press Enter to select the node"));
    layout->addWidget(m_results, 1);

    connect(m_query, &QLineEdit::returnPressed, this, &SearchPane::search);
    connect(m_root, &QLineEdit::returnPressed, this, &SearchPane::search);
    connect(m_go, &QPushButton::clicked, this, &SearchPane::search);
    connect(m_stop, &QPushButton::clicked, this, &SearchPane::stop);
    connect(close, &QToolButton::clicked, this, &SearchPane::closeRequested);
    auto* escape = new QShortcut(QKeySequence(Qt::Key_Escape), this);
    escape->setContext(Qt::WidgetWithChildrenShortcut);
    connect(escape, &QShortcut::activated, this, &SearchPane::closeRequested);
    connect(m_results, &QListWidget::itemActivated, this,
            [this](QListWidgetItem* item) { emit activated(item->text()); });
    connect(m_job, &SearchJob::found, this, &SearchPane::onFound);
    connect(m_job, &SearchJob::progress, this, &SearchPane::onProgress);
    connect(m_job, &SearchJob::finished, this, &SearchPane::onFinished);
}

void SearchPane::setQuery(const QString& text, Mode mode, bool caseSensitive)
{
    m_query->setText(text);
    m_mode->setCurrentIndex(m_mode->findData(mode));
    m_case->setChecked(caseSensitive);
}

void SearchPane::setRoot(const QString& path)
{
    if (!running())
        m_root->setText(path.isEmpty() ? QStringLiteral("/") : path);
}

QString SearchPane::root() const
{
    return m_root->text().trimmed();
}

void SearchPane::focusQuery()
{
    m_query->setFocus();
    m_query->selectAll();
}

bool SearchPane::running() const
{
    return m_job->running();
}

void SearchPane::search()
{
    const Mode mode = Mode(m_mode->currentData().toInt());
    SearchQuery query;
    query.text = m_query->text();
    query.target = mode == DataContains || mode == DataRegex ? SearchQuery::Target::Data
                                                             : SearchQuery::Target::Name;
    query.regex = mode == NameRegex || mode == DataRegex;
    query.caseSensitive = m_case->isChecked();
    QString rootPath = root();
    if (!rootPath.startsWith(QLatin1Char('/'))) {
        setStatus(QStringLiteral("\"Under\" must be a znode path starting with /."), true);
        return;
    }
    if (rootPath.size() > 1 && rootPath.endsWith(QLatin1Char('/')))
        rootPath.chop(1);
    if (QString problem = m_job->start(rootPath, query); !problem.isEmpty()) {
        setStatus(problem, true);
        return;
    }
    m_results->clear();
    m_searchedRoot = rootPath;
    m_progress->setRange(0, 0); // busy until the first count arrives
    m_go->setEnabled(false);
    m_stop->setEnabled(true);
    setStatus(QStringLiteral("Searching %1…").arg(rootPath), false);
}

void SearchPane::stop()
{
    m_job->cancel();
}

void SearchPane::onFound(const QStringList& paths)
{
    m_results->addItems(paths);
}

void SearchPane::onProgress(int visited, int total)
{
    if (total > 0) {
        m_progress->setRange(0, total);
        m_progress->setValue(visited);
    }
    setStatus(QStringLiteral("Searching… %1 nodes, %2 found").arg(visited).arg(m_results->count()),
              false);
}

void SearchPane::onFinished()
{
    const SearchResult& result = m_job->lastResult();
    m_go->setEnabled(true);
    m_stop->setEnabled(false);
    m_progress->setRange(0, 1);
    m_progress->setValue(result.error.isEmpty() && !result.cancelled ? 1 : 0);
    if (!result.error.isEmpty()) {
        setStatus(result.error, true);
        return;
    }
    QString text = QStringLiteral("%1 found in %2 nodes under %3")
                       .arg(result.matches)
                       .arg(result.visited)
                       .arg(m_searchedRoot);
    if (result.cancelled)
        text = QStringLiteral("Stopped: ") + text;
    if (result.truncated)
        text += QStringLiteral("; only the first %1 matches are listed").arg(result.matches);
    if (result.unreadable > 0)
        text += QStringLiteral("; %1 nodes could not be read (their ACL does not allow it)")
                    .arg(result.unreadable);
    setStatus(text + QLatin1Char('.'), false);
}

void SearchPane::setStatus(const QString& text, bool error)
{
    m_status->setText(text);
    m_status->setStyleSheet(error ? noticeStyleSheet() : QString());
}

QString SearchPane::statusText() const
{
    return m_status->text();
}

QStringList SearchPane::results() const
{
    QStringList paths;
    for (int i = 0; i < m_results->count(); ++i)
        paths << m_results->item(i)->text();
    return paths;
}

} // namespace zoolab
