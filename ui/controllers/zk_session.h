#pragma once
// ZkSession: one connection of the studio (one tab). It owns a zk::client::ZkClient and turns
// the client's io-thread callbacks into GUI-thread calls through a GuiInbox.
//
// Thread: GUI thread only (a QObject). The helpers onGui() and guiWatcher() wrap a GUI-thread
// function into a callback the client may call on its own thread; the wrapped function runs
// later on the GUI thread, or never if the session was destroyed in between.
// runInBackground() runs blocking work (SyncClient) on QThreadPool and hands the result back.
//
// Ownership: the client lives in a shared_ptr so that background work keeps it alive; the
// destructor detaches the inbox first (late callbacks are dropped), then lets the last owner
// close the session off the GUI thread.
//
// Reconnects after a dropped connection are the client's job (state Suspended, then Connected
// again). An Expired or AuthFailed session is terminal; reopen() starts a new one.

#include "bridge/gui_inbox.h"
#include "client/sync_client.h"
#include "client/zk_client.h"
#include "controllers/connection_spec.h"

#include <QObject>
#include <QString>

#include <functional>
#include <memory>

namespace zoolab {

class ZkSession : public QObject
{
    Q_OBJECT
public:
    explicit ZkSession(ConnectionSpec spec, QObject* parent = nullptr);
    ~ZkSession() override;

    // Starts connecting. Returns an error sentence (bad connect string) or an empty string.
    QString open();
    // Drops the current session (if any) and opens a new one.
    QString reopen();

    const ConnectionSpec& spec() const { return m_spec; }
    zk::client::SessionState state() const { return m_state; }
    bool usable() const;
    QString stateText() const;
    QString serverText() const;
    std::shared_ptr<zk::client::ZkClient> client() const { return m_client; }
    const std::shared_ptr<GuiInbox>& inbox() const { return m_inbox; }

    template <typename T>
    zk::client::Callback<T> onGui(std::function<void(zk::client::Result<T>)> fn) const
    {
        return [inbox = m_inbox, fn = std::move(fn)](zk::client::Result<T> result) {
            inbox->post([fn, result = std::move(result)] { fn(result); });
        };
    }
    zk::client::WatcherPtr
    guiWatcher(std::function<void(const zk::client::WatchedEvent&)> fn) const;

    // Runs work(sync) on a pool thread; then done(result) on the GUI thread unless the session
    // is gone. Does nothing (and returns false) without a client.
    template <typename R>
    bool runInBackground(std::function<R(zk::client::SyncClient&)> work,
                         std::function<void(R)> done)
    {
        return startBackground(
            [client = m_client, inbox = m_inbox, work = std::move(work), done = std::move(done)] {
                zk::client::SyncClient sync(*client);
                R result = work(sync);
                inbox->post([done, result = std::move(result)] { done(result); });
            });
    }

    // Plain words for an error code, e.g. "the node does not exist (NoNode)".
    static QString describe(zk::ZError error);
    static QString stateName(zk::client::SessionState state);
    static constexpr std::int32_t maxReplyBytes = 32 << 20;

signals:
    void stateChanged(zk::client::SessionState state);
    // A new session replaced the old one (reopen()); models should reload.
    void reopened();
    void message(const QString& text);

private:
    bool startBackground(std::function<void()> job);
    void onState(zk::client::SessionState state);
    void release();

    ConnectionSpec m_spec;
    std::shared_ptr<GuiInbox> m_inbox;
    std::shared_ptr<zk::client::ZkClient> m_client;
    zk::client::SessionState m_state = zk::client::SessionState::Connecting;
    std::uint64_t m_generation = 0;
};

} // namespace zoolab
