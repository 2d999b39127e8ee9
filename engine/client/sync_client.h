#pragma once
// SyncClient: a blocking facade over ZkClient for the CLI, tests and the studio's worker
// threads. Each call submits the asynchronous request and waits for its result.
//
// Thread: any thread except the client's own (a call from a ZkClient callback would wait for
// itself; it asserts instead). The facade holds a reference; the ZkClient must outlive it.
// Calls never throw; failures come back as Result::error (see zk_client.h for the codes).

#include "client/zk_client.h"

namespace zk::client {

class SyncClient
{
public:
    explicit SyncClient(ZkClient& client) : m_client(client) {}

    ZkClient& client() { return m_client; }

    // Waits until the session is Connected/ConnectedReadOnly or terminal, or timeout passes.
    // Returns the state reached.
    SessionState waitConnected(std::chrono::milliseconds timeout);

    Result<CreateResult> create(const std::string& path, OptionalBytes data, AclList acl,
                                CreateMode mode, std::int64_t ttlMs = -1);
    Result<Unit> deleteNode(const std::string& path, std::int32_t version = -1);
    Result<Stat> exists(const std::string& path, WatcherPtr watcher = nullptr);
    Result<DataResult> getData(const std::string& path, WatcherPtr watcher = nullptr);
    Result<Stat> setData(const std::string& path, OptionalBytes data, std::int32_t version = -1);
    Result<AclResult> getAcl(const std::string& path);
    Result<Stat> setAcl(const std::string& path, AclList acl, std::int32_t version = -1);
    Result<ChildrenResult> getChildren(const std::string& path, WatcherPtr watcher = nullptr);
    Result<ChildrenResult> getChildren2(const std::string& path, WatcherPtr watcher = nullptr);
    Result<std::int32_t> getAllChildrenNumber(const std::string& path);
    Result<std::vector<std::string>> getEphemerals(const std::string& prefix);
    Result<std::string> sync(const std::string& path);
    Result<Unit> check(const std::string& path, std::int32_t version);
    Result<std::vector<OpResult>> multi(std::vector<Op> ops);
    Result<std::vector<OpResult>> multiRead(std::vector<Op> ops);
    Result<Unit> checkWatches(const std::string& path, WatcherType type);
    Result<Unit> removeWatches(const std::string& path, WatcherType type, bool local = false);
    Result<Unit> addWatch(const std::string& path, AddWatchMode mode, WatcherPtr watcher);
    Result<Unit> addAuth(const std::string& scheme, Bytes auth);
    Result<std::vector<ClientInfo>> whoAmI();
    Result<Unit> close();

private:
    ZkClient& m_client;
};

} // namespace zk::client
