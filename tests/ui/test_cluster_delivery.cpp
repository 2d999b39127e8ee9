// Proves the studio's teaching controls and ZAB view on a live 3-server ensemble on free ports:
// the speed control slows every link (1x down to 1/100); with delivery paused no election
// completes, each step delivers the message shown as next and stepping alone gets a new leader
// serving; and a write through a client shows up as proposal, acks and commit for its zxid,
// in the writes table and as PROPOSAL/ACK/COMMIT messages in the scene. Every model runs
// under QAbstractItemModelTester.

#include "client/sync_client.h"
#include "controllers/cluster_controller.h"
#include "controllers/embedded_cluster.h"
#include "models/cluster_model.h"
#include "models/link_model.h"
#include "models/zab_write_model.h"
#include "views/cluster_items.h"
#include "views/cluster_scene.h"
#include "views/cluster_view.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>

#include <memory>
#include <set>

using namespace zoolab;

class ClusterDeliveryTest : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void speedScalesEveryLink();
    void pausedDeliveryHoldsTheElectionUntilStepped();
    void writeShowsProposalAcksAndCommit();
    void viewButtonsPauseStepAndResume();

private:
    zk::Sid waitServing(int timeoutMs = 15000);

    std::unique_ptr<EmbeddedCluster> m_cluster;
    std::unique_ptr<ClusterController> m_controller;
    std::vector<std::unique_ptr<QAbstractItemModelTester>> m_testers;
};

void ClusterDeliveryTest::init()
{
    EmbeddedCluster::Options options;
    options.basePort = 0; // never 2181-2183: the drills test holds them
    m_cluster = std::make_unique<EmbeddedCluster>(options);
    m_controller = std::make_unique<ClusterController>();
    const auto mode = QAbstractItemModelTester::FailureReportingMode::QtTest;
    m_testers.push_back(
        std::make_unique<QAbstractItemModelTester>(m_controller->writeModel(), mode));
    m_testers.push_back(
        std::make_unique<QAbstractItemModelTester>(m_controller->clusterModel(), mode));
    m_controller->attach(m_cluster.get());
    QVERIFY2(!m_cluster->start(), m_cluster->lastError().c_str());
}

void ClusterDeliveryTest::cleanup()
{
    m_controller->detach();
    m_testers.clear();
    m_controller.reset();
    m_cluster.reset();
}

zk::Sid ClusterDeliveryTest::waitServing(int timeoutMs)
{
    if (!QTest::qWaitFor([this] { return m_controller->servingLeader().has_value(); }, timeoutMs))
        return 0;
    return m_controller->servingLeader().value_or(0);
}

void ClusterDeliveryTest::speedScalesEveryLink()
{
    QVERIFY(waitServing() != 0);
    QCOMPARE(ClusterController::delayForSpeed(1), std::chrono::milliseconds(0));
    QCOMPARE(ClusterController::delayForSpeed(10), std::chrono::milliseconds(100));
    QCOMPARE(ClusterController::delayForSpeed(100), std::chrono::milliseconds(1000));
    m_controller->setSpeedDivisor(100);
    QCOMPARE(m_controller->electionDelay(), std::chrono::milliseconds(1000));
    QCOMPARE(m_controller->linkModel()->delayMs(), 1000);
    // At 1/100 the ensemble still serves writes: each ZAB packet waits a second, well inside
    // syncLimit, and the leader stays.
    const zk::Sid leader = *m_controller->servingLeader();
    zk::client::ClientOptions options;
    options.connectString = m_cluster->connectString();
    options.sessionTimeoutMs = 10000;
    zk::client::ZkClient client(options);
    zk::client::SyncClient sync(client);
    QCOMPARE(sync.waitConnected(std::chrono::seconds(10)), zk::client::SessionState::Connected);
    QElapsedTimer timer;
    timer.start();
    const auto created =
        sync.create("/slow", zk::Bytes{'s'}, zk::openAclUnsafe(), zk::CreateMode::Persistent);
    QVERIFY(created.ok());
    // A quorum needs PROPOSAL out and an ACK back: two delayed packets at least.
    QVERIFY2(timer.elapsed() >= 1800, qPrintable(QString::number(timer.elapsed())));
    sync.close();
    QCOMPARE(m_controller->servingLeader(), std::optional<zk::Sid>(leader));
    m_controller->setSpeedDivisor(1);
    QCOMPARE(m_controller->electionDelay(), std::chrono::milliseconds(0));
    QCOMPARE(m_controller->linkModel()->delayMs(), 0);
}

void ClusterDeliveryTest::pausedDeliveryHoldsTheElectionUntilStepped()
{
    const zk::Sid old = waitServing();
    QVERIFY(old != 0);
    ClusterScene scene(m_controller.get());
    QSignalSpy changed(m_controller.get(), &ClusterController::deliveryChanged);
    m_controller->setDeliveryHeld(true);
    QVERIFY(m_controller->deliveryHeld());
    QVERIFY(changed.count() >= 1);
    m_controller->killLeader();

    // Held for 3 s: the survivors look for a leader, but none of their votes arrives, and
    // the scene draws none of them travelling.
    const int shownBefore = scene.messagesShown();
    QTest::qWait(3000);
    QCOMPARE(scene.messagesShown(), shownBefore);
    QVERIFY2(!m_controller->servingLeader(), qPrintable(m_controller->bannerText()));
    QVERIFY(!m_controller->bannerText().startsWith(QStringLiteral("serving")));
    QTRY_VERIFY_WITH_TIMEOUT(m_controller->heldCount() > 0, 3000);
    QVERIFY(!m_controller->nextHeldText().isEmpty());
    for (const ClusterNode& node : m_controller->clusterModel()->nodes()) {
        if (node.running)
            QCOMPARE(ClusterModel::roleOf(node), NodeRole::Looking);
    }

    // One step delivers exactly the message shown as next.
    m_controller->pollNow();
    QTest::qWait(300);
    const QString next = m_controller->nextHeldText();
    QVERIFY(next.contains(QStringLiteral("election: vote leader=")));
    QSignalSpy stepped(m_controller.get(), &ClusterController::stepped);
    m_controller->stepDelivery();
    QVERIFY(stepped.wait(5000));
    QCOMPARE(stepped.takeFirst().at(0).toString(), next);
    QCOMPARE(m_controller->stepsTaken(), std::size_t{1});
    // The stepped vote travels its link in the scene.
    QCOMPARE(scene.messagesShown(), shownBefore + 1);
    const auto& last = m_controller->lastStepped();
    QVERIFY(last && next.startsWith(QStringLiteral("%1->%2 ").arg(last->from).arg(last->to)));

    // Stepping alone (no release) elects a new leader and syncs its follower. A step that
    // finds nothing held (a server is inside finalizeWait, or a reply is on its way) does not
    // count; the loop then gives the servers a moment.
    int steps = 1;
    QElapsedTimer clock;
    clock.start();
    while (!m_controller->servingLeader() && clock.elapsed() < 30000) {
        m_controller->stepDelivery();
        QVERIFY(stepped.wait(5000));
        const bool delivered = !stepped.takeFirst().at(0).toString().isEmpty();
        if (delivered)
            ++steps;
        else
            QTest::qWait(20);
        if (steps % 10 == 0 || !delivered)
            m_controller->pollNow();
    }
    QTRY_VERIFY_WITH_TIMEOUT(m_controller->servingLeader().has_value(), 3000);
    QVERIFY(*m_controller->servingLeader() != old);
    QVERIFY(m_controller->deliveryHeld());
    qInfo("a new leader serves after %d steps", steps);

    m_controller->setDeliveryHeld(false);
    QVERIFY(!m_controller->deliveryHeld());
    QTRY_COMPARE_WITH_TIMEOUT(m_controller->heldCount(), std::size_t{0}, 3000);
    QVERIFY(m_controller->servingLeader().has_value());
}

void ClusterDeliveryTest::writeShowsProposalAcksAndCommit()
{
    const zk::Sid leader = waitServing();
    QVERIFY(leader != 0);
    ClusterScene scene(m_controller.get());
    // Collect every message label the scene draws (each lives at least messageMinMs).
    std::set<QString> labels;
    QTimer watch;
    connect(&watch, &QTimer::timeout, &scene, [&] {
        for (QGraphicsItem* item : scene.items()) {
            if (auto* message = dynamic_cast<MessageItem*>(item))
                labels.insert(message->label());
        }
    });
    watch.start(20);

    zk::client::ClientOptions options;
    options.connectString = m_cluster->connectString();
    options.sessionTimeoutMs = 10000;
    zk::client::ZkClient client(options);
    zk::client::SyncClient sync(client);
    QCOMPARE(sync.waitConnected(std::chrono::seconds(10)), zk::client::SessionState::Connected);
    // The session's own txn was sampled; wait past the sampling interval so ours is too.
    QTest::qWait(int(ZabWriteModel::sampleIntervalMs) + 100);
    const auto created =
        sync.create("/zab", zk::Bytes{'z'}, zk::openAclUnsafe(), zk::CreateMode::Persistent);
    QVERIFY(created.ok());
    const zk::Zxid zxid = created.value.stat.czxid;
    QVERIFY(zxid != 0);
    sync.close();

    const ZabWriteModel* writes = m_controller->writeModel();
    QTRY_VERIFY_WITH_TIMEOUT(writes->write(zxid) && writes->write(zxid)->committedMs, 5000);
    const ZabWrite& write = *writes->write(zxid);
    QCOMPARE(write.leader, leader);
    QVERIFY2(!write.acks.empty(), "no follower's ACK reached the table");
    QVERIFY(!write.acks.contains(leader));
    QVERIFY(write.quorumMs.has_value());
    QVERIFY(*write.committedMs >= write.proposedMs);
    QCOMPARE(writes->stateText(write), QStringLiteral("committed"));
    int row = -1;
    for (int r = 0; r < writes->rowCount(); ++r) {
        if (writes->row(r).zxid == zxid)
            row = r;
    }
    QVERIFY(row >= 0);
    const QString zxidText =
        QStringLiteral("%1:%2").arg(zk::zxidEpoch(zxid)).arg(zk::zxidCounter(zxid));
    QCOMPARE(writes->index(row, ZabWriteModel::ZxidColumn).data().toString(), zxidText);
    QCOMPARE(writes->index(row, ZabWriteModel::StateColumn).data().toString(),
             QStringLiteral("committed"));
    QVERIFY(writes->index(row, ZabWriteModel::AcksColumn)
                .data()
                .toString()
                .contains(QStringLiteral(" (+")));

    // The scene drew the same write travelling its links.
    QTRY_VERIFY_WITH_TIMEOUT(labels.contains(QStringLiteral("COMMIT ") + zxidText), 3000);
    QVERIFY(labels.contains(QStringLiteral("PROPOSAL ") + zxidText));
    QVERIFY(labels.contains(QStringLiteral("ACK ") + zxidText));
}

void ClusterDeliveryTest::viewButtonsPauseStepAndResume()
{
    QVERIFY(waitServing() != 0);
    ClusterView view(m_controller.get());
    QComboBox* speed = view.speedBox();
    QCOMPARE(speed->count(), 6);
    QCOMPARE(speed->itemText(5), QStringLiteral("1/100"));
    speed->setCurrentIndex(3);
    QCOMPARE(m_controller->electionDelay(), std::chrono::milliseconds(100)); // 1/10
    speed->setCurrentIndex(0);
    QCOMPARE(m_controller->electionDelay(), std::chrono::milliseconds(0));

    QPushButton* pause = view.pauseDeliveryButton();
    QPushButton* step = view.stepButton();
    QVERIFY(!step->isEnabled());
    QVERIFY(view.heldLabel()->isHidden());
    QTest::mouseClick(pause, Qt::LeftButton);
    QVERIFY(m_controller->deliveryHeld());
    QVERIFY(step->isEnabled());
    QCOMPARE(pause->text(), QStringLiteral("Resume delivery"));
    QVERIFY(!view.heldLabel()->isHidden());
    // The leader's pings to its followers are held at once; the strip names the next one.
    QTRY_VERIFY_WITH_TIMEOUT(view.heldLabel()->text().contains(QStringLiteral("zab: PING")), 3000);
    QVERIFY(view.heldLabel()->text().contains(QStringLiteral(" held")));
    QSignalSpy stepped(m_controller.get(), &ClusterController::stepped);
    QTest::mouseClick(step, Qt::LeftButton);
    QVERIFY(stepped.wait(5000));
    QVERIFY(!stepped.first().at(0).toString().isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(view.heldLabel()->text().contains(QStringLiteral("· 1 stepped ·")),
                             3000);
    QTest::mouseClick(pause, Qt::LeftButton);
    QVERIFY(!m_controller->deliveryHeld());
    QVERIFY(!step->isEnabled());
    QVERIFY(view.heldLabel()->isHidden());
    QCOMPARE(pause->text(), QStringLiteral("Pause delivery"));
    QTRY_COMPARE_WITH_TIMEOUT(m_controller->heldCount(), std::size_t{0}, 3000);
}

QTEST_MAIN(ClusterDeliveryTest)
#include "test_cluster_delivery.moc"
