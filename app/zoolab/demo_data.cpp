#include "demo_data.h"

#include "client/sync_client.h"
#include "data/acl_check.h"

#include <zlib.h>

#include <chrono>
#include <memory>
#include <thread>
#include <vector>

namespace zoolab {

namespace {

zk::Bytes bytes(const std::string& text)
{
    return zk::Bytes(text.begin(), text.end());
}

zk::Bytes gzipOf(const std::string& text)
{
    z_stream stream{};
    deflateInit2(&stream, Z_BEST_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
    zk::Bytes out(deflateBound(&stream, uLong(text.size())) + 32);
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
    stream.avail_in = uInt(text.size());
    stream.next_out = reinterpret_cast<Bytef*>(out.data());
    stream.avail_out = uInt(out.size());
    deflate(&stream, Z_FINISH);
    out.resize(stream.total_out);
    deflateEnd(&stream);
    return out;
}

} // namespace

std::string seedDemoData(const std::string& connectString)
{
    zk::client::ClientOptions options;
    options.connectString = connectString;
    zk::client::ZkClient client(options);
    zk::client::SyncClient sync(client);
    const auto state = sync.waitConnected(std::chrono::seconds(10));
    if (state != zk::client::SessionState::Connected)
        return "could not connect to " + connectString;
    const auto acl = zk::openAclUnsafe();
    using zk::CreateMode;
    auto make = [&](const std::string& path, zk::client::OptionalBytes data,
                    CreateMode mode = CreateMode::Persistent,
                    std::int64_t ttl = -1) { sync.create(path, std::move(data), acl, mode, ttl); };
    make("/app", bytes("orders service"));
    make("/app/config", bytes(R"({"replicas":3,"region":"eu-west-1","features":)"
                              R"({"fastCheckout":true,"betaSearch":false},"timeoutMs":2500})"));
    make("/app/config/history", gzipOf(std::string(4000, 'z') + " gzip-compressed history"));
    // A guarded node for the ACL editor: everyone reads, the operators' network writes, the
    // admin user and this machine do everything.
    sync.setAcl("/app/config", {{zk::perms::Read, {"world", "anyone"}},
                                {zk::perms::All, {"digest", zk::generateDigest("admin:s3cret")}},
                                {zk::perms::All, {"ip", "127.0.0.1"}},
                                {zk::perms::Read | zk::perms::Write, {"ip", "10.20.0.0/16"}}});
    make("/app/leader", bytes("orders-2"));
    make("/app/locks", {});
    make("/app/locks/lock-", bytes("worker-7"), CreateMode::PersistentSequential);
    make("/app/locks/lock-", bytes("worker-3"), CreateMode::PersistentSequential);
    make("/app/jobs", {}, CreateMode::Container);
    make("/app/jobs/job-1", bytes("pending"));
    make("/app/cache-hint", bytes("expires soon"), CreateMode::PersistentWithTtl, 3600000);
    make("/services", {});
    for (int i = 1; i <= 3; ++i) {
        make("/services/orders-" + std::to_string(i),
             bytes(R"({"host":"10.0.0.)" + std::to_string(10 + i) + R"(","port":8080})"));
    }
    make("/services/binary-blob", zk::Bytes{0x00, 0xff, 0x10, 0x80, 0x7f, 0xde, 0xad, 0xbe, 0xef});
    make("/brokers", {});
    for (int i = 0; i < 12; ++i)
        make("/brokers/ids-" + std::to_string(i), bytes("broker " + std::to_string(i)));
    sync.close();
    return {};
}

void runDemoLoad(const std::string& connectString, int sessions, int perSecond,
                 const std::atomic<bool>& stop)
{
    using namespace std::chrono_literals;
    std::vector<std::unique_ptr<zk::client::ZkClient>> clients;
    for (int i = 0; i < sessions; ++i) {
        zk::client::ClientOptions options;
        options.connectString = connectString;
        options.sessionTimeoutMs = 10000;
        clients.push_back(std::make_unique<zk::client::ZkClient>(options));
    }
    {
        zk::client::SyncClient sync(*clients.front());
        sync.waitConnected(10s);
        sync.create("/demo-load", {}, zk::openAclUnsafe(), zk::CreateMode::Persistent);
        for (int i = 0; i < sessions; ++i)
            sync.create("/demo-load/" + std::to_string(i), {}, zk::openAclUnsafe(),
                        zk::CreateMode::Persistent);
    }
    const auto pause = std::chrono::microseconds(1000000 / std::max(1, perSecond));
    auto next = std::chrono::steady_clock::now();
    for (std::uint64_t n = 0; !stop.load(); ++n) {
        const std::size_t which = n % clients.size();
        zk::client::SyncClient sync(*clients[which]);
        const auto result = sync.setData("/demo-load/" + std::to_string(which),
                                         bytes("write " + std::to_string(n)));
        if (!result.ok())
            std::this_thread::sleep_for(100ms); // no quorum or moving to another server
        next += pause;
        if (next < std::chrono::steady_clock::now() - 1s)
            next = std::chrono::steady_clock::now(); // fell behind (no quorum): do not burst
        std::this_thread::sleep_until(next);
    }
    for (auto& client : clients)
        zk::client::SyncClient(*client).close();
}

} // namespace zoolab
