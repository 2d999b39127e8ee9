#pragma once
// ClusterScene: the embedded ensemble drawn live. One card per server (role colour and label,
// epoch, last zxid as epoch:counter, clients, sessions, client port, current vote, sync mode,
// and Kill/Restart and Pause/Resume buttons), one line per link (click to cut or heal), and the
// real event stream animated on top: every VoteSent travels its link as a label
// "(leader, zxid, peer epoch)" in the colour of the server it proposes, for as long as slow
// motion delays it (at least messageMinMs); a cut link, or a receiver that is down or paused,
// stops it halfway. The same vote re-sent on a link while the last one is still near its
// sender counts as "×n" on that label. A quorum moment, an election result and each
// follower's sync (DIFF, TRUNC or SNAP) flash on the cards. Writes travel too, as ZabWriteModel
// samples them: PROPOSAL from the leader to each follower, each ACK back, then COMMIT. While
// delivery is held, messages do not travel when sent but when a step delivers them.
//
// Thread: GUI thread. The scene reads the controller's models and calls its actions; it owns
// its items. At most messagesMax messages are in flight; more are counted, not drawn.

#include "bridge/peer_event_bridge.h"

#include <QGraphicsScene>
#include <QPointer>

#include <map>
#include <utility>

namespace zoolab {

class ClusterController;
class LinkItem;
class MessageItem;
class NodeItem;

class ClusterScene : public QGraphicsScene
{
    Q_OBJECT
public:
    explicit ClusterScene(ClusterController* controller, QObject* parent = nullptr);

    NodeItem* nodeItem(zk::Sid sid) const;
    LinkItem* linkItem(zk::Sid a, zk::Sid b) const;
    int messagesInFlight() const { return m_inFlight; }
    int messagesShown() const { return m_shown; }
    int messagesSkipped() const { return m_skipped; }
    int messagesRepeated() const { return m_repeated; }

    static constexpr int messagesMax = 48;
    static constexpr int messageMinMs = 650;

private:
    void rebuild();
    void refreshNodes();
    void refreshLinks();
    void onEvents(const PeerEventBridge::Batch& batch);
    void drawZab(const StampedPeerEvent& stamped, int durationMs);
    void onStepped();
    void travel(zk::Sid from, zk::Sid to, const QString& label, const QColor& color, bool badge,
                int durationMs);

    ClusterController* m_controller = nullptr;
    std::map<zk::Sid, NodeItem*> m_nodes;
    std::map<std::pair<zk::Sid, zk::Sid>, LinkItem*> m_links;
    std::map<std::pair<zk::Sid, zk::Sid>, QPointer<MessageItem>> m_lastMessage; // by direction
    int m_inFlight = 0;
    int m_shown = 0;
    int m_skipped = 0;
    int m_repeated = 0;
};

} // namespace zoolab
