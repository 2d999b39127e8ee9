#include "models/znode_kind.h"

#include "core/ids.h"

#include <QDateTime>

#include <limits>

namespace zoolab {

namespace {
constexpr std::int64_t ttlMarkMask = std::int64_t(0xFF) << 56;
} // namespace

ZnodeKind kindOf(const zk::Stat& stat)
{
    const std::int64_t owner = stat.ephemeralOwner;
    if (owner == 0)
        return ZnodeKind::Persistent;
    if (owner == std::numeric_limits<std::int64_t>::min())
        return ZnodeKind::Container;
    if ((owner & ttlMarkMask) == ttlMarkMask)
        return ZnodeKind::Ttl;
    return ZnodeKind::Ephemeral;
}

std::int64_t ttlMsOf(const zk::Stat& stat)
{
    if (kindOf(stat) != ZnodeKind::Ttl)
        return -1;
    return stat.ephemeralOwner & ~ttlMarkMask;
}

bool looksSequential(std::string_view name)
{
    if (name.size() < 10)
        return false;
    for (std::size_t i = name.size() - 10; i < name.size(); ++i) {
        if (name[i] < '0' || name[i] > '9')
            return false;
    }
    return true;
}

QString kindName(ZnodeKind kind, bool sequential)
{
    QString text;
    switch (kind) {
    case ZnodeKind::Persistent:
        text = QStringLiteral("persistent");
        break;
    case ZnodeKind::Ephemeral:
        text = QStringLiteral("ephemeral");
        break;
    case ZnodeKind::Container:
        text = QStringLiteral("container");
        break;
    case ZnodeKind::Ttl:
        text = QStringLiteral("persistent with TTL");
        break;
    }
    if (sequential)
        text += QStringLiteral(", sequential");
    return text;
}

QString formatZxid(zk::Zxid zxid)
{
    const auto epoch = zk::zxidEpoch(zxid);
    const auto counter = zk::zxidCounter(zxid);
    return QStringLiteral("0x%1  (epoch %2 : counter %3)")
        .arg(quint64(zxid), 0, 16)
        .arg(epoch)
        .arg(counter);
}

QString formatMillis(std::int64_t epochMs)
{
    if (epochMs == 0)
        return QStringLiteral("—");
    const QDateTime time = QDateTime::fromMSecsSinceEpoch(epochMs);
    return QStringLiteral("%1  (%2)")
        .arg(time.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz")))
        .arg(epochMs);
}

QString formatBytes(qint64 bytes)
{
    if (bytes < 1024)
        return QStringLiteral("%1 B").arg(bytes);
    if (bytes < 1024 * 1024)
        return QStringLiteral("%1 KiB").arg(bytes / 1024.0, 0, 'f', 1);
    return QStringLiteral("%1 MiB").arg(bytes / (1024.0 * 1024.0), 0, 'f', 1);
}

} // namespace zoolab
