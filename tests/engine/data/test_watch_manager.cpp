// Proves the watch rules of PROTOCOL.md 1.6: one-shot vs persistent, recursive watches see
// the subtree but never NodeChildrenChanged, NodeDeleted reaches each watcher once, and
// removal and the wchs/wchc/wchp reports behave like Apache's WatchManager.
#include "data/watch_manager.h"

#include <QtTest>

using zk::EventType;
using zk::WatcherId;
using zk::WatcherType;
using zk::WatchKind;

namespace {

std::vector<WatcherId> watchersOf(const std::vector<zk::FiredWatch>& fired)
{
    std::vector<WatcherId> out;
    for (const auto& watch : fired)
        out.push_back(watch.watcher);
    return out;
}

} // namespace

class WatchManagerTest : public QObject
{
    Q_OBJECT
private slots:
    void standardWatchesAreOneShot()
    {
        zk::WatchManager watches;
        QVERIFY(watches.addWatch("/a", 2, WatchKind::Data));
        QVERIFY(watches.addWatch("/a", 1, WatchKind::Data));
        QVERIFY(!watches.addWatch("/a", 1, WatchKind::Data));
        const auto fired = watches.triggerWatch("/a", EventType::NodeDataChanged, 42);
        QCOMPARE(watchersOf(fired), (std::vector<WatcherId>{1, 2}));
        QCOMPARE(fired[0].event.path, std::string("/a"));
        QCOMPARE(fired[0].event.zxid, zk::Zxid{42});
        QVERIFY(fired[0].event.type == EventType::NodeDataChanged);
        QVERIFY(watches.triggerWatch("/a", EventType::NodeDataChanged).empty());
        QCOMPARE(watches.size(), std::size_t{0});
    }

    void childWatchesOnlySeeChildEventsAndDelete()
    {
        zk::WatchManager watches;
        watches.addWatch("/a", 1, WatchKind::Child);
        QVERIFY(watches.triggerWatch("/a", EventType::NodeDataChanged).empty());
        QVERIFY(watches.triggerWatch("/a", EventType::NodeCreated).empty());
        QCOMPARE(watchersOf(watches.triggerWatch("/a", EventType::NodeChildrenChanged)),
                 (std::vector<WatcherId>{1}));
        watches.addWatch("/a", 1, WatchKind::Child);
        QCOMPARE(watchersOf(watches.triggerWatch("/a", EventType::NodeDeleted)),
                 (std::vector<WatcherId>{1}));
    }

    void deleteFiresOncePerWatcher()
    {
        zk::WatchManager watches;
        watches.addWatch("/a", 1, WatchKind::Data);
        watches.addWatch("/a", 1, WatchKind::Child);
        watches.addWatch("/a", 2, WatchKind::Child);
        const auto fired = watches.triggerWatch("/a", EventType::NodeDeleted);
        QCOMPARE(watchersOf(fired), (std::vector<WatcherId>{1, 2}));
        QCOMPARE(watches.size(), std::size_t{0});
    }

    void persistentWatchesStay()
    {
        zk::WatchManager watches;
        watches.addWatch("/a", 1, WatchKind::Persistent);
        for (int round = 0; round < 2; ++round) {
            QCOMPARE(watches.triggerWatch("/a", EventType::NodeDataChanged).size(), std::size_t{1});
            QCOMPARE(watches.triggerWatch("/a", EventType::NodeChildrenChanged).size(),
                     std::size_t{1});
        }
        // Not recursive: a child's change is not seen.
        QVERIFY(watches.triggerWatch("/a/b", EventType::NodeDataChanged).empty());
        QVERIFY(watches.containsWatcher("/a", WatcherType::Persistent, 1));
        QVERIFY(!watches.containsWatcher("/a", WatcherType::Data, 1));
    }

    void recursiveSeesSubtreeButNotChildrenChanged()
    {
        zk::WatchManager watches;
        watches.addWatch("/a", 1, WatchKind::PersistentRecursive);
        watches.addWatch("/a/b", 2, WatchKind::Data);
        QCOMPARE(watchersOf(watches.triggerWatch("/a/b/c", EventType::NodeCreated)),
                 (std::vector<WatcherId>{1}));
        QCOMPARE(watchersOf(watches.triggerWatch("/a/b", EventType::NodeDataChanged)),
                 (std::vector<WatcherId>{1, 2}));
        QCOMPARE(watchersOf(watches.triggerWatch("/a", EventType::NodeDeleted)),
                 (std::vector<WatcherId>{1}));
        QVERIFY(watches.triggerWatch("/a", EventType::NodeChildrenChanged).empty());
        QVERIFY(watches.triggerWatch("/ab", EventType::NodeCreated).empty());
        QVERIFY(watches.containsWatcher("/a", WatcherType::PersistentRecursive, 1));
        QVERIFY(watches.removeWatcher("/a", WatcherType::PersistentRecursive, 1));
        QVERIFY(watches.triggerWatch("/a/b", EventType::NodeDataChanged).empty());
    }

    void standardAndPersistentOnOnePath()
    {
        zk::WatchManager watches;
        watches.addWatch("/a", 1, WatchKind::Data);
        watches.addWatch("/a", 1, WatchKind::Persistent);
        QCOMPARE(watches.triggerWatch("/a", EventType::NodeDataChanged).size(), std::size_t{1});
        QVERIFY(!watches.containsWatcher("/a", WatcherType::Data, 1));
        QVERIFY(watches.containsWatcher("/a", WatcherType::Persistent, 1));
    }

    void removeByTypeAndByConnection()
    {
        zk::WatchManager watches;
        watches.addWatch("/a", 1, WatchKind::Data);
        watches.addWatch("/a", 1, WatchKind::Child);
        QVERIFY(!watches.removeWatcher("/a", WatcherType::Persistent, 1));
        QVERIFY(watches.removeWatcher("/a", WatcherType::Children, 1));
        QVERIFY(!watches.containsWatcher("/a", WatcherType::Children, 1));
        QVERIFY(watches.containsWatcher("/a", WatcherType::Any, 1));
        QVERIFY(watches.removeWatcher("/a", WatcherType::Any, 1));
        QVERIFY(!watches.removeWatcher("/a", WatcherType::Any, 1));

        watches.addWatch("/x", 5, WatchKind::Data);
        watches.addWatch("/y", 5, WatchKind::PersistentRecursive);
        watches.addWatch("/x", 6, WatchKind::Data);
        watches.removeWatcher(5);
        QCOMPARE(watches.size(), std::size_t{1});
        QCOMPARE(watchersOf(watches.triggerWatch("/x", EventType::NodeDataChanged)),
                 (std::vector<WatcherId>{6}));
        QVERIFY(watches.triggerWatch("/y/z", EventType::NodeCreated).empty());
    }

    void reportsAreSortedAndCoverTheDataTable()
    {
        zk::WatchManager watches;
        watches.addWatch("/b", 9, WatchKind::Data);
        watches.addWatch("/a", 9, WatchKind::Data);
        watches.addWatch("/a", 3, WatchKind::Data);
        watches.addWatch("/c", 3, WatchKind::Child);
        QVERIFY(watches.summary() == (zk::WatchesSummary{2, 2, 3}));
        QCOMPARE(watches.size(), std::size_t{4});
        const auto byWatcher = watches.watchesByWatcher();
        QCOMPARE(byWatcher.at(9), (std::vector<std::string>{"/a", "/b"}));
        QCOMPARE(byWatcher.at(3), (std::vector<std::string>{"/a"}));
        const auto byPath = watches.watchesByPath();
        QCOMPARE(byPath.at("/a"), (std::vector<WatcherId>{3, 9}));
        QVERIFY(!byPath.contains("/c"));

        // Like Apache, a connection whose one-shot watches fired still counts until it
        // closes.
        watches.triggerWatch("/a", EventType::NodeDataChanged);
        watches.triggerWatch("/b", EventType::NodeDataChanged);
        QVERIFY(watches.summary() == (zk::WatchesSummary{2, 0, 0}));
        watches.removeWatcher(3);
        watches.removeWatcher(9);
        QVERIFY(watches.summary() == (zk::WatchesSummary{0, 0, 0}));
    }
};

QTEST_APPLESS_MAIN(WatchManagerTest)
#include "test_watch_manager.moc"
