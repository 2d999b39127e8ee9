#include "client/sync_client.h"

#include "core/assert.h"

#include <future>
#include <thread>

namespace zk::client {

namespace {

// Runs `start` with a callback that fulfils a promise, then waits. ZkClient completes every
// request exactly once (ConnectionLoss when a connection drops), so the wait ends.
template <typename T, typename Start>
Result<T> await(ZkClient& client, Start start)
{
    ZK_ASSERT(!client.onClientThread());
    auto promise = std::make_shared<std::promise<Result<T>>>();
    auto future = promise->get_future();
    start([promise](Result<T> result) { promise->set_value(std::move(result)); });
    return future.get();
}

bool settled(SessionState state)
{
    return state != SessionState::Connecting && state != SessionState::Suspended;
}

} // namespace

SessionState SyncClient::waitConnected(std::chrono::milliseconds timeout)
{
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!settled(m_client.state()) && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    return m_client.state();
}

Result<CreateResult> SyncClient::create(const std::string& path, OptionalBytes data, AclList acl,
                                        CreateMode mode, std::int64_t ttlMs)
{
    return await<CreateResult>(m_client, [&](auto done) {
        m_client.create(path, std::move(data), std::move(acl), mode, std::move(done), ttlMs);
    });
}

Result<Unit> SyncClient::deleteNode(const std::string& path, std::int32_t version)
{
    return await<Unit>(m_client,
                       [&](auto done) { m_client.deleteNode(path, version, std::move(done)); });
}

Result<Stat> SyncClient::exists(const std::string& path, WatcherPtr watcher)
{
    return await<Stat>(
        m_client, [&](auto done) { m_client.exists(path, std::move(watcher), std::move(done)); });
}

Result<DataResult> SyncClient::getData(const std::string& path, WatcherPtr watcher)
{
    return await<DataResult>(
        m_client, [&](auto done) { m_client.getData(path, std::move(watcher), std::move(done)); });
}

Result<Stat> SyncClient::setData(const std::string& path, OptionalBytes data, std::int32_t version)
{
    return await<Stat>(m_client, [&](auto done) {
        m_client.setData(path, std::move(data), version, std::move(done));
    });
}

Result<AclResult> SyncClient::getAcl(const std::string& path)
{
    return await<AclResult>(m_client, [&](auto done) { m_client.getAcl(path, std::move(done)); });
}

Result<Stat> SyncClient::setAcl(const std::string& path, AclList acl, std::int32_t version)
{
    return await<Stat>(m_client, [&](auto done) {
        m_client.setAcl(path, std::move(acl), version, std::move(done));
    });
}

Result<ChildrenResult> SyncClient::getChildren(const std::string& path, WatcherPtr watcher)
{
    return await<ChildrenResult>(m_client, [&](auto done) {
        m_client.getChildren(path, std::move(watcher), std::move(done));
    });
}

Result<ChildrenResult> SyncClient::getChildren2(const std::string& path, WatcherPtr watcher)
{
    return await<ChildrenResult>(m_client, [&](auto done) {
        m_client.getChildren2(path, std::move(watcher), std::move(done));
    });
}

Result<std::int32_t> SyncClient::getAllChildrenNumber(const std::string& path)
{
    return await<std::int32_t>(
        m_client, [&](auto done) { m_client.getAllChildrenNumber(path, std::move(done)); });
}

Result<std::vector<std::string>> SyncClient::getEphemerals(const std::string& prefix)
{
    return await<std::vector<std::string>>(
        m_client, [&](auto done) { m_client.getEphemerals(prefix, std::move(done)); });
}

Result<std::string> SyncClient::sync(const std::string& path)
{
    return await<std::string>(m_client, [&](auto done) { m_client.sync(path, std::move(done)); });
}

Result<Unit> SyncClient::check(const std::string& path, std::int32_t version)
{
    return await<Unit>(m_client,
                       [&](auto done) { m_client.check(path, version, std::move(done)); });
}

Result<std::vector<OpResult>> SyncClient::multi(std::vector<Op> ops)
{
    return await<std::vector<OpResult>>(
        m_client, [&](auto done) { m_client.multi(std::move(ops), std::move(done)); });
}

Result<std::vector<OpResult>> SyncClient::multiRead(std::vector<Op> ops)
{
    return await<std::vector<OpResult>>(
        m_client, [&](auto done) { m_client.multiRead(std::move(ops), std::move(done)); });
}

Result<Unit> SyncClient::checkWatches(const std::string& path, WatcherType type)
{
    return await<Unit>(m_client,
                       [&](auto done) { m_client.checkWatches(path, type, std::move(done)); });
}

Result<Unit> SyncClient::removeWatches(const std::string& path, WatcherType type, bool local)
{
    return await<Unit>(
        m_client, [&](auto done) { m_client.removeWatches(path, type, local, std::move(done)); });
}

Result<Unit> SyncClient::addWatch(const std::string& path, AddWatchMode mode, WatcherPtr watcher)
{
    return await<Unit>(m_client, [&](auto done) {
        m_client.addWatch(path, mode, std::move(watcher), std::move(done));
    });
}

Result<Unit> SyncClient::addAuth(const std::string& scheme, Bytes auth)
{
    return await<Unit>(
        m_client, [&](auto done) { m_client.addAuth(scheme, std::move(auth), std::move(done)); });
}

Result<std::vector<ClientInfo>> SyncClient::whoAmI()
{
    return await<std::vector<ClientInfo>>(m_client,
                                          [&](auto done) { m_client.whoAmI(std::move(done)); });
}

Result<Unit> SyncClient::close()
{
    return await<Unit>(m_client, [&](auto done) { m_client.close(std::move(done)); });
}

} // namespace zk::client
