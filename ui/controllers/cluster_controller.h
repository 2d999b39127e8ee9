#pragma once
// ClusterController: how the studio observes and drives the embedded ensemble (ARCHITECTURE.md
// section 7). It subscribes a PeerEventBridge to the ensemble's events, polls every server's
// QuorumStatus on a timer (5 Hz by default), and feeds the models: ClusterModel (servers),
// VoteTableModel (the election), LinkModel (cuts and slow motion), ZabWriteModel (writes as
// proposal, acks and commit), EventTimelineModel (everything, with the studio's own actions),
// and MetricsSeries (what the charts draw). Views
// call its actions; it never lets a view touch the ensemble.
//
// Threads: a GUI-thread QObject. The ensemble's methods can block (a kill joins a node's
// thread, a restart recovers its dataDir), so actions and polls run in order on one worker
// thread of the controller's own; results come back through a GuiInbox. Nothing here blocks
// the GUI thread except detach(), which waits for the worker.
//
// Lifetime: attach() an EmbeddedCluster before its start() to see the first election (or a
// running one); detach() (or the destructor, or attaching another) removes the event sink,
// waits for the worker and drops late results. The cluster must outlive its attachment:
// detach before destroying it.

#include "bridge/gui_inbox.h"
#include "bridge/peer_event_bridge.h"
#include "controllers/embedded_cluster.h"
#include "controllers/load_generator.h"
#include "models/cluster_model.h"
#include "models/metrics_series.h"
#include "models/session_table_model.h"
#include "models/timeline_replay.h"

#include <QObject>
#include <QThreadPool>
#include <QTimer>

#include <chrono>
#include <memory>
#include <optional>

namespace zoolab {

class EventTimelineModel;
class LinkModel;
class QueueModel;
class VoteTableModel;
class ZabWriteModel;

// One poll of the whole ensemble.
struct EnsemblePoll
{
    std::vector<NodePoll> nodes;
    std::optional<zk::Sid> servingLeader;
    bool held = false; // delivery paused (held mode)
    std::size_t heldCount = 0;
    std::optional<zk::HeldMessage> nextHeld;
    std::vector<ServerSessions> sessions; // from every live, unpaused server
};

class ClusterController : public QObject
{
    Q_OBJECT
public:
    explicit ClusterController(QObject* parent = nullptr);
    ~ClusterController() override;

    void attach(EmbeddedCluster* cluster);
    void detach();
    bool attached() const { return m_cluster != nullptr; }
    EmbeddedCluster* cluster() const { return m_cluster; }

    ClusterModel* clusterModel() const { return m_clusterModel; }
    VoteTableModel* voteModel() const { return m_voteModel; }
    LinkModel* linkModel() const { return m_linkModel; }
    EventTimelineModel* timelineModel() const { return m_timeline; }
    ZabWriteModel* writeModel() const { return m_writeModel; }
    SessionTableModel* sessionModel() const { return m_sessionModel; }
    QueueModel* queueModel() const { return m_queueModel; }
    const MetricsSeries& metrics() const { return m_metrics; }

    // "serving, leader 2", "1 of 3 alive: no quorum", "electing (3 of 3 alive)", ...
    QString bannerText() const { return m_banner; }
    std::optional<zk::Sid> servingLeader() const { return m_servingLeader; }
    // Milliseconds on the bridge's clock (the time axis of events, the timeline and charts).
    std::int64_t nowMs() const;
    std::size_t pollCount() const { return m_polls; }

    // Actions run in order on the worker; the models follow through events and polls.
    void kill(zk::Sid sid);
    void restart(zk::Sid sid);
    void pause(zk::Sid sid);
    void resume(zk::Sid sid);
    void killLeader(); // the serving leader, else whichever server is LEADING
    void setLinkCut(zk::Sid a, zk::Sid b, bool cut);
    void toggleLink(zk::Sid a, zk::Sid b);
    // Delays every message on every link by `delay` (Ensemble::setDelay on every ordered pair):
    // election notifications and the ZAB stream alike, so an election or a write unfolds
    // slowly enough to watch. 0 is real time.
    void setElectionDelay(std::chrono::milliseconds delay);
    std::chrono::milliseconds electionDelay() const { return m_electionDelay; }
    // The speed control: 1 is real time, n plays the ensemble at 1/n, as if every message
    // took n * linkLatencyMs on its link (1/100: one second per message).
    static constexpr int linkLatencyMs = 10;
    static std::chrono::milliseconds delayForSpeed(int divisor);
    void setSpeedDivisor(int divisor);

    // Pause delivery: every election message and ZAB packet waits (Ensemble::setHeld) until
    // stepped one at a time (oldest first) or released by resuming delivery.
    void setDeliveryHeld(bool held);
    bool deliveryHeld() const { return m_held; }
    void stepDelivery();
    // As of the last poll or step: how many messages wait, and the one a step delivers next.
    std::size_t heldCount() const { return m_heldCount; }
    QString nextHeldText() const { return m_nextHeld; }
    std::size_t stepsTaken() const { return m_steps; }
    const std::optional<zk::HeldMessage>& lastStepped() const { return m_lastStepped; }
    void setPollIntervalMs(int ms);
    void pollNow();

    static QString bannerFor(const ClusterModel& nodes, const LinkModel& links,
                             std::optional<zk::Sid> servingLeader);

    // The built-in load switch: a LoadGenerator on the attached ensemble (off by default; off
    // again when detached). Turning it off returns at once; its worker ends on the side.
    void setLoadEnabled(bool on);
    bool loadEnabled() const { return m_load != nullptr; }
    const LoadGenerator* loadGenerator() const { return m_load.get(); }

    // Replay: an exported timeline opened again. While replaying, the server table, the vote
    // table and the scene show the ensemble as it was after the first replayPosition() rows
    // (folded by TimelineReplay); the live ensemble keeps running and its events still reach
    // the timeline, but not those models. leaveReplay() resets them and polls: back to live.
    bool openTimeline(const QString& path, QString* error);
    void enterReplay(TimelineReplay replay);
    void leaveReplay();
    bool replaying() const { return m_replaying; }
    const TimelineReplay& replay() const { return m_replay; }
    // The replayed file's rows, for the timeline table while replaying.
    EventTimelineModel* replayTimelineModel() const { return m_replayTimeline; }
    int replayPosition() const { return m_replayPosition; }
    std::int64_t replayTimeMs() const { return m_replayTimeMs; }
    void scrubTo(int position);
    void scrubToMs(std::int64_t atMs);
    // Play advances the replay clock by `speed` replay milliseconds per real one.
    void playReplay(double speed);
    void stopReplay();
    bool replayPlaying() const { return m_replayTimer.isActive(); }

signals:
    // After the models took a batch of events (once per batch).
    void eventsArrived(const zoolab::PeerEventBridge::Batch& batch);
    // After the models took a poll.
    void polled();
    void bannerChanged(const QString& text);
    void electionDelayChanged(int delayMs);
    // Held mode turned on or off, the held count or the next held message changed.
    void deliveryChanged();
    // A step delivered this message (empty: nothing was held).
    void stepped(const QString& text);
    void loadChanged(bool on);
    // A sentence for the status bar: an action that failed or did something worth saying.
    void message(const QString& text);
    // Replay was entered or left, or scrubbed to another position.
    void replayChanged();

private:
    void onEvents(PeerEventBridge::Batch batch);
    void onPoll(std::uint64_t generation, const EnsemblePoll& poll);
    void setHeldState(bool held, std::size_t count, const std::optional<zk::HeldMessage>& next);
    void run(std::function<void(zk::Ensemble&)> task);
    void note(zk::Sid sid, const QString& text);
    void updateBanner();

    EmbeddedCluster* m_cluster = nullptr;
    std::uint64_t m_generation = 0;
    std::shared_ptr<PeerEventBridge> m_bridge;
    std::shared_ptr<GuiInbox> m_inbox;
    QThreadPool m_worker;
    QTimer m_pollTimer;
    bool m_pollInFlight = false;
    std::size_t m_polls = 0;
    ClusterModel* m_clusterModel = nullptr;
    VoteTableModel* m_voteModel = nullptr;
    LinkModel* m_linkModel = nullptr;
    EventTimelineModel* m_timeline = nullptr;
    ZabWriteModel* m_writeModel = nullptr;
    SessionTableModel* m_sessionModel = nullptr;
    QueueModel* m_queueModel = nullptr;
    EventTimelineModel* m_replayTimeline = nullptr;
    MetricsSeries m_metrics;
    std::optional<zk::Sid> m_servingLeader;
    QString m_banner;
    std::chrono::milliseconds m_electionDelay{0};
    bool m_held = false;
    std::size_t m_heldCount = 0;
    QString m_nextHeld;
    std::size_t m_steps = 0;
    std::optional<zk::HeldMessage> m_lastStepped;
    std::shared_ptr<LoadGenerator> m_load;
    bool m_replaying = false;
    TimelineReplay m_replay;
    int m_replayPosition = 0;
    std::int64_t m_replayTimeMs = 0;
    double m_replaySpeed = 1.0;
    QTimer m_replayTimer;
    std::vector<std::pair<zk::Sid, zk::Sid>> m_liveCuts; // the link model's, kept while replaying
};

} // namespace zoolab
