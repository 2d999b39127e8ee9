#include "controllers/cluster_controller.h"

#include "models/event_timeline_model.h"
#include "models/link_model.h"
#include "models/queue_model.h"
#include "models/vote_table_model.h"
#include "models/zab_write_model.h"

#include <algorithm>
#include <set>

namespace zoolab {

namespace {

// The leader that serves: a live server in LEADING state that says it serves, with a majority
// of the voters (itself included) synced to it. Paused servers do not count: a paused leader
// still reports what it was when it froze.
std::optional<zk::Sid> servingLeaderOf(const std::vector<NodePoll>& nodes)
{
    for (const NodePoll& node : nodes) {
        if (!node.running || node.paused || !node.status || !node.status->serving ||
            node.status->state != zk::ServerState::Leading)
            continue;
        std::set<zk::Sid> synced{node.sid};
        for (zk::Sid learner : node.status->syncedLearners)
            synced.insert(learner);
        std::size_t syncedAlive = 0;
        for (const NodePoll& other : nodes)
            syncedAlive += synced.contains(other.sid) && other.running && !other.paused ? 1 : 0;
        if (syncedAlive * 2 > nodes.size())
            return node.sid;
    }
    return std::nullopt;
}

} // namespace

ClusterController::ClusterController(QObject* parent)
    : QObject(parent), m_inbox(GuiInbox::create(this)), m_clusterModel(new ClusterModel(this)),
      m_voteModel(new VoteTableModel(this)), m_linkModel(new LinkModel(this)),
      m_timeline(new EventTimelineModel(this)), m_writeModel(new ZabWriteModel(this)),
      m_sessionModel(new SessionTableModel(this)), m_queueModel(new QueueModel(this)),
      m_replayTimeline(new EventTimelineModel(this))
{
    m_worker.setMaxThreadCount(1); // actions and polls run in the order they were asked for
    m_worker.setExpiryTimeout(-1);
    m_pollTimer.setInterval(200);
    connect(&m_pollTimer, &QTimer::timeout, this, &ClusterController::pollNow);
    m_replayTimer.setInterval(50);
    connect(&m_replayTimer, &QTimer::timeout, this, [this] {
        const auto step = std::int64_t(double(m_replayTimer.interval()) * m_replaySpeed);
        const std::int64_t next = m_replayTimeMs + std::max<std::int64_t>(1, step);
        if (next >= m_replay.endMs())
            m_replayTimer.stop();
        scrubToMs(std::min(next, m_replay.endMs()));
    });
}

ClusterController::~ClusterController()
{
    detach();
    m_inbox->detach();
}

void ClusterController::attach(EmbeddedCluster* cluster)
{
    detach();
    if (!cluster)
        return;
    m_cluster = cluster;
    ++m_generation;
    m_replayTimer.stop();
    const bool wasReplaying = m_replaying;
    m_replaying = false; // a new ensemble is shown live
    m_replay = TimelineReplay();
    m_liveCuts.clear();
    m_bridge = PeerEventBridge::create(
        this, [this](PeerEventBridge::Batch batch) { onEvents(std::move(batch)); });
    cluster->setEventSink(m_bridge->sink());
    const std::vector<zk::Sid> sids = cluster->sids();
    m_clusterModel->reset(sids);
    m_voteModel->reset(sids);
    m_linkModel->reset(sids);
    m_metrics.reset(sids);
    m_timeline->clear();
    m_writeModel->reset(sids);
    m_sessionModel->clear();
    m_queueModel->apply({});
    m_servingLeader.reset();
    setHeldState(false, 0, std::nullopt);
    m_steps = 0;
    m_lastStepped.reset();
    m_electionDelay = std::chrono::milliseconds(0); // a new ensemble starts in real time
    emit electionDelayChanged(0);
    m_banner = QStringLiteral("starting %1 servers…").arg(sids.size());
    emit bannerChanged(m_banner);
    m_timeline->appendStudio(
        nowMs(), 0,
        QStringLiteral("observing the %1").arg(QString::fromStdString(cluster->modeLabel())));
    m_pollTimer.start();
    if (wasReplaying)
        emit replayChanged();
    pollNow();
}

void ClusterController::detach()
{
    if (!m_cluster)
        return;
    if (m_load) {
        m_load->requestStop();
        m_load.reset(); // joins: its sessions end before the ensemble can stop
        emit loadChanged(false);
    }
    m_pollTimer.stop();
    m_cluster->setEventSink({}); // returns once no node thread is inside the old sink
    m_worker.waitForDone();
    if (m_bridge)
        m_bridge->detach();
    m_bridge.reset();
    m_cluster = nullptr;
    ++m_generation; // polls still in the inbox are dropped
    m_pollInFlight = false;
}

std::int64_t ClusterController::nowMs() const
{
    return m_bridge ? m_bridge->elapsedMs() : 0;
}

void ClusterController::run(std::function<void(zk::Ensemble&)> task)
{
    if (!m_cluster || !m_cluster->ensemble())
        return;
    zk::Ensemble* ensemble = m_cluster->ensemble();
    m_worker.start([ensemble, task = std::move(task)] { task(*ensemble); });
}

void ClusterController::note(zk::Sid sid, const QString& text)
{
    m_timeline->appendStudio(nowMs(), sid, text);
    emit message(text);
}

void ClusterController::kill(zk::Sid sid)
{
    note(sid, QStringLiteral("kill server %1").arg(sid));
    run([sid](zk::Ensemble& ensemble) { ensemble.kill(sid); });
    pollNow();
}

void ClusterController::restart(zk::Sid sid)
{
    note(sid, QStringLiteral("restart server %1").arg(sid));
    auto inbox = m_inbox;
    const auto generation = m_generation;
    run([this, sid, inbox, generation](zk::Ensemble& ensemble) {
        std::string error;
        if (ensemble.start(sid, error))
            return;
        inbox->post([this, generation, sid, error] {
            if (generation == m_generation)
                note(sid, QStringLiteral("server %1 did not start: %2")
                              .arg(sid)
                              .arg(QString::fromStdString(error)));
        });
    });
    pollNow();
}

void ClusterController::pause(zk::Sid sid)
{
    note(sid, QStringLiteral("pause server %1").arg(sid));
    run([sid](zk::Ensemble& ensemble) { ensemble.pause(sid); });
    pollNow();
}

void ClusterController::resume(zk::Sid sid)
{
    note(sid, QStringLiteral("resume server %1").arg(sid));
    run([sid](zk::Ensemble& ensemble) { ensemble.resume(sid); });
    pollNow();
}

void ClusterController::killLeader()
{
    auto inbox = m_inbox;
    const auto generation = m_generation;
    run([this, inbox, generation](zk::Ensemble& ensemble) {
        std::optional<zk::Sid> leader = ensemble.servingLeader();
        for (zk::Sid sid : ensemble.sids()) {
            if (leader)
                break;
            const auto status = ensemble.status(sid);
            if (status && status->state == zk::ServerState::Leading && !ensemble.isPaused(sid))
                leader = sid;
        }
        if (leader)
            ensemble.kill(*leader);
        inbox->post([this, generation, leader] {
            if (generation != m_generation)
                return;
            if (leader)
                note(*leader, QStringLiteral("kill the leader: server %1").arg(*leader));
            else
                note(0, QStringLiteral("kill the leader: there is no leader to kill"));
        });
    });
    pollNow();
}

void ClusterController::setLinkCut(zk::Sid a, zk::Sid b, bool cut)
{
    if (!m_cluster || a == b)
        return;
    m_linkModel->setCut(a, b, cut);
    note(0, cut ? QStringLiteral("cut the link %1 – %2").arg(a).arg(b)
                : QStringLiteral("heal the link %1 – %2").arg(a).arg(b));
    run([a, b, cut](zk::Ensemble& ensemble) {
        if (cut)
            ensemble.cut(a, b);
        else
            ensemble.heal(a, b);
    });
    updateBanner();
    pollNow();
}

void ClusterController::toggleLink(zk::Sid a, zk::Sid b)
{
    setLinkCut(a, b, !m_linkModel->isCut(a, b));
}

void ClusterController::setElectionDelay(std::chrono::milliseconds delay)
{
    if (!m_cluster || delay == m_electionDelay)
        return;
    m_electionDelay = delay;
    m_linkModel->setDelayMs(int(delay.count()));
    emit electionDelayChanged(int(delay.count()));
    note(0, delay.count() > 0 ? QStringLiteral("slow motion: every message waits %1 ms on its link")
                                    .arg(delay.count())
                              : QStringLiteral("messages in real time"));
    run([delay](zk::Ensemble& ensemble) {
        for (zk::Sid from : ensemble.sids()) {
            for (zk::Sid to : ensemble.sids()) {
                if (from != to)
                    ensemble.setDelay(from, to, delay);
            }
        }
    });
}

std::chrono::milliseconds ClusterController::delayForSpeed(int divisor)
{
    return std::chrono::milliseconds(divisor <= 1 ? 0 : divisor * linkLatencyMs);
}

void ClusterController::setSpeedDivisor(int divisor)
{
    setElectionDelay(delayForSpeed(divisor));
}

void ClusterController::setDeliveryHeld(bool held)
{
    if (!m_cluster || held == m_held)
        return;
    note(0, held ? QStringLiteral("pause delivery: every message waits for a step")
                 : QStringLiteral("resume delivery: %1 held messages go out").arg(m_heldCount));
    setHeldState(held, held ? m_heldCount : 0,
                 held ? std::nullopt : std::optional<zk::HeldMessage>{});
    run([held](zk::Ensemble& ensemble) { ensemble.setHeld(held); });
    pollNow();
}

void ClusterController::stepDelivery()
{
    if (!m_cluster)
        return;
    auto inbox = m_inbox;
    const auto generation = m_generation;
    run([this, inbox, generation](zk::Ensemble& ensemble) {
        const auto delivered = ensemble.stepOne();
        const bool held = ensemble.held();
        const std::size_t count = ensemble.heldCount();
        const auto next = ensemble.nextHeld();
        inbox->post([this, generation, delivered, held, count, next] {
            if (generation != m_generation)
                return;
            QString text;
            m_lastStepped = delivered;
            if (delivered) {
                ++m_steps;
                text = QString::fromStdString(delivered->toString());
                m_timeline->appendStudio(nowMs(), delivered->from, QStringLiteral("step: ") + text);
            }
            setHeldState(held, count, next);
            if (delivered)
                emit deliveryChanged(); // the step count changed even if nothing else did
            emit stepped(text);
        });
    });
}

void ClusterController::setHeldState(bool held, std::size_t count,
                                     const std::optional<zk::HeldMessage>& next)
{
    const QString nextText = next ? QString::fromStdString(next->toString()) : QString();
    if (held == m_held && count == m_heldCount && nextText == m_nextHeld)
        return;
    m_held = held;
    m_heldCount = count;
    m_nextHeld = nextText;
    emit deliveryChanged();
}

void ClusterController::setLoadEnabled(bool on)
{
    if (on == loadEnabled() || (on && (!m_cluster || !m_cluster->running())))
        return;
    if (on) {
        std::vector<std::string> hosts;
        for (const QString& host :
             QString::fromStdString(m_cluster->connectString()).split(QLatin1Char(',')))
            hosts.push_back(host.toStdString());
        m_load = std::make_shared<LoadGenerator>(std::move(hosts));
        note(0, QStringLiteral("load on: about 40 requests/s, one write for three reads"));
    } else {
        m_load->requestStop();
        // The worker drops the last reference, so joining never blocks the GUI thread.
        m_worker.start([load = std::move(m_load)] { load->requestStop(); });
        m_load.reset();
        note(0, QStringLiteral("load off"));
    }
    emit loadChanged(on);
}

void ClusterController::setPollIntervalMs(int ms)
{
    m_pollTimer.setInterval(ms);
}

void ClusterController::pollNow()
{
    if (!m_cluster || !m_cluster->ensemble() || m_pollInFlight)
        return;
    m_pollInFlight = true;
    auto inbox = m_inbox;
    const auto generation = m_generation;
    run([this, inbox, generation](zk::Ensemble& ensemble) {
        EnsemblePoll poll;
        for (zk::Sid sid : ensemble.sids()) {
            NodePoll node;
            node.sid = sid;
            node.status = ensemble.status(sid);
            node.running = node.status.has_value();
            node.paused = node.running && ensemble.isPaused(sid);
            node.clientPort = ensemble.clientPort(sid);
            if (node.running && !node.paused) {
                if (auto snapshot = ensemble.sessionsSnapshot(sid))
                    poll.sessions.push_back({sid, std::move(*snapshot)});
            }
            poll.nodes.push_back(std::move(node));
        }
        poll.servingLeader = servingLeaderOf(poll.nodes);
        poll.held = ensemble.held();
        poll.heldCount = ensemble.heldCount();
        poll.nextHeld = ensemble.nextHeld();
        inbox->post([this, generation, poll = std::move(poll)] { onPoll(generation, poll); });
    });
}

void ClusterController::onPoll(std::uint64_t generation, const EnsemblePoll& poll)
{
    if (generation != m_generation)
        return;
    m_pollInFlight = false;
    ++m_polls;
    if (m_replaying) {
        // The models show the past; only the charts keep following the live ensemble.
        m_metrics.sample(nowMs(), poll.nodes, {}, poll.servingLeader);
        m_servingLeader = poll.servingLeader;
        emit polled();
        return;
    }
    m_clusterModel->applyPolls(poll.nodes);
    m_sessionModel->apply(poll.sessions);
    m_queueModel->apply(m_sessionModel->rows());
    std::set<zk::Sid> alive;
    for (const NodePoll& node : poll.nodes) {
        if (node.running && !node.paused)
            alive.insert(node.sid);
        else
            m_voteModel->markDown(node.sid);
    }
    m_linkModel->setAlive(alive);
    m_servingLeader = poll.servingLeader;
    // Cut off: a live server that, by its direct links (ZooKeeper does not relay), cannot reach
    // a majority or the serving leader.
    std::set<zk::Sid> cutOff;
    for (zk::Sid sid : alive) {
        std::size_t reach = 1;
        for (zk::Sid other : alive)
            reach += other != sid && !m_linkModel->isCut(sid, other) ? 1 : 0;
        const bool fromLeader = poll.servingLeader && *poll.servingLeader != sid &&
                                m_linkModel->isCut(sid, *poll.servingLeader);
        if (reach * 2 <= poll.nodes.size() || fromLeader)
            cutOff.insert(sid);
    }
    m_metrics.sample(nowMs(), poll.nodes, cutOff, poll.servingLeader);
    // The poll reads the held state after actions queued before it, so it is current unless
    // the user toggled since; a toggle in flight wins.
    if (poll.held == m_held)
        setHeldState(poll.held, poll.heldCount, poll.nextHeld);
    updateBanner();
    emit polled();
}

void ClusterController::onEvents(PeerEventBridge::Batch batch)
{
    if (!m_cluster)
        return;
    if (m_replaying) {
        m_timeline->appendEvents(batch);
        return;
    }
    m_clusterModel->applyEvents(batch);
    m_voteModel->applyEvents(batch);
    m_writeModel->applyEvents(batch);
    m_timeline->appendEvents(batch);
    emit eventsArrived(batch);
}

bool ClusterController::openTimeline(const QString& path, QString* error)
{
    auto replay = TimelineReplay::read(path, error);
    if (!replay)
        return false;
    enterReplay(std::move(*replay));
    return true;
}

void ClusterController::enterReplay(TimelineReplay replay)
{
    m_replayTimer.stop();
    m_replay = std::move(replay);
    m_replayTimeline->setEntries(m_replay.entries());
    if (!m_replaying)
        m_liveCuts = m_linkModel->cutLinks();
    m_replaying = true;
    m_linkModel->reset(m_replay.frameAt(0).sids);
    m_replayPosition = -1;
    scrubTo(m_replay.size());
}

void ClusterController::leaveReplay()
{
    if (!m_replaying)
        return;
    m_replayTimer.stop();
    m_replaying = false;
    m_replay = TimelineReplay();
    const std::vector<zk::Sid> sids = m_cluster ? m_cluster->sids() : std::vector<zk::Sid>{};
    m_clusterModel->reset(sids);
    m_voteModel->reset(sids);
    m_linkModel->reset(sids);
    for (const auto& [a, b] : m_liveCuts)
        m_linkModel->setCut(a, b, true);
    m_liveCuts.clear();
    m_banner.clear();
    if (m_polls > 0)
        updateBanner();
    emit replayChanged();
    pollNow();
}

void ClusterController::scrubTo(int position)
{
    if (!m_replaying)
        return;
    position = std::clamp(position, 0, m_replay.size());
    if (position == m_replayPosition)
        return;
    m_replayPosition = position;
    const ReplayFrame frame = m_replay.frameAt(position);
    m_replayTimeMs = position > 0 ? frame.atMs : m_replay.startMs();
    // Folded from scratch: the models take the frame's election events, then its polls, as
    // they take a live batch and then a poll.
    m_clusterModel->reset(frame.sids);
    m_voteModel->reset(frame.sids);
    m_clusterModel->applyEvents(frame.electionEvents);
    m_voteModel->applyEvents(frame.electionEvents);
    m_clusterModel->applyPolls(frame.polls);
    std::set<zk::Sid> alive;
    for (const NodePoll& node : frame.polls) {
        if (node.running && !node.paused)
            alive.insert(node.sid);
        else
            m_voteModel->markDown(node.sid);
    }
    m_linkModel->setAlive(alive);
    const QString state = bannerFor(*m_clusterModel, *m_linkModel, frame.leader);
    m_banner = QStringLiteral("replay %1 s: %2")
                   .arg(QString::number(double(m_replayTimeMs) / 1000.0, 'f', 1), state);
    emit bannerChanged(m_banner);
    emit replayChanged();
}

void ClusterController::scrubToMs(std::int64_t atMs)
{
    if (!m_replaying)
        return;
    scrubTo(m_replay.positionAt(atMs));
    m_replayTimeMs = atMs; // between rows the clock still moves (Play)
    emit replayChanged();
}

void ClusterController::playReplay(double speed)
{
    if (!m_replaying || speed <= 0)
        return;
    m_replaySpeed = speed;
    if (m_replayPosition >= m_replay.size())
        scrubTo(0); // from the start again
    if (m_replayPosition == 0)
        m_replayTimeMs = m_replay.startMs();
    m_replayTimer.start();
}

void ClusterController::stopReplay()
{
    m_replayTimer.stop();
}

void ClusterController::updateBanner()
{
    if (m_replaying)
        return;
    if (m_polls == 0)
        return; // "starting…" until the first poll
    const QString text = bannerFor(*m_clusterModel, *m_linkModel, m_servingLeader);
    if (text == m_banner)
        return;
    m_banner = text;
    emit bannerChanged(m_banner);
}

QString ClusterController::bannerFor(const ClusterModel& nodes, const LinkModel& links,
                                     std::optional<zk::Sid> servingLeader)
{
    const int total = nodes.size();
    const int alive = nodes.aliveCount();
    const int quorum = total / 2 + 1;
    const QString partition = links.partitionText();
    QString text;
    if (servingLeader) {
        text = QStringLiteral("serving, leader %1").arg(*servingLeader);
        if (alive < total)
            text += QStringLiteral(" · %1 of %2 alive").arg(alive).arg(total);
    } else if (alive < quorum) {
        text = QStringLiteral("%1 of %2 alive: no quorum").arg(alive).arg(total);
    } else {
        std::size_t largest = 0;
        for (const auto& group : links.components())
            largest = std::max(largest, group.size());
        if (int(largest) < quorum)
            return QStringLiteral("%1 of %2 alive, partitioned %3: no quorum")
                .arg(alive)
                .arg(total)
                .arg(partition);
        text = QStringLiteral("electing a leader (%1 of %2 alive)").arg(alive).arg(total);
    }
    if (!partition.isEmpty()) {
        text += QStringLiteral(" · partitioned ") + partition;
    } else if (links.hasCut()) {
        QStringList cut;
        for (const auto& [a, b] : links.cutLinks())
            cut << QStringLiteral("%1–%2").arg(a).arg(b);
        text += QStringLiteral(" · cut %1").arg(cut.join(QStringLiteral(", ")));
    }
    return text;
}

} // namespace zoolab
