// Proves the live election on 127.0.0.1: three ElectionNodes over real TCP elect one leader,
// a link filter that cuts one server away leaves the other two to elect among themselves and
// the cut server follows them after the heal, and a raw handshake from a smaller sid is
// refused and dialled back.
#include "core/assert.h"
#include "net/election_node.h"

#include <QtTest>

#include <chrono>
#include <memory>
#include <thread>

using namespace std::chrono_literals;

namespace {

struct Cluster
{
    std::shared_ptr<zk::LinkFilter> filter = std::make_shared<zk::LinkFilter>();
    std::vector<std::unique_ptr<zk::ElectionNode>> nodes;

    explicit Cluster(int count)
    {
        std::vector<zk::Sid> voters;
        for (int i = 1; i <= count; ++i)
            voters.push_back(i);
        for (zk::Sid sid : voters) {
            zk::ElectionConfig config{.myId = sid,
                                      .quorum = zk::QuorumVerifier::majority(voters),
                                      .tickMs = 10,
                                      .finalizeWaitMs = 200,
                                      .minNotificationIntervalMs = 200,
                                      .maxNotificationIntervalMs = 400,
                                      .configData = {'v', '=', '0'}};
            nodes.push_back(std::make_unique<zk::ElectionNode>(
                zk::ElectionNodeOptions{.election = std::move(config), .filter = filter}));
        }
        for (auto& node : nodes)
            ZK_ASSERT(!node->listen());
        for (auto& node : nodes) {
            for (std::size_t j = 0; j < nodes.size(); ++j)
                node->setPeer(zk::Sid(j + 1), "127.0.0.1", nodes[j]->port());
        }
    }

    zk::ElectionNode& node(zk::Sid sid) { return *nodes.at(std::size_t(sid - 1)); }

    // Waits until every listed node decided; false after `timeout`.
    bool waitDecided(std::vector<zk::Sid> sids, std::chrono::milliseconds timeout)
    {
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        while (std::chrono::steady_clock::now() < deadline) {
            bool all = true;
            for (zk::Sid sid : sids)
                all = all && node(sid).decision().has_value();
            if (all)
                return true;
            std::this_thread::sleep_for(10ms);
        }
        return false;
    }
};

QByteArray eventsOf(zk::ElectionNode& node)
{
    QByteArray text;
    for (const auto& e : node.events())
        text += QByteArray::fromStdString(e) + "\n";
    return text;
}

} // namespace

class ElectionTransportTest : public QObject
{
    Q_OBJECT
private slots:
    void threeNodesElectOnLoopback()
    {
        Cluster cluster(3);
        for (auto& node : cluster.nodes)
            node->start();
        QVERIFY2(cluster.waitDecided({1, 2, 3}, 10s), eventsOf(cluster.node(1)));
        for (zk::Sid sid : {1, 2, 3})
            QCOMPARE(cluster.node(sid).decision()->vote.id, zk::Sid{3});
        QCOMPARE(int(cluster.node(3).state()), int(zk::ServerState::Leading));
        QCOMPARE(int(cluster.node(1).state()), int(zk::ServerState::Following));
    }

    void cutServerIsLeftOutThenFollows()
    {
        Cluster cluster(3);
        cluster.filter->cutBoth(3, 1);
        cluster.filter->cutBoth(3, 2);
        for (auto& node : cluster.nodes)
            node->start();
        QVERIFY2(cluster.waitDecided({1, 2}, 10s), eventsOf(cluster.node(1)));
        QCOMPARE(cluster.node(1).decision()->vote.id, zk::Sid{2});
        QCOMPARE(int(cluster.node(2).state()), int(zk::ServerState::Leading));
        std::this_thread::sleep_for(300ms);
        QCOMPARE(int(cluster.node(3).state()), int(zk::ServerState::Looking));
        cluster.filter->heal();
        QVERIFY2(cluster.waitDecided({3}, 10s), eventsOf(cluster.node(3)));
        QCOMPARE(cluster.node(3).decision()->vote.id, zk::Sid{2});
        QVERIFY(cluster.node(3).decision()->outOfElection);
    }

    void slowLinkStillElects()
    {
        Cluster cluster(3);
        for (zk::Sid a : {1, 2, 3}) {
            for (zk::Sid b : {1, 2, 3}) {
                if (a != b)
                    cluster.filter->setDelay(a, b, 50ms);
            }
        }
        for (auto& node : cluster.nodes)
            node->start();
        QVERIFY2(cluster.waitDecided({1, 2, 3}, 15s), eventsOf(cluster.node(1)));
        QCOMPARE(cluster.node(2).decision()->vote.id, zk::Sid{3});
    }

    void smallerSidHandshakeIsDialledBack()
    {
        // A fake server 1 connects to node 2 (of a 2-node ensemble) with a V1 handshake: node 2
        // closes that connection and dials 1's election port, where the fake one listens.
        zk::asio::io_context io;
        zk::tcp::acceptor fakeListener(
            io, zk::tcp::endpoint(zk::asio::ip::make_address("127.0.0.1"), 0));
        const auto fakePort = fakeListener.local_endpoint().port();
        zk::ElectionNode node(
            zk::ElectionNodeOptions{.election = {.myId = 2,
                                                 .quorum = zk::QuorumVerifier::majority({1, 2}),
                                                 .tickMs = 10,
                                                 .configData = {}}});
        QVERIFY(!node.listen());
        node.setPeer(1, "127.0.0.1", fakePort);

        zk::tcp::socket out(io);
        out.connect(zk::tcp::endpoint(zk::asio::ip::make_address("127.0.0.1"), node.port()));
        const auto hello = zk::encodeElectionHandshake(
            {.protocolVersion = zk::kElectionProtocolV1, .sid = 1, .address = "127.0.0.1:1"});
        zk::asio::write(out, zk::asio::buffer(hello));
        node.start(); // Its first notifications also go to sid 1.

        zk::tcp::socket in(io);
        fakeListener.accept(in); // The dial-back from 2.
        std::vector<std::uint8_t> head(8 + 8 + 4);
        zk::asio::read(in, zk::asio::buffer(head));
        const auto partial = zk::decodeElectionHandshake(head);
        QCOMPARE(int(partial.status), int(zk::DecodeStatus::NeedMore));
        const std::size_t length = head[19];
        std::vector<std::uint8_t> rest(length);
        zk::asio::read(in, zk::asio::buffer(rest));
        head.insert(head.end(), rest.begin(), rest.end());
        const auto handshake = zk::decodeElectionHandshake(head);
        QCOMPARE(int(handshake.status), int(zk::DecodeStatus::Ok));
        QCOMPARE(handshake.handshake.sid, zk::Sid{2});
        QCOMPARE(QString::fromStdString(handshake.handshake.address),
                 QStringLiteral("127.0.0.1:%1").arg(node.port()));

        // Then a framed notification: 2's own LOOKING vote in round 1.
        std::array<std::uint8_t, 4> lengthBytes{};
        zk::asio::read(in, zk::asio::buffer(lengthBytes));
        const auto frameLength = (std::size_t{lengthBytes[2]} << 8) | lengthBytes[3];
        std::vector<std::uint8_t> payload(frameLength);
        zk::asio::read(in, zk::asio::buffer(payload));
        const auto n = zk::decodeNotification(payload);
        QVERIFY(n.has_value());
        QCOMPARE(n->state, 0);
        QCOMPARE(n->leader, zk::Sid{2});
        QCOMPARE(n->electionEpoch, zk::Epoch{1});
        node.stop();
    }
};

QTEST_APPLESS_MAIN(ElectionTransportTest)
#include "test_election_transport.moc"
