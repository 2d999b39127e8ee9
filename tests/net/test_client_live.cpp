// Proves the client against a live server (an embedded zoolab-server, or the one named by
// ZOOLAB_TEST_SERVER=host:port): every operation,
// one-shot and persistent watches, chroot, failover past a dead host and session expiry.
#include "../support/embedded_server.h"
#include "client/sync_client.h"

#include <QtTest>

#include <boost/asio.hpp>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

using namespace zk::client;
using namespace std::chrono_literals;

namespace {

std::string serverAddress()
{
    static zk::testing::EmbeddedServer server;
    return server.address();
}

zk::client::Bytes bytes(std::string_view text)
{
    return {text.begin(), text.end()};
}

// Collects events from the client thread for the test thread.
struct EventLog
{
    std::mutex mutex;
    std::condition_variable cv;
    std::vector<WatchedEvent> events;

    WatcherPtr watcher()
    {
        return makeWatcher([this](const WatchedEvent& event) {
            std::lock_guard lock(mutex);
            events.push_back(event);
            cv.notify_all();
        });
    }
    bool waitFor(std::size_t count)
    {
        std::unique_lock lock(mutex);
        return cv.wait_for(lock, 5s, [&] { return events.size() >= count; });
    }
};

// A port on 127.0.0.1 that refuses connections.
std::uint16_t deadPort()
{
    boost::asio::io_context io;
    boost::asio::ip::tcp::acceptor acceptor(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
    return acceptor.local_endpoint().port();
}

} // namespace

class ClientLiveTest : public QObject
{
    Q_OBJECT
private:
    std::string m_root;

    std::unique_ptr<ZkClient> open(const std::string& suffix = {}, ClientOptions options = {})
    {
        options.connectString = serverAddress() + suffix;
        options.sessionTimeoutMs = 10000;
        return std::make_unique<ZkClient>(std::move(options));
    }

private slots:
    void initTestCase()
    {
        QVERIFY2(!serverAddress().empty(), "the embedded server did not start");
        auto client = open();
        SyncClient sync(*client);
        QCOMPARE(sync.waitConnected(10s), SessionState::Connected);
        m_root = "/zoolab-client-test-" + std::to_string(client->sessionId() & 0xffffff);
        QCOMPARE(sync.create(m_root, std::nullopt, zk::openAclUnsafe(), zk::CreateMode::Persistent)
                     .error,
                 zk::ZError::Ok);
    }

    void crudAndStat()
    {
        auto client = open();
        SyncClient sync(*client);
        const std::string path = m_root + "/crud";
        auto created =
            sync.create(path, bytes("hello"), zk::openAclUnsafe(), zk::CreateMode::Persistent);
        QCOMPARE(created.error, zk::ZError::Ok);
        QCOMPARE(created.value.path, path);
        QCOMPARE(created.value.stat.dataLength, 5);
        QCOMPARE(sync.create(path, {}, zk::openAclUnsafe(), zk::CreateMode::Persistent).error,
                 zk::ZError::NodeExists);
        auto data = sync.getData(path);
        QVERIFY(data.ok());
        QVERIFY(data.value.data == bytes("hello"));
        QCOMPARE(sync.setData(path, bytes("w"), 7).error, zk::ZError::BadVersion);
        auto set = sync.setData(path, bytes("w"), 0);
        QVERIFY(set.ok());
        QCOMPARE(set.value.version, 1);
        QCOMPARE(sync.exists(path).value.version, 1);
        QCOMPARE(sync.exists(path + "/none").error, zk::ZError::NoNode);
        // A node created without data reads back as null, as zkCli shows it.
        QVERIFY(sync.create(path + "/nil", std::nullopt, zk::openAclUnsafe(),
                            zk::CreateMode::Persistent)
                    .ok());
        QVERIFY(!sync.getData(path + "/nil").value.data.has_value());
        QCOMPARE(sync.deleteNode(path).error, zk::ZError::NotEmpty);
        QVERIFY(sync.deleteNode(path + "/nil").ok());
        QVERIFY(sync.deleteNode(path, 1).ok());
        QCOMPARE(sync.getData(path).error, zk::ZError::NoNode);
    }

    void childrenAclsAndCounts()
    {
        auto client = open();
        SyncClient sync(*client);
        const std::string path = m_root + "/kids";
        QVERIFY(sync.create(path, {}, zk::openAclUnsafe(), zk::CreateMode::Persistent).ok());
        for (int i = 0; i < 3; ++i) {
            auto seq = sync.create(path + "/s-", {}, zk::openAclUnsafe(),
                                   zk::CreateMode::PersistentSequential);
            QVERIFY(seq.ok());
            QCOMPARE(seq.value.path, path + "/s-000000000" + std::to_string(i));
        }
        QCOMPARE(sync.getChildren(path).value.children.size(), std::size_t(3));
        QCOMPARE(sync.getChildren2(path).value.stat.numChildren, 3);
        QCOMPARE(sync.getAllChildrenNumber(path).value, 3);
        auto acl = sync.getAcl(path);
        QVERIFY(acl.ok());
        QVERIFY(acl.value.acl == zk::openAclUnsafe());
        // A read-only leaf, so that cleanup can still delete it (delete needs the parent's ACL).
        const std::string leaf = path + "-ro";
        QVERIFY(sync.create(leaf, {}, zk::openAclUnsafe(), zk::CreateMode::Persistent).ok());
        QVERIFY(sync.setAcl(leaf, zk::readAclUnsafe(), 0).ok());
        QCOMPARE(
            sync.create(leaf + "/x", {}, zk::openAclUnsafe(), zk::CreateMode::Persistent).error,
            zk::ZError::NoAuth);
        QCOMPARE(sync.setAcl(path, {}, -1).error, zk::ZError::InvalidAcl);
        QCOMPARE(sync.sync(path).value, path);
    }

    void ephemeralsContainersAndTtl()
    {
        auto client = open();
        SyncClient sync(*client);
        const std::string eph = m_root + "/eph";
        QVERIFY(sync.create(eph, {}, zk::openAclUnsafe(), zk::CreateMode::Ephemeral).ok());
        QCOMPARE(sync.exists(eph).value.ephemeralOwner, client->sessionId());
        QCOMPARE(sync.create(eph + "/c", {}, zk::openAclUnsafe(), zk::CreateMode::Persistent).error,
                 zk::ZError::NoChildrenForEphemerals);
        QVERIFY(sync.getEphemerals(m_root).value == std::vector<std::string>{eph});
        QVERIFY(
            sync.create(m_root + "/cont", {}, zk::openAclUnsafe(), zk::CreateMode::Container).ok());
        // TTL nodes need extendedTypesEnabled; either outcome is a clear code.
        const auto ttl = sync.create(m_root + "/ttl", {}, zk::openAclUnsafe(),
                                     zk::CreateMode::PersistentWithTtl, 60000);
        QVERIFY(ttl.error == zk::ZError::Ok || ttl.error == zk::ZError::Unimplemented);
        client.reset();
        auto other = open();
        SyncClient sync2(*other);
        QCOMPARE(sync2.exists(eph).error, zk::ZError::NoNode);
    }

    void multiAndCheck()
    {
        auto client = open();
        SyncClient sync(*client);
        const std::string a = m_root + "/ma";
        auto ok = sync.multi({op::Create{a, bytes("1"), zk::openAclUnsafe()},
                              op::SetData{a, bytes("2"), 0}, op::Check{a, 1}});
        QCOMPARE(ok.error, zk::ZError::Ok);
        QCOMPARE(ok.value.size(), std::size_t(3));
        QCOMPARE(ok.value[0].path, a);
        QCOMPARE(ok.value[1].stat.version, 1);
        auto failed = sync.multi({op::SetData{a, bytes("3"), -1}, op::Check{a, 0}});
        QCOMPARE(failed.error, zk::ZError::BadVersion);
        QCOMPARE(failed.value.size(), std::size_t(2));
        QCOMPARE(failed.value[1].error, zk::ZError::BadVersion);
        QVERIFY(sync.getData(a).value.data == bytes("2"));
        QVERIFY(sync.check(a, 1).ok());
        QCOMPARE(sync.check(a, 5).error, zk::ZError::BadVersion);
        auto reads = sync.multiRead({op::GetData{a}, op::GetChildren{m_root + "/missing"}});
        QVERIFY(reads.ok());
        QVERIFY(reads.value[0].data == bytes("2"));
        QCOMPARE(reads.value[1].error, zk::ZError::NoNode);
    }

    void oneShotWatches()
    {
        EventLog log; // declared first: it must outlive the client that calls it
        auto client = open();
        SyncClient sync(*client);
        const auto watcher = log.watcher();
        const std::string path = m_root + "/w";
        QCOMPARE(sync.exists(path, watcher).error, zk::ZError::NoNode);
        QVERIFY(sync.create(path, {}, zk::openAclUnsafe(), zk::CreateMode::Persistent).ok());
        QVERIFY(log.waitFor(1));
        QCOMPARE(log.events[0].type, zk::EventType::NodeCreated);
        QCOMPARE(log.events[0].path, path);
        QVERIFY(sync.getData(path, watcher).ok());
        QVERIFY(sync.getChildren(path, watcher).ok());
        QVERIFY(sync.checkWatches(path, zk::WatcherType::Data).ok());
        QVERIFY(sync.setData(path, bytes("x")).ok());
        QVERIFY(log.waitFor(2));
        QCOMPARE(log.events[1].type, zk::EventType::NodeDataChanged);
        QVERIFY(sync.removeWatches(path, zk::WatcherType::Children).ok());
        QVERIFY(log.waitFor(3));
        QCOMPARE(log.events[2].type, zk::EventType::ChildWatchRemoved);
        QCOMPARE(sync.removeWatches(path, zk::WatcherType::Any).error, zk::ZError::NoWatcher);
    }

    void persistentRecursiveWatchAndChroot()
    {
        EventLog log; // declared first: it must outlive the client that calls it
        auto client = open(m_root);
        SyncClient sync(*client);
        QVERIFY(sync.create("/tree", {}, zk::openAclUnsafe(), zk::CreateMode::Persistent).ok());
        QVERIFY(sync.addWatch("/tree", zk::AddWatchMode::PersistentRecursive, log.watcher()).ok());
        auto created = sync.create("/tree/a", {}, zk::openAclUnsafe(), zk::CreateMode::Persistent);
        QCOMPARE(created.value.path, std::string("/tree/a"));
        QVERIFY(sync.setData("/tree/a", bytes("1")).ok());
        QVERIFY(sync.setData("/tree/a", bytes("2")).ok());
        QVERIFY(log.waitFor(3));
        QCOMPARE(log.events[0].type, zk::EventType::NodeCreated);
        QCOMPARE(log.events[0].path, std::string("/tree/a"));
        QCOMPARE(log.events[2].type, zk::EventType::NodeDataChanged);
        QVERIFY(sync.getChildren("/").value.children.size() >= 1);
        QCOMPARE(sync.sync("/tree").value, std::string("/tree"));
    }

    void authAndWhoAmI()
    {
        auto client = open();
        SyncClient sync(*client);
        QVERIFY(sync.addAuth("digest", bytes("user:pass")).ok());
        auto who = sync.whoAmI();
        QVERIFY(who.ok());
        bool found = false;
        for (const auto& info : who.value)
            found = found || (info.authScheme == "digest" && info.user == "user");
        QVERIFY(found);
        const std::string path = m_root + "/secret";
        QVERIFY(sync.create(path, bytes("s"), {zk::Acl{zk::perms::All, {"auth", ""}}},
                            zk::CreateMode::Persistent)
                    .ok());
        QVERIFY(sync.getData(path).ok());
        auto other = open();
        SyncClient stranger(*other);
        QCOMPARE(stranger.getData(path).error, zk::ZError::NoAuth);
    }

    void failsOverPastDeadHost()
    {
        ClientOptions options;
        options.connectString = "127.0.0.1:" + std::to_string(deadPort()) + "," + serverAddress();
        options.sessionTimeoutMs = 10000;
        for (std::uint64_t seed = 1; seed <= 2; ++seed) {
            options.seed = seed;
            ZkClient client(options);
            SyncClient sync(client);
            QCOMPARE(sync.waitConnected(10s), SessionState::Connected);
            QCOMPARE(client.currentServer(), serverAddress());
        }
    }

    void bogusSessionExpires()
    {
        std::vector<SessionState> states;
        std::mutex mutex;
        ClientOptions options;
        options.sessionId = 0x0123456789abcdefLL;
        options.sessionPasswd.assign(16, 7);
        options.stateListener = [&](SessionState state) {
            std::lock_guard lock(mutex);
            states.push_back(state);
        };
        auto client = open({}, options);
        SyncClient sync(*client);
        QCOMPARE(sync.waitConnected(10s), SessionState::Expired);
        QCOMPARE(sync.getData("/").error, zk::ZError::SessionExpired);
    }

    // A server that accepts and never answers the handshake: the read deadline closes each
    // attempt, and the client tries again rather than hang on the first connection.
    void silentServerIsGivenUpOnAndRetried()
    {
        boost::asio::io_context io;
        boost::asio::ip::tcp::acceptor silent(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
        std::vector<boost::asio::ip::tcp::socket> accepted;
        std::atomic<int> accepts{0};
        std::atomic<bool> stop{false};
        std::thread server([&] {
            silent.non_blocking(true);
            while (!stop) {
                boost::system::error_code ec;
                auto socket = silent.accept(ec);
                if (!ec) {
                    ++accepts;
                    accepted.push_back(std::move(socket)); // held open, never answered
                } else {
                    std::this_thread::sleep_for(10ms);
                }
            }
        });
        ClientOptions options;
        options.connectString = "127.0.0.1:" + std::to_string(silent.local_endpoint().port());
        options.sessionTimeoutMs = 1500; // handshake deadline: 1 s after each connect
        const auto started = std::chrono::steady_clock::now();
        {
            ZkClient client(options);
            while (accepts < 3 && std::chrono::steady_clock::now() - started < 15s)
                std::this_thread::sleep_for(20ms);
            QVERIFY(client.state() != SessionState::Connected);
        }
        const auto took = std::chrono::steady_clock::now() - started;
        stop = true;
        server.join();
        QVERIFY2(accepts >= 3, qPrintable(QString::number(accepts.load())));
        // Two handshake deadlines of 1 s plus back-off, far from the 15 s bound.
        QVERIFY2(took < 8s,
                 qPrintable(QString::number(
                     std::chrono::duration_cast<std::chrono::milliseconds>(took).count())));
    }

    void closeEndsSession()
    {
        auto client = open();
        SyncClient sync(*client);
        QCOMPARE(sync.waitConnected(10s), SessionState::Connected);
        QVERIFY(sync.close().ok());
        QCOMPARE(client->state(), SessionState::Closed);
        QCOMPARE(sync.getData("/").error, zk::ZError::SessionExpired);
    }

    void cleanupTestCase()
    {
        if (serverAddress().empty() || m_root.empty())
            return;
        auto client = open();
        SyncClient sync(*client);
        sync.addAuth("digest", bytes("user:pass"));
        std::vector<std::string> tree{m_root};
        for (std::size_t i = 0; i < tree.size(); ++i) {
            for (const auto& child : sync.getChildren(tree[i]).value.children)
                tree.push_back(tree[i] + "/" + child);
        }
        for (auto it = tree.rbegin(); it != tree.rend(); ++it)
            sync.deleteNode(*it);
    }
};

QTEST_APPLESS_MAIN(ClientLiveTest)
#include "test_client_live.moc"
