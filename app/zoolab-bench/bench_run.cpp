#include "bench_run.h"

#include "client/sync_client.h"
#include "client/zk_client.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <random>
#include <stdexcept>
#include <thread>

namespace zk::bench {

namespace {

using Clock = std::chrono::steady_clock;

std::string keyPath(const BenchOptions& options, int key)
{
    return options.root + "/k" + std::to_string(key);
}

void prepareKeys(const BenchOptions& options)
{
    client::ClientOptions clientOptions;
    clientOptions.connectString = options.connectString;
    client::ZkClient zk(clientOptions);
    client::SyncClient sync(zk);
    if (sync.waitConnected(std::chrono::milliseconds(10000)) != client::SessionState::Connected)
        throw std::runtime_error("cannot connect to " + options.connectString);
    const client::Bytes value(static_cast<std::size_t>(options.valueBytes), 'v');
    auto root = sync.create(options.root, client::Bytes{}, openAclUnsafe(), CreateMode::Persistent);
    if (!root.ok() && root.error != ZError::NodeExists)
        throw std::runtime_error("cannot create " + options.root);
    // Pipelined creates: the keys exist before the timed part starts.
    std::atomic<int> pending{0};
    for (int key = 0; key < options.keys; ++key) {
        ++pending;
        zk.create(keyPath(options, key), value, openAclUnsafe(), CreateMode::Persistent,
                  [&pending](client::Result<client::CreateResult>) { --pending; });
        while (pending.load() > 256)
            std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
    while (pending.load() > 0)
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    sync.close();
}

// One session's closed loop. All its callbacks run on its client's thread.
class Session
{
public:
    Session(const BenchOptions& options, int index)
        : m_options(options), m_random(options.seed * 7919 + static_cast<std::uint64_t>(index)),
          m_value(static_cast<std::size_t>(options.valueBytes), 'w')
    {
        client::ClientOptions clientOptions;
        clientOptions.connectString = options.connectString;
        clientOptions.seed = options.seed + static_cast<std::uint64_t>(index);
        m_client = std::make_unique<client::ZkClient>(clientOptions);
        m_latenciesUs.reserve(1 << 16);
    }

    bool waitConnected()
    {
        client::SyncClient sync(*m_client);
        return sync.waitConnected(std::chrono::milliseconds(10000)) ==
               client::SessionState::Connected;
    }

    // The times are set before the first request is posted to the client thread, which
    // orders them before every callback that reads them.
    void start(Clock::time_point measureFrom, Clock::time_point stopAt)
    {
        m_measureFrom = measureFrom;
        m_stopAt = stopAt;
        for (int i = 0; i < m_options.outstanding; ++i)
            issue();
    }

    bool finished() const { return m_inFlight.load() == 0 && m_stopped.load(); }
    const std::vector<std::int64_t>& latenciesUs() const { return m_latenciesUs; }
    std::int64_t errors() const { return m_errors; }
    void close() { m_client->close(); }

private:
    void issue()
    {
        const auto now = Clock::now();
        if (now >= m_stopAt) {
            m_stopped = true;
            return;
        }
        ++m_inFlight;
        const int key = static_cast<int>(m_random() % static_cast<std::uint64_t>(m_options.keys));
        const bool read =
            std::uniform_real_distribution<double>(0, 1)(m_random) < m_options.readRatio;
        if (read) {
            m_client->getData(
                keyPath(m_options, key), nullptr,
                [this, now](client::Result<client::DataResult> result) { done(now, result.ok()); });
        } else {
            m_client->setData(keyPath(m_options, key), m_value, -1,
                              [this, now](client::Result<Stat> result) { done(now, result.ok()); });
        }
    }

    void done(Clock::time_point issued, bool ok)
    {
        const auto now = Clock::now();
        if (issued >= m_measureFrom) {
            if (ok)
                m_latenciesUs.push_back(
                    std::chrono::duration_cast<std::chrono::microseconds>(now - issued).count());
            else
                ++m_errors;
        }
        --m_inFlight;
        issue();
    }

    const BenchOptions& m_options;
    Clock::time_point m_measureFrom;
    Clock::time_point m_stopAt;
    std::mt19937_64 m_random;
    client::Bytes m_value;
    std::unique_ptr<client::ZkClient> m_client;
    std::vector<std::int64_t> m_latenciesUs;
    std::int64_t m_errors = 0;
    std::atomic<int> m_inFlight{0};
    std::atomic<bool> m_stopped{false};
};

double percentileMs(const std::vector<std::int64_t>& sorted, double fraction)
{
    if (sorted.empty())
        return 0;
    const auto index = static_cast<std::size_t>(fraction * static_cast<double>(sorted.size() - 1));
    return static_cast<double>(sorted[index]) / 1000.0;
}

} // namespace

double populate(const BenchOptions& options)
{
    const auto start = Clock::now();
    prepareKeys(options);
    return std::chrono::duration<double>(Clock::now() - start).count();
}

BenchResult runBench(const BenchOptions& options)
{
    prepareKeys(options);
    const auto durationNs = std::chrono::duration_cast<Clock::duration>(
        std::chrono::duration<double>(options.durationSeconds));
    const auto warmupNs = std::chrono::duration_cast<Clock::duration>(
        std::chrono::duration<double>(options.warmupSeconds));

    // Sessions connect first; the clock starts once every one of them is connected.
    std::vector<std::unique_ptr<Session>> sessions;
    for (int i = 0; i < options.sessions; ++i)
        sessions.push_back(std::make_unique<Session>(options, i));
    for (auto& session : sessions) {
        if (!session->waitConnected())
            throw std::runtime_error("a bench session could not connect");
    }
    const auto measureFrom = Clock::now() + warmupNs;
    const auto stopAt = measureFrom + durationNs;
    for (auto& session : sessions)
        session->start(measureFrom, stopAt);
    while (!std::all_of(sessions.begin(), sessions.end(),
                        [](const auto& session) { return session->finished(); }))
        std::this_thread::sleep_for(std::chrono::milliseconds(5));

    std::vector<std::int64_t> all;
    BenchResult result;
    for (auto& session : sessions) {
        all.insert(all.end(), session->latenciesUs().begin(), session->latenciesUs().end());
        result.errors += session->errors();
        session->close();
    }
    std::sort(all.begin(), all.end());
    result.operations = static_cast<std::int64_t>(all.size());
    result.seconds = options.durationSeconds;
    result.opsPerSecond = static_cast<double>(result.operations) / options.durationSeconds;
    result.p50Ms = percentileMs(all, 0.50);
    result.p99Ms = percentileMs(all, 0.99);
    result.p999Ms = percentileMs(all, 0.999);
    result.maxMs = all.empty() ? 0 : static_cast<double>(all.back()) / 1000.0;
    std::int64_t total = 0;
    for (std::int64_t us : all)
        total += us;
    result.meanMs =
        all.empty() ? 0 : static_cast<double>(total) / 1000.0 / static_cast<double>(all.size());
    return result;
}

} // namespace zk::bench
