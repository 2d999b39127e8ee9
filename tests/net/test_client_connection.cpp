// Proves that a client connection closed while its write is in flight drops its queue once
// and nothing more: the write may already have succeeded in the kernel when close() runs,
// so its completion arrives with no error after the queue was emptied. Popping the frames
// it covered again corrupted the queue, and zoolab-server crashed when the connection was
// freed (kazoo's test_connection_dropped hangs up right after a 1 MB setData). Under the
// sanitizers in CI this fails at once without the guard.

#include "net/client_connection.h"
#include "net/listen.h"

#include <QtTest>

using namespace zk;

namespace {

struct RecordingOwner : ClientConnectionOwner
{
    void onFrame(ConnectionId, std::span<const std::uint8_t>, bool) override { ++frames; }
    void drainAfterFrames() override {}
    void onClosed(ConnectionId) override { ++closed; }
    std::string onFourLetterWord(const std::string&) override { return {}; }
    int frames = 0;
    int closed = 0;
};

// A connected pair on loopback: the server side (for ClientConnection) and the peer.
std::pair<tcp::socket, tcp::socket> connectedPair(asio::io_context& io)
{
    tcp::acceptor acceptor(io);
    if (listenOn(acceptor, "127.0.0.1", 0))
        qFatal("cannot listen on 127.0.0.1");
    tcp::socket peer(io);
    peer.connect(acceptor.local_endpoint());
    return {acceptor.accept(), std::move(peer)};
}

} // namespace

class TestClientConnection : public QObject
{
    Q_OBJECT

private slots:
    void closeWhileAWriteCompletesDropsTheQueueOnce()
    {
        for (int round = 0; round < 50; ++round) {
            asio::io_context io;
            RecordingOwner owner;
            auto [served, peer] = connectedPair(io);
            auto connection =
                std::make_shared<ClientConnection>(owner, std::move(served), 1, 1 << 20);
            // Small frames go out during the initiation of the write; its handler is queued.
            for (int i = 0; i < 3; ++i)
                connection->send(std::vector<std::uint8_t>(64 + round, std::uint8_t(i)), false);
            connection->close();
            connection->send(std::vector<std::uint8_t>(8, 9), false); // ignored: closed
            io.run();
            QCOMPARE(owner.closed, 1);
            connection.reset(); // frees the queue: it must be intact
            std::vector<std::uint8_t> got(4096);
            boost::system::error_code ec;
            std::size_t total = 0;
            for (;;) {
                const std::size_t n = peer.read_some(asio::buffer(got), ec);
                if (ec)
                    break;
                total += n;
            }
            // What reached the peer is some prefix of the three frames, never the late one.
            QVERIFY(total <= std::size_t(3 * (64 + round)));
        }
    }

    void theCoreClosingAfterAReplyKeepsServing()
    {
        // The normal path still works: queued frames are written, then a closing frame.
        asio::io_context io;
        RecordingOwner owner;
        auto [served, peer] = connectedPair(io);
        auto connection = std::make_shared<ClientConnection>(owner, std::move(served), 7, 1 << 20);
        connection->send(std::vector<std::uint8_t>{1, 2, 3}, false);
        connection->send(std::vector<std::uint8_t>{4, 5}, true);
        io.run();
        QCOMPARE(owner.closed, 1);
        std::vector<std::uint8_t> got(16);
        boost::system::error_code ec;
        std::size_t total = 0;
        while (!ec)
            total += peer.read_some(asio::buffer(got.data() + total, got.size() - total), ec);
        QCOMPARE(total, std::size_t{5});
        QCOMPARE(std::vector<std::uint8_t>(got.begin(), got.begin() + 5),
                 (std::vector<std::uint8_t>{1, 2, 3, 4, 5}));
    }
};

QTEST_GUILESS_MAIN(TestClientConnection)
#include "test_client_connection.moc"
