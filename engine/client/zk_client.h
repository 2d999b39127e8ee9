#pragma once
// ZkClient: an asynchronous ZooKeeper client session over Boost.Asio (ClientCnxn.java).
//
// Threading: the client owns one io_context and one thread ("the client thread"). Every
// public method is thread-safe and returns at once; the work is posted to the client
// thread. Every callback (results, watchers, the state listener) runs on the client thread,
// one at a time, in the order the server's replies and notifications arrive. A callback must
// not block on another request of the same client (use SyncClient from other threads only).
// The destructor closes the session (if close() was not called) and joins the thread; do not
// destroy the client from one of its own callbacks.
//
// Session: the client connects to the hosts of the connect string in a shuffled order
// (seeded), handshakes (ConnectRequest with the readOnly byte), pings every readTimeout/2
// where readTimeout = 2/3 of the negotiated timeout, and drops a connection that stays
// silent for readTimeout. After a drop it reconnects to the next host with the same session
// id and password and its last seen zxid, replays auth packets and then the registered
// watches (SetWatches/SetWatches2, xid -8). A ConnectResponse with timeOut <= 0 means the
// session expired: the client reports Expired and stops.
//
// Requests: every result reaches its callback exactly once. Requests that were sent or queued
// when a connection drops fail with ConnectionLoss; after Closed they fail with
// SessionExpired (as the Java client), after Expired with SessionExpired, after AuthFailed
// with AuthFailed. At most maxOutstandingRequests requests wait at a time; beyond that a
// request fails at once with ThrottledOp. Paths are client paths: the chroot is added on the
// way out and removed from created paths and event paths on the way in.

#include "client/client_types.h"
#include "client/connect_string.h"
#include "client/watch_manager.h"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace zk::client {

struct ClientOptions
{
    std::string connectString = "127.0.0.1:2181";
    std::int32_t sessionTimeoutMs = 30000;
    bool canBeReadOnly = false;
    // Seeds the host shuffle and the reconnect backoff; equal seeds give equal orders.
    std::uint64_t seed = 0x5eed;
    // Resume an existing session (0 = create a new one).
    SessionId sessionId = 0;
    Bytes sessionPasswd;
    std::size_t maxOutstandingRequests = 10000;
    // Largest reply frame accepted (jute.maxbuffer plus room for headers).
    std::int32_t maxFrameBytes = 0xfffff + 1024;
    // Called on the client thread for each state change.
    std::function<void(SessionState)> stateListener;
    // Receives the state events (type None) and the watches registered with the `watch`
    // flag of the read methods (like the Java client's default watcher).
    Watcher defaultWatcher;
};

template <typename T>
using Callback = std::function<void(Result<T>)>;

class ZkClient
{
public:
    // Parses the connect string and starts connecting at once. Throws std::invalid_argument
    // for a bad connect string (the only exception the client throws).
    explicit ZkClient(ClientOptions options);
    ~ZkClient();
    ZkClient(const ZkClient&) = delete;
    ZkClient& operator=(const ZkClient&) = delete;

    // Snapshots, readable from any thread.
    SessionState state() const { return m_state.load(); }
    SessionId sessionId() const { return m_sessionId.load(); }
    Bytes sessionPasswd() const;
    std::int32_t negotiatedTimeoutMs() const { return m_negotiatedTimeoutMs.load(); }
    Zxid lastZxidSeen() const { return m_lastZxid.load(); }
    // "host:port" of the current (or last) server, empty before the first connect.
    std::string currentServer() const;
    const std::string& chroot() const { return m_connect.chroot; }
    bool onClientThread() const;

    // The watcher object passed as options.defaultWatcher (null when none was given); pass it
    // to a read to watch with the default watcher.
    WatcherPtr defaultWatcher() const { return m_defaultWatcher; }

    // Reads take an optional watcher: null registers nothing. Registration happens only when
    // the read succeeds (exists registers an exist watch on NoNode too).
    void create(std::string path, OptionalBytes data, AclList acl, CreateMode mode,
                Callback<CreateResult> done, std::int64_t ttlMs = -1);
    void deleteNode(std::string path, std::int32_t version, Callback<Unit> done);
    // NoNode when the node is absent.
    void exists(std::string path, WatcherPtr watcher, Callback<Stat> done);
    void getData(std::string path, WatcherPtr watcher, Callback<DataResult> done);
    void setData(std::string path, OptionalBytes data, std::int32_t version, Callback<Stat> done);
    void getAcl(std::string path, Callback<AclResult> done);
    void setAcl(std::string path, AclList acl, std::int32_t version, Callback<Stat> done);
    // getChildren (opcode 8; stat left zero) and getChildren2 (opcode 12, with stat).
    void getChildren(std::string path, WatcherPtr watcher, Callback<ChildrenResult> done);
    void getChildren2(std::string path, WatcherPtr watcher, Callback<ChildrenResult> done);
    void getAllChildrenNumber(std::string path, Callback<std::int32_t> done);
    // Ephemerals of this session under prefix (server paths with the chroot removed).
    void getEphemerals(std::string prefix, Callback<std::vector<std::string>> done);
    void sync(std::string path, Callback<std::string> done);
    // A multi with one check op; BadVersion or NoNode on mismatch.
    void check(std::string path, std::int32_t version, Callback<Unit> done);
    // create/delete/setData/check ops. Result.error is the header error; a failed multi
    // reports its first failing sub-op's code there too (like Java's KeeperException) and
    // still carries every sub-result in value.
    void multi(std::vector<Op> ops, Callback<std::vector<OpResult>> done);
    // getChildren/getData ops; each sub-result carries its own error.
    void multiRead(std::vector<Op> ops, Callback<std::vector<OpResult>> done);
    // NoWatcher when this client has no such watch (checked locally first, then on the
    // server).
    void checkWatches(std::string path, WatcherType type, Callback<Unit> done);
    // Removes the watches of `type` on path, on the server too unless `local`; each removed
    // watcher gets a DataWatchRemoved/ChildWatchRemoved/PersistentWatchRemoved event.
    void removeWatches(std::string path, WatcherType type, bool local, Callback<Unit> done);
    void addWatch(std::string path, AddWatchMode mode, WatcherPtr watcher, Callback<Unit> done);
    // Completes when the server accepts the credentials. They are replayed after each
    // reconnect. A rejected auth ends the session with AuthFailed.
    void addAuth(std::string scheme, Bytes auth, Callback<Unit> done);
    void whoAmI(Callback<std::vector<ClientInfo>> done);

    // Sends closeSession, waits for its reply (at most readTimeout), then closes. done runs
    // after the state listener got Closed. Idempotent.
    void close(Callback<Unit> done = {});

private:
    class Impl;
    friend class Impl;

    ConnectString m_connect;
    WatcherPtr m_defaultWatcher;
    std::atomic<SessionState> m_state{SessionState::Connecting};
    std::atomic<SessionId> m_sessionId{0};
    std::atomic<std::int32_t> m_negotiatedTimeoutMs{0};
    std::atomic<Zxid> m_lastZxid{0};
    mutable std::mutex m_snapshotMutex;
    Bytes m_passwdSnapshot;
    std::string m_serverSnapshot;
    std::unique_ptr<Impl> m_impl;
};

} // namespace zk::client
