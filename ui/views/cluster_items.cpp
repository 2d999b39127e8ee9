#include "views/cluster_items.h"

#include "models/studio_colors.h"

#include <QApplication>
#include <QGraphicsSceneMouseEvent>
#include <QPainter>
#include <QPainterPathStroker>

#include <algorithm>
#include <cmath>

namespace zoolab {

namespace {

QPalette palette()
{
    return QApplication::palette();
}

QFont font(qreal points, bool bold = false)
{
    QFont f = QApplication::font();
    f.setPointSizeF(points);
    f.setBold(bold);
    return f;
}

// A rounded label centred on `center`.
QRectF pillRect(const QString& text, const QFont& f, const QPointF& center)
{
    const QFontMetricsF metrics(f);
    const qreal w = metrics.horizontalAdvance(text) + 14;
    const qreal h = metrics.height() + 4;
    return QRectF(center.x() - w / 2, center.y() - h / 2, w, h);
}

} // namespace

QColor sidColor(zk::Sid sid)
{
    static const QColor colors[] = {QColor(0x08, 0x91, 0xb2), QColor(0x4f, 0x46, 0xe5),
                                    QColor(0xdb, 0x27, 0x77), QColor(0x65, 0xa3, 0x0d),
                                    QColor(0xea, 0x58, 0x0c), QColor(0x93, 0x33, 0xea)};
    const auto count = std::size(colors);
    return colors[std::size_t(std::max<zk::Sid>(sid - 1, 0)) % count];
}

ButtonItem::ButtonItem(const QString& text, QGraphicsItem* parent)
    : QGraphicsItem(parent), m_text(text)
{
    setAcceptHoverEvents(true);
    setAcceptedMouseButtons(Qt::LeftButton);
    setCursor(Qt::PointingHandCursor);
}

void ButtonItem::setText(const QString& text)
{
    if (text == m_text)
        return;
    m_text = text;
    update();
}

void ButtonItem::click()
{
    if (m_onClick)
        m_onClick();
}

QRectF ButtonItem::boundingRect() const
{
    return QRectF(0, 0, 72, 24);
}

void ButtonItem::paint(QPainter* painter, const QStyleOptionGraphicsItem*, QWidget*)
{
    const QPalette pal = palette();
    painter->setRenderHint(QPainter::Antialiasing);
    QColor fill = m_hover ? pal.color(QPalette::Highlight) : pal.color(QPalette::Button);
    painter->setPen(QPen(pal.color(QPalette::Mid), 1));
    painter->setBrush(fill);
    painter->drawRoundedRect(boundingRect().adjusted(0.5, 0.5, -0.5, -0.5), 5, 5);
    painter->setPen(m_hover ? pal.color(QPalette::HighlightedText)
                            : pal.color(QPalette::ButtonText));
    painter->setFont(font(9));
    painter->drawText(boundingRect(), Qt::AlignCenter, m_text);
}

void ButtonItem::hoverEnterEvent(QGraphicsSceneHoverEvent*)
{
    m_hover = true;
    update();
}

void ButtonItem::hoverLeaveEvent(QGraphicsSceneHoverEvent*)
{
    m_hover = false;
    update();
}

void ButtonItem::mousePressEvent(QGraphicsSceneMouseEvent* event)
{
    event->accept();
}

void ButtonItem::mouseReleaseEvent(QGraphicsSceneMouseEvent* event)
{
    if (boundingRect().contains(event->pos()))
        click();
}

NodeItem::NodeItem(zk::Sid sid) : m_sid(sid)
{
    m_node.sid = sid;
    m_kill = new ButtonItem(QStringLiteral("Kill"), this);
    m_pause = new ButtonItem(QStringLiteral("Pause"), this);
    m_kill->setPos(-width / 2 + 12, height / 2 - 32);
    m_pause->setPos(-width / 2 + 12 + 80, height / 2 - 32);
    m_flash.setStartValue(0.0);
    m_flash.setEndValue(1.0);
    m_flash.setDuration(2600);
    connect(&m_flash, &QVariantAnimation::valueChanged, this, [this] { update(); });
    connect(&m_flash, &QVariantAnimation::finished, this, [this] {
        m_flashCaption.clear();
        update();
    });
    setZValue(1);
}

void NodeItem::setNode(const ClusterNode& node)
{
    m_node = node;
    m_role = ClusterModel::roleOf(node);
    m_kill->setText(node.running ? QStringLiteral("Kill") : QStringLiteral("Restart"));
    m_pause->setText(node.paused ? QStringLiteral("Resume") : QStringLiteral("Pause"));
    m_pause->setVisible(node.running);
    setToolTip(QStringLiteral("Server %1 (%2)").arg(m_sid).arg(ClusterModel::roleName(m_role)));
    update();
}

void NodeItem::flash(const QString& caption, const QColor& color)
{
    m_flashCaption = caption;
    m_flashColor = color;
    m_flash.stop();
    m_flash.start();
    update();
}

QPointF NodeItem::edgeToward(const QPointF& target) const
{
    const QPointF center = pos();
    const QPointF d = target - center;
    if (std::abs(d.x()) < 1e-6 && std::abs(d.y()) < 1e-6)
        return center;
    const qreal halfW = width / 2 + 6;
    const qreal halfH = height / 2 + 6;
    const qreal tx = std::abs(d.x()) > 1e-6 ? halfW / std::abs(d.x()) : 1e9;
    const qreal ty = std::abs(d.y()) > 1e-6 ? halfH / std::abs(d.y()) : 1e9;
    return center + d * std::min(tx, ty);
}

QRectF NodeItem::boundingRect() const
{
    // The card, its flash ring and the caption above it.
    return QRectF(-width / 2 - 16, -height / 2 - 34, width + 32, height + 50);
}

QStringList NodeItem::lines() const
{
    QStringList out;
    const QString port =
        m_node.clientPort ? QStringLiteral("client port %1").arg(m_node.clientPort) : QString();
    if (m_role == NodeRole::Down) {
        out << QStringLiteral("killed: its dataDir is kept") << port
            << QStringLiteral("Restart recovers it from disk");
        return out;
    }
    const zk::QuorumStatus status = m_node.status.value_or(zk::QuorumStatus{});
    out << QStringLiteral("epoch %1 · zxid %2")
               .arg(status.currentEpoch)
               .arg(ClusterModel::zxidText(status.lastZxid));
    out << QStringLiteral("clients %1 · sessions %2 · znodes %3")
               .arg(status.clientConnections)
               .arg(status.sessions)
               .arg(status.znodes);
    out << QStringLiteral("%1 · %2").arg(port,
                                         QString::fromStdString(zk::zabPhaseName(status.phase)));
    return out;
}

void NodeItem::paint(QPainter* painter, const QStyleOptionGraphicsItem*, QWidget*)
{
    const QPalette pal = palette();
    const bool dark = isDarkPalette(pal);
    const QColor roleColor = ClusterModel::roleColor(m_role);
    const QRectF card(-width / 2, -height / 2, width, height);
    painter->setRenderHint(QPainter::Antialiasing);

    if (m_flash.state() == QAbstractAnimation::Running) {
        const qreal t = m_flash.currentValue().toReal();
        QColor ring = m_flashColor;
        ring.setAlphaF(float(std::max(0.0, 1.0 - t)));
        painter->setPen(QPen(ring, 5));
        painter->setBrush(Qt::NoBrush);
        const qreal grow = 4 + 8 * t;
        painter->drawRoundedRect(card.adjusted(-grow, -grow, grow, grow), 14, 14);
    }

    QColor body = pal.color(QPalette::Base);
    if (m_role == NodeRole::Down)
        body = pal.color(QPalette::Window);
    QPen border(roleColor, 2);
    if (m_role == NodeRole::Down)
        border.setStyle(Qt::DashLine);
    painter->setPen(border);
    painter->setBrush(body);
    painter->drawRoundedRect(card, 10, 10);

    // Header band in the role's colour.
    const QRectF header(card.left(), card.top(), card.width(), 32);
    QPainterPath band;
    band.setFillRule(Qt::WindingFill);
    band.addRoundedRect(header, 10, 10);
    band.addRect(header.adjusted(0, 12, 0, 0));
    painter->setPen(Qt::NoPen);
    painter->setBrush(roleColor);
    painter->drawPath(band.simplified());
    painter->setPen(Qt::white);
    painter->setFont(font(11.5, true));
    painter->drawText(header.adjusted(12, 0, -12, 0), Qt::AlignVCenter | Qt::AlignLeft,
                      QStringLiteral("server %1").arg(m_sid));
    painter->setFont(font(10.5, true));
    painter->drawText(header.adjusted(12, 0, -12, 0), Qt::AlignVCenter | Qt::AlignRight,
                      ClusterModel::roleName(m_role));

    // Body: status lines, then the vote (in the colour of the server it names) and the sync.
    const QColor text =
        m_role == NodeRole::Down ? pal.color(QPalette::PlaceholderText) : pal.color(QPalette::Text);
    painter->setFont(font(9.5));
    qreal y = header.bottom() + 6;
    const qreal lineH = 19;
    for (const QString& line : lines()) {
        painter->setPen(text);
        painter->drawText(QRectF(card.left() + 12, y, card.width() - 24, lineH),
                          Qt::AlignVCenter | Qt::AlignLeft, line);
        y += lineH;
    }
    if (m_role != NodeRole::Down) {
        if (m_node.vote) {
            const QColor voteColor = sidColor(m_node.vote->id);
            painter->setPen(dark ? voteColor.lighter(150) : voteColor);
            painter->setFont(font(9.5, true));
            const QString vote = QStringLiteral("vote %1").arg(
                ClusterModel::voteText(m_node.vote->id, m_node.vote->zxid, m_node.vote->peerEpoch));
            painter->drawText(QRectF(card.left() + 12, y, card.width() - 24, lineH),
                              Qt::AlignVCenter | Qt::AlignLeft, vote);
            if (!m_node.voteRule.isEmpty()) {
                painter->setFont(font(9));
                painter->drawText(QRectF(card.left() + 12, y + lineH, card.width() - 24, lineH),
                                  Qt::AlignVCenter | Qt::AlignLeft,
                                  QStringLiteral("  why: ") + m_node.voteRule);
            }
        }
        y += 2 * lineH;
        QString last;
        if (m_role == NodeRole::Leading && m_node.status) {
            QStringList learners;
            for (zk::Sid sid : m_node.status->syncedLearners)
                learners << QString::number(sid);
            last = learners.isEmpty()
                       ? QStringLiteral("no follower synced")
                       : QStringLiteral("followers synced: %1").arg(learners.join(", "));
        } else if (!m_node.syncMode.isEmpty() && m_role == NodeRole::Following) {
            last =
                QStringLiteral("synced by %1 from %2").arg(m_node.syncMode).arg(m_node.syncLeader);
        } else {
            last = m_node.electionText;
        }
        painter->setFont(font(9.5));
        painter->setPen(text);
        painter->drawText(QRectF(card.left() + 12, y, card.width() - 24, lineH),
                          Qt::AlignVCenter | Qt::AlignLeft, last);
    }

    if (!m_flashCaption.isEmpty()) {
        const QFont f = font(9.5, true);
        const QRectF pill = pillRect(m_flashCaption, f, QPointF(0, card.top() - 16));
        QColor fill = m_flashColor;
        const qreal t = m_flash.currentValue().toReal();
        fill.setAlphaF(float(std::clamp(1.6 - 1.6 * t, 0.0, 1.0)));
        painter->setPen(Qt::NoPen);
        painter->setBrush(fill);
        painter->drawRoundedRect(pill, pill.height() / 2, pill.height() / 2);
        QColor ink = Qt::white;
        ink.setAlphaF(fill.alphaF());
        painter->setPen(ink);
        painter->setFont(f);
        painter->drawText(pill, Qt::AlignCenter, m_flashCaption);
    }
}

LinkItem::LinkItem(zk::Sid a, zk::Sid b) : m_a(a), m_b(b)
{
    setAcceptHoverEvents(true);
    setAcceptedMouseButtons(Qt::LeftButton);
    setCursor(Qt::PointingHandCursor);
    setZValue(0);
    updateToolTip();
}

void LinkItem::setEnds(const QPointF& from, const QPointF& to)
{
    prepareGeometryChange();
    m_from = from;
    m_to = to;
}

void LinkItem::setState(LinkState state, int delayMs)
{
    if (state == m_state && delayMs == m_delayMs)
        return;
    m_state = state;
    m_delayMs = delayMs;
    updateToolTip();
    update();
}

void LinkItem::updateToolTip()
{
    const QString what = m_state == LinkState::Cut
                             ? QStringLiteral("cut: click to heal it")
                             : QStringLiteral("click to cut it (both directions)");
    setToolTip(QStringLiteral("Link %1 – %2: %3").arg(m_a).arg(m_b).arg(what));
}

QRectF LinkItem::boundingRect() const
{
    return QRectF(m_from, m_to).normalized().adjusted(-60, -24, 60, 24);
}

QPainterPath LinkItem::shape() const
{
    QPainterPath line(m_from);
    line.lineTo(m_to);
    QPainterPathStroker stroker;
    stroker.setWidth(20);
    return stroker.createStroke(line);
}

void LinkItem::paint(QPainter* painter, const QStyleOptionGraphicsItem*, QWidget*)
{
    const QPalette pal = palette();
    painter->setRenderHint(QPainter::Antialiasing);
    QPen pen;
    switch (m_state) {
    case LinkState::Up:
        pen = QPen(pal.color(QPalette::Text), m_hover ? 3.5 : 2);
        pen.setColor(QColor(pen.color().red(), pen.color().green(), pen.color().blue(), 150));
        break;
    case LinkState::Down:
        pen = QPen(pal.color(QPalette::PlaceholderText), 2, Qt::DotLine);
        break;
    case LinkState::Cut:
        pen = QPen(QColor(0xdc, 0x26, 0x26), m_hover ? 4 : 3, Qt::DashLine);
        break;
    }
    painter->setPen(pen);
    painter->drawLine(m_from, m_to);
    const QPointF middle = (m_from + m_to) / 2;
    if (m_state == LinkState::Cut) {
        const QFont f = font(9.5, true);
        const QRectF pill = pillRect(QStringLiteral("✂ cut"), f, middle);
        painter->setPen(Qt::NoPen);
        painter->setBrush(QColor(0xdc, 0x26, 0x26));
        painter->drawRoundedRect(pill, pill.height() / 2, pill.height() / 2);
        painter->setPen(Qt::white);
        painter->setFont(f);
        painter->drawText(pill, Qt::AlignCenter, QStringLiteral("✂ cut"));
    } else if (m_delayMs > 0) {
        const QFont f = font(8.5);
        const QString text = QStringLiteral("slow: %1 s").arg(m_delayMs / 1000.0, 0, 'f', 1);
        const QRectF pill = pillRect(text, f, middle);
        painter->setPen(QPen(pal.color(QPalette::Mid), 1));
        painter->setBrush(pal.color(QPalette::Base));
        painter->drawRoundedRect(pill, pill.height() / 2, pill.height() / 2);
        painter->setPen(pal.color(QPalette::Text));
        painter->setFont(f);
        painter->drawText(pill, Qt::AlignCenter, text);
    }
}

void LinkItem::hoverEnterEvent(QGraphicsSceneHoverEvent*)
{
    m_hover = true;
    update();
}

void LinkItem::hoverLeaveEvent(QGraphicsSceneHoverEvent*)
{
    m_hover = false;
    update();
}

void LinkItem::mousePressEvent(QGraphicsSceneMouseEvent* event)
{
    event->accept();
}

void LinkItem::mouseReleaseEvent(QGraphicsSceneMouseEvent* event)
{
    if (shape().contains(event->pos()) && m_onClick)
        m_onClick();
}

MessageItem::MessageItem(const QString& label, const QColor& color, bool badge)
    : m_label(label), m_color(color), m_badge(badge)
{
    m_rect = pillRect(text(), font(badge ? 9.5 : 8.5, true), QPointF(0, 0));
    setZValue(badge ? 3 : 2);
    setAcceptedMouseButtons(Qt::NoButton); // clicks reach the link underneath
}

QString MessageItem::text() const
{
    return m_repeats > 1 ? QStringLiteral("%1 ×%2").arg(m_label).arg(m_repeats) : m_label;
}

qreal MessageItem::progress() const
{
    return m_move.state() == QAbstractAnimation::Running ? m_move.currentValue().toReal() : 1.0;
}

void MessageItem::repeat()
{
    prepareGeometryChange();
    ++m_repeats;
    m_rect = pillRect(text(), font(m_badge ? 9.5 : 8.5, true), QPointF(0, 0));
    update();
}

void MessageItem::start(const QPointF& from, const QPointF& to, int durationMs, bool stopsHalfway,
                        std::function<void()> onDone)
{
    setPos(from);
    m_move.setStartValue(0.0);
    m_move.setEndValue(stopsHalfway ? 0.5 : 1.0);
    m_move.setDuration(std::max(1, stopsHalfway ? durationMs / 2 : durationMs));
    m_move.setEasingCurve(QEasingCurve::InOutSine);
    connect(&m_move, &QVariantAnimation::valueChanged, this,
            [this, from, to](const QVariant& v) { setPos(from + (to - from) * v.toReal()); });
    m_fade.setStartValue(1.0);
    m_fade.setEndValue(0.0);
    m_fade.setDuration(stopsHalfway ? 900 : 300);
    connect(&m_fade, &QVariantAnimation::valueChanged, this,
            [this](const QVariant& v) { setOpacity(v.toReal()); });
    connect(&m_move, &QVariantAnimation::finished, this, [this, stopsHalfway] {
        m_dropped = stopsHalfway;
        update();
        m_fade.start();
    });
    connect(&m_fade, &QVariantAnimation::finished, this, [onDone = std::move(onDone)] {
        if (onDone)
            onDone();
    });
    m_move.start();
}

QRectF MessageItem::boundingRect() const
{
    return m_rect.adjusted(-2, -2, 22, 2);
}

void MessageItem::paint(QPainter* painter, const QStyleOptionGraphicsItem*, QWidget*)
{
    painter->setRenderHint(QPainter::Antialiasing);
    const qreal radius = m_rect.height() / 2;
    if (m_badge) {
        painter->setPen(QPen(m_color, 2));
        painter->setBrush(palette().color(QPalette::Base));
    } else {
        painter->setPen(Qt::NoPen);
        painter->setBrush(m_color);
    }
    painter->drawRoundedRect(m_rect, radius, radius);
    painter->setPen(m_badge ? m_color : QColor(Qt::white));
    painter->setFont(font(m_badge ? 9.5 : 8.5, true));
    painter->drawText(m_rect, Qt::AlignCenter, text());
    if (m_dropped) {
        painter->setPen(QPen(QColor(0xdc, 0x26, 0x26), 3));
        const QPointF c(m_rect.right() + 10, m_rect.center().y());
        painter->drawLine(c + QPointF(-6, -6), c + QPointF(6, 6));
        painter->drawLine(c + QPointF(-6, 6), c + QPointF(6, -6));
    }
}

} // namespace zoolab
