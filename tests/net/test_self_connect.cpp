// Proves the two guards against TCP self-connection around servers that restart on the same
// port: connectedToItself tells a socket that met itself (simultaneous open on loopback, made
// here on purpose by binding the source port to the destination) from a real connection, and
// pickServerPort hands out ports that are free and outside the kernel's ephemeral range, so
// no outgoing connection is given one as its source while its server is down.

#include "net/free_port.h"
#include "net/listen.h"
#include "net/self_connect.h"

#include <QtTest>

#include <random>

using namespace zk;

class TestSelfConnect : public QObject
{
    Q_OBJECT

private slots:
    void aSocketConnectedToItselfIsRecognised()
    {
        std::mt19937_64 random(7);
        const auto port = pickServerPort("127.0.0.1", random);
        QVERIFY(port != 0);
        asio::io_context io;
        tcp::socket socket(io);
        const tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), port);
        socket.open(tcp::v4());
        socket.bind(endpoint);
        boost::system::error_code ec;
        socket.connect(endpoint, ec); // nobody listens: the SYN meets itself
        QVERIFY2(!ec, ec.message().c_str());
        QVERIFY(connectedToItself(socket));

        // What the guarded connectors would otherwise read: their own bytes.
        const std::string hello = "ping";
        asio::write(socket, asio::buffer(hello));
        std::string echoed(hello.size(), '\0');
        asio::read(socket, asio::buffer(echoed));
        QCOMPARE(echoed, hello);
    }

    void aConnectionToAListenerIsNot()
    {
        asio::io_context io;
        tcp::acceptor acceptor(io);
        QVERIFY(!listenOn(acceptor, "127.0.0.1", 0));
        tcp::socket client(io);
        client.connect(acceptor.local_endpoint());
        tcp::socket served = acceptor.accept();
        QVERIFY(!connectedToItself(client));
        QVERIFY(!connectedToItself(served));

        tcp::socket unconnected(io);
        QVERIFY(!connectedToItself(unconnected));
    }

    void serverPortsAvoidTheEphemeralRange()
    {
        const auto [low, high] = ephemeralPortRange();
        QVERIFY(low <= high);
        std::mt19937_64 random(11);
        for (int i = 0; i < 50; ++i) {
            const auto port = pickServerPort("127.0.0.1", random);
            QVERIFY(port != 0);
            QVERIFY2(port < low || port > high,
                     qPrintable(QStringLiteral("%1 is in %2-%3").arg(port).arg(low).arg(high)));
            QVERIFY(portFree("127.0.0.1", port));
        }
    }
};

QTEST_GUILESS_MAIN(TestSelfConnect)
#include "test_self_connect.moc"
