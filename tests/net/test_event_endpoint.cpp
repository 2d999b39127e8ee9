// The JSON-lines event endpoint: a subscriber gets the recent events first, then new ones,
// one JSON object per line with the documented fields.
#include "net/event_endpoint.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include <boost/asio.hpp>

#include <thread>

using namespace zk;
using namespace std::chrono_literals;

namespace {

std::vector<QJsonObject> readLines(std::uint16_t port, std::size_t count)
{
    boost::asio::io_context io;
    boost::asio::ip::tcp::socket socket(io);
    socket.connect({boost::asio::ip::make_address("127.0.0.1"), port});
    boost::asio::streambuf buffer;
    std::vector<QJsonObject> out;
    while (out.size() < count) {
        boost::asio::read_until(socket, buffer, '\n');
        std::istream in(&buffer);
        std::string line;
        std::getline(in, line);
        out.push_back(QJsonDocument::fromJson(QByteArray::fromStdString(line)).object());
    }
    return out;
}

} // namespace

class EventEndpointTest : public QObject
{
    Q_OBJECT
private slots:
    void streamsEventsAsJsonLines()
    {
        EventEndpoint endpoint("127.0.0.1", 0);
        QVERIFY(!endpoint.start());
        PeerEvent state;
        state.kind = PeerEvent::Kind::StateChanged;
        state.sid = 2;
        state.state = ServerState::Leading;
        state.text = "elected";
        endpoint.publish(state);
        std::this_thread::sleep_for(50ms);

        PeerEvent vote;
        vote.kind = PeerEvent::Kind::Election;
        vote.sid = 1;
        vote.election = VoteSent{3, Notification{0, 2, 0x100000005, 4, 1}};
        std::thread later([&] {
            std::this_thread::sleep_for(100ms);
            endpoint.publish(vote);
        });
        const auto lines = readLines(endpoint.port(), 2);
        later.join();
        QCOMPARE(lines[0]["kind"].toString(), QString("StateChanged"));
        QCOMPARE(lines[0]["state"].toString(), QString("LEADING"));
        QCOMPARE(lines[0]["sid"].toInt(), 2);
        QCOMPARE(lines[1]["event"].toString(), QString("VoteSent"));
        QCOMPARE(lines[1]["to"].toInt(), 3);
        QCOMPARE(lines[1]["leader"].toInt(), 2);
        QCOMPARE(lines[1]["zxid"].toString(), QString("0x100000005"));
        QCOMPARE(lines[1]["electionEpoch"].toInt(), 4);
        QCOMPARE(lines[1]["state"].toString(), QString("LOOKING"));
        QVERIFY(lines[1]["line"].toString().contains("VoteSent"));
        endpoint.stop();
    }
};

QTEST_GUILESS_MAIN(EventEndpointTest)
#include "test_event_endpoint.moc"
