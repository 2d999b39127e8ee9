#include "client/zk_client.h"

#include "core/assert.h"
#include "net/self_connect.h"
#include "proto/client_records.h"

#include <boost/asio.hpp>
#include <boost/asio/redirect_error.hpp>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstring>
#include <deque>
#include <exception>
#include <future>
#include <random>
#include <stdexcept>
#include <thread>

namespace zk::client {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

namespace {

constexpr std::size_t kReadChunk = 64 * 1024; // bytes asked of the socket per receive

// Completion of one request: the reader is positioned after the reply header when err is Ok
// and null otherwise.
using Completion = std::function<void(ZError, JuteReader*)>;

struct Packet
{
    Xid xid = 0;
    OpCode op = OpCode::Ping;
    std::shared_ptr<Bytes> frame;
    Completion complete;
};

template <typename Record>
std::shared_ptr<Bytes> encodeFrame(Xid xid, OpCode op, const Record* body)
{
    JuteWriter w;
    w.writeInt(0);
    RequestHeader{xid, op}.write(w);
    if (body)
        body->write(w);
    w.patchInt(0, static_cast<std::int32_t>(w.size() - 4));
    return std::make_shared<Bytes>(w.take());
}

// Java's SetWatches are split so that each packet stays under 128 KB of path bytes.
constexpr std::size_t kSetWatchesChunkBytes = 128 * 1024;
// Java caps the idle time between pings at 10 s whatever the session timeout.
constexpr milliseconds kMaxPingInterval{10000};

ZError terminalError(SessionState state)
{
    return state == SessionState::AuthFailed ? ZError::AuthFailed : ZError::SessionExpired;
}

} // namespace

class ZkClient::Impl
{
public:
    Impl(ZkClient& owner, ClientOptions options)
        : m_owner(owner), m_options(std::move(options)), m_work(asio::make_work_guard(m_io)),
          m_socket(m_io), m_readTimer(m_io), m_pingTimer(m_io), m_closeTimer(m_io),
          m_backoffTimer(m_io), m_prng(m_options.seed), m_hosts(owner.m_connect.hosts)
    {
        std::shuffle(m_hosts.begin(), m_hosts.end(), m_prng);
        m_sessionId = m_options.sessionId;
        m_passwd = m_options.sessionPasswd;
        if (m_passwd.empty())
            m_passwd.assign(16, 0);
    }

    void start()
    {
        asio::co_spawn(m_io, connectLoop(), asio::detached);
        m_thread = std::thread([this] { run(); });
    }

    void shutdown()
    {
        ZK_ASSERT(std::this_thread::get_id() != m_thread.get_id());
        auto done = std::make_shared<std::promise<void>>();
        auto finished = done->get_future();
        asio::post(m_io, [this, done] { close([done](Result<Unit>) { done->set_value(); }); });
        finished.wait_for(std::chrono::seconds(5));
        m_work.reset();
        m_io.stop();
        m_thread.join();
    }

    bool onThread() const { return std::this_thread::get_id() == m_thread.get_id(); }

    template <typename Fn>
    void post(Fn fn)
    {
        asio::post(m_io, std::move(fn));
    }

    // Queues a request on the client thread (called there).
    template <typename Record>
    void submit(OpCode op, const Record* body, Completion complete)
    {
        if (m_terminal || m_closing) {
            complete(m_terminal ? terminalError(m_terminalState) : ZError::SessionExpired, nullptr);
            return;
        }
        if (m_queued.size() + m_pending.size() >= m_options.maxOutstandingRequests) {
            complete(ZError::ThrottledOp, nullptr);
            return;
        }
        const Xid xid = nextXid();
        Packet packet{xid, op, encodeFrame(xid, op, body), std::move(complete)};
        if (m_connected) {
            sendFrame(packet.frame);
            m_pending.push_back(std::move(packet));
        } else {
            m_queued.push_back(std::move(packet));
        }
    }

    void addAuth(AuthPacket auth, Callback<Unit> done)
    {
        if (m_terminal || m_closing) {
            done({m_terminal ? terminalError(m_terminalState) : ZError::SessionExpired, {}});
            return;
        }
        m_auths.push_back(auth);
        if (m_connected) {
            sendFrame(encodeFrame(xids::Auth, OpCode::Auth, &auth));
            m_authWaiters.push_back(std::move(done));
        } else {
            // Sent with the replay after the next handshake.
            m_authWaitersNext.push_back(std::move(done));
        }
    }

    void close(Callback<Unit> done)
    {
        if (m_terminal) {
            if (done)
                done({});
            return;
        }
        if (done)
            m_closeWaiters.push_back(std::move(done));
        if (m_closing)
            return;
        m_closing = true;
        if (!m_connected) {
            finish(SessionState::Closed);
            return;
        }
        const Xid xid = nextXid();
        Packet packet{xid, OpCode::CloseSession,
                      encodeFrame<RequestHeader>(xid, OpCode::CloseSession, nullptr),
                      [this](ZError, JuteReader*) { finish(SessionState::Closed); }};
        sendFrame(packet.frame);
        m_pending.push_back(std::move(packet));
        m_closeTimer.expires_after(std::min(m_readTimeout, milliseconds(2000)));
        m_closeTimer.async_wait([this](boost::system::error_code ec) {
            if (!ec)
                finish(SessionState::Closed);
        });
    }

    WatchManager& watches() { return m_watches; }
    const std::string& chroot() const { return m_owner.m_connect.chroot; }
    std::string serverPath(const std::string& clientPath) const
    {
        return prependChroot(chroot(), clientPath);
    }
    std::string clientPath(const std::string& path) const { return stripChroot(chroot(), path); }

    void deliver(const std::vector<WatcherPtr>& watchers, const WatchedEvent& event)
    {
        for (const WatcherPtr& watcher : watchers) {
            if (watcher && *watcher)
                (*watcher)(event);
        }
    }

private:
    void run()
    {
        // A callback that throws must not silently end the client thread.
        for (;;) {
            try {
                m_io.run();
                return;
            } catch (const std::exception& e) {
                std::fprintf(stderr, "zk client: callback threw: %s\n", e.what());
            }
        }
    }

    Xid nextXid()
    {
        const Xid xid = m_nextXid;
        m_nextXid = m_nextXid == INT32_MAX ? 1 : m_nextXid + 1;
        return xid;
    }

    bool stopped() const { return m_terminal || m_closing; }

    asio::awaitable<void> connectLoop()
    {
        std::size_t failuresInRow = 0;
        while (!stopped()) {
            // After a full round of failed hosts, wait up to a second (as ClientCnxn does).
            if (failuresInRow > 0 && failuresInRow % m_hosts.size() == 0) {
                std::uniform_int_distribution<int> delay(0, 1000);
                m_backoffTimer.expires_after(milliseconds(delay(m_prng)));
                boost::system::error_code ec;
                co_await m_backoffTimer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
                if (stopped())
                    break;
            }
            const HostPort host = m_hosts[m_nextHost];
            m_nextHost = (m_nextHost + 1) % m_hosts.size();
            if (!co_await connectOnce(host)) {
                ++failuresInRow;
                if (!m_terminal)
                    failOutstanding(ZError::ConnectionLoss);
                continue;
            }
            failuresInRow = 0;
            co_await readLoop();
            if (!m_terminal)
                connectionLost();
        }
    }

    // The read deadline moves with every frame; one timer wait chases it rather than a wait
    // cancelled and started again per frame.
    void armReadTimer(milliseconds timeout)
    {
        m_readDeadline = Clock::now() + timeout;
        if (!m_readWaiting)
            waitForReadDeadline();
        else if (m_readDeadline < m_readTimer.expiry())
            m_readTimer.cancel(); // the wait ends now and starts again for the earlier deadline
    }

    void disarmReadTimer()
    {
        m_readDeadline = {};
        m_readTimer.cancel();
    }

    void waitForReadDeadline()
    {
        m_readWaiting = true;
        m_readTimer.expires_at(m_readDeadline);
        m_readTimer.async_wait([this](boost::system::error_code) {
            m_readWaiting = false;
            if (m_readDeadline == Clock::time_point{})
                return; // disarmed
            if (Clock::now() < m_readDeadline) {
                waitForReadDeadline();
                return;
            }
            m_readDeadline = {};
            boost::system::error_code ignored;
            m_socket.close(ignored);
        });
    }

    // Reads the next frame's body through m_in, which takes whatever the socket has, so a
    // burst of replies costs one receive instead of two per reply.
    asio::awaitable<bool> readFrame(Bytes& body)
    {
        std::size_t need = 4;
        for (;;) {
            const std::size_t have = m_inEnd - m_inStart;
            if (have >= 4) {
                const std::uint8_t* h = m_in.data() + m_inStart;
                const std::int32_t length = static_cast<std::int32_t>(
                    (std::uint32_t(h[0]) << 24) | (std::uint32_t(h[1]) << 16) |
                    (std::uint32_t(h[2]) << 8) | std::uint32_t(h[3]));
                if (length < 0 || length > m_options.maxFrameBytes)
                    co_return false;
                need = 4 + static_cast<std::size_t>(length);
                if (have >= need) {
                    body.assign(h + 4, h + need);
                    m_inStart += need;
                    co_return true;
                }
            }
            if (m_inStart > 0) { // keep the partial frame at the front
                std::memmove(m_in.data(), m_in.data() + m_inStart, have);
                m_inStart = 0;
                m_inEnd = have;
            }
            m_in.resize(std::max({m_in.size(), need, kReadChunk}));
            boost::system::error_code ec;
            const std::size_t got = co_await m_socket.async_read_some(
                asio::buffer(m_in.data() + m_inEnd, m_in.size() - m_inEnd),
                asio::redirect_error(asio::use_awaitable, ec));
            if (ec)
                co_return false;
            m_inEnd += got;
        }
    }

    asio::awaitable<bool> connectOnce(const HostPort& host)
    {
        const std::uint64_t gen = ++m_generation;
        {
            std::lock_guard lock(m_owner.m_snapshotMutex);
            m_owner.m_serverSnapshot = toString(host);
        }
        boost::system::error_code ec;
        tcp::resolver resolver(m_io);
        const auto endpoints = co_await resolver.async_resolve(
            host.host, std::to_string(host.port), asio::redirect_error(asio::use_awaitable, ec));
        if (ec || stopped() || gen != m_generation)
            co_return false;
        m_socket = tcp::socket(m_io);
        m_inStart = m_inEnd = 0;
        const auto hostCount = static_cast<std::int32_t>(m_hosts.size());
        armReadTimer(milliseconds(std::max(1000, m_options.sessionTimeoutMs / hostCount)));
        co_await asio::async_connect(m_socket, endpoints,
                                     asio::redirect_error(asio::use_awaitable, ec));
        if (ec || stopped() || gen != m_generation || connectedToItself(m_socket)) {
            closeSocket();
            co_return false;
        }
        m_socket.set_option(tcp::no_delay(true), ec);

        armReadTimer(milliseconds(m_options.sessionTimeoutMs * 2 / 3));
        ConnectRequest request;
        request.lastZxidSeen = m_owner.m_lastZxid.load();
        request.timeOut = m_options.sessionTimeoutMs;
        request.sessionId = m_sessionId;
        request.passwd = m_passwd;
        request.readOnly = m_options.canBeReadOnly;
        request.hasReadOnly = true;
        JuteWriter w;
        w.writeInt(0);
        request.write(w);
        w.patchInt(0, static_cast<std::int32_t>(w.size() - 4));
        const Bytes frame = w.take();
        co_await asio::async_write(m_socket, asio::buffer(frame),
                                   asio::redirect_error(asio::use_awaitable, ec));
        Bytes body;
        if (ec || !co_await readFrame(body) || stopped() || gen != m_generation) {
            closeSocket();
            co_return false;
        }
        const auto response = decodeRecord<ConnectResponse>(body);
        if (!response) {
            closeSocket();
            co_return false;
        }
        if (response->timeOut <= 0) {
            finish(SessionState::Expired);
            co_return false;
        }
        established(*response);
        co_return true;
    }

    void established(const ConnectResponse& response)
    {
        m_sessionId = response.sessionId;
        m_passwd = response.passwd;
        m_owner.m_sessionId = response.sessionId;
        m_owner.m_negotiatedTimeoutMs = response.timeOut;
        {
            std::lock_guard lock(m_owner.m_snapshotMutex);
            m_owner.m_passwdSnapshot = response.passwd;
        }
        m_readTimeout = milliseconds(response.timeOut * 2 / 3);
        m_pingInterval = std::min(kMaxPingInterval, m_readTimeout / 2);
        m_connected = true;
        armReadTimer(m_readTimeout);
        setState(response.readOnly ? SessionState::ConnectedReadOnly : SessionState::Connected);
        if (!m_connected)
            return; // A state listener closed the client.
        primeConnection();
        asio::co_spawn(m_io, pingLoop(m_generation), asio::detached);
    }

    // Auth first, then watches, then whatever was queued while disconnected (ClientCnxn
    // primeConnection order).
    void primeConnection()
    {
        for (const AuthPacket& auth : m_auths)
            sendFrame(encodeFrame(xids::Auth, OpCode::Auth, &auth));
        // Replayed credentials have no caller waiting, except those added while offline.
        const std::size_t replayed = m_auths.size() - m_authWaitersNext.size();
        for (std::size_t i = 0; i < replayed; ++i)
            m_authWaiters.push_back({});
        for (auto& waiter : m_authWaitersNext)
            m_authWaiters.push_back(std::move(waiter));
        m_authWaitersNext.clear();
        sendSetWatches();
        std::deque<Packet> queued;
        queued.swap(m_queued);
        for (Packet& packet : queued) {
            sendFrame(packet.frame);
            m_pending.push_back(std::move(packet));
        }
    }

    void sendSetWatches()
    {
        if (m_watches.empty())
            return;
        std::array<std::vector<std::string>, 5> lists;
        const WatchKind kinds[] = {WatchKind::Data, WatchKind::Exist, WatchKind::Child,
                                   WatchKind::Persistent, WatchKind::PersistentRecursive};
        for (std::size_t k = 0; k < 5; ++k) {
            for (const std::string& path : m_watches.paths(kinds[k]))
                lists[k].push_back(serverPath(path));
        }
        std::size_t k = 0;
        std::size_t i = 0;
        while (k < 5) {
            SetWatches2 batch;
            batch.relativeZxid = m_owner.m_lastZxid.load();
            std::vector<std::string>* targets[] = {&batch.dataWatches, &batch.existWatches,
                                                   &batch.childWatches, &batch.persistentWatches,
                                                   &batch.persistentRecursiveWatches};
            std::size_t bytes = 0;
            while (k < 5 && bytes < kSetWatchesChunkBytes) {
                if (i >= lists[k].size()) {
                    ++k;
                    i = 0;
                    continue;
                }
                bytes += lists[k][i].size();
                targets[k]->push_back(lists[k][i++]);
            }
            sendSetWatchesBatch(batch);
        }
    }

    void sendSetWatchesBatch(const SetWatches2& batch)
    {
        std::shared_ptr<Bytes> frame;
        OpCode op = OpCode::SetWatches;
        // Older servers know only SetWatches; use it when no persistent watches are set.
        if (batch.persistentWatches.empty() && batch.persistentRecursiveWatches.empty()) {
            const SetWatches old{batch.relativeZxid, batch.dataWatches, batch.existWatches,
                                 batch.childWatches};
            frame = encodeFrame(xids::SetWatches, op, &old);
        } else {
            op = OpCode::SetWatches2;
            frame = encodeFrame(xids::SetWatches, op, &batch);
        }
        sendFrame(frame);
        m_pending.push_back(Packet{xids::SetWatches, op, frame, [](ZError, JuteReader*) {}});
    }

    asio::awaitable<void> pingLoop(std::uint64_t gen)
    {
        while (gen == m_generation && m_connected) {
            m_pingTimer.expires_at(m_lastSend + m_pingInterval);
            boost::system::error_code ec;
            co_await m_pingTimer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
            if (gen != m_generation || !m_connected)
                co_return;
            if (Clock::now() - m_lastSend >= m_pingInterval)
                sendFrame(encodeFrame<RequestHeader>(xids::Ping, OpCode::Ping, nullptr));
        }
    }

    asio::awaitable<void> readLoop()
    {
        Bytes body;
        while (m_connected) {
            if (!co_await readFrame(body))
                co_return;
            if (!m_connected)
                co_return;
            armReadTimer(m_readTimeout);
            if (!handleFrame(body))
                co_return;
        }
    }

    bool handleFrame(const Bytes& body)
    {
        JuteReader r(body, m_options.maxFrameBytes);
        ReplyHeader header;
        header.read(r);
        if (!r.ok())
            return false;
        if (header.xid == xids::Ping)
            return true;
        if (header.xid == xids::Notification) {
            WatcherEvent event;
            event.read(r);
            if (!r.ok())
                return false;
            const WatchedEvent watched{event.type, event.state, clientPath(event.path)};
            deliver(m_watches.materialize(watched), watched);
            return true;
        }
        const auto err = static_cast<ZError>(header.err);
        if (header.xid == xids::Auth)
            return handleAuthReply(err);
        // The server answers in request order; anything else is a broken stream.
        if (m_pending.empty() || m_pending.front().xid != header.xid)
            return false;
        Packet packet = std::move(m_pending.front());
        m_pending.pop_front();
        if (header.zxid > 0)
            m_owner.m_lastZxid = header.zxid;
        packet.complete(err, err == ZError::Ok ? &r : nullptr);
        return m_connected;
    }

    bool handleAuthReply(ZError err)
    {
        Callback<Unit> waiter;
        if (!m_authWaiters.empty()) {
            waiter = std::move(m_authWaiters.front());
            m_authWaiters.pop_front();
        }
        if (err == ZError::AuthFailed) {
            if (waiter)
                waiter({ZError::AuthFailed, {}});
            finish(SessionState::AuthFailed);
            return false;
        }
        if (waiter)
            waiter({err, {}});
        return true;
    }

    void sendFrame(std::shared_ptr<Bytes> frame)
    {
        m_lastSend = Clock::now();
        m_writeQueue.push_back(std::move(frame));
        if (!m_writing)
            writeNext();
    }

    void writeNext()
    {
        if (m_writeQueue.empty() || !m_connected) {
            m_writing = false;
            return;
        }
        // Everything queued goes out in one gather write.
        m_writing = true;
        auto frames = std::make_shared<std::vector<std::shared_ptr<Bytes>>>(
            std::make_move_iterator(m_writeQueue.begin()),
            std::make_move_iterator(m_writeQueue.end()));
        m_writeQueue.clear();
        m_gather.clear();
        for (const auto& frame : *frames)
            m_gather.push_back(asio::buffer(*frame));
        asio::async_write(
            m_socket, m_gather,
            [this, frames, gen = m_generation](boost::system::error_code ec, std::size_t) {
                if (gen != m_generation)
                    return;
                if (ec) {
                    closeSocket();
                    m_writing = false;
                    return;
                }
                writeNext();
            });
    }

    void closeSocket()
    {
        boost::system::error_code ignored;
        m_socket.close(ignored);
    }

    void resetConnection()
    {
        m_connected = false;
        ++m_generation;
        disarmReadTimer();
        m_pingTimer.cancel();
        closeSocket();
        m_writeQueue.clear();
        m_writing = false;
    }

    void failOutstanding(ZError error)
    {
        std::deque<Packet> pending;
        pending.swap(m_pending);
        std::deque<Packet> queued;
        queued.swap(m_queued);
        std::deque<Callback<Unit>> auths;
        auths.swap(m_authWaiters);
        for (Packet& packet : pending)
            packet.complete(error, nullptr);
        for (Packet& packet : queued)
            packet.complete(error, nullptr);
        for (auto& waiter : auths) {
            if (waiter)
                waiter({error, {}});
        }
    }

    void connectionLost()
    {
        resetConnection();
        failOutstanding(ZError::ConnectionLoss);
        if (m_closing)
            finish(SessionState::Closed);
        else
            setState(SessionState::Suspended);
    }

    void finish(SessionState state)
    {
        if (m_terminal)
            return;
        m_terminal = true;
        m_terminalState = state;
        resetConnection();
        m_closeTimer.cancel();
        m_backoffTimer.cancel();
        failOutstanding(terminalError(state));
        std::deque<Callback<Unit>> offline;
        offline.swap(m_authWaitersNext);
        for (auto& waiter : offline)
            waiter({terminalError(state), {}});
        setState(state);
        m_watches.clear();
        std::vector<Callback<Unit>> waiters;
        waiters.swap(m_closeWaiters);
        for (auto& waiter : waiters)
            waiter({});
    }

    void setState(SessionState state)
    {
        if (m_owner.m_state.load() == state)
            return;
        m_owner.m_state = state;
        if (m_options.stateListener)
            m_options.stateListener(state);
        if (state == SessionState::Connecting)
            return;
        // Like ZKWatchManager.materialize(None): the default watcher and every registered
        // watcher see state changes.
        std::vector<WatcherPtr> watchers;
        if (m_owner.m_defaultWatcher)
            watchers.push_back(m_owner.m_defaultWatcher);
        for (const WatcherPtr& watcher : m_watches.all()) {
            if (watcher != m_owner.m_defaultWatcher)
                watchers.push_back(watcher);
        }
        deliver(watchers, WatchedEvent{EventType::None, keeperStateOf(state), {}});
    }

    ZkClient& m_owner;
    ClientOptions m_options;
    asio::io_context m_io;
    asio::executor_work_guard<asio::io_context::executor_type> m_work;
    tcp::socket m_socket;
    asio::steady_timer m_readTimer;
    asio::steady_timer m_pingTimer;
    asio::steady_timer m_closeTimer;
    asio::steady_timer m_backoffTimer;
    std::thread m_thread;

    std::mt19937_64 m_prng;
    std::vector<HostPort> m_hosts;
    std::size_t m_nextHost = 0;
    SessionId m_sessionId = 0;
    Bytes m_passwd;

    std::uint64_t m_generation = 0;
    bool m_connected = false;
    bool m_closing = false;
    bool m_terminal = false;
    SessionState m_terminalState = SessionState::Closed;
    milliseconds m_readTimeout{20000};
    milliseconds m_pingInterval{10000};
    Clock::time_point m_lastSend{};
    Xid m_nextXid = 1;

    std::deque<Packet> m_queued;  // Waiting for a connection.
    std::deque<Packet> m_pending; // Sent, waiting for the reply, in send order.
    std::deque<std::shared_ptr<Bytes>> m_writeQueue;
    std::vector<asio::const_buffer> m_gather;
    bool m_writing = false;
    Bytes m_in; // received bytes; [m_inStart, m_inEnd) not yet taken
    std::size_t m_inStart = 0;
    std::size_t m_inEnd = 0;
    Clock::time_point m_readDeadline{};
    bool m_readWaiting = false;
    std::vector<AuthPacket> m_auths;
    std::deque<Callback<Unit>> m_authWaiters;
    std::deque<Callback<Unit>> m_authWaitersNext;
    std::vector<Callback<Unit>> m_closeWaiters;
    WatchManager m_watches;
};

// ---------------------------------------------------------------------------------------

ZkClient::ZkClient(ClientOptions options)
{
    std::string error;
    auto parsed = ConnectString::parse(options.connectString, &error);
    if (!parsed)
        throw std::invalid_argument(error);
    m_connect = std::move(*parsed);
    if (options.defaultWatcher)
        m_defaultWatcher = makeWatcher(options.defaultWatcher);
    m_impl = std::make_unique<Impl>(*this, std::move(options));
    m_impl->start();
}

ZkClient::~ZkClient()
{
    m_impl->shutdown();
}

Bytes ZkClient::sessionPasswd() const
{
    std::lock_guard lock(m_snapshotMutex);
    return m_passwdSnapshot;
}

std::string ZkClient::currentServer() const
{
    std::lock_guard lock(m_snapshotMutex);
    return m_serverSnapshot;
}

bool ZkClient::onClientThread() const
{
    return m_impl->onThread();
}

namespace {

// Decodes a reply body into T with `read`, mapping a short body to MarshallingError.
template <typename T, typename Record, typename Convert>
Completion decodeWith(Callback<T> done, Convert convert)
{
    return [done = std::move(done), convert = std::move(convert)](ZError err, JuteReader* r) {
        if (err != ZError::Ok) {
            done({err, {}});
            return;
        }
        Record record;
        record.read(*r);
        if (!r->ok()) {
            done({ZError::MarshallingError, {}});
            return;
        }
        done({ZError::Ok, convert(std::move(record))});
    };
}

Completion unitCompletion(Callback<Unit> done)
{
    return [done = std::move(done)](ZError err, JuteReader*) { done({err, {}}); };
}

OpCode createOpCode(CreateMode mode, bool inMulti)
{
    if (mode == CreateMode::Container)
        return OpCode::CreateContainer;
    if (mode == CreateMode::PersistentWithTtl || mode == CreateMode::PersistentSequentialWithTtl)
        return OpCode::CreateTtl;
    return inMulti ? OpCode::Create : OpCode::Create2;
}

} // namespace

void ZkClient::create(std::string path, OptionalBytes data, AclList acl, CreateMode mode,
                      Callback<CreateResult> done, std::int64_t ttlMs)
{
    m_impl->post([this, path = std::move(path), data = std::move(data), acl = std::move(acl), mode,
                  done = std::move(done), ttlMs]() mutable {
        auto convert = [this](Create2Response response) {
            return CreateResult{m_impl->clientPath(response.path), response.stat};
        };
        const OpCode op = createOpCode(mode, false);
        const auto flags = static_cast<std::int32_t>(mode);
        if (op == OpCode::CreateTtl) {
            const CreateTtlRequest request{m_impl->serverPath(path), std::move(data),
                                           std::move(acl), flags, ttlMs};
            m_impl->submit(op, &request,
                           decodeWith<CreateResult, Create2Response>(std::move(done), convert));
        } else {
            const CreateRequest request{m_impl->serverPath(path), std::move(data), std::move(acl),
                                        flags};
            m_impl->submit(op, &request,
                           decodeWith<CreateResult, Create2Response>(std::move(done), convert));
        }
    });
}

void ZkClient::deleteNode(std::string path, std::int32_t version, Callback<Unit> done)
{
    m_impl->post([this, path = std::move(path), version, done = std::move(done)]() mutable {
        const DeleteRequest request{m_impl->serverPath(path), version};
        m_impl->submit(OpCode::Delete, &request, unitCompletion(std::move(done)));
    });
}

void ZkClient::exists(std::string path, WatcherPtr watcher, Callback<Stat> done)
{
    m_impl->post([this, path = std::move(path), watcher = std::move(watcher),
                  done = std::move(done)]() mutable {
        const ExistsRequest request{m_impl->serverPath(path), watcher != nullptr};
        m_impl->submit(OpCode::Exists, &request,
                       [this, path, watcher, done = std::move(done)](ZError err, JuteReader* r) {
                           ExistsResponse response;
                           if (err == ZError::Ok) {
                               response.read(*r);
                               if (!r->ok())
                                   err = ZError::MarshallingError;
                           }
                           if (watcher && err == ZError::Ok)
                               m_impl->watches().add(WatchKind::Data, path, watcher);
                           else if (watcher && err == ZError::NoNode)
                               m_impl->watches().add(WatchKind::Exist, path, watcher);
                           done({err, err == ZError::Ok ? response.stat : Stat{}});
                       });
    });
}

void ZkClient::getData(std::string path, WatcherPtr watcher, Callback<DataResult> done)
{
    m_impl->post([this, path = std::move(path), watcher = std::move(watcher),
                  done = std::move(done)]() mutable {
        const GetDataRequest request{m_impl->serverPath(path), watcher != nullptr};
        auto convert = [this, path, watcher](GetDataResponse response) {
            m_impl->watches().add(WatchKind::Data, path, watcher);
            return DataResult{std::move(response.data), response.stat};
        };
        m_impl->submit(OpCode::GetData, &request,
                       decodeWith<DataResult, GetDataResponse>(std::move(done), convert));
    });
}

void ZkClient::setData(std::string path, OptionalBytes data, std::int32_t version,
                       Callback<Stat> done)
{
    m_impl->post([this, path = std::move(path), data = std::move(data), version,
                  done = std::move(done)]() mutable {
        const SetDataRequest request{m_impl->serverPath(path), std::move(data), version};
        m_impl->submit(
            OpCode::SetData, &request,
            decodeWith<Stat, SetDataResponse>(
                std::move(done), [](SetDataResponse response) { return response.stat; }));
    });
}

void ZkClient::getAcl(std::string path, Callback<AclResult> done)
{
    m_impl->post([this, path = std::move(path), done = std::move(done)]() mutable {
        const GetAclRequest request{m_impl->serverPath(path)};
        m_impl->submit(
            OpCode::GetAcl, &request,
            decodeWith<AclResult, GetAclResponse>(std::move(done), [](GetAclResponse response) {
                return AclResult{std::move(response.acl), response.stat};
            }));
    });
}

void ZkClient::setAcl(std::string path, AclList acl, std::int32_t version, Callback<Stat> done)
{
    m_impl->post([this, path = std::move(path), acl = std::move(acl), version,
                  done = std::move(done)]() mutable {
        const SetAclRequest request{m_impl->serverPath(path), std::move(acl), version};
        m_impl->submit(OpCode::SetAcl, &request,
                       decodeWith<Stat, SetAclResponse>(
                           std::move(done), [](SetAclResponse response) { return response.stat; }));
    });
}

void ZkClient::getChildren(std::string path, WatcherPtr watcher, Callback<ChildrenResult> done)
{
    m_impl->post([this, path = std::move(path), watcher = std::move(watcher),
                  done = std::move(done)]() mutable {
        const GetChildrenRequest request{m_impl->serverPath(path), watcher != nullptr};
        auto convert = [this, path, watcher](GetChildrenResponse response) {
            m_impl->watches().add(WatchKind::Child, path, watcher);
            return ChildrenResult{std::move(response.children), Stat{}};
        };
        m_impl->submit(OpCode::GetChildren, &request,
                       decodeWith<ChildrenResult, GetChildrenResponse>(std::move(done), convert));
    });
}

void ZkClient::getChildren2(std::string path, WatcherPtr watcher, Callback<ChildrenResult> done)
{
    m_impl->post([this, path = std::move(path), watcher = std::move(watcher),
                  done = std::move(done)]() mutable {
        const GetChildren2Request request{m_impl->serverPath(path), watcher != nullptr};
        auto convert = [this, path, watcher](GetChildren2Response response) {
            m_impl->watches().add(WatchKind::Child, path, watcher);
            return ChildrenResult{std::move(response.children), response.stat};
        };
        m_impl->submit(OpCode::GetChildren2, &request,
                       decodeWith<ChildrenResult, GetChildren2Response>(std::move(done), convert));
    });
}

void ZkClient::getAllChildrenNumber(std::string path, Callback<std::int32_t> done)
{
    m_impl->post([this, path = std::move(path), done = std::move(done)]() mutable {
        const GetAllChildrenNumberRequest request{m_impl->serverPath(path)};
        m_impl->submit(OpCode::GetAllChildrenNumber, &request,
                       decodeWith<std::int32_t, GetAllChildrenNumberResponse>(
                           std::move(done), [](GetAllChildrenNumberResponse response) {
                               return response.totalNumber;
                           }));
    });
}

void ZkClient::getEphemerals(std::string prefix, Callback<std::vector<std::string>> done)
{
    m_impl->post([this, prefix = std::move(prefix), done = std::move(done)]() mutable {
        const GetEphemeralsRequest request{m_impl->serverPath(prefix)};
        m_impl->submit(OpCode::GetEphemerals, &request,
                       decodeWith<std::vector<std::string>, GetEphemeralsResponse>(
                           std::move(done), [this](GetEphemeralsResponse response) {
                               for (std::string& path : response.ephemerals)
                                   path = m_impl->clientPath(path);
                               return std::move(response.ephemerals);
                           }));
    });
}

void ZkClient::sync(std::string path, Callback<std::string> done)
{
    m_impl->post([this, path = std::move(path), done = std::move(done)]() mutable {
        const SyncRequest request{m_impl->serverPath(path)};
        m_impl->submit(
            OpCode::Sync, &request,
            decodeWith<std::string, SyncResponse>(std::move(done), [this](SyncResponse response) {
                return m_impl->clientPath(response.path);
            }));
    });
}

namespace {

MultiOp toMultiOp(const Op& operation, const std::string& chroot)
{
    return std::visit(
        [&](const auto& o) -> MultiOp {
            using T = std::decay_t<decltype(o)>;
            const std::string path = prependChroot(chroot, o.path);
            if constexpr (std::is_same_v<T, op::Create>) {
                const OpCode code = createOpCode(o.mode, true);
                const auto flags = static_cast<std::int32_t>(o.mode);
                if (code == OpCode::CreateTtl)
                    return {code, CreateTtlRequest{path, o.data, o.acl, flags, o.ttlMs}};
                return {code, CreateRequest{path, o.data, o.acl, flags}};
            } else if constexpr (std::is_same_v<T, op::Delete>) {
                return {OpCode::Delete, DeleteRequest{path, o.version}};
            } else if constexpr (std::is_same_v<T, op::SetData>) {
                return {OpCode::SetData, SetDataRequest{path, o.data, o.version}};
            } else if constexpr (std::is_same_v<T, op::Check>) {
                return {OpCode::Check, CheckVersionRequest{path, o.version}};
            } else if constexpr (std::is_same_v<T, op::GetChildren>) {
                return {OpCode::GetChildren, GetChildrenRequest{path, false}};
            } else {
                return {OpCode::GetData, GetDataRequest{path, false}};
            }
        },
        operation);
}

OpResult toOpResult(const MultiResult& result, const std::string& chroot)
{
    OpResult out;
    out.type = result.type;
    std::visit(
        [&](const auto& body) {
            using T = std::decay_t<decltype(body)>;
            if constexpr (std::is_same_v<T, CreateResponse>) {
                out.path = stripChroot(chroot, body.path);
            } else if constexpr (std::is_same_v<T, Create2Response>) {
                out.path = stripChroot(chroot, body.path);
                out.stat = body.stat;
            } else if constexpr (std::is_same_v<T, SetDataResponse>) {
                out.stat = body.stat;
            } else if constexpr (std::is_same_v<T, GetChildrenResponse>) {
                out.children = body.children;
            } else if constexpr (std::is_same_v<T, GetDataResponse>) {
                out.data = body.data;
                out.stat = body.stat;
            } else if constexpr (std::is_same_v<T, ErrorResponse>) {
                out.error = static_cast<ZError>(body.err);
            }
        },
        result.body);
    return out;
}

} // namespace

void ZkClient::multi(std::vector<Op> ops, Callback<std::vector<OpResult>> done)
{
    m_impl->post([this, ops = std::move(ops), done = std::move(done)]() mutable {
        MultiRequest request;
        for (const Op& operation : ops)
            request.ops.push_back(toMultiOp(operation, chroot()));
        m_impl->submit(OpCode::Multi, &request,
                       [this, done = std::move(done)](ZError err, JuteReader* r) {
                           if (err != ZError::Ok) {
                               done({err, {}});
                               return;
                           }
                           MultiResponse response;
                           response.read(*r);
                           if (!r->ok()) {
                               done({ZError::MarshallingError, {}});
                               return;
                           }
                           Result<std::vector<OpResult>> result;
                           for (const MultiResult& item : response.results) {
                               result.value.push_back(toOpResult(item, chroot()));
                               const ZError sub = result.value.back().error;
                               if (result.error == ZError::Ok && sub != ZError::Ok)
                                   result.error = sub;
                           }
                           done(std::move(result));
                       });
    });
}

void ZkClient::multiRead(std::vector<Op> ops, Callback<std::vector<OpResult>> done)
{
    m_impl->post([this, ops = std::move(ops), done = std::move(done)]() mutable {
        MultiRequest request;
        for (const Op& operation : ops)
            request.ops.push_back(toMultiOp(operation, chroot()));
        m_impl->submit(OpCode::MultiRead, &request,
                       decodeWith<std::vector<OpResult>, MultiResponse>(
                           std::move(done), [this](MultiResponse response) {
                               std::vector<OpResult> results;
                               for (const MultiResult& item : response.results)
                                   results.push_back(toOpResult(item, chroot()));
                               return results;
                           }));
    });
}

void ZkClient::check(std::string path, std::int32_t version, Callback<Unit> done)
{
    multi({op::Check{std::move(path), version}},
          [done = std::move(done)](Result<std::vector<OpResult>> result) {
              done({result.error, {}});
          });
}

void ZkClient::checkWatches(std::string path, WatcherType type, Callback<Unit> done)
{
    m_impl->post([this, path = std::move(path), type, done = std::move(done)]() mutable {
        if (!m_impl->watches().contains(path, type)) {
            done({ZError::NoWatcher, {}});
            return;
        }
        const CheckWatchesRequest request{m_impl->serverPath(path), type};
        m_impl->submit(OpCode::CheckWatches, &request, unitCompletion(std::move(done)));
    });
}

void ZkClient::removeWatches(std::string path, WatcherType type, bool local, Callback<Unit> done)
{
    m_impl->post([this, path = std::move(path), type, local, done = std::move(done)]() mutable {
        if (!m_impl->watches().contains(path, type)) {
            done({ZError::NoWatcher, {}});
            return;
        }
        auto removeLocally = [this, path, type] {
            for (const WatchManager::Removed& removed : m_impl->watches().remove(path, type)) {
                m_impl->deliver(removed.watchers,
                                WatchedEvent{removed.eventType, KeeperState::SyncConnected, path});
            }
        };
        if (local) {
            removeLocally();
            done({});
            return;
        }
        const RemoveWatchesRequest request{m_impl->serverPath(path), type};
        m_impl->submit(OpCode::RemoveWatches, &request,
                       [removeLocally, done = std::move(done)](ZError err, JuteReader*) {
                           if (err == ZError::Ok)
                               removeLocally();
                           done({err, {}});
                       });
    });
}

void ZkClient::addWatch(std::string path, AddWatchMode mode, WatcherPtr watcher,
                        Callback<Unit> done)
{
    m_impl->post([this, path = std::move(path), mode, watcher = std::move(watcher),
                  done = std::move(done)]() mutable {
        const AddWatchRequest request{m_impl->serverPath(path), mode};
        m_impl->submit(
            OpCode::AddWatch, &request,
            [this, path, mode, watcher, done = std::move(done)](ZError err, JuteReader*) {
                if (err == ZError::Ok) {
                    m_impl->watches().add(mode == AddWatchMode::Persistent
                                              ? WatchKind::Persistent
                                              : WatchKind::PersistentRecursive,
                                          path, watcher);
                }
                done({err, {}});
            });
    });
}

void ZkClient::addAuth(std::string scheme, Bytes auth, Callback<Unit> done)
{
    m_impl->post([this, scheme = std::move(scheme), auth = std::move(auth),
                  done = std::move(done)]() mutable {
        m_impl->addAuth(AuthPacket{0, std::move(scheme), std::move(auth)}, std::move(done));
    });
}

void ZkClient::whoAmI(Callback<std::vector<ClientInfo>> done)
{
    m_impl->post([this, done = std::move(done)]() mutable {
        m_impl->submit<RequestHeader>(OpCode::WhoAmI, nullptr,
                                      decodeWith<std::vector<ClientInfo>, WhoAmIResponse>(
                                          std::move(done), [](WhoAmIResponse response) {
                                              return std::move(response.clientInfo);
                                          }));
    });
}

void ZkClient::close(Callback<Unit> done)
{
    m_impl->post([this, done = std::move(done)]() mutable { m_impl->close(std::move(done)); });
}

} // namespace zk::client
