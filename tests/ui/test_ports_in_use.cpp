// Proves what the studio says when the embedded ensemble's client ports are taken: the
// message names the taken port, the offered ports are free and the ensemble starts on them,
// and the dialog (built, never exec'd) offers exactly those choices.

#include "controllers/embedded_cluster.h"
#include "controllers/port_offer.h"
#include "views/ports_in_use_dialog.h"

#include <QPushButton>
#include <QTest>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace zoolab;

namespace {

// A socket listening on 127.0.0.1:port, closed with the object.
struct Squatter
{
    explicit Squatter(std::uint16_t port)
    {
        fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(port);
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        listening = fd >= 0 &&
                    ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
                    ::listen(fd, 1) == 0;
    }
    ~Squatter()
    {
        if (fd >= 0)
            ::close(fd);
    }
    Squatter(const Squatter&) = delete;
    Squatter& operator=(const Squatter&) = delete;
    int fd = -1;
    bool listening = false;
};

} // namespace

class PortsInUseTest : public QObject
{
    Q_OBJECT
private slots:
    void namesTheTakenPortAndOffersFreeOnes();
    void noOfferWhenNothingIsTaken();
};

void PortsInUseTest::namesTheTakenPortAndOffersFreeOnes()
{
    // Three free ports in a row far from 2181-2183; someone listens on the middle one.
    const auto base = EmbeddedCluster::findFreePorts(23000, 3, 2000);
    QVERIFY(base);
    Squatter squatter(std::uint16_t(*base + 1));
    QVERIFY(squatter.listening);

    const PortOffer offer = makePortOffer(QStringLiteral("127.0.0.1"), *base, 3);
    QVERIFY(offer.needed());
    QCOMPARE(offer.taken, std::vector<std::uint16_t>{std::uint16_t(*base + 1)});
    const QString taken = QString::number(*base + 1);
    QVERIFY2(offer.problem().contains(
                 QStringLiteral("Port %1 on 127.0.0.1 is already in use").arg(taken)),
             qPrintable(offer.problem()));
    QVERIFY(offer.question().contains(offer.freeRange()));
    QCOMPARE(offer.takenConnectString(), QStringLiteral("127.0.0.1:%1").arg(taken));

    // The offer is free, past the squatter, and the ensemble starts there.
    QVERIFY(offer.freeBase);
    QVERIFY(*offer.freeBase > *base + 1);
    QVERIFY(EmbeddedCluster::portsInUse("127.0.0.1", *offer.freeBase, 3).empty());
    QCOMPARE(offer.freeRange(),
             QStringLiteral("%1–%2").arg(*offer.freeBase).arg(*offer.freeBase + 2));

    PortsInUseDialog dialog(offer);
    QCOMPARE(dialog.text(), offer.question());
    QVERIFY(dialog.useFreeButton());
    QVERIFY(dialog.useFreeButton()->text().contains(offer.freeRange()));
    QVERIFY(dialog.connectThereButton()->text().contains(offer.takenConnectString()));
    QCOMPARE(dialog.choice(), PortsInUseDialog::Choice::None);
    dialog.show();
    QTest::mouseClick(dialog.useFreeButton(), Qt::LeftButton);
    QCOMPARE(dialog.choice(), PortsInUseDialog::Choice::FreePorts);

    EmbeddedCluster::Options options;
    options.basePort = *offer.freeBase;
    EmbeddedCluster cluster(options);
    QVERIFY2(!cluster.start(), cluster.lastError().c_str());
    const auto nodes = cluster.nodes();
    QCOMPARE(nodes.size(), std::size_t(3));
    for (int i = 0; i < 3; ++i)
        QCOMPARE(nodes[std::size_t(i)].clientPort, std::uint16_t(*offer.freeBase + i));
    QCOMPARE(QString::fromStdString(cluster.connectString()),
             QStringLiteral("127.0.0.1:%1,127.0.0.1:%2,127.0.0.1:%3")
                 .arg(*offer.freeBase)
                 .arg(*offer.freeBase + 1)
                 .arg(*offer.freeBase + 2));
    // Still taken by the squatter: starting on the original ports fails naming it.
    EmbeddedCluster::Options clash;
    clash.basePort = *base;
    EmbeddedCluster blocked(clash);
    QVERIFY(blocked.start());
    QVERIFY2(QString::fromStdString(blocked.lastError()).contains(taken),
             blocked.lastError().c_str());
}

void PortsInUseTest::noOfferWhenNothingIsTaken()
{
    const auto base = EmbeddedCluster::findFreePorts(24000, 3, 2000);
    QVERIFY(base);
    const PortOffer offer = makePortOffer(QStringLiteral("127.0.0.1"), *base, 3);
    QVERIFY(!offer.needed());
    QVERIFY(!offer.freeBase);
    QVERIFY(!makePortOffer(QStringLiteral("127.0.0.1"), 0, 3).needed());
}

QTEST_MAIN(PortsInUseTest)
#include "test_ports_in_use.moc"
