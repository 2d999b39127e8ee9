#include "views/console_pane.h"

#include "controllers/console_worker.h"
#include "controllers/zk_session.h"
#include "models/studio_colors.h"

#include <QFontDatabase>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QVBoxLayout>

namespace zoolab {

namespace {
constexpr int maxHistory = 500;
constexpr int maxOutputBlocks = 5000;
} // namespace

ConsolePane::ConsolePane(QString connectString, QString digestCredentials, QWidget* parent)
    : QWidget(parent), m_connectString(std::move(connectString)),
      m_credentials(std::move(digestCredentials))
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    const QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    m_header = new QLabel(this);
    QFont headerFont = m_header->font();
    headerFont.setItalic(true);
    m_header->setFont(headerFont);
    m_header->hide();
    layout->addWidget(m_header);
    m_output = new QPlainTextEdit(this);
    m_output->setReadOnly(true);
    m_output->setFont(mono);
    m_output->setMaximumBlockCount(maxOutputBlocks);
    m_output->setPlaceholderText(
        QStringLiteral("zkCli console: ls /, get /path, stat /path, create /a data, help"));
    layout->addWidget(m_output, 1);
    auto* row = new QHBoxLayout;
    m_prompt = new QLabel(QStringLiteral("[zk] "), this);
    m_prompt->setFont(mono);
    m_input = new QLineEdit(this);
    m_input->setFont(mono);
    m_input->setPlaceholderText(QStringLiteral("command (Tab completes, Up/Down for history)"));
    m_input->installEventFilter(this);
    row->addWidget(m_prompt);
    row->addWidget(m_input, 1);
    layout->addLayout(row);
    connect(m_input, &QLineEdit::returnPressed, this, [this] {
        const QString line = m_input->text();
        m_input->clear();
        run(line);
    });
}

ConsolePane::ConsolePane(ZkSession* session, QWidget* parent)
    : ConsolePane(session->spec().connectString.trimmed(),
                  session->spec().authUser.isEmpty()
                      ? QString()
                      : session->spec().authUser + QLatin1Char(':') + session->spec().authPassword,
                  parent)
{
    m_tabSession = session;
    m_header->show();
    connect(session, &ZkSession::reopened, this, [this] {
        if (m_worker)
            append(QStringLiteral("The tab opened a new session; the console uses it too.\n"),
                   false);
        followTabSession();
    });
    connect(session, &ZkSession::stateChanged, this, [this] {
        followTabSession();
        updateHeader();
    });
    updateHeader();
}

void ConsolePane::followTabSession()
{
    if (!m_worker || !m_tabSession)
        return;
    auto client = m_tabSession->client();
    if (client.get() == m_attachedClient) {
        m_worker->refresh(); // same session, new state: the prompt says CONNECTED now
        return;
    }
    m_attachedClient = client.get();
    m_worker->attach(std::move(client));
}

QString ConsolePane::headerText() const
{
    return m_header->text();
}

QString ConsolePane::promptText() const
{
    return m_prompt->text();
}

void ConsolePane::updateHeader()
{
    if (!m_tabSession)
        return;
    const auto client = m_tabSession->client();
    const quint64 tabId = client ? quint64(client->sessionId()) : 0;
    if (m_sessionId != 0 && m_sessionId != tabId) {
        // The user typed connect: the console has a session of its own now.
        m_header->setText(QStringLiteral("zkCli · console session 0x%1, its own (the tree's "
                                         "session is 0x%2)")
                              .arg(m_sessionId, 0, 16)
                              .arg(tabId, 0, 16));
        return;
    }
    m_header->setText(tabId ? QStringLiteral("zkCli · on the tree's session 0x%1 (ephemeral "
                                             "nodes made here belong to this tab)")
                                  .arg(tabId, 0, 16)
                            : QStringLiteral("zkCli · on the tree's session (not connected "
                                             "yet)"));
}

void ConsolePane::ensureWorker()
{
    if (m_worker)
        return;
    if (m_tabSession) {
        auto client = m_tabSession->client();
        m_attachedClient = client.get();
        m_worker = new ConsoleWorker(std::move(client), m_connectString, this);
    } else {
        m_worker = new ConsoleWorker(m_connectString, m_credentials, this);
    }
    connect(m_worker, &ConsoleWorker::sessionChanged, this, [this](quint64 id) {
        m_sessionId = id;
        updateHeader();
    });
    connect(m_worker, &ConsoleWorker::output, this, &ConsolePane::append);
    connect(m_worker, &ConsoleWorker::promptChanged, m_prompt, &QLabel::setText);
    connect(m_worker, &ConsoleWorker::completions, this, &ConsolePane::onCompletions);
}

void ConsolePane::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    ensureWorker();
}

void ConsolePane::run(const QString& line)
{
    ensureWorker();
    append(m_prompt->text() + line + QLatin1Char('\n'), false);
    if (!line.trimmed().isEmpty()) {
        if (m_history.isEmpty() || m_history.last() != line)
            m_history << line;
        while (m_history.size() > maxHistory)
            m_history.removeFirst();
    }
    m_historyPos = int(m_history.size());
    if (!m_worker->submit(line))
        append(QStringLiteral("Too many commands are waiting; try again in a moment.\n"), true);
}

void ConsolePane::append(const QString& text, bool error)
{
    QTextCharFormat format;
    if (error)
        format.setForeground(studioColors().errorText);
    QTextCursor cursor(m_output->document());
    cursor.movePosition(QTextCursor::End);
    cursor.insertText(text, format);
    m_output->verticalScrollBar()->setValue(m_output->verticalScrollBar()->maximum());
}

void ConsolePane::onCompletions(const QString& line, const QStringList& candidates)
{
    if (m_input->text() != line || candidates.isEmpty())
        return;
    // The word being completed is the last space-separated one.
    const int start = int(line.lastIndexOf(QLatin1Char(' '))) + 1;
    if (candidates.size() == 1) {
        m_input->setText(line.left(start) + candidates.first());
        return;
    }
    QString common = candidates.first();
    for (const QString& candidate : candidates) {
        int n = 0;
        while (n < common.size() && n < candidate.size() && common[n] == candidate[n])
            ++n;
        common.truncate(n);
    }
    if (common.size() > line.size() - start)
        m_input->setText(line.left(start) + common);
    append(candidates.join(QStringLiteral("  ")) + QLatin1Char('\n'), false);
}

bool ConsolePane::eventFilter(QObject* watched, QEvent* event)
{
    if (watched != m_input || event->type() != QEvent::KeyPress)
        return QWidget::eventFilter(watched, event);
    auto* key = static_cast<QKeyEvent*>(event);
    switch (key->key()) {
    case Qt::Key_Tab:
        ensureWorker();
        m_worker->complete(m_input->text());
        return true;
    case Qt::Key_Up:
        if (m_historyPos > 0)
            m_input->setText(m_history[--m_historyPos]);
        return true;
    case Qt::Key_Down:
        if (m_historyPos < m_history.size() - 1) {
            m_input->setText(m_history[++m_historyPos]);
        } else {
            m_historyPos = int(m_history.size());
            m_input->clear();
        }
        return true;
    default:
        return QWidget::eventFilter(watched, event);
    }
}

} // namespace zoolab
