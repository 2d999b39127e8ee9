#include "controllers/load_generator.h"

#include "client/sync_client.h"
#include "client/watch_manager.h"

#include <algorithm>
#include <chrono>
#include <memory>

namespace zoolab {

namespace {

zk::Bytes bytesOf(const std::string& text)
{
    return zk::Bytes(text.begin(), text.end());
}

} // namespace

LoadGenerator::LoadGenerator(std::vector<std::string> hosts, int perSecond, int sessions)
    : m_hosts(std::move(hosts)), m_perSecond(std::max(1, perSecond)),
      m_sessions(std::max(1, sessions))
{
    m_thread = std::thread([this] { run(); });
}

LoadGenerator::~LoadGenerator()
{
    requestStop();
    join();
}

void LoadGenerator::join()
{
    if (m_thread.joinable())
        m_thread.join();
}

void LoadGenerator::run()
{
    using namespace std::chrono_literals;
    using zk::client::SessionState;
    // One session per server, pinned to it: every server gets load and latency samples, and
    // a server that is down simply gets none until it is back.
    auto open = [this](std::size_t i) {
        zk::client::ClientOptions options;
        options.connectString = m_hosts[i % m_hosts.size()];
        options.sessionTimeoutMs = 10000;
        return std::make_unique<zk::client::ZkClient>(options);
    };
    std::vector<std::unique_ptr<zk::client::ZkClient>> clients;
    for (int i = 0; i < m_sessions; ++i)
        clients.push_back(open(std::size_t(i)));
    const std::string base = root;
    bool created = false;
    const auto watcher = zk::client::makeWatcher([](const zk::client::WatchedEvent&) {});
    const auto pause = std::chrono::microseconds(1000000 / m_perSecond);
    auto next = std::chrono::steady_clock::now();
    for (std::uint64_t n = 0; !m_stop.load(); ++n) {
        const std::size_t which = n % clients.size();
        const SessionState state = clients[which]->state();
        if (state == SessionState::Expired || state == SessionState::Closed ||
            state == SessionState::AuthFailed) {
            clients[which] = open(which); // its server came back after the session expired
        } else if (state == SessionState::Connected) {
            zk::client::SyncClient sync(*clients[which]);
            const std::string path = base + "/" + std::to_string(which);
            if (!created) {
                sync.create(base, {}, zk::openAclUnsafe(), zk::CreateMode::Persistent);
                for (int i = 0; i < m_sessions; ++i)
                    sync.create(base + "/" + std::to_string(i), {}, zk::openAclUnsafe(),
                                zk::CreateMode::Persistent);
                created = sync.exists(path).ok();
            }
            const bool ok = (n / clients.size()) % 4 == 0
                                ? sync.setData(path, bytesOf("load " + std::to_string(n))).ok()
                                : sync.getData(path, watcher).ok();
            (ok ? m_succeeded : m_failed).fetch_add(1);
        }
        next += pause;
        if (next < std::chrono::steady_clock::now() - 1s)
            next = std::chrono::steady_clock::now(); // fell behind: do not burst
        while (!m_stop.load() && std::chrono::steady_clock::now() < next)
            std::this_thread::sleep_for(2ms);
    }
    for (auto& client : clients) {
        if (client->state() == SessionState::Connected)
            zk::client::SyncClient(*client).close();
    }
}

} // namespace zoolab
