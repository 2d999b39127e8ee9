// Proves DataTree applies txns like Apache's DataTree.processTxn: stat semantics (cversion
// formula, parent cversion/pzxid), ephemerals and closeSession, container/TTL encoding,
// multi success and failure results, idempotent replay, watch firing, setWatches catch-up,
// pre-order iteration with restore, and the digest.
#include "core/assert.h"
#include "data/data_tree.h"
#include "data/ephemeral_type.h"
#include "data/node_digest.h"

#include <QtTest>

using zk::DataTree;
using zk::EventType;
using zk::OpCode;
using zk::Txn;
using zk::TxnHeader;
using zk::ZError;

namespace {

using Bytes = std::vector<std::uint8_t>;

TxnHeader header(OpCode type, zk::Zxid zxid, zk::SessionId session = 0x100, std::int64_t time = 0)
{
    return TxnHeader{session, 1, zxid, time == 0 ? 1000 + zxid : time, type};
}

Txn createTxn(const std::string& path, std::int32_t parentCVersion, bool ephemeral = false,
              Bytes data = {'d'})
{
    return Txn{OpCode::Create, zk::CreateTxn{path, std::move(data), zk::openAclUnsafe(), ephemeral,
                                             parentCVersion}};
}

zk::ProcessTxnResult create(DataTree& tree, const std::string& path, zk::Zxid zxid,
                            std::int32_t parentCVersion = -1, zk::SessionId session = 0,
                            OpCode type = OpCode::Create)
{
    Txn txn = createTxn(path, parentCVersion, session != 0);
    txn.type = type;
    return tree.processTxn(header(type, zxid, session), txn);
}

zk::ProcessTxnResult remove(DataTree& tree, const std::string& path, zk::Zxid zxid)
{
    return tree.processTxn(header(OpCode::Delete, zxid), Txn{OpCode::Delete, zk::DeleteTxn{path}});
}

zk::ProcessTxnResult setData(DataTree& tree, const std::string& path, zk::Zxid zxid,
                             std::int32_t version, Bytes data = {'x', 'y'})
{
    return tree.processTxn(header(OpCode::SetData, zxid),
                           Txn{OpCode::SetData, zk::SetDataTxn{path, std::move(data), version}});
}

zk::Stat statAt(const DataTree& tree, const std::string& path)
{
    const zk::DataNode* node = tree.node(path);
    ZK_ASSERT(node != nullptr);
    return tree.statOf(*node);
}

std::vector<std::pair<std::uint64_t, EventType>> events(DataTree& tree)
{
    std::vector<std::pair<std::uint64_t, EventType>> out;
    for (const auto& fired : tree.takeFiredWatches())
        out.emplace_back(fired.watcher, fired.event.type);
    return out;
}

} // namespace

class DataTreeTest : public QObject
{
    Q_OBJECT
private slots:
    void initialTree()
    {
        DataTree tree;
        QCOMPARE(tree.nodeCount(), std::size_t{5});
        QCOMPARE(tree.children("/"), (std::vector<std::string>{"zookeeper"}));
        QCOMPARE(tree.children("/zookeeper"), (std::vector<std::string>{"config", "quota"}));
        const zk::DataNode* config = tree.node("/zookeeper/config");
        QVERIFY(config != nullptr);
        QVERIFY(tree.aclOf(*config) == zk::readAclUnsafe());
        QCOMPARE(config->stat.aversion, -1);
        QVERIFY(tree.aclOf(*tree.node("/")) == zk::openAclUnsafe());
        QCOMPARE(tree.approximateDataSize(), std::int64_t{44});
        QCOMPARE(tree.allChildrenNumber("/"), 3);
        QVERIFY(tree.node("") == tree.node("/"));
    }

    void createAndStat()
    {
        DataTree tree;
        const auto rc = create(tree, "/a", 10, 1, 0, OpCode::Create2);
        QCOMPARE(rc.err, ZError::Ok);
        QCOMPARE(rc.path, std::string("/a"));
        QVERIFY(rc.stat.has_value());
        QCOMPARE(rc.stat->czxid, zk::Zxid{10});
        QCOMPARE(rc.stat->mtime, std::int64_t{1010});
        QCOMPARE(rc.stat->dataLength, 1);
        QCOMPARE(tree.lastProcessedZxid(), zk::Zxid{10});
        const zk::Stat root = statAt(tree, "/");
        QCOMPARE(root.pzxid, zk::Zxid{10});
        QCOMPARE(root.numChildren, 2);
        // cversion shown = persisted (1) * 2 - numChildren (2).
        QCOMPARE(root.cversion, 0);
        QCOMPARE(tree.node("/")->stat.cversion, 1);

        QCOMPARE(create(tree, "/a/b", 11).err, ZError::Ok);
        QCOMPARE(create(tree, "/a/c", 12).err, ZError::Ok);
        QCOMPARE(remove(tree, "/a/b", 13).err, ZError::Ok);
        const zk::Stat a = statAt(tree, "/a");
        QCOMPARE(tree.node("/a")->stat.cversion, 2);
        QCOMPARE(a.numChildren, 1);
        QCOMPARE(a.cversion, 3); // two creates and one delete
        QCOMPARE(a.pzxid, zk::Zxid{13});
        QCOMPARE(create(tree, "/x/y", 14).err, ZError::NoNode);
    }

    void setDataAndSetAcl()
    {
        DataTree tree;
        create(tree, "/a", 2);
        const auto rc = setData(tree, "/a", 3, 1);
        QCOMPARE(rc.err, ZError::Ok);
        QCOMPARE(rc.stat->version, 1);
        QCOMPARE(rc.stat->mzxid, zk::Zxid{3});
        QCOMPARE(rc.stat->czxid, zk::Zxid{2});
        QCOMPARE(rc.stat->dataLength, 2);
        QCOMPARE(setData(tree, "/nope", 4, 1).err, ZError::NoNode);

        const zk::AclList bob{zk::Acl{zk::perms::All, zk::Id{"digest", "bob:h"}}};
        const auto acl = tree.processTxn(header(OpCode::SetAcl, 5),
                                         Txn{OpCode::SetAcl, zk::SetAclTxn{"/a", bob, 1}});
        QCOMPARE(acl.err, ZError::Ok);
        QCOMPARE(acl.stat->aversion, 1);
        QVERIFY(tree.aclOf(*tree.node("/a")) == bob);
        QCOMPARE(tree.lastProcessedZxid(), zk::Zxid{5});
    }

    void sequentialParentCVersion()
    {
        // The prep stage names sequential nodes from the parent's persisted cversion and
        // sends the next value as parentCVersion; deletes do not move it back.
        DataTree tree;
        create(tree, "/q", 1);
        QCOMPARE(create(tree, "/q/n0000000000", 2, 1).err, ZError::Ok);
        QCOMPARE(remove(tree, "/q/n0000000000", 3).err, ZError::Ok);
        QCOMPARE(tree.node("/q")->stat.cversion, 1);
        QCOMPARE(create(tree, "/q/n0000000001", 4, 2).err, ZError::Ok);
        QCOMPARE(tree.node("/q")->stat.cversion, 2);
        QCOMPARE(tree.node("/q")->stat.pzxid, zk::Zxid{4});
    }

    void ephemeralsAndCloseSession()
    {
        DataTree tree;
        create(tree, "/e1", 1, -1, 0x55);
        create(tree, "/e2", 2, -1, 0x55);
        create(tree, "/p", 3);
        QCOMPARE(tree.ephemerals(0x55), (std::set<std::string>{"/e1", "/e2"}));
        QCOMPARE(statAt(tree, "/e1").ephemeralOwner, std::int64_t{0x55});
        QCOMPARE(tree.sessionsWithEphemerals(), (std::vector<zk::SessionId>{0x55}));
        QVERIFY(tree.ephemerals(0x66).empty());

        // Without paths2Delete the index decides.
        tree.processTxn(header(OpCode::CloseSession, 4, 0x55),
                        Txn{OpCode::CloseSession, zk::CloseSessionTxn{}});
        QVERIFY(tree.node("/e1") == nullptr);
        QVERIFY(tree.node("/e2") == nullptr);
        QVERIFY(tree.node("/p") != nullptr);
        QVERIFY(tree.sessionsWithEphemerals().empty());
        QCOMPARE(statAt(tree, "/").pzxid, zk::Zxid{4});

        // With paths2Delete, listed paths go first and missing ones are ignored.
        create(tree, "/f", 5, -1, 0x77);
        const auto rc =
            tree.processTxn(header(OpCode::CloseSession, 6, 0x77),
                            Txn{OpCode::CloseSession,
                                zk::CloseSessionTxn{std::vector<std::string>{"/f", "/gone"}}});
        QCOMPARE(rc.err, ZError::Ok);
        QVERIFY(tree.node("/f") == nullptr);
        QVERIFY(tree.ephemerals(0x77).empty());
    }

    void containerAndTtlEncoding()
    {
        DataTree tree(true);
        const auto container = tree.processTxn(
            header(OpCode::CreateContainer, 1),
            Txn{OpCode::CreateContainer, zk::CreateContainerTxn{"/c", {}, zk::openAclUnsafe(), 1}});
        QCOMPARE(container.err, ZError::Ok);
        QCOMPARE(tree.node("/c")->stat.ephemeralOwner, zk::containerEphemeralOwner);
        QCOMPARE(container.stat->ephemeralOwner, std::int64_t{0});
        const auto ttl = tree.processTxn(
            header(OpCode::CreateTtl, 2, 0x100, 5000),
            Txn{OpCode::CreateTtl, zk::CreateTtlTxn{"/t", {}, zk::openAclUnsafe(), 2, 300}});
        QCOMPARE(ttl.err, ZError::Ok);
        QCOMPARE(static_cast<std::uint64_t>(tree.node("/t")->stat.ephemeralOwner),
                 std::uint64_t{0xFF0000000000012CULL});
        QCOMPARE(ttl.stat->ephemeralOwner, std::int64_t{0});
        QCOMPARE(tree.containers(), (std::set<std::string>{"/c"}));
        QCOMPARE(tree.ttls(), (std::set<std::string>{"/t"}));
        QVERIFY(tree.sessionsWithEphemerals().empty());

        // A never-used container is not a candidate; once a child came and went it is.
        QVERIFY(tree.candidateContainers(5200).empty());
        create(tree, "/c/x", 3);
        QVERIFY(tree.candidateContainers(5200).empty());
        remove(tree, "/c/x", 4);
        QCOMPARE(tree.candidateContainers(5200), (std::vector<std::string>{"/c"}));
        QCOMPARE(tree.candidateContainers(5301), (std::vector<std::string>{"/c", "/t"}));
        QCOMPARE(tree.candidateContainers(5300), (std::vector<std::string>{"/c"}));

        // Without extended types a 0xFF.. owner is a session id.
        DataTree plain;
        QCOMPARE(plain
                     .processTxn(header(OpCode::CreateTtl, 1),
                                 Txn{OpCode::CreateTtl,
                                     zk::CreateTtlTxn{"/t", {}, zk::openAclUnsafe(), 1, 300}})
                     .err,
                 ZError::Ok);
        QVERIFY(plain.ttls().empty());
        QCOMPARE(plain.sessionsWithEphemerals().size(), std::size_t{1});
    }

    void multiSuccess()
    {
        DataTree tree;
        create(tree, "/a", 1);
        zk::MultiTxn multi;
        multi.txns.push_back(createTxn("/a/b", 1));
        multi.txns.push_back(
            Txn{OpCode::SetData, zk::SetDataTxn{"/a", std::vector<std::uint8_t>{'z'}, 1}});
        multi.txns.push_back(Txn{OpCode::Check, zk::CheckVersionTxn{"/a", 1}});
        multi.txns.push_back(Txn{OpCode::Delete, zk::DeleteTxn{"/a/b"}});
        const auto rc = tree.processTxn(header(OpCode::Multi, 2), Txn{OpCode::Multi, multi});
        QCOMPARE(rc.err, ZError::Ok);
        QCOMPARE(rc.multiResult.size(), std::size_t{4});
        QVERIFY(rc.multiResult[0].type == OpCode::Create);
        QCOMPARE(rc.multiResult[0].path, std::string("/a/b"));
        QVERIFY(rc.multiResult[1].type == OpCode::SetData);
        QCOMPARE(rc.multiResult[1].stat->version, 1);
        QVERIFY(rc.multiResult[2].type == OpCode::Check);
        QVERIFY(rc.multiResult[3].type == OpCode::Delete);
        for (const auto& sub : rc.multiResult)
            QCOMPARE(sub.zxid, zk::Zxid{2});
        QVERIFY(tree.node("/a/b") == nullptr);
        QCOMPARE(tree.lastProcessedZxid(), zk::Zxid{2});
    }

    void multiFailure()
    {
        // The prep stage logs a failed multi as error sub-txns; even if real sub-txns are
        // present, nothing is applied.
        DataTree tree;
        zk::MultiTxn multi;
        multi.txns.push_back(createTxn("/a", 1));
        multi.txns.push_back(Txn{OpCode::Error, zk::ErrorTxn{-101}});
        multi.txns.push_back(Txn{OpCode::Delete, zk::DeleteTxn{"/zookeeper"}});
        const auto rc = tree.processTxn(header(OpCode::Multi, 7), Txn{OpCode::Multi, multi});
        QCOMPARE(rc.err, ZError::NoNode);
        QCOMPARE(rc.multiResult.size(), std::size_t{3});
        QVERIFY(rc.multiResult[0].type == OpCode::Error);
        QCOMPARE(rc.multiResult[0].err, ZError::Ok);
        QCOMPARE(rc.multiResult[1].err, ZError::NoNode);
        QCOMPARE(rc.multiResult[2].err, ZError::RuntimeInconsistency);
        QVERIFY(tree.node("/a") == nullptr);
        QVERIFY(tree.node("/zookeeper") != nullptr);
        QCOMPARE(tree.lastProcessedZxid(), zk::Zxid{7});
    }

    void errorAndCheckTxns()
    {
        DataTree tree;
        const auto err =
            tree.processTxn(header(OpCode::Error, 3), Txn{OpCode::Error, zk::ErrorTxn{-110}});
        QCOMPARE(err.err, ZError::NodeExists);
        QCOMPARE(tree.lastProcessedZxid(), zk::Zxid{3});
        const auto session =
            tree.processTxn(header(OpCode::CreateSession, 4),
                            Txn{OpCode::CreateSession, zk::CreateSessionTxn{30000}});
        QCOMPARE(session.err, ZError::Ok);
        QCOMPARE(tree.lastProcessedZxid(), zk::Zxid{4});
    }

    // The prep stage's digest from a content CRC and a stat equals the one-pass digest the
    // tree keeps, for the root (hashed as ""), null and empty data, and undigested paths.
    void nodeDigestFromContentMatchesTheTree()
    {
        zk::StatPersisted stat;
        stat.czxid = 0x100000001;
        stat.mzxid = 0x100000007;
        stat.pzxid = 0x100000009;
        stat.ctime = 1700000000000;
        stat.mtime = 1700000000123;
        stat.version = 3;
        stat.cversion = -2;
        stat.aversion = 1;
        stat.ephemeralOwner = 0x7f00000000000001;
        const std::vector<std::uint8_t> bytes{'d', 'a', 't', 'a', 0, 0xff};
        for (const std::string path : {"/", "/a", "/zookeeper", "/a/b/c"}) {
            for (const zk::NodeData& data :
                 {zk::NodeData{}, zk::NodeData{std::vector<std::uint8_t>{}}, zk::NodeData{bytes}}) {
                const std::int64_t oneGo = zk::nodeDigest(path, data, stat);
                QVERIFY(oneGo != 0);
                QCOMPARE(zk::nodeDigestFromContent(path, zk::nodeContentCrc(path, data), stat),
                         oneGo);
            }
        }
        QCOMPARE(zk::nodeDigest("/", bytes, stat), zk::nodeDigest("", bytes, stat));
        QCOMPARE(zk::nodeDigest("/zookeeper/quota", bytes, stat), std::int64_t{0});
        QCOMPARE(zk::nodeDigestFromContent("/zookeeper/config", 12345, stat), std::int64_t{0});
    }

    void replayIsIdempotent()
    {
        DataTree tree;
        create(tree, "/a", 1, 1);
        create(tree, "/a/b", 2, 1);
        remove(tree, "/a/b", 3);
        const std::int64_t digest = tree.digest();
        // Replaying the same txns over the resulting state reports errors, changes nothing.
        QCOMPARE(create(tree, "/a", 1, 1).err, ZError::NodeExists);
        QCOMPARE(remove(tree, "/a/b", 3).err, ZError::NoNode);
        QCOMPARE(tree.digest(), digest);
        QCOMPARE(tree.lastProcessedZxid(), zk::Zxid{3});
        // A create whose node exists still raises the parent's cversion to the txn's.
        QCOMPARE(create(tree, "/a", 9, 5).err, ZError::NodeExists);
        QCOMPARE(tree.node("/")->stat.cversion, 5);
        QCOMPARE(tree.node("/")->stat.pzxid, zk::Zxid{9});
        // A delete under a missing parent is NoNode; an old delete never lowers pzxid.
        QCOMPARE(remove(tree, "/x/y", 10).err, ZError::NoNode);
        QCOMPARE(remove(tree, "/a/zz", 2).err, ZError::NoNode);
        QCOMPARE(tree.node("/a")->stat.pzxid, zk::Zxid{3});
    }

    void watchesFireOnTxns()
    {
        DataTree tree;
        auto& watches = tree.watches();
        watches.addWatch("/a", 1, zk::WatchKind::Data); // exists on a missing node
        watches.addWatch("/", 2, zk::WatchKind::Child);
        create(tree, "/a", 1);
        using Events = std::vector<std::pair<std::uint64_t, EventType>>;
        QCOMPARE(events(tree),
                 (Events{{1, EventType::NodeCreated}, {2, EventType::NodeChildrenChanged}}));

        watches.addWatch("/a", 1, zk::WatchKind::Data);
        setData(tree, "/a", 2, 1);
        QCOMPARE(events(tree), (Events{{1, EventType::NodeDataChanged}}));

        watches.addWatch("/a", 1, zk::WatchKind::Data);
        watches.addWatch("/a", 1, zk::WatchKind::Child);
        watches.addWatch("/a", 3, zk::WatchKind::Child);
        watches.addWatch("/", 2, zk::WatchKind::Child);
        watches.addWatch("/", 4, zk::WatchKind::PersistentRecursive);
        remove(tree, "/a", 3);
        const auto fired = tree.takeFiredWatches();
        QCOMPARE(fired.size(), std::size_t{4});
        QCOMPARE(fired[0].watcher, std::uint64_t{1});
        QVERIFY(fired[0].event.type == EventType::NodeDeleted);
        QCOMPARE(fired[0].event.zxid, zk::Zxid{3});
        QVERIFY(fired[0].acl != nullptr);
        QCOMPARE(fired[1].watcher, std::uint64_t{4});
        QVERIFY(fired[1].event.type == EventType::NodeDeleted);
        QCOMPARE(fired[2].watcher, std::uint64_t{3});
        QCOMPARE(fired[3].watcher, std::uint64_t{2});
        QVERIFY(fired[3].event.type == EventType::NodeChildrenChanged);
        QCOMPARE(fired[3].event.path, std::string("/"));
    }

    void setWatchesCatchesUp()
    {
        DataTree tree;
        create(tree, "/old", 5);
        create(tree, "/new", 20);
        create(tree, "/parent", 6);
        create(tree, "/parent/kid", 21);
        tree.takeFiredWatches();
        tree.setWatches(10, {"/old", "/new", "/gone"}, {"/new", "/absent"},
                        {"/parent", "/old", "/gone"}, {"/p"}, {"/r"}, 7);
        using Events = std::vector<std::pair<std::uint64_t, EventType>>;
        QCOMPARE(events(tree), (Events{{7, EventType::NodeDataChanged},
                                       {7, EventType::NodeDeleted},
                                       {7, EventType::NodeCreated},
                                       {7, EventType::NodeChildrenChanged},
                                       {7, EventType::NodeDeleted}}));
        auto& watches = tree.watches();
        QVERIFY(watches.containsWatcher("/old", zk::WatcherType::Data, 7));
        QVERIFY(watches.containsWatcher("/absent", zk::WatcherType::Data, 7));
        QVERIFY(!watches.containsWatcher("/new", zk::WatcherType::Data, 7));
        QVERIFY(watches.containsWatcher("/old", zk::WatcherType::Children, 7));
        QVERIFY(!watches.containsWatcher("/parent", zk::WatcherType::Children, 7));
        QVERIFY(watches.containsWatcher("/p", zk::WatcherType::Persistent, 7));
        QVERIFY(watches.containsWatcher("/r", zk::WatcherType::PersistentRecursive, 7));
    }

    void preOrderAndRestore()
    {
        DataTree tree(true);
        create(tree, "/b", 1);
        create(tree, "/a", 2);
        create(tree, "/a/z", 3);
        create(tree, "/a/y", 4, -1, 0x9);
        tree.processTxn(header(OpCode::CreateContainer, 5),
                        Txn{OpCode::CreateContainer,
                            zk::CreateContainerTxn{"/b/c", {}, zk::readAclUnsafe(), -1}});
        std::vector<std::string> order;
        tree.forEachNodePreOrder(
            [&](const std::string& path, const zk::DataNode&) { order.push_back(path); });
        QCOMPARE(order,
                 (std::vector<std::string>{"/", "/a", "/a/y", "/a/z", "/b", "/b/c", "/zookeeper",
                                           "/zookeeper/config", "/zookeeper/quota"}));

        DataTree restored(true);
        restored.beginRestore();
        tree.acls().forEach(
            [&](std::int64_t id, const zk::AclList& acls) { restored.acls().addRaw(id, acls); });
        tree.forEachNodePreOrder([&](const std::string& path, const zk::DataNode& node) {
            restored.addNodeForRestore(path == "/" ? std::string() : path, node);
        });
        QVERIFY(restored.finishRestore());
        QCOMPARE(restored.digest(), tree.digest());
        QCOMPARE(restored.approximateDataSize(), tree.approximateDataSize());
        QCOMPARE(restored.nodeCount(), tree.nodeCount());
        QCOMPARE(restored.children("/a"), (std::vector<std::string>{"y", "z"}));
        QCOMPARE(restored.ephemerals(0x9), (std::set<std::string>{"/a/y"}));
        QCOMPARE(restored.containers(), (std::set<std::string>{"/b/c"}));
        QVERIFY(restored.statOf(*restored.node("/a")) == tree.statOf(*tree.node("/a")));
        QVERIFY(restored.aclOf(*restored.node("/b/c")) == zk::readAclUnsafe());
        QCOMPARE(restored.acls().size(), tree.acls().size());

        DataTree orphan;
        orphan.beginRestore();
        orphan.addNodeForRestore("", zk::DataNode{});
        orphan.addNodeForRestore("/x/y", zk::DataNode{});
        QVERIFY(!orphan.finishRestore());
    }

    void digestTracksChanges()
    {
        DataTree tree;
        // Expected values computed independently from DigestCalculator's formula:
        // CRC32("" + 60 zero stat bytes) + CRC32("/zookeeper" + 60 zero bytes), then with
        // /a (data "d", zxid 1, time 1001) and the root's new cversion 1 and pzxid 1.
        const std::int64_t initial = tree.digest();
        QCOMPARE(initial, std::int64_t{1371985504});
        create(tree, "/a", 1);
        const std::int64_t afterCreate = tree.digest();
        QCOMPARE(afterCreate, std::int64_t{5292621377});
        setData(tree, "/a", 2, 1);
        QVERIFY(tree.digest() != afterCreate);
        // Nodes under /zookeeper/ are not digested.
        const std::int64_t beforeQuota = tree.digest();
        create(tree, "/zookeeper/quota/q", 3);
        const std::int64_t afterQuota = tree.digest();
        remove(tree, "/zookeeper/quota/q", 4);
        QCOMPARE(afterQuota, beforeQuota);
        // Deleting /a takes its CRC out and changes the root's pzxid.
        remove(tree, "/a", 5);
        QVERIFY(tree.digest() != initial);
    }
};

QTEST_APPLESS_MAIN(DataTreeTest)
#include "test_data_tree.moc"
