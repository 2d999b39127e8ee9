#pragma once
// The graphics items of the cluster view (ClusterScene): a server card (NodeItem) with its
// buttons (ButtonItem), the link between two servers (LinkItem, click to cut or heal), and an
// election message or sync mode travelling along a link (MessageItem).
//
// Thread: GUI thread. Ownership: the scene owns every item; buttons are children of their
// card. Items know nothing of the engine: the scene gives them values and callbacks.

#include "models/cluster_model.h"
#include "models/link_model.h"

#include <QElapsedTimer>
#include <QGraphicsObject>
#include <QVariantAnimation>

#include <functional>

namespace zoolab {

// The colour the studio gives server `sid` (votes for it travel in this colour).
QColor sidColor(zk::Sid sid);

class ButtonItem : public QGraphicsItem
{
public:
    ButtonItem(const QString& text, QGraphicsItem* parent);
    void setText(const QString& text);
    QString text() const { return m_text; }
    void setOnClick(std::function<void()> onClick) { m_onClick = std::move(onClick); }
    void click(); // as a mouse click does (tests, keyboard)

    QRectF boundingRect() const override;
    void paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget) override;

protected:
    void hoverEnterEvent(QGraphicsSceneHoverEvent* event) override;
    void hoverLeaveEvent(QGraphicsSceneHoverEvent* event) override;
    void mousePressEvent(QGraphicsSceneMouseEvent* event) override;
    void mouseReleaseEvent(QGraphicsSceneMouseEvent* event) override;

private:
    QString m_text;
    bool m_hover = false;
    std::function<void()> m_onClick;
};

class NodeItem : public QGraphicsObject
{
public:
    static constexpr qreal width = 250;
    static constexpr qreal height = 196;

    explicit NodeItem(zk::Sid sid);
    zk::Sid sid() const { return m_sid; }
    void setNode(const ClusterNode& node);
    NodeRole role() const { return m_role; }
    ButtonItem* killButton() const { return m_kill; }
    ButtonItem* pauseButton() const { return m_pause; }
    // A ring and a caption for a moment: the quorum moment, a new role, a sync.
    void flash(const QString& caption, const QColor& color);
    QString flashCaption() const { return m_flashCaption; }
    // Where the line from the card's centre toward `target` (scene coordinates) leaves it.
    QPointF edgeToward(const QPointF& target) const;

    QRectF boundingRect() const override;
    void paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget) override;

private:
    QStringList lines() const;

    zk::Sid m_sid = 0;
    ClusterNode m_node;
    NodeRole m_role = NodeRole::Down;
    ButtonItem* m_kill = nullptr;
    ButtonItem* m_pause = nullptr;
    QVariantAnimation m_flash;
    QString m_flashCaption;
    QColor m_flashColor;
};

class LinkItem : public QGraphicsItem
{
public:
    LinkItem(zk::Sid a, zk::Sid b);
    zk::Sid first() const { return m_a; }
    zk::Sid second() const { return m_b; }
    void setEnds(const QPointF& from, const QPointF& to);
    void setState(LinkState state, int delayMs);
    LinkState state() const { return m_state; }
    void setOnClick(std::function<void()> onClick) { m_onClick = std::move(onClick); }
    QPointF from() const { return m_from; }
    QPointF to() const { return m_to; }

    QRectF boundingRect() const override;
    QPainterPath shape() const override;
    void paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget) override;

protected:
    void hoverEnterEvent(QGraphicsSceneHoverEvent* event) override;
    void hoverLeaveEvent(QGraphicsSceneHoverEvent* event) override;
    void mousePressEvent(QGraphicsSceneMouseEvent* event) override;
    void mouseReleaseEvent(QGraphicsSceneMouseEvent* event) override;

private:
    void updateToolTip();

    zk::Sid m_a = 0;
    zk::Sid m_b = 0;
    QPointF m_from;
    QPointF m_to;
    LinkState m_state = LinkState::Up;
    int m_delayMs = 0;
    bool m_hover = false;
    std::function<void()> m_onClick;
};

// A label moving from `from` to `to` over durationMs; when `stopsHalfway` (the link is cut) it
// stops in the middle and shows a cross. It fades out at the end and calls onDone, after which
// the scene deletes it.
class MessageItem : public QGraphicsObject
{
public:
    MessageItem(const QString& label, const QColor& color, bool badge);
    void start(const QPointF& from, const QPointF& to, int durationMs, bool stopsHalfway,
               std::function<void()> onDone);
    QString label() const { return m_label; }
    // How far it has travelled (0 to 1 of the link).
    qreal progress() const;
    // The same vote sent again while this one is still near its sender (FastLeaderElection
    // re-sends on every notification timeout): shown as "×n" rather than as another label.
    void repeat();
    int repeats() const { return m_repeats; }

    QRectF boundingRect() const override;
    void paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget) override;

private:
    QString text() const;

    QString m_label;
    int m_repeats = 1;
    QColor m_color;
    bool m_badge = false;
    bool m_dropped = false;
    QRectF m_rect;
    QVariantAnimation m_move;
    QVariantAnimation m_fade;
};

} // namespace zoolab
