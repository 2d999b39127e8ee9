#include "cluster/ensemble.h"

#include "net/asio.h"
#include "net/free_port.h"

#include <fmt/format.h>

#include <algorithm>
#include <random>

namespace zk {

Ensemble::Ensemble(EnsembleOptions options) : m_options(std::move(options))
{}

Ensemble::~Ensemble()
{
    killAll();
}

std::error_code Ensemble::prepare(std::string& error)
{
    std::lock_guard lock(m_mutex);
    if (m_prepared)
        return {};
    const int total = m_options.participants + m_options.observers;
    std::mt19937_64 random{std::random_device{}()};
    std::set<std::uint16_t> taken(m_options.clientPorts.begin(), m_options.clientPorts.end());
    // Each port is released right after its check, so the picks must not repeat themselves.
    const auto freePort = [&](const std::string& host) -> std::uint16_t {
        for (int attempt = 0; attempt < 20; ++attempt) {
            const auto port = pickServerPort(host, random);
            if (port == 0 || taken.insert(port).second)
                return port;
        }
        return 0;
    };
    for (Sid sid = 1; sid <= total; ++sid) {
        QuorumMember member;
        member.sid = sid;
        member.host = m_options.host;
        member.quorumPort = freePort(m_options.host);
        member.electionPort = freePort(m_options.host);
        member.observer = sid > m_options.participants;
        if (member.quorumPort == 0 || member.electionPort == 0) {
            error = "no free port on " + m_options.host;
            return std::make_error_code(std::errc::address_in_use);
        }
        m_members[sid] = member;
        const auto index = static_cast<std::size_t>(sid - 1);
        std::uint16_t clientPort = 0;
        if (index < m_options.clientPorts.size()) {
            clientPort = m_options.clientPorts[index];
            if (!portFree(m_options.host, clientPort)) {
                error = fmt::format("port {} on {} is taken", clientPort, m_options.host);
                return std::make_error_code(std::errc::address_in_use);
            }
        } else {
            clientPort = freePort(m_options.host);
        }
        m_clientPorts[sid] = clientPort;
    }
    m_prepared = true;
    return {};
}

QuorumHostOptions Ensemble::hostOptions(Sid sid) const
{
    QuorumHostOptions options;
    options.peer.myId = sid;
    options.peer.server = m_options.server;
    options.peer.server.sid = sid;
    options.peer.server.tickTimeMs = m_options.tickTimeMs;
    options.peer.server.minSessionTimeoutMs = 2 * m_options.tickTimeMs;
    options.peer.server.maxSessionTimeoutMs = 20 * m_options.tickTimeMs;
    options.peer.initLimit = m_options.initLimit;
    options.peer.syncLimit = m_options.syncLimit;
    options.peer.peerTickMs = m_options.peerTickMs;
    options.peer.commitLogCount = m_options.commitLogCount;
    options.peer.snapshotSizeFactor = m_options.snapshotSizeFactor;
    std::string text;
    for (const auto& [id, member] : m_members)
        text += fmt::format("server.{}={}:{}:{}:{};{}:{}\n", id, member.host, member.quorumPort,
                            member.electionPort, member.observer ? "observer" : "participant",
                            m_options.host, m_clientPorts.at(id));
    text += "version=0";
    options.peer.configData.assign(text.begin(), text.end());
    options.members = m_members;
    options.clientAddress = m_options.host;
    options.clientPort = m_clientPorts.at(sid);
    options.storage.dataDir = dataDir(sid);
    options.storage.forceSync = m_options.forceSync;
    options.storage.extendedTypesEnabled = m_options.server.extendedTypesEnabled;
    options.storage.seed = static_cast<std::uint64_t>(sid);
    options.fourLetterWhitelist = m_options.fourLetterWhitelist;
    options.maxClientCnxns = 0;
    options.filter = m_filter;
    options.onEvent = [this](const PeerEvent& event) {
        std::lock_guard lock(m_sinkMutex);
        if (*m_sink)
            (*m_sink)(event);
    };
    return options;
}

bool Ensemble::start(Sid sid, std::string& error)
{
    if (prepare(error))
        return false;
    std::lock_guard lock(m_mutex);
    if (!m_members.contains(sid)) {
        error = fmt::format("no server {}", sid);
        return false;
    }
    if (m_nodes.contains(sid))
        return true;
    auto host = QuorumHost::open(hostOptions(sid), error);
    if (!host)
        return false;
    if (auto ec = host->start()) {
        error = fmt::format("server {}: cannot listen: {}", sid, ec.message());
        return false;
    }
    m_nodes[sid] = std::move(host);
    return true;
}

bool Ensemble::startAll(std::string& error)
{
    // Ports picked free can be taken by someone else before a server binds them; while no
    // server of ours runs yet, pick them again and retry.
    bool noneRunning = false;
    {
        std::lock_guard lock(m_mutex);
        noneRunning = m_nodes.empty();
    }
    for (int attempt = 0;; ++attempt) {
        if (prepare(error))
            return false;
        bool started = true;
        for (Sid sid : sids()) {
            if (!start(sid, error)) {
                started = false;
                break;
            }
        }
        if (started)
            return true;
        const bool freshStart =
            noneRunning && attempt < 2 && error.find("in use") != std::string::npos;
        if (!freshStart)
            return false;
        killAll();
        std::lock_guard lock(m_mutex);
        m_prepared = false;
        m_members.clear();
        m_clientPorts.clear();
    }
}

void Ensemble::kill(Sid sid)
{
    std::unique_ptr<QuorumHost> host;
    {
        std::lock_guard lock(m_mutex);
        auto it = m_nodes.find(sid);
        if (it == m_nodes.end())
            return;
        host = std::move(it->second);
        m_nodes.erase(it);
    }
    host->stop();
}

void Ensemble::killAll()
{
    for (Sid sid : sids())
        kill(sid);
}

void Ensemble::pause(Sid sid)
{
    std::lock_guard lock(m_mutex);
    auto it = m_nodes.find(sid);
    if (it != m_nodes.end())
        it->second->pause();
}

void Ensemble::resume(Sid sid)
{
    std::lock_guard lock(m_mutex);
    auto it = m_nodes.find(sid);
    if (it != m_nodes.end())
        it->second->resume();
}

void Ensemble::cut(Sid a, Sid b)
{
    m_filter->cutBoth(a, b);
}

void Ensemble::heal(Sid a, Sid b)
{
    m_filter->healBoth(a, b);
}

void Ensemble::cutOneWay(Sid from, Sid to)
{
    m_filter->cut(from, to);
}

void Ensemble::healAll()
{
    m_filter->heal();
}

void Ensemble::setDelay(Sid from, Sid to, std::chrono::milliseconds delay)
{
    m_filter->setDelay(from, to, delay);
}

void Ensemble::setHeld(bool held)
{
    m_filter->setHeld(held);
}

bool Ensemble::held() const
{
    return m_filter->held();
}

std::optional<HeldMessage> Ensemble::stepOne()
{
    return m_filter->step();
}

std::size_t Ensemble::heldCount() const
{
    return m_filter->heldCount();
}

std::optional<HeldMessage> Ensemble::nextHeld() const
{
    return m_filter->nextHeld();
}

void Ensemble::setEventSink(EventSink sink)
{
    std::lock_guard lock(m_sinkMutex);
    *m_sink = std::move(sink);
}

std::vector<Sid> Ensemble::sids() const
{
    std::vector<Sid> out;
    const int total = m_options.participants + m_options.observers;
    for (Sid sid = 1; sid <= total; ++sid)
        out.push_back(sid);
    return out;
}

bool Ensemble::isRunning(Sid sid) const
{
    std::lock_guard lock(m_mutex);
    return m_nodes.contains(sid);
}

bool Ensemble::isPaused(Sid sid) const
{
    std::lock_guard lock(m_mutex);
    auto it = m_nodes.find(sid);
    return it != m_nodes.end() && it->second->paused();
}

std::optional<QuorumStatus> Ensemble::status(Sid sid) const
{
    std::lock_guard lock(m_mutex);
    auto it = m_nodes.find(sid);
    if (it == m_nodes.end())
        return std::nullopt;
    return it->second->status();
}

std::optional<SessionsSnapshot> Ensemble::sessionsSnapshot(Sid sid) const
{
    // Held while the node's io thread answers, so no kill or pause can come in between.
    std::lock_guard lock(m_mutex);
    auto it = m_nodes.find(sid);
    if (it == m_nodes.end() || it->second->paused() || it->second->failed())
        return std::nullopt;
    return it->second->sessionsSnapshot();
}

std::optional<Sid> Ensemble::servingLeader() const
{
    std::map<Sid, int> votes;
    std::optional<Sid> leader;
    for (Sid sid : sids()) {
        auto s = status(sid);
        if (!s || !s->serving)
            continue;
        if (s->state == ServerState::Leading)
            leader = sid;
    }
    if (!leader)
        return std::nullopt;
    auto leaderStatus = status(*leader);
    std::set<Sid> synced{*leader};
    for (Sid sid : leaderStatus->syncedLearners)
        synced.insert(sid);
    std::vector<Sid> voters;
    for (const auto& [sid, member] : m_members) {
        if (!member.observer)
            voters.push_back(sid);
    }
    std::size_t syncedVoters = 0;
    for (Sid sid : synced) {
        if (std::find(voters.begin(), voters.end(), sid) != voters.end())
            ++syncedVoters;
    }
    if (syncedVoters * 2 <= voters.size())
        return std::nullopt;
    return leader;
}

std::uint16_t Ensemble::clientPort(Sid sid) const
{
    std::lock_guard lock(m_mutex);
    auto it = m_clientPorts.find(sid);
    return it == m_clientPorts.end() ? 0 : it->second;
}

std::string Ensemble::connectString() const
{
    std::string out;
    for (Sid sid : sids()) {
        if (!out.empty())
            out += ",";
        out += m_options.host + ":" + std::to_string(clientPort(sid));
    }
    return out;
}

std::filesystem::path Ensemble::dataDir(Sid sid) const
{
    return m_options.baseDir / ("node" + std::to_string(sid));
}

} // namespace zk
