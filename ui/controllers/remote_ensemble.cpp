#include "controllers/remote_ensemble.h"

#include "bridge/peer_event_json.h"
#include "client/connect_string.h"
#include "controllers/tcp_connect.h"
#include "models/cluster_model.h"
#include "models/vote_table_model.h"

#include <algorithm>
#include <cerrno>
#include <set>

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace zoolab {

namespace {

constexpr std::size_t kLineBytesMax = 1 << 20;

zk::ServerState stateOfMode(const std::string& mode)
{
    if (mode == "leader" || mode == "standalone")
        return zk::ServerState::Leading;
    if (mode == "follower")
        return zk::ServerState::Following;
    if (mode == "observer")
        return zk::ServerState::Observing;
    return zk::ServerState::Looking;
}

std::int64_t mntrInt(const RemoteServer& server, const std::string& key)
{
    const auto it = server.mntr.find(key);
    if (it == server.mntr.end())
        return -1;
    try {
        return std::stoll(it->second);
    } catch (const std::exception&) {
        return -1;
    }
}

} // namespace

std::string RemoteServer::mode() const
{
    if (srvr && !srvr->mode.empty())
        return srvr->mode;
    if (const auto it = mntr.find("zk_server_state"); it != mntr.end())
        return it->second;
    return {};
}

QString RemoteServer::address() const
{
    return QStringLiteral("%1:%2").arg(QString::fromStdString(host)).arg(clientPort);
}

RemoteEnsemble::RemoteEnsemble(QObject* parent)
    : QObject(parent), m_inbox(GuiInbox::create(this)), m_clusterModel(new ClusterModel(this)),
      m_voteModel(new VoteTableModel(this))
{
    m_bridge = PeerEventBridge::create(
        this, [this](PeerEventBridge::Batch batch) { onEvents(std::move(batch)); });
}

RemoteEnsemble::~RemoteEnsemble()
{
    m_inbox->detach();
    stop();
    m_bridge->detach();
}

QString RemoteEnsemble::start(const QString& connectString)
{
    std::string error;
    const auto parsed =
        zk::client::ConnectString::parse(connectString.trimmed().toStdString(), &error);
    if (!parsed)
        return QString::fromStdString(error);
    stop();
    std::vector<Endpoint> hosts;
    for (const auto& hostPort : parsed->hosts)
        hosts.push_back({hostPort.host, hostPort.port});
    std::vector<zk::Sid> sids;
    for (std::size_t i = 0; i < hosts.size(); ++i)
        sids.push_back(zk::Sid(i + 1));
    m_sids = sids;
    m_clusterModel->reset(sids);
    m_voteModel->reset(sids);
    {
        std::lock_guard lock(m_mutex);
        m_stop = false;
    }
    m_poller = std::thread(&RemoteEnsemble::pollLoop, this, std::move(hosts));
    return {};
}

void RemoteEnsemble::stop()
{
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_wake.notify_all();
    if (m_poller.joinable())
        m_poller.join();
    ++m_readerGeneration;
    for (auto& reader : m_readers)
        reader.join();
    m_readers.clear();
}

std::vector<zk::Sid> RemoteEnsemble::sids() const
{
    return m_sids;
}

bool RemoteEnsemble::sleepFor(std::chrono::milliseconds duration)
{
    std::unique_lock lock(m_mutex);
    return !m_wake.wait_for(lock, duration, [this] { return m_stop; });
}

void RemoteEnsemble::pollLoop(std::vector<Endpoint> hosts)
{
    std::vector<std::optional<std::int64_t>> ids(hosts.size());
    std::vector<bool> confRefused(hosts.size(), false);
    do {
        std::vector<RemoteServer> servers;
        for (std::size_t i = 0; i < hosts.size(); ++i) {
            RemoteServer server;
            server.host = hosts[i].host;
            server.clientPort = hosts[i].port;
            const auto srvr = askFourLetter(server.host, server.clientPort, "srvr");
            server.reachable = srvr.reached;
            server.error = srvr.error;
            if (srvr.reached) {
                server.srvrRefused = notWhitelisted(srvr.text);
                server.srvr = parseSrvr(srvr.text);
                const auto mntr = askFourLetter(server.host, server.clientPort, "mntr");
                server.mntrRefused = mntr.reached && notWhitelisted(mntr.text);
                if (mntr.reached && !server.mntrRefused)
                    server.mntr = parseMntr(mntr.text);
                if (!ids[i] && !confRefused[i]) {
                    const auto conf = askFourLetter(server.host, server.clientPort, "conf");
                    confRefused[i] = conf.reached && notWhitelisted(conf.text);
                    if (conf.reached)
                        ids[i] = serverIdFromConf(conf.text);
                }
            }
            server.serverId = ids[i];
            server.confRefused = confRefused[i];
            servers.push_back(std::move(server));
        }
        m_inbox->post(
            [this, servers = std::move(servers)]() mutable { onPoll(std::move(servers)); });
    } while (sleepFor(std::chrono::milliseconds(m_pollIntervalMs.load())));
}

void RemoteEnsemble::onPoll(std::vector<RemoteServer> servers)
{
    // Sids from conf when every server gave one (and they differ), else positions.
    std::vector<zk::Sid> sids;
    std::set<zk::Sid> distinct;
    for (std::size_t i = 0; i < servers.size(); ++i) {
        if (servers[i].serverId)
            distinct.insert(*servers[i].serverId);
        sids.push_back(servers[i].serverId.value_or(zk::Sid(i + 1)));
    }
    if (distinct.size() != servers.size()) {
        for (std::size_t i = 0; i < servers.size(); ++i)
            sids[i] = zk::Sid(i + 1);
    }
    if (sids != m_sids) {
        std::vector<zk::Sid> sorted = sids;
        std::sort(sorted.begin(), sorted.end());
        m_sids = sids;
        m_clusterModel->reset(sorted);
        m_voteModel->reset(sorted);
    }
    std::vector<NodePoll> polls;
    for (std::size_t i = 0; i < servers.size(); ++i) {
        const RemoteServer& server = servers[i];
        NodePoll poll;
        poll.sid = sids[i];
        poll.running = server.reachable;
        poll.clientPort = server.clientPort;
        const std::string mode = server.mode();
        if (server.reachable && !mode.empty()) {
            zk::QuorumStatus status;
            status.sid = sids[i];
            status.state = stateOfMode(mode);
            status.serving = mode == "leader" || mode == "follower" || mode == "standalone" ||
                             mode == "observer";
            status.readOnly = mode == "read-only";
            status.clientPort = server.clientPort;
            if (server.srvr && server.srvr->zxid >= 0) {
                status.lastZxid = server.srvr->zxid;
                status.lastLoggedZxid = server.srvr->zxid;
                status.currentEpoch = zk::Epoch(server.srvr->zxid >> 32);
                status.acceptedEpoch = status.currentEpoch;
            }
            std::int64_t znodes = server.srvr ? server.srvr->nodeCount : -1;
            if (znodes < 0)
                znodes = mntrInt(server, "zk_znode_count");
            status.znodes = std::size_t(std::max<std::int64_t>(znodes, 0));
            std::int64_t clients = server.srvr ? server.srvr->connections : -1;
            if (clients < 0)
                clients = mntrInt(server, "zk_num_alive_connections");
            status.clientConnections = std::size_t(std::max<std::int64_t>(clients, 0));
            status.sessions =
                std::size_t(std::max<std::int64_t>(mntrInt(server, "zk_global_sessions"), 0));
            poll.status = status;
        }
        polls.push_back(poll);
    }
    m_clusterModel->applyPolls(polls);
    m_servers = std::move(servers);
    ++m_polls;
    const QString banner = bannerFor(m_servers, *m_clusterModel);
    const QString explanation = explain(m_servers);
    if (banner != m_banner || explanation != m_explanation) {
        m_banner = banner;
        m_explanation = explanation;
        emit changed();
    }
    emit polled();
}

QString RemoteEnsemble::bannerFor(const std::vector<RemoteServer>& servers,
                                  const ClusterModel& model)
{
    const int total = int(servers.size());
    const int reachable = int(std::count_if(servers.begin(), servers.end(),
                                            [](const RemoteServer& s) { return s.reachable; }));
    if (reachable == 0)
        return QStringLiteral("no server reachable");
    bool rolesKnown = false;
    for (const auto& server : servers)
        rolesKnown = rolesKnown || !server.mode().empty();
    if (!rolesKnown)
        return QStringLiteral("%1 of %2 reachable; roles unknown (srvr and mntr not whitelisted)")
            .arg(reachable)
            .arg(total);
    if (const auto leader = model.leader()) {
        const QString mode = total == 1 ? QStringLiteral("serving, standalone")
                                        : QStringLiteral("serving, leader %1").arg(*leader);
        return reachable == total
                   ? mode
                   : QStringLiteral("%1 (%2 of %3 reachable)").arg(mode).arg(reachable).arg(total);
    }
    return QStringLiteral("%1 of %2 reachable, no leader: not serving").arg(reachable).arg(total);
}

QString RemoteEnsemble::explain(const std::vector<RemoteServer>& servers)
{
    QStringList lines;
    for (const auto& server : servers) {
        const QString at = server.address();
        if (!server.reachable) {
            lines << QStringLiteral("%1 does not answer (%2).")
                         .arg(at, QString::fromStdString(server.error));
            continue;
        }
        if (server.srvrRefused && server.mntrRefused) {
            lines << QStringLiteral("%1 answers neither srvr nor mntr: they are not in its "
                                    "4lw.commands.whitelist, so its role and counts are unknown. "
                                    "Add srvr,mntr to the whitelist to see them.")
                         .arg(at);
        } else if (server.mntrRefused) {
            lines << QStringLiteral("%1 does not answer mntr (not in its 4lw.commands.whitelist): "
                                    "role, zxid, clients and znodes come from srvr; the session "
                                    "count is unknown (shown as 0).")
                         .arg(at);
        } else if (server.srvrRefused) {
            lines << QStringLiteral("%1 does not answer srvr (not in its 4lw.commands.whitelist): "
                                    "role and counts come from mntr; its zxid is not shown.")
                         .arg(at);
        }
    }
    return lines.join(QLatin1Char('\n'));
}

void RemoteEnsemble::watchEvents(const QStringList& endpoints)
{
    ++m_readerGeneration;
    for (auto& reader : m_readers)
        reader.join();
    m_readers.clear();
    m_eventStatus.clear();
    const std::uint64_t generation = m_readerGeneration.load();
    for (const QString& text : endpoints) {
        const auto parsed = zk::client::ConnectString::parse(text.trimmed().toStdString());
        if (!parsed || parsed->hosts.size() != 1) {
            m_eventStatus << QStringLiteral("%1: not host:port").arg(text);
            continue;
        }
        const std::size_t index = std::size_t(m_eventStatus.size());
        m_eventStatus << QStringLiteral("%1: connecting").arg(text.trimmed());
        m_readers.emplace_back(&RemoteEnsemble::readLoop, this, index,
                               Endpoint{parsed->hosts[0].host, parsed->hosts[0].port}, generation);
    }
    emit changed();
}

bool RemoteEnsemble::readersGone(std::uint64_t generation) const
{
    return m_readerGeneration.load() != generation;
}

void RemoteEnsemble::readLoop(std::size_t index, Endpoint endpoint, std::uint64_t generation)
{
    const QString name =
        QStringLiteral("%1:%2").arg(QString::fromStdString(endpoint.host)).arg(endpoint.port);
    auto report = [this, index, generation](QString status) {
        m_inbox->post([this, index, generation, status] {
            if (m_readerGeneration.load() != generation ||
                index >= std::size_t(m_eventStatus.size()))
                return;
            m_eventStatus[qsizetype(index)] = status;
            emit changed();
        });
    };
    while (!readersGone(generation)) {
        std::string error;
        const int fd = connectWithTimeout(endpoint.host, endpoint.port,
                                          std::chrono::milliseconds(1000), error);
        if (fd < 0) {
            report(QStringLiteral("%1: cannot connect (%2); trying again")
                       .arg(name, QString::fromStdString(error)));
            for (int i = 0; i < 10 && !readersGone(generation); ++i)
                std::this_thread::sleep_for(std::chrono::milliseconds(100));
            continue;
        }
        report(QStringLiteral("%1: receiving events").arg(name));
        std::string pending;
        char buffer[8192];
        while (!readersGone(generation)) {
            pollfd p{fd, POLLIN, 0};
            if (::poll(&p, 1, 100) != 1)
                continue;
            const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
            if (n < 0 && (errno == EAGAIN || errno == EINTR))
                continue;
            if (n <= 0)
                break;
            pending.append(buffer, std::size_t(n));
            std::size_t start = 0;
            for (std::size_t end; (end = pending.find('\n', start)) != std::string::npos;
                 start = end + 1) {
                const QByteArray line(pending.data() + start, qsizetype(end - start));
                if (auto event = peerEventFromJson(line))
                    m_bridge->publish(*event);
            }
            pending.erase(0, start);
            if (pending.size() > kLineBytesMax)
                pending.clear(); // a line that never ends is not ours
        }
        ::close(fd);
        if (!readersGone(generation))
            report(QStringLiteral("%1: connection closed; trying again").arg(name));
    }
}

void RemoteEnsemble::onEvents(PeerEventBridge::Batch batch)
{
    m_events += batch.size();
    m_clusterModel->applyEvents(batch);
    m_voteModel->applyEvents(batch);
    emit eventsArrived();
}

} // namespace zoolab
