#include "controllers/cluster_controller.h"

#include "models/event_timeline_model.h"
#include "models/link_model.h"
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
      m_timeline(new EventTimelineModel(this)), m_writeModel(new ZabWriteModel(this))
{
    m_worker.setMaxThreadCount(1); // actions and polls run in the order they were asked for
    m_worker.setExpiryTimeout(-1);
    m_pollTimer.setInterval(200);
    connect(&m_pollTimer, &QTimer::timeout, this, &ClusterController::pollNow);
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
    pollNow();
}

void ClusterController::detach()
{
    if (!m_cluster)
        return;
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
    m_clusterModel->applyPolls(poll.nodes);
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
    m_clusterModel->applyEvents(batch);
    m_voteModel->applyEvents(batch);
    m_writeModel->applyEvents(batch);
    m_timeline->appendEvents(batch);
    emit eventsArrived(batch);
}

void ClusterController::updateBanner()
{
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
