// Proves the client's pure parts: connect strings, chroot mapping, path validation and which
// watchers an event or a removeWatches reaches.
#include "client/connect_string.h"
#include "client/watch_manager.h"

#include <QtTest>

using namespace zk::client;

class ClientUnitsTest : public QObject
{
    Q_OBJECT
private slots:
    void parsesHostsAndChroot()
    {
        std::string error;
        const auto cs = ConnectString::parse("h1:2181,h2:2182/app/x", &error);
        QVERIFY(cs.has_value());
        QCOMPARE(cs->hosts.size(), std::size_t(2));
        QVERIFY((cs->hosts[0] == HostPort{"h1", 2181}));
        QVERIFY((cs->hosts[1] == HostPort{"h2", 2182}));
        QCOMPARE(cs->chroot, std::string("/app/x"));
    }

    void defaultPortIpv6AndRootChroot()
    {
        const auto cs = ConnectString::parse("zk1,[::1]:2888/");
        QVERIFY(cs.has_value());
        QVERIFY((cs->hosts[0] == HostPort{"zk1", 2181}));
        QVERIFY((cs->hosts[1] == HostPort{"::1", 2888}));
        QVERIFY(cs->chroot.empty());
        QCOMPARE(toString(cs->hosts[1]), std::string("[::1]:2888"));
    }

    void rejectsBadInput()
    {
        std::string error;
        QVERIFY(!ConnectString::parse("", &error));
        QVERIFY(!ConnectString::parse("h:99999"));
        QVERIFY(!ConnectString::parse("h:12x"));
        QVERIFY(!ConnectString::parse("h:1/app/"));
        QVERIFY(!ConnectString::parse("h:1/a//b"));
    }

    void chrootMapping()
    {
        QCOMPARE(prependChroot("/app", "/"), std::string("/app"));
        QCOMPARE(prependChroot("/app", "/a/b"), std::string("/app/a/b"));
        QCOMPARE(prependChroot("", "/a"), std::string("/a"));
        QCOMPARE(stripChroot("/app", "/app"), std::string("/"));
        QCOMPARE(stripChroot("/app", "/app/a"), std::string("/a"));
        QCOMPARE(stripChroot("/app", "/apple"), std::string("/apple"));
        QCOMPARE(stripChroot("/app", "/other"), std::string("/other"));
    }

    void validatesPathsLikeJava()
    {
        QCOMPARE(validatePath("a"), std::string("Path must start with / character"));
        QCOMPARE(validatePath(""), std::string("Path length must be > 0"));
        QCOMPARE(validatePath("/a/"), std::string("Path must not end with / character"));
        QVERIFY(validatePath("/a/", true).empty());
        QCOMPARE(validatePath("/a//b"),
                 std::string("Invalid path string \"/a//b\" caused by empty node name "
                             "specified @3"));
        QCOMPARE(validatePath("/a/.."),
                 std::string("Invalid path string \"/a/..\" caused by relative paths not "
                             "allowed @4"));
        QVERIFY(validatePath("/a/..b").empty());
        QVERIFY(!validatePath(std::string("/a\x01", 3)).empty());
        QVERIFY(validatePath("/").empty());
    }

    void oneShotWatchesFireOnce()
    {
        WatchManager watches;
        int calls = 0;
        const auto w = makeWatcher([&](const WatchedEvent&) { ++calls; });
        watches.add(WatchKind::Data, "/a", w);
        watches.add(WatchKind::Child, "/a", w);
        // Same watcher as data and child watcher: one call (Java's HashSet).
        auto fired = watches.materialize({zk::EventType::NodeDeleted, {}, "/a"});
        QCOMPARE(fired.size(), std::size_t(1));
        QVERIFY(watches.empty());
        QVERIFY(watches.materialize({zk::EventType::NodeDeleted, {}, "/a"}).empty());
    }

    void childEventsSkipDataWatches()
    {
        WatchManager watches;
        const auto d = makeWatcher([](const WatchedEvent&) {});
        const auto c = makeWatcher([](const WatchedEvent&) {});
        watches.add(WatchKind::Data, "/a", d);
        watches.add(WatchKind::Child, "/a", c);
        auto fired = watches.materialize({zk::EventType::NodeChildrenChanged, {}, "/a"});
        QVERIFY((fired == std::vector<WatcherPtr>{c}));
        QVERIFY(watches.contains("/a", zk::WatcherType::Data));
        QVERIFY(!watches.contains("/a", zk::WatcherType::Children));
    }

    void persistentAndRecursive()
    {
        WatchManager watches;
        const auto p = makeWatcher([](const WatchedEvent&) {});
        const auto r = makeWatcher([](const WatchedEvent&) {});
        watches.add(WatchKind::Persistent, "/a", p);
        watches.add(WatchKind::PersistentRecursive, "/", r);
        QCOMPARE(watches.materialize({zk::EventType::NodeDataChanged, {}, "/a"}).size(),
                 std::size_t(2));
        // Recursive watches never see child-list events; persistent ones do.
        QVERIFY((watches.materialize({zk::EventType::NodeChildrenChanged, {}, "/a"}) ==
                 std::vector<WatcherPtr>{p}));
        QVERIFY((watches.materialize({zk::EventType::NodeCreated, {}, "/a/b/c"}) ==
                 std::vector<WatcherPtr>{r}));
        QVERIFY(!watches.empty());
    }

    void removeByType()
    {
        WatchManager watches;
        const auto w = makeWatcher([](const WatchedEvent&) {});
        watches.add(WatchKind::Exist, "/a", w);
        watches.add(WatchKind::Child, "/a", w);
        watches.add(WatchKind::Persistent, "/a", w);
        QVERIFY(watches.remove("/b", zk::WatcherType::Any).empty());
        auto removed = watches.remove("/a", zk::WatcherType::Data);
        QCOMPARE(removed.size(), std::size_t(1));
        QVERIFY(removed[0].eventType == zk::EventType::DataWatchRemoved);
        removed = watches.remove("/a", zk::WatcherType::Any);
        QCOMPARE(removed.size(), std::size_t(2));
        QVERIFY(removed[0].eventType == zk::EventType::ChildWatchRemoved);
        QVERIFY(removed[1].eventType == zk::EventType::PersistentWatchRemoved);
        QVERIFY(watches.empty());
    }

    void eventText()
    {
        QCOMPARE(toString(WatchedEvent{}),
                 std::string("WatchedEvent state:SyncConnected type:None path:null"));
        QCOMPARE(toString(WatchedEvent{zk::EventType::NodeDataChanged,
                                       zk::KeeperState::SyncConnected, "/a"}),
                 std::string("WatchedEvent state:SyncConnected type:NodeDataChanged path:/a"));
    }
};

QTEST_APPLESS_MAIN(ClientUnitsTest)
#include "test_client_units.moc"
