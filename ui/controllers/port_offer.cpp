#include "controllers/port_offer.h"

#include "controllers/embedded_cluster.h"

#include <QStringList>

namespace zoolab {

PortOffer makePortOffer(const QString& host, std::uint16_t basePort, int count)
{
    PortOffer offer;
    offer.host = host;
    offer.basePort = basePort;
    offer.count = count;
    if (basePort == 0)
        return offer; // any free ports: nothing can be taken
    offer.taken = EmbeddedCluster::portsInUse(host.toStdString(), basePort, count);
    if (!offer.taken.empty()) {
        // Start past the last taken one, so the offer does not overlap the busy server.
        const int from = int(offer.taken.back()) + 1;
        if (from + count - 1 <= 65535)
            offer.freeBase = EmbeddedCluster::findFreePorts(std::uint16_t(from), count);
    }
    return offer;
}

QString PortOffer::problem() const
{
    QStringList ports;
    for (std::uint16_t port : taken)
        ports << QString::number(port);
    const bool one = taken.size() == 1;
    return QStringLiteral("%1 %2 on %3 %4 already in use (another ZooKeeper server?)")
        .arg(one ? QStringLiteral("Port") : QStringLiteral("Ports"),
             ports.join(QStringLiteral(", ")), host,
             one ? QStringLiteral("is") : QStringLiteral("are"));
}

QString PortOffer::question() const
{
    QString text = problem() + QStringLiteral(". The embedded ensemble needs %1 client ports in a "
                                              "row from %2.")
                                   .arg(count)
                                   .arg(basePort);
    if (freeBase)
        text += QStringLiteral(" Ports %1 are free.").arg(freeRange());
    else
        text += QStringLiteral(" No free ports were found nearby.");
    return text;
}

QString PortOffer::freeRange() const
{
    if (!freeBase)
        return {};
    return QStringLiteral("%1–%2").arg(*freeBase).arg(*freeBase + count - 1);
}

QString PortOffer::takenConnectString() const
{
    QStringList hosts;
    for (std::uint16_t port : taken)
        hosts << QStringLiteral("%1:%2").arg(host).arg(port);
    return hosts.join(QLatin1Char(','));
}

} // namespace zoolab
