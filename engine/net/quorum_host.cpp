#include "net/quorum_host.h"

#include "net/listen.h"
#include "net/quorum_channel.h"
#include "net/self_connect.h"
#include "storage/log_history.h"
#include "storage/log_truncate.h"
#include "storage/snap_stream.h"

#include <spdlog/spdlog.h>

#include <chrono>

namespace zk {

namespace {

std::int64_t wallMs()
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::int64_t steadyUs()
{
    return std::chrono::duration_cast<std::chrono::microseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

constexpr std::int32_t kMaxQuorumPacketBytes = 64 * 1024 * 1024;
constexpr auto kLeaderConnectPatience = std::chrono::milliseconds(2000);

// server.N lines may name hosts ("localhost", "zk1"): resolve them once, at start-up, as
// QuorumPeer.QuorumServer does; an address stays as it is.
std::string resolveHost(const std::string& host)
{
    boost::system::error_code ec;
    asio::ip::make_address(host, ec);
    if (!ec)
        return host;
    asio::io_context io;
    tcp::resolver resolver(io);
    const auto results = resolver.resolve(tcp::v4(), host, "", ec);
    if (ec || results.empty())
        return host;
    return results.begin()->endpoint().address().to_string();
}

} // namespace

std::unique_ptr<QuorumHost> QuorumHost::open(QuorumHostOptions options, std::string& error)
{
    RecoveredState state;
    if (auto failure = recover(options.storage, state)) {
        error = "cannot restore " + options.storage.dataDir.string() + ": " + failure.message();
        return nullptr;
    }
    // QuorumPeer.loadDataBase: a missing epoch file starts at the epoch of the last zxid.
    PeerDurableState durable;
    durable.lastLoggedZxid = state.lastZxid;
    durable.historyFloor = state.snapshotZxid;
    std::optional<Epoch> current;
    std::optional<Epoch> accepted;
    if (auto failure = readEpochFile(options.storage.dataDir, kCurrentEpochFile, current)) {
        error = failure.message();
        return nullptr;
    }
    if (auto failure = readEpochFile(options.storage.dataDir, kAcceptedEpochFile, accepted)) {
        error = failure.message();
        return nullptr;
    }
    durable.currentEpoch = current.value_or(zxidEpoch(state.lastZxid));
    durable.acceptedEpoch = accepted.value_or(durable.currentEpoch);
    if (durable.acceptedEpoch < durable.currentEpoch) {
        error = "The accepted epoch, " + std::to_string(durable.acceptedEpoch) +
                " is less than the current epoch, " + std::to_string(durable.currentEpoch);
        return nullptr;
    }
    if (!current)
        writeEpochFile(options.storage.dataDir, kCurrentEpochFile, durable.currentEpoch);
    if (!accepted)
        writeEpochFile(options.storage.dataDir, kAcceptedEpochFile, durable.acceptedEpoch);
    return std::unique_ptr<QuorumHost>(
        new QuorumHost(std::move(options), std::move(state), durable));
}

QuorumHost::QuorumHost(QuorumHostOptions options, RecoveredState state, PeerDurableState durable)
    : m_options(std::move(options)), m_clientAcceptor(m_io), m_quorumAcceptor(m_io),
      m_tickTimer(m_io), m_retryTimer(m_io)
{
    std::vector<Sid> voters;
    std::vector<Sid> observers;
    for (auto& [sid, member] : m_options.members) {
        member.host = resolveHost(member.host);
        (member.observer ? observers : voters).push_back(sid);
    }
    m_options.peer.quorum = QuorumVerifier::majority(voters, observers);
    m_options.peer.server.sid = m_options.peer.myId;
    m_options.peer.encodeSnap = [](const DataTree& tree,
                                   const std::map<SessionId, std::int32_t>& sessions) {
        return encodeSnapStream(tree, sessions);
    };
    m_options.peer.readHistory = [logDir = m_options.storage.logDir()](Zxid after, Zxid upTo,
                                                                       std::size_t byteLimit) {
        return readLogHistory(logDir, after, upTo, byteLimit);
    };
    m_startWallMs = wallMs();
    m_peer = std::make_unique<QuorumPeer>(m_options.peer, durable, std::move(state.tree),
                                          std::move(state.sessions), m_startWallMs);
    startStorage(durable.lastLoggedZxid);

    ElectionTransportOptions election;
    election.myId = m_options.peer.myId;
    const QuorumMember& me = m_options.members.at(m_options.peer.myId);
    election.listenHost = m_options.quorumListenOnAllIps ? "0.0.0.0" : me.host;
    election.listenPort = me.electionPort;
    election.filter = m_options.filter;
    m_election = std::make_unique<ElectionTransport>(
        m_io, election, [this](Sid from, std::vector<std::uint8_t> payload) {
            auto notification = decodeNotification(payload);
            if (!notification || m_stopped)
                return;
            m_peer->receiveVote(from, *notification);
            drain();
        });
    for (const auto& [sid, member] : m_options.members) {
        if (sid != m_options.peer.myId)
            m_election->setPeer(sid, member.host, member.electionPort);
    }
}

QuorumHost::~QuorumHost()
{
    stop();
}

std::string QuorumHost::failureMessage() const
{
    std::lock_guard lock(m_mutex);
    return m_failure;
}

void QuorumHost::startStorage(Zxid lastLogged)
{
    const std::uint64_t generation = ++m_storageGeneration;
    m_storage = std::make_unique<FileStorage>(m_options.storage, lastLogged);
    TxnPersister::Hooks hooks;
    hooks.durable = [this, generation](Zxid zxid) {
        asio::post(m_io, [this, generation, zxid] {
            if (generation != m_storageGeneration || m_stopped)
                return;
            m_peer->logged(zxid);
            drain();
        });
    };
    hooks.snapshotDue = [this, generation] {
        asio::post(m_io, [this, generation] {
            if (generation == m_storageGeneration)
                onSnapshotDue();
        });
    };
    hooks.failed = [this](const StorageError& error) {
        asio::post(m_io, [this, message = error.message()] { fail(message); });
    };
    if (auto error = m_storage->start(std::move(hooks)))
        fail(error.message());
}

std::error_code QuorumHost::start()
{
    const QuorumMember& me = m_options.members.at(m_options.peer.myId);
    if (auto ec = listenOn(m_clientAcceptor, m_options.clientAddress, m_options.clientPort))
        return ec;
    m_boundClientPort = m_clientAcceptor.local_endpoint().port();
    if (auto ec = listenOn(m_quorumAcceptor, m_options.quorumListenOnAllIps ? "0.0.0.0" : me.host,
                           me.quorumPort))
        return ec;
    if (auto ec = m_election->listen())
        return ec;
    asio::co_spawn(m_io, acceptClients(), asio::detached);
    asio::co_spawn(m_io, acceptLearners(), asio::detached);
    asio::post(m_io, [this] {
        m_peer->start();
        drain();
    });
    scheduleTick();
    m_started = true;
    m_thread = std::thread([this] { m_io.run(); });
    return {};
}

void QuorumHost::stop()
{
    if (m_stopped)
        return;
    resume();
    if (m_thread.joinable()) {
        asio::post(m_io, [this] {
            m_stopped = true;
            boost::system::error_code ec;
            m_clientAcceptor.close(ec);
            m_quorumAcceptor.close(ec);
            m_tickTimer.cancel();
            m_retryTimer.cancel();
            m_election->close();
            auto clients = m_clients;
            for (auto& [id, connection] : clients)
                connection->close();
            for (auto& [id, channel] : m_learners)
                channel->close();
            if (m_leaderChannel)
                m_leaderChannel->close();
            m_io.stop();
        });
        m_thread.join();
    }
    // After the join nothing sends any more; held messages of this server must never be
    // released into its io_context once it is gone.
    if (m_options.filter)
        m_options.filter->forget(&m_io);
    m_stopped = true;
    m_clients.clear();
    m_learners.clear();
    m_leaderChannel.reset();
    if (m_storage)
        m_storage->stop();
}

void QuorumHost::pause()
{
    if (m_paused.exchange(true))
        return;
    asio::post(m_io, [this] {
        std::unique_lock lock(m_mutex);
        m_resume.wait(lock, [this] { return !m_paused.load(); });
    });
}

void QuorumHost::resume()
{
    {
        std::lock_guard lock(m_mutex);
        m_paused = false;
    }
    m_resume.notify_all();
}

SessionsSnapshot QuorumHost::sessionsSnapshot()
{
    return inspect([](QuorumPeer& peer) {
        SessionsSnapshot out;
        const DataTree& tree = peer.database();
        for (SessionId owner : tree.sessionsWithEphemerals()) {
            const auto& paths = tree.ephemerals(owner);
            out.ephemerals[owner].assign(paths.begin(), paths.end());
        }
        const ServerCore* server = peer.server();
        if (!server)
            return out; // not serving clients (looking, syncing)
        for (const auto& [id, connection] : server->connections()) {
            if (!connection.established || connection.session == 0)
                continue;
            out.attached.push_back(
                {connection.session, connection.remoteAddress, connection.sessionTimeoutMs});
        }
        return out;
    });
}

QuorumStatus QuorumHost::status() const
{
    std::lock_guard lock(m_mutex);
    return m_status;
}

void QuorumHost::updateStatus()
{
    QuorumStatus status;
    status.sid = m_peer->myId();
    status.state = m_peer->state();
    status.phase = m_peer->phase();
    status.leader = m_peer->leaderSid();
    status.serving = m_peer->serving() && !m_peer->readOnly();
    status.readOnly = m_peer->readOnly();
    status.lastZxid = m_peer->database().lastProcessedZxid();
    status.lastLoggedZxid = m_peer->lastLoggedZxid();
    status.acceptedEpoch = m_peer->durable().acceptedEpoch;
    status.currentEpoch = m_peer->durable().currentEpoch;
    status.znodes = m_peer->database().nodeCount();
    status.sessions = m_peer->server() ? m_peer->server()->sessions().size() : 0;
    status.clientConnections = m_clients.size();
    status.syncedLearners = m_peer->syncedLearners();
    status.clientPort = m_boundClientPort;
    status.outstandingRequests = m_requestLatency.outstanding();
    status.watches = m_peer->database().watches().size();
    const RequestLatency::Summary latency = m_requestLatency.summary(steadyUs());
    status.latencyP50Ms = latency.p50Ms;
    status.latencyP99Ms = latency.p99Ms;
    status.latencySamples = latency.samples;
    std::lock_guard lock(m_mutex);
    m_status = std::move(status);
}

void QuorumHost::fail(const std::string& why)
{
    {
        std::lock_guard lock(m_mutex);
        m_failure = why;
    }
    m_failed = true;
    spdlog::critical("server {}: storage failure, stopping: {}", m_options.peer.myId, why);
    m_io.stop();
}

void QuorumHost::scheduleTick()
{
    m_tickTimer.expires_after(std::chrono::milliseconds(m_options.peer.peerTickMs));
    m_tickTimer.async_wait([this](boost::system::error_code ec) {
        if (ec || m_stopped)
            return;
        m_peer->tick(wallMs());
        drain();
        updateStatus();
        scheduleTick();
    });
}

bool QuorumHost::linkAllowed(Sid other) const
{
    if (!m_options.filter)
        return true;
    return m_options.filter->allows(m_options.peer.myId, other) &&
           m_options.filter->allows(other, m_options.peer.myId);
}

// ---- Actions ----

void QuorumHost::drain()
{
    while (!m_stopped && !m_failed && m_peer->hasOutput()) {
        PeerOutput out = m_peer->takeOutput();
        for (PeerAction& action : out.actions) {
            carryOut(action);
            if (m_failed)
                return;
        }
        if (m_options.onEvent) {
            for (const PeerEvent& event : out.events)
                m_options.onEvent(event);
        }
    }
}

void QuorumHost::carryOut(PeerAction& action)
{
    std::visit(
        [this](auto& a) {
            using A = std::decay_t<decltype(a)>;
            if constexpr (std::is_same_v<A, peer_action::SendVote>) {
                m_election->send(a.to, encodeNotification(a.notification));
            } else if constexpr (std::is_same_v<A, peer_action::ConnectLeader>) {
                dropLeader();
                m_wantedLeader = a.leader;
                m_leaderConnectSince = std::chrono::steady_clock::now();
                connectLeader();
            } else if constexpr (std::is_same_v<A, peer_action::DisconnectLeader>) {
                dropLeader();
            } else if constexpr (std::is_same_v<A, peer_action::SendLeader>) {
                if (m_leaderChannel)
                    m_leaderChannel->send(std::move(a.bytes));
            } else if constexpr (std::is_same_v<A, peer_action::SendLearner>) {
                auto it = m_learners.find(a.link);
                if (it != m_learners.end())
                    it->second->send(std::move(a.bytes));
            } else if constexpr (std::is_same_v<A, peer_action::CloseLearner>) {
                auto it = m_learners.find(a.link);
                if (it != m_learners.end()) {
                    it->second->close();
                    m_learners.erase(it);
                }
            } else if constexpr (std::is_same_v<A, peer_action::Persist>) {
                m_storage->append(std::move(a.txns));
            } else if constexpr (std::is_same_v<A, peer_action::WriteEpoch>) {
                const auto name = a.accepted ? kAcceptedEpochFile : kCurrentEpochFile;
                if (auto error = writeEpochFile(m_options.storage.dataDir, name, a.epoch))
                    fail(error.message());
            } else if constexpr (std::is_same_v<A, peer_action::TruncateLog>) {
                m_storage->stop();
                if (auto error = truncateLog(m_options.storage, a.zxid)) {
                    fail(error.message());
                    return;
                }
                RecoveredState state;
                if (auto error = recover(m_options.storage, state)) {
                    fail(error.message());
                    return;
                }
                startStorage(state.lastZxid);
                m_peer->databaseReloaded(std::move(state.tree), std::move(state.sessions),
                                         state.snapshotZxid);
            } else if constexpr (std::is_same_v<A, peer_action::TakeSnapshot>) {
                if (auto error = takeSnapshotNow(m_options.storage, m_peer->database(),
                                                 m_peer->databaseSessions()))
                    fail(error.message());
            } else if constexpr (std::is_same_v<A, peer_action::Client>) {
                for (OutboundFrame& frame : a.frames) {
                    const std::int64_t us =
                        m_requestLatency.frameSent(frame.connection, frame.bytes, steadyUs());
                    if (us >= 0)
                        m_latency.add(us / 1000);
                    auto it = m_clients.find(frame.connection);
                    if (it != m_clients.end()) {
                        auto connection = it->second;
                        connection->send(std::move(frame.bytes), frame.closeAfter);
                    }
                }
                for (ConnectionId id : a.closeConnections) {
                    auto it = m_clients.find(id);
                    if (it != m_clients.end()) {
                        auto connection = it->second;
                        connection->close();
                    }
                }
            }
        },
        action);
}

// ---- Quorum connections ----

asio::awaitable<void> QuorumHost::acceptLearners()
{
    for (;;) {
        boost::system::error_code ec;
        tcp::socket socket =
            co_await m_quorumAcceptor.async_accept(asio::redirect_error(asio::use_awaitable, ec));
        if (ec) {
            if (ec == asio::error::operation_aborted || !m_quorumAcceptor.is_open())
                co_return;
            continue;
        }
        if (m_stopped)
            co_return;
        const LearnerLinkId id = m_nextLinkId++;
        auto channel =
            std::make_shared<QuorumChannel>(std::move(socket), false, kMaxQuorumPacketBytes);
        m_learners[id] = channel;
        QuorumChannel::Handlers handlers;
        handlers.packet = [this, id](const QuorumPacket& packet) {
            shapeLearner(id, packet);
            m_peer->learnerPacket(id, packet);
            drain();
        };
        handlers.closed = [this, id](const std::string&) {
            m_learners.erase(id);
            m_peer->learnerClosed(id);
            drain();
        };
        channel->start(std::move(handlers));
        m_peer->learnerConnected(id);
        drain();
    }
}

void QuorumHost::shapeLearner(LearnerLinkId id, const QuorumPacket& packet)
{
    // The learner names itself in its first packet; from then on what the leader sends it
    // travels the link leader->learner of the filter.
    if (!m_options.filter || (packet.type != QuorumPacketType::FollowerInfo &&
                              packet.type != QuorumPacketType::ObserverInfo))
        return;
    const auto it = m_learners.find(id);
    if (it == m_learners.end() || it->second->shaped() || !packet.data)
        return;
    if (const auto info = decodeLearnerInfo(*packet.data))
        it->second->shape(m_options.filter, m_options.peer.myId, info->info.sid, &m_io);
}

void QuorumHost::dropLeader()
{
    ++m_leaderGeneration;
    m_retryTimer.cancel();
    if (m_leaderChannel) {
        m_leaderChannel->close();
        m_leaderChannel.reset();
    }
}

void QuorumHost::connectLeader()
{
    const std::uint64_t generation = m_leaderGeneration;
    auto retry = [this, generation] {
        m_retryTimer.expires_after(std::chrono::milliseconds(100));
        m_retryTimer.async_wait([this, generation](boost::system::error_code ec) {
            if (!ec && generation == m_leaderGeneration && !m_stopped)
                connectLeader();
        });
    };
    auto member = m_options.members.find(m_wantedLeader);
    if (member == m_options.members.end())
        return;
    if (!linkAllowed(m_wantedLeader)) {
        retry();
        return;
    }
    auto socket = std::make_shared<tcp::socket>(m_io);
    boost::system::error_code ec;
    const auto address = asio::ip::make_address(member->second.host, ec);
    if (ec)
        return;
    const tcp::endpoint endpoint(address, member->second.quorumPort);
    socket->async_connect(endpoint, [this, socket, generation,
                                     retry](boost::system::error_code error) {
        if (generation != m_leaderGeneration || m_stopped)
            return;
        if (error || connectedToItself(*socket)) {
            boost::system::error_code ignored;
            socket->close(ignored);
            retry();
            return;
        }
        m_leaderChannel =
            std::make_shared<QuorumChannel>(std::move(*socket), true, kMaxQuorumPacketBytes);
        if (m_options.filter)
            m_leaderChannel->shape(m_options.filter, m_options.peer.myId, m_wantedLeader, &m_io);
        QuorumChannel::Handlers handlers;
        handlers.packet = [this](const QuorumPacket& packet) {
            m_peer->leaderPacket(packet);
            drain();
        };
        handlers.snapshot = [this](Zxid zxid, DataTree tree,
                                   std::map<SessionId, std::int32_t> sessions) {
            m_peer->leaderSnapshot(zxid, std::move(tree), std::move(sessions));
            drain();
        };
        handlers.closed = [this, generation](const std::string& why) {
            if (generation != m_leaderGeneration)
                return;
            m_leaderChannel.reset();
            m_peer->leaderLost("connection to the leader lost: " + why);
            drain();
        };
        m_leaderChannel->start(std::move(handlers));
        m_peer->leaderConnected();
        drain();
    });
}

// ---- Snapshots while serving ----

void QuorumHost::onSnapshotDue()
{
    if (m_snapshotting || m_failed || m_stopped)
        return;
    m_snapshotting = true;
    snapshotTurn();
}

void QuorumHost::snapshotTurn()
{
    if (m_failed || m_stopped || !m_storage || !m_peer->server()) {
        m_snapshotting = false;
        return;
    }
    if (m_storage->snapshotStep(m_peer->server()->tree(), m_peer->server()->sessions())) {
        m_snapshotting = false;
        return;
    }
    asio::post(m_io, [this] { snapshotTurn(); });
}

// ---- Clients ----

asio::awaitable<void> QuorumHost::acceptClients()
{
    for (;;) {
        boost::system::error_code ec;
        tcp::socket socket =
            co_await m_clientAcceptor.async_accept(asio::redirect_error(asio::use_awaitable, ec));
        if (ec) {
            if (ec == asio::error::operation_aborted || !m_clientAcceptor.is_open())
                co_return;
            continue;
        }
        if (m_stopped)
            co_return;
        const ConnectionId id = m_nextClientId++;
        auto connection = std::make_shared<ClientConnection>(owner(), std::move(socket), id,
                                                             m_options.peer.server.maxBufferBytes);
        const std::string host = connection->remoteHost();
        if (m_options.maxClientCnxns > 0 && m_clientsPerHost[host] >= m_options.maxClientCnxns) {
            connection->close();
            continue;
        }
        ++m_clientsPerHost[host];
        m_clients.emplace(id, connection);
        m_peer->clientOpened(id, connection->remoteAddress());
        connection->start();
        drain();
    }
}

void QuorumHost::onFrame(ConnectionId id, std::span<const std::uint8_t> payload, bool drainNow)
{
    m_requestLatency.requestArrived(id, steadyUs());
    m_peer->clientFrame(id, payload);
    if (drainNow)
        drain();
}

void QuorumHost::drainAfterFrames()
{
    drain();
}

void QuorumHost::onClosed(ConnectionId id)
{
    auto it = m_clients.find(id);
    if (it == m_clients.end())
        return;
    auto perHost = m_clientsPerHost.find(it->second->remoteHost());
    if (perHost != m_clientsPerHost.end() && --perHost->second <= 0)
        m_clientsPerHost.erase(perHost);
    m_clients.erase(it);
    m_requestLatency.connectionClosed(id);
    m_peer->clientClosed(id);
    drain();
}

std::string QuorumHost::onFourLetterWord(const std::string& word)
{
    FourLetterContext ctx;
    ctx.core = m_peer->server();
    ctx.coreConfig = &m_peer->config().server;
    ctx.serving = m_peer->serving();
    switch (m_peer->state()) {
    case ServerState::Leading:
        ctx.mode = "leader";
        break;
    case ServerState::Following:
        ctx.mode = "follower";
        break;
    case ServerState::Observing:
        ctx.mode = "observer";
        break;
    case ServerState::Looking:
        ctx.mode = m_peer->readOnly() ? "read-only" : "looking";
        break;
    }
    ctx.readOnly = m_peer->readOnly();
    ctx.latency = m_latency;
    ctx.uptimeMs = wallMs() - m_startWallMs;
    ctx.nowWallMs = wallMs();
    ctx.clientAddress = m_options.clientAddress;
    ctx.clientPort = m_boundClientPort;
    ctx.dataDir = m_options.storage.dataDir.string();
    ctx.dataLogDir = m_options.storage.logDir().parent_path().string();
    ctx.maxClientCnxns = m_options.maxClientCnxns;
    ctx.whitelist = m_options.fourLetterWhitelist;
    return runFourLetterWord(word, ctx);
}

} // namespace zk
