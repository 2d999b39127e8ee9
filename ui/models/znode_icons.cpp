#include "models/znode_icons.h"

#include <QFile>
#include <QHash>
#include <QPainter>
#include <QPixmap>

namespace zoolab {

namespace {

QColor kindColor(ZnodeKind kind)
{
    switch (kind) {
    case ZnodeKind::Persistent:
        return QColor(0x3b, 0x82, 0xf6);
    case ZnodeKind::Ephemeral:
        return QColor(0xf5, 0x9e, 0x0b);
    case ZnodeKind::Container:
        return QColor(0x10, 0xb9, 0x81);
    case ZnodeKind::Ttl:
        return QColor(0xa8, 0x55, 0xf7);
    }
    return Qt::gray;
}

// `ring`: a white outer ring, so the icon stays visible on a selection highlight of its own
// colour (the persistent blue on the selection blue).
QPixmap drawIcon(int size, const QColor& color, bool filled, bool sequential, bool dashed,
                 bool ring = false)
{
    QPixmap pixmap(size, size);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    const qreal margin = size * 0.18;
    QRectF disc(margin, margin, size - 2 * margin, size - 2 * margin);
    QPen pen(color.darker(130), size / 12.0);
    if (dashed)
        pen.setStyle(Qt::DotLine);
    painter.setPen(pen);
    painter.setBrush(filled ? QBrush(color) : QBrush(Qt::NoBrush));
    painter.drawEllipse(disc);
    if (ring) {
        painter.setPen(QPen(Qt::white, size / 10.0));
        painter.setBrush(Qt::NoBrush);
        painter.drawEllipse(disc.adjusted(-size / 20.0, -size / 20.0, size / 20.0, size / 20.0));
    }
    if (sequential) {
        QFont font = painter.font();
        font.setPixelSize(int(size * 0.55));
        font.setBold(true);
        painter.setFont(font);
        painter.setPen(Qt::white);
        painter.drawText(disc, Qt::AlignCenter, QStringLiteral("#"));
    }
    return pixmap;
}

} // namespace

QIcon znodeIcon(ZnodeKind kind, bool sequential)
{
    static QHash<int, QIcon> cache;
    const int key = int(kind) * 2 + (sequential ? 1 : 0);
    auto it = cache.find(key);
    if (it != cache.end())
        return *it;
    QIcon icon;
    for (int size : {16, 24, 32}) {
        icon.addPixmap(drawIcon(size, kindColor(kind), true, sequential, false));
        icon.addPixmap(drawIcon(size, kindColor(kind), true, sequential, false, true),
                       QIcon::Selected);
    }
    cache.insert(key, icon);
    return icon;
}

QIcon unknownZnodeIcon()
{
    static const QIcon icon = [] {
        QIcon result;
        for (int size : {16, 24, 32}) {
            result.addPixmap(drawIcon(size, QColor(0x9c, 0xa3, 0xaf), false, false, true));
            result.addPixmap(drawIcon(size, QColor(0x9c, 0xa3, 0xaf), false, false, true, true),
                             QIcon::Selected);
        }
        return result;
    }();
    return icon;
}

QIcon appIcon()
{
    QIcon icon;
    for (int size : {16, 32, 48, 64, 128, 256}) {
        const QString path = QStringLiteral(":/icons/zoolab-%1.png").arg(size);
        if (QFile::exists(path))
            icon.addFile(path, QSize(size, size));
    }
    return icon;
}

} // namespace zoolab
