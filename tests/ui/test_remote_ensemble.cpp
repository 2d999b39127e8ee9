// Proves the studio's view of a remote ensemble: roles polled through srvr/mntr from live
// servers, plain words when a four-letter word is not whitelisted, and the election votes of
// zoolab event endpoints (JSON lines) arriving in the vote table. The servers are in-process
// ensembles on free ports, reached only over TCP as a remote one would be.

#include "bridge/engine_ensemble.h"
#include "bridge/peer_event_json.h"
#include "controllers/embedded_cluster.h"
#include "controllers/four_letter.h"
#include "controllers/remote_ensemble.h"
#include "models/cluster_model.h"
#include "models/vote_table_model.h"
#include "net/event_endpoint.h"
#include "views/connection_tab.h"
#include "views/main_window.h"
#include "views/remote_cluster_view.h"

#include <QAbstractItemModelTester>
#include <QLabel>
#include <QPointer>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace zoolab;

namespace {

// A 3-node ensemble with the given 4lw whitelist, data in a temporary folder.
struct TestEnsemble
{
    explicit TestEnsemble(std::set<std::string> whitelist)
    {
        zk::EnsembleOptions options;
        options.baseDir = dir.path().toStdString();
        options.forceSync = false;
        options.fourLetterWhitelist = std::move(whitelist);
        ensemble = std::make_unique<zk::Ensemble>(options);
    }
    bool start()
    {
        std::string error;
        return !ensemble->prepare(error) && ensemble->startAll(error);
    }
    ~TestEnsemble()
    {
        if (ensemble)
            ensemble->killAll();
    }
    QTemporaryDir dir;
    std::unique_ptr<zk::Ensemble> ensemble;
};

} // namespace

class RemoteEnsembleTest : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void parsesFourLetterAnswers();
    void readsEventLinesBack();
    void rolesFromSrvrAndMntr();
    void explainsWordsNotWhitelisted();
    void votesFromEventEndpoints();
    void connectionOpensRemoteClusterTab();
};

void RemoteEnsembleTest::initTestCase()
{
    QCoreApplication::setOrganizationName(QStringLiteral("ZooLabTest"));
    QCoreApplication::setApplicationName(QStringLiteral("zoolab-remote-test"));
}

void RemoteEnsembleTest::parsesFourLetterAnswers()
{
    const std::string srvr = "Zookeeper version: 3.8.0-5a02a05eddb59aee6ac762f7ea82e92a68eb9c0f, "
                             "built on 2022-02-25 08:49 UTC\nLatency min/avg/max: 0/0.5/3\n"
                             "Received: 12\nSent: 11\nConnections: 2\nOutstanding: 0\n"
                             "Zxid: 0x200000005\nMode: follower\nNode count: 7\n";
    const auto info = parseSrvr(srvr);
    QVERIFY(info);
    QCOMPARE(info->mode, std::string("follower"));
    QCOMPARE(info->zxid, std::int64_t(0x200000005));
    QCOMPARE(info->connections, std::int64_t(2));
    QCOMPARE(info->nodeCount, std::int64_t(7));
    QCOMPARE(info->version, std::string("3.8.0-5a02a05eddb59aee6ac762f7ea82e92a68eb9c0f"));
    QVERIFY(!parseSrvr("mntr is not executed because it is not in the whitelist.\n"));
    QVERIFY(notWhitelisted("mntr is not executed because it is not in the whitelist.\n"));
    QVERIFY(!notWhitelisted(srvr));
    const auto mntr = parseMntr("zk_version\t3.8.0\nzk_server_state\tleader\nzk_znode_count\t5\n");
    QCOMPARE(mntr.at("zk_server_state"), std::string("leader"));
    QCOMPARE(mntr.at("zk_znode_count"), std::string("5"));
    QCOMPARE(serverIdFromConf("clientPort=2181\nserverId=3\ninitLimit=10\n"), std::int64_t(3));
    QVERIFY(!serverIdFromConf("clientPort=2181\n"));
}

void RemoteEnsembleTest::readsEventLinesBack()
{
    zk::PeerEvent event;
    event.kind = zk::PeerEvent::Kind::Election;
    event.sid = 1;
    zk::VoteChanged changed;
    changed.from.id = 1;
    changed.from.zxid = 0x100000002;
    changed.to.id = 3;
    changed.to.zxid = 0x100000004;
    changed.to.peerEpoch = 1;
    changed.rule = zk::VoteRule::HigherZxid;
    changed.by = 3;
    event.election = changed;
    const auto back = peerEventFromJson(QByteArray::fromStdString(zk::toJsonLine(event, 1000)));
    QVERIFY(back);
    QCOMPARE(back->sid, zk::Sid(1));
    const auto* read = std::get_if<zk::VoteChanged>(&*back->election);
    QVERIFY(read);
    QCOMPARE(read->to.id, zk::Sid(3));
    QCOMPARE(read->to.zxid, zk::Zxid(0x100000004));
    QCOMPARE(read->to.peerEpoch, zk::Epoch(1));
    QCOMPARE(read->from.id, zk::Sid(1));
    QCOMPARE(read->from.zxid, zk::Zxid(0x100000002));
    QVERIFY(read->rule == zk::VoteRule::HigherZxid);
    QCOMPARE(read->by, zk::Sid(3));

    zk::PeerEvent state;
    state.kind = zk::PeerEvent::Kind::StateChanged;
    state.sid = 2;
    state.state = zk::ServerState::Following;
    const auto stateBack =
        peerEventFromJson(QByteArray::fromStdString(zk::toJsonLine(state, 1000)));
    QVERIFY(stateBack);
    QVERIFY(stateBack->kind == zk::PeerEvent::Kind::StateChanged);
    QVERIFY(stateBack->state == zk::ServerState::Following);
    QVERIFY(!peerEventFromJson("not json"));
}

void RemoteEnsembleTest::rolesFromSrvrAndMntr()
{
    EmbeddedCluster::Options options;
    options.basePort = 0;
    EmbeddedCluster cluster(options);
    QVERIFY2(!cluster.start(), cluster.lastError().c_str());
    RemoteClusterView view;
    RemoteEnsemble* remote = view.ensemble();
    QAbstractItemModelTester servers(remote->clusterModel());
    QAbstractItemModelTester votes(remote->voteModel());
    remote->setPollIntervalMs(200);
    QVERIFY(view.start(QString::fromStdString(cluster.connectString())).isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(cluster.ensemble()->servingLeader().has_value(), 20000);
    const zk::Sid leader = *cluster.ensemble()->servingLeader();
    QTRY_COMPARE_WITH_TIMEOUT(remote->clusterModel()->leader(), std::optional<zk::Sid>(leader),
                              20000);
    QTRY_COMPARE_WITH_TIMEOUT(view.banner()->text(),
                              QStringLiteral("serving, leader %1").arg(leader), 10000);
    // Sids came from conf, so they are the servers' own.
    QCOMPARE(remote->sids(), (std::vector<zk::Sid>{1, 2, 3}));
    for (zk::Sid sid : cluster.sids()) {
        const auto expected = sid == leader ? NodeRole::Leading : NodeRole::Following;
        QTRY_COMPARE_WITH_TIMEOUT(remote->clusterModel()->role(sid), expected, 10000);
        const ClusterNode* node = remote->clusterModel()->node(sid);
        QVERIFY(node && node->status);
        QCOMPARE(node->clientPort, cluster.ensemble()->clientPort(sid));
        QVERIFY(node->status->znodes > 0);
    }
    // A poll that timed out on a loaded machine explains itself until the next one answers.
    QTRY_VERIFY2_WITH_TIMEOUT(remote->explanation().isEmpty(), qPrintable(remote->explanation()),
                              10000);
    QVERIFY(!view.explanation()->isVisible());

    // A server killed there shows as down here.
    const zk::Sid follower = leader == 1 ? 2 : 1;
    cluster.ensemble()->kill(follower);
    QTRY_COMPARE_WITH_TIMEOUT(remote->clusterModel()->role(follower), NodeRole::Down, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(remote->explanation().contains(QStringLiteral("does not answer")),
                             10000);
}

void RemoteEnsembleTest::explainsWordsNotWhitelisted()
{
    TestEnsemble noMntr({"srvr", "conf"});
    QVERIFY(noMntr.start());
    RemoteEnsemble remote;
    remote.setPollIntervalMs(200);
    QVERIFY(remote.start(QString::fromStdString(noMntr.ensemble->connectString())).isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(noMntr.ensemble->servingLeader().has_value(), 20000);
    // Roles still come from srvr; the missing mntr is explained for every server.
    QTRY_COMPARE_WITH_TIMEOUT(remote.clusterModel()->leader(), noMntr.ensemble->servingLeader(),
                              20000);
    const QString address = QStringLiteral("127.0.0.1:%1").arg(noMntr.ensemble->clientPort(1));
    QTRY_VERIFY_WITH_TIMEOUT(
        remote.explanation().contains(address + QStringLiteral(" does not answer mntr (not in its "
                                                               "4lw.commands.whitelist)")),
        10000);
    QCOMPARE(remote.explanation().count(QStringLiteral("does not answer mntr")), 3);

    TestEnsemble neither({"ruok"});
    QVERIFY(neither.start());
    RemoteEnsemble blind;
    blind.setPollIntervalMs(200);
    QVERIFY(blind.start(QString::fromStdString(neither.ensemble->connectString())).isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(blind.pollCount() > 0, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(blind.explanation().contains(QStringLiteral("answers neither srvr "
                                                                         "nor mntr")),
                             10000);
    QVERIFY(blind.bannerText().contains(QStringLiteral("roles unknown")));
    QVERIFY(!blind.clusterModel()->leader());
}

void RemoteEnsembleTest::votesFromEventEndpoints()
{
    // Each server streams its events on its own endpoint, as zoolab.eventPort does.
    TestEnsemble cluster({"*"});
    std::map<zk::Sid, std::unique_ptr<zk::EventEndpoint>> endpoints;
    QStringList addresses;
    for (zk::Sid sid : {1, 2, 3}) {
        auto endpoint = std::make_unique<zk::EventEndpoint>("127.0.0.1", 0);
        QVERIFY(!endpoint->start());
        addresses << QStringLiteral("127.0.0.1:%1").arg(endpoint->port());
        endpoints[sid] = std::move(endpoint);
    }
    cluster.ensemble->setEventSink([&endpoints](const zk::PeerEvent& event) {
        if (const auto it = endpoints.find(event.sid); it != endpoints.end())
            it->second->publish(event);
    });
    QVERIFY(cluster.start());
    QTRY_VERIFY_WITH_TIMEOUT(cluster.ensemble->servingLeader().has_value(), 20000);
    const zk::Sid leader = *cluster.ensemble->servingLeader();

    RemoteClusterView view;
    RemoteEnsemble* remote = view.ensemble();
    QAbstractItemModelTester votes(remote->voteModel());
    remote->setPollIntervalMs(200);
    QVERIFY(view.start(QString::fromStdString(cluster.ensemble->connectString())).isEmpty());
    view.watchEvents(addresses.join(QLatin1Char(',')));
    // The endpoints replay the election that already happened; every voter ends on the leader.
    for (zk::Sid sid : {1, 2, 3})
        QTRY_COMPARE_WITH_TIMEOUT(remote->voteModel()->proposal(sid),
                                  std::optional<zk::Sid>(leader), 15000);
    QVERIFY(remote->eventCount() > 0);
    QVERIFY(remote->voteModel()->outcome(leader).contains(QStringLiteral("LEADING")));
    for (const QString& status : remote->eventStatus())
        QVERIFY2(status.contains(QStringLiteral("receiving events")), qPrintable(status));

    // A new election, live: kill the leader and watch the others vote for a new one.
    cluster.ensemble->kill(leader);
    QTRY_VERIFY_WITH_TIMEOUT(cluster.ensemble->servingLeader().has_value() &&
                                 *cluster.ensemble->servingLeader() != leader,
                             20000);
    const zk::Sid next = *cluster.ensemble->servingLeader();
    for (zk::Sid sid : {1, 2, 3}) {
        if (sid != leader)
            QTRY_COMPARE_WITH_TIMEOUT(remote->voteModel()->proposal(sid),
                                      std::optional<zk::Sid>(next), 15000);
    }
    cluster.ensemble->setEventSink({});
}

void RemoteEnsembleTest::connectionOpensRemoteClusterTab()
{
    EmbeddedCluster::Options clusterOptions;
    clusterOptions.basePort = 0;
    EmbeddedCluster cluster(clusterOptions);
    QVERIFY2(!cluster.start(), cluster.lastError().c_str());
    MainWindow::Options options;
    options.embedded = false;
    options.interactive = false;
    MainWindow window(options);
    ConnectionSpec spec;
    spec.connectString = QString::fromStdString(cluster.connectString());
    ConnectionTab* tab = window.openConnection(spec);
    QVERIFY(tab);
    RemoteClusterView* view = nullptr;
    for (int i = 0; i < window.tabs()->count(); ++i) {
        if (auto* found = qobject_cast<RemoteClusterView*>(window.tabs()->widget(i)))
            view = found;
    }
    QVERIFY(view);
    QCOMPARE(window.currentConnection(), tab); // the tree stays in front
    QTRY_VERIFY_WITH_TIMEOUT(view->banner()->text().startsWith(QStringLiteral("serving, leader")),
                             20000);
    QPointer<RemoteClusterView> watched(view);
    delete tab; // closing the connection closes its cluster tab
    QTRY_VERIFY_WITH_TIMEOUT(watched.isNull(), 5000);
}

QTEST_MAIN(RemoteEnsembleTest)
#include "test_remote_ensemble.moc"
