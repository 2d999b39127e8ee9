#include "views/cluster_scene.h"

#include "controllers/cluster_controller.h"
#include "models/link_model.h"
#include "models/zab_write_model.h"
#include "views/cluster_items.h"

#include <QGraphicsSimpleTextItem>
#include <QPalette>
#include <QStringList>
#include <QtMath>

#include <algorithm>

namespace zoolab {

namespace {

// Cards on an ellipse, the first at the top, clockwise: wider than tall, as views are.
QPointF placeOnEllipse(int index, int count)
{
    const qreal angle = -M_PI / 2 + 2 * M_PI * index / std::max(1, count);
    const qreal radiusX = count <= 3 ? 330 : 380;
    const qreal radiusY = count <= 3 ? 190 : 230;
    return {radiusX * std::cos(angle), radiusY * std::sin(angle)};
}

} // namespace

ClusterScene::ClusterScene(ClusterController* controller, QObject* parent)
    : QGraphicsScene(parent), m_controller(controller)
{
    ClusterModel* nodes = controller->clusterModel();
    LinkModel* links = controller->linkModel();
    connect(nodes, &QAbstractItemModel::modelReset, this, &ClusterScene::rebuild);
    connect(nodes, &QAbstractItemModel::dataChanged, this, &ClusterScene::refreshNodes);
    connect(links, &QAbstractItemModel::modelReset, this, &ClusterScene::rebuild);
    connect(links, &QAbstractItemModel::dataChanged, this, &ClusterScene::refreshLinks);
    connect(controller, &ClusterController::eventsArrived, this, &ClusterScene::onEvents);
    connect(controller, &ClusterController::stepped, this, &ClusterScene::onStepped);
    rebuild();
}

NodeItem* ClusterScene::nodeItem(zk::Sid sid) const
{
    auto it = m_nodes.find(sid);
    return it == m_nodes.end() ? nullptr : it->second;
}

LinkItem* ClusterScene::linkItem(zk::Sid a, zk::Sid b) const
{
    auto it = m_links.find(a < b ? std::pair{a, b} : std::pair{b, a});
    return it == m_links.end() ? nullptr : it->second;
}

void ClusterScene::rebuild()
{
    clear(); // deletes the cards, links and messages in flight
    m_nodes.clear();
    m_links.clear();
    m_lastMessage.clear();
    m_inFlight = 0;
    const auto& nodes = m_controller->clusterModel()->nodes();
    const int count = int(nodes.size());
    for (int i = 0; i < count; ++i) {
        const zk::Sid sid = nodes[std::size_t(i)].sid;
        auto* item = new NodeItem(sid);
        item->setPos(placeOnEllipse(i, count));
        item->killButton()->setOnClick([this, sid] {
            const ClusterNode* node = m_controller->clusterModel()->node(sid);
            if (node && node->running)
                m_controller->kill(sid);
            else
                m_controller->restart(sid);
        });
        item->pauseButton()->setOnClick([this, sid] {
            const ClusterNode* node = m_controller->clusterModel()->node(sid);
            if (node && node->paused)
                m_controller->resume(sid);
            else
                m_controller->pause(sid);
        });
        addItem(item);
        m_nodes[sid] = item;
    }
    for (const auto& [a, b] : m_controller->linkModel()->links()) {
        auto* link = new LinkItem(a, b);
        const NodeItem* from = m_nodes.at(a);
        const NodeItem* to = m_nodes.at(b);
        link->setEnds(from->edgeToward(to->pos()), to->edgeToward(from->pos()));
        link->setOnClick([this, a, b] { m_controller->toggleLink(a, b); });
        addItem(link);
        m_links[{a, b}] = link;
    }
    // The cards with their captions, and a margin; the view keeps all of it in sight.
    QRectF bounds;
    for (const auto& [sid, item] : m_nodes)
        bounds |= item->sceneBoundingRect();
    bounds.adjust(-16, -8, 16, 30);
    setSceneRect(bounds);
    auto* hint = addSimpleText(QStringLiteral("Click a link to cut or heal it"));
    hint->setBrush(palette().color(QPalette::PlaceholderText));
    hint->setPos(bounds.left() + 8, bounds.bottom() - 22);
    refreshNodes();
    refreshLinks();
}

void ClusterScene::refreshNodes()
{
    for (const ClusterNode& node : m_controller->clusterModel()->nodes()) {
        if (NodeItem* item = nodeItem(node.sid))
            item->setNode(node);
    }
}

void ClusterScene::refreshLinks()
{
    const LinkModel* links = m_controller->linkModel();
    for (auto& [pair, item] : m_links)
        item->setState(links->state(pair.first, pair.second), links->delayMs());
}

void ClusterScene::travel(zk::Sid from, zk::Sid to, const QString& label, const QColor& color,
                          bool badge, int durationMs)
{
    NodeItem* source = nodeItem(from);
    NodeItem* target = nodeItem(to);
    LinkItem* link = linkItem(from, to);
    if (!source || !target || !link)
        return;
    QPointer<MessageItem>& last = m_lastMessage[{from, to}];
    if (last && last->label() == label && last->progress() < 0.45) {
        last->repeat();
        ++m_repeated;
        return;
    }
    if (m_inFlight >= messagesMax) {
        ++m_skipped;
        return;
    }
    // Each direction has its own lane beside the line, so 1->2 and 2->1 do not overlap.
    const QPointF a = source->edgeToward(target->pos());
    const QPointF b = target->edgeToward(source->pos());
    const QPointF d = b - a;
    const qreal length = std::max<qreal>(1, std::hypot(d.x(), d.y()));
    const QPointF normal(-d.y() / length, d.x() / length);
    const QPointF lane = normal * (from < to ? 20.0 : -20.0) * (badge ? 0 : 1);
    // A few pixels in from each end, so the label does not sit on the card's border.
    const QPointF inset = d / length * 22;
    auto* message = new MessageItem(label, color, badge);
    addItem(message);
    ++m_inFlight;
    ++m_shown;
    last = message;
    // Not delivered: the link is cut, or nobody listens at the other end.
    const bool lost = m_controller->linkModel()->state(from, to) != LinkState::Up;
    message->start(a + inset + lane, b - inset + lane, durationMs, lost, [this, message] {
        --m_inFlight;
        removeItem(message);
        message->deleteLater();
    });
}

void ClusterScene::onStepped()
{
    const auto& message = m_controller->lastStepped();
    if (!message)
        return;
    // "vote leader=3 zxid=1:0 peerEpoch=1 round=2" -> "vote leader=3 zxid=1:0"
    QStringList words = QString::fromStdString(message->kind).split(QLatin1Char(' '));
    const bool vote = message->channel == zk::HeldMessage::Channel::Election;
    if (vote && words.size() > 3)
        words = words.mid(0, 3);
    static const QColor zabColor(0xd9, 0x77, 0x06);
    static const QColor voteColor(0x7c, 0x3a, 0xed);
    travel(message->from, message->to, words.join(QLatin1Char(' ')), vote ? voteColor : zabColor,
           false, std::max(messageMinMs, 900));
}

void ClusterScene::drawZab(const StampedPeerEvent& stamped, int durationMs)
{
    // Only the writes the model sampled travel: a few per second under any load.
    const zk::PeerEvent& event = stamped.event;
    const ZabWriteModel* writes = m_controller->writeModel();
    static const QColor proposalColor(0xd9, 0x77, 0x06);
    static const QColor ackColor(0x16, 0xa3, 0x4a);
    static const QColor commitColor(0x25, 0x63, 0xeb);
    const auto toFollowers = [&](const QString& label, const QColor& color) {
        for (const ClusterNode& node : m_controller->clusterModel()->nodes()) {
            if (node.sid != event.sid && node.running && node.status &&
                node.status->state == zk::ServerState::Following &&
                node.status->leader == event.sid)
                travel(event.sid, node.sid, label, color, false, durationMs);
        }
    };
    if (event.kind == zk::PeerEvent::Kind::Proposal) {
        if (writes->sampled(event.zxid))
            toFollowers(QStringLiteral("PROPOSAL ") + ZabWriteModel::zxidText(event.zxid),
                        proposalColor);
    } else if (event.kind == zk::PeerEvent::Kind::Ack) {
        if (writes->sampled(event.zxid))
            travel(event.peer, event.sid,
                   QStringLiteral("ACK ") + ZabWriteModel::zxidText(event.zxid), ackColor, false,
                   durationMs);
    } else {
        for (int row = 0; row < writes->rowCount(); ++row) {
            const ZabWrite& write = writes->row(row);
            if (write.leader == event.sid && write.committedMs == stamped.atMs)
                toFollowers(QStringLiteral("COMMIT ") + ZabWriteModel::zxidText(write.zxid),
                            commitColor);
        }
    }
}

void ClusterScene::onEvents(const PeerEventBridge::Batch& batch)
{
    const int delayMs = int(m_controller->electionDelay().count());
    const int duration = std::max(messageMinMs, delayMs);
    const bool held = m_controller->deliveryHeld();
    for (const StampedPeerEvent& stamped : batch) {
        const zk::PeerEvent& event = stamped.event;
        if (event.kind == zk::PeerEvent::Kind::Sync) {
            const ClusterNode* reporter = m_controller->clusterModel()->node(event.sid);
            const bool fromLeader =
                reporter && ClusterModel::roleOf(*reporter) == NodeRole::Leading;
            if (!fromLeader)
                continue; // the learner reports the same sync; draw it once
            const QString mode = QString::fromStdString(event.text);
            travel(event.sid, event.peer, mode, sidColor(event.sid), true, 900);
            if (NodeItem* learner = nodeItem(event.peer))
                learner->flash(QStringLiteral("synced by %1").arg(mode), QColor(0x25, 0x63, 0xeb));
            continue;
        }
        // While delivery is held, a message travels when a step releases it (onStepped).
        const bool traffic = event.kind == zk::PeerEvent::Kind::Proposal ||
                             event.kind == zk::PeerEvent::Kind::Ack ||
                             event.kind == zk::PeerEvent::Kind::Commit;
        if (held &&
            (traffic || (event.election && std::holds_alternative<zk::VoteSent>(*event.election))))
            continue;
        if (traffic) {
            drawZab(stamped, duration);
            continue;
        }
        if (event.kind != zk::PeerEvent::Kind::Election || !event.election)
            continue;
        const zk::ElectionEvent& election = *event.election;
        if (const auto* sent = std::get_if<zk::VoteSent>(&election)) {
            const zk::Notification& n = sent->notification;
            travel(event.sid, sent->to, ClusterModel::voteText(n.leader, n.zxid, n.peerEpoch),
                   sidColor(n.leader), false, duration);
        } else if (const auto* quorum = std::get_if<zk::QuorumReached>(&election)) {
            if (NodeItem* item = nodeItem(event.sid))
                item->flash(QStringLiteral("quorum %1 for %2")
                                .arg(QString::fromStdString(zk::joinSids(quorum->voters)))
                                .arg(quorum->vote.id),
                            QColor(0x16, 0xa3, 0x4a));
        } else if (const auto* elected = std::get_if<zk::LeaderElected>(&election)) {
            if (NodeItem* item = nodeItem(event.sid)) {
                const bool leads = elected->state == zk::ServerState::Leading;
                item->flash(
                    leads ? QStringLiteral("elected leader")
                          : QStringLiteral("follows %1").arg(elected->vote.id),
                    ClusterModel::roleColor(leads ? NodeRole::Leading : NodeRole::Following));
            }
        } else if (std::holds_alternative<zk::LookingStarted>(election)) {
            if (NodeItem* item = nodeItem(event.sid))
                item->flash(QStringLiteral("looking"), ClusterModel::roleColor(NodeRole::Looking));
        }
    }
}

} // namespace zoolab
