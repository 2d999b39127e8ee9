#include "controllers/zk_session.h"

#include <QPointer>
#include <QRunnable>
#include <QThreadPool>

#include <stdexcept>

namespace zoolab {

using zk::client::SessionState;

ZkSession::ZkSession(ConnectionSpec spec, QObject* parent)
    : QObject(parent), m_spec(std::move(spec)), m_inbox(GuiInbox::create(this))
{}

ZkSession::~ZkSession()
{
    m_inbox->detach();
    release();
}

void ZkSession::release()
{
    if (!m_client)
        return;
    // Closing waits for the server's reply; do it on a pool thread, not the GUI thread.
    auto client = std::move(m_client);
    QThreadPool::globalInstance()->start([client = std::move(client)]() mutable {
        client->close();
        client.reset();
    });
}

QString ZkSession::open()
{
    if (m_client)
        return {};
    if (QString problem = m_spec.validate(); !problem.isEmpty())
        return problem;
    zk::client::ClientOptions options;
    options.connectString = m_spec.connectString.trimmed().toStdString();
    options.sessionTimeoutMs = m_spec.sessionTimeoutMs;
    options.canBeReadOnly = m_spec.canBeReadOnly;
    // Listing a node with 100,000 children gives a reply of about 1 MB, just over Java's
    // jute.maxbuffer default; a desktop browser can afford a larger limit.
    options.maxFrameBytes = maxReplyBytes;
    const std::uint64_t generation = ++m_generation;
    QPointer<ZkSession> self(this);
    options.stateListener = [inbox = m_inbox, self, generation](SessionState state) {
        inbox->post([self, generation, state] {
            if (self && self->m_generation == generation)
                self->onState(state);
        });
    };
    try {
        m_client = std::make_shared<zk::client::ZkClient>(std::move(options));
    } catch (const std::invalid_argument& error) {
        return QString::fromStdString(error.what());
    }
    m_state = SessionState::Connecting;
    emit stateChanged(m_state);
    if (!m_spec.authUser.isEmpty()) {
        const std::string credentials =
            (m_spec.authUser + QLatin1Char(':') + m_spec.authPassword).toStdString();
        m_client->addAuth("digest", zk::Bytes(credentials.begin(), credentials.end()),
                          onGui<zk::client::Unit>([self](zk::client::Result<zk::client::Unit> r) {
                              if (self && !r.ok())
                                  emit self->message(
                                      QStringLiteral("The server rejected the digest "
                                                     "credentials: %1")
                                          .arg(describe(r.error)));
                          }));
    }
    return {};
}

QString ZkSession::reopen()
{
    release();
    QString problem = open();
    if (problem.isEmpty())
        emit reopened();
    return problem;
}

void ZkSession::onState(SessionState state)
{
    m_state = state;
    emit stateChanged(state);
}

bool ZkSession::usable() const
{
    return m_client &&
           (m_state == SessionState::Connected || m_state == SessionState::ConnectedReadOnly);
}

QString ZkSession::stateName(SessionState state)
{
    switch (state) {
    case SessionState::Connecting:
        return QStringLiteral("connecting");
    case SessionState::Connected:
        return QStringLiteral("connected");
    case SessionState::ConnectedReadOnly:
        return QStringLiteral("connected read-only");
    case SessionState::Suspended:
        return QStringLiteral("suspended, reconnecting");
    case SessionState::Expired:
        return QStringLiteral("session expired");
    case SessionState::Closed:
        return QStringLiteral("closed");
    case SessionState::AuthFailed:
        return QStringLiteral("authentication failed");
    }
    return QStringLiteral("unknown");
}

QString ZkSession::stateText() const
{
    return m_client ? stateName(m_state) : QStringLiteral("not connected");
}

QString ZkSession::serverText() const
{
    if (!m_client)
        return {};
    QString text = QString::fromStdString(m_client->currentServer());
    if (const auto id = m_client->sessionId(); id != 0)
        text += QStringLiteral(" · session 0x%1").arg(quint64(id), 0, 16);
    if (const auto timeout = m_client->negotiatedTimeoutMs(); timeout > 0)
        text += QStringLiteral(" · timeout %1 s").arg(timeout / 1000.0);
    return text;
}

zk::client::WatcherPtr
ZkSession::guiWatcher(std::function<void(const zk::client::WatchedEvent&)> fn) const
{
    return zk::client::makeWatcher(
        [inbox = m_inbox, fn = std::move(fn)](const zk::client::WatchedEvent& event) {
            inbox->post([fn, event] { fn(event); });
        });
}

bool ZkSession::startBackground(std::function<void()> job)
{
    if (!m_client)
        return false;
    QThreadPool::globalInstance()->start(std::move(job));
    return true;
}

QString ZkSession::describe(zk::ZError error)
{
    using zk::ZError;
    const QString name =
        QString::fromUtf8(zk::errorName(error).data(), qsizetype(zk::errorName(error).size()));
    QString words;
    switch (error) {
    case ZError::Ok:
        return QStringLiteral("no error");
    case ZError::NoNode:
        words = QStringLiteral("the node does not exist");
        break;
    case ZError::NodeExists:
        words = QStringLiteral("a node with that name already exists");
        break;
    case ZError::NotEmpty:
        words = QStringLiteral("the node still has children");
        break;
    case ZError::BadVersion:
        words = QStringLiteral("the node was changed by someone else since it was loaded");
        break;
    case ZError::NoAuth:
        words = QStringLiteral("the node's ACL does not allow this for your credentials");
        break;
    case ZError::NoChildrenForEphemerals:
        words = QStringLiteral("ephemeral nodes cannot have children");
        break;
    case ZError::ConnectionLoss:
        words = QStringLiteral("the connection to the server was lost; the client is "
                               "reconnecting");
        break;
    case ZError::SessionExpired:
        words = QStringLiteral("the session expired or was closed; reconnect to continue");
        break;
    case ZError::NotReadOnly:
        words = QStringLiteral("the server is read-only right now");
        break;
    case ZError::InvalidAcl:
        words = QStringLiteral("the ACL is not valid");
        break;
    case ZError::BadArguments:
        words = QStringLiteral("the server rejected the arguments (bad path, data too large, "
                               "or TTL nodes not enabled)");
        break;
    case ZError::Unimplemented:
        words = QStringLiteral("the server does not support this operation");
        break;
    case ZError::AuthFailed:
        words = QStringLiteral("authentication failed");
        break;
    case ZError::ThrottledOp:
        words = QStringLiteral("too many requests are outstanding");
        break;
    default:
        words = QStringLiteral("the server returned an error");
        break;
    }
    return QStringLiteral("%1 (%2)").arg(words, name);
}

} // namespace zoolab
