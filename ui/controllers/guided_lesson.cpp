#include "controllers/guided_lesson.h"

#include "controllers/cluster_controller.h"
#include "models/cluster_model.h"

namespace zoolab {

namespace {

using Memory = GuidedLesson::Memory;
using Step = GuidedLesson::Step;

QString sidText(const Memory& memory, const char* name)
{
    const auto found = memory.find(QString::fromLatin1(name));
    return found == memory.end() ? QStringLiteral("?") : QString::number(found->second);
}

zk::Sid recalled(const Memory& memory, const char* name)
{
    const auto found = memory.find(QString::fromLatin1(name));
    return found == memory.end() ? 0 : found->second;
}

NodeRole roleOf(const ClusterController& c, zk::Sid sid)
{
    return c.clusterModel()->role(sid);
}

bool serving(const ClusterController& c)
{
    return c.servingLeader().has_value() && c.bannerText().startsWith(QLatin1String("serving"));
}

zk::Epoch epochOf(const ClusterController& c, zk::Sid sid)
{
    const ClusterNode* node = c.clusterModel()->node(sid);
    return node && node->status ? node->status->currentEpoch : 0;
}

// A sid that is down and is not `except`; 0 when none.
zk::Sid downServer(const ClusterController& c, zk::Sid except = 0)
{
    for (const ClusterNode& node : c.clusterModel()->nodes()) {
        if (node.sid != except && ClusterModel::roleOf(node) == NodeRole::Down)
            return node.sid;
    }
    return 0;
}

// The step every drill that starts from a healthy ensemble begins with.
Step servingWithAll()
{
    return {[](const Memory&) {
                return QStringLiteral("Waiting for the ensemble to serve with all its servers.");
            },
            [](const Memory&) {
                return QStringLiteral("Restart any server that is down; the lesson starts when "
                                      "the banner says serving with every server alive.");
            },
            [](const ClusterController& c, Memory& m) {
                if (!serving(c) || c.clusterModel()->aliveCount() != c.clusterModel()->size())
                    return false;
                m[QStringLiteral("leader")] = *c.servingLeader();
                m[QStringLiteral("epoch")] = epochOf(c, *c.servingLeader());
                return true;
            }};
}

Step killAFollower()
{
    return {[](const Memory& m) {
                return QStringLiteral("Serving, leader %1. Followers copy the leader's writes "
                                      "and vote for them.")
                    .arg(sidText(m, "leader"));
            },
            [](const Memory& m) {
                return QStringLiteral("Click Kill on a FOLLOWING server (not server %1).")
                    .arg(sidText(m, "leader"));
            },
            [](const ClusterController& c, Memory& m) {
                const zk::Sid victim = downServer(c, recalled(m, "leader"));
                if (victim == 0)
                    return false;
                m[QStringLiteral("victim")] = victim;
                return true;
            }};
}

Step last(QString caption, QString instruction)
{
    return {[caption](const Memory& m) {
                QString text = caption;
                for (const auto& [name, sid] : m)
                    text.replace(QLatin1Char('{') + name + QLatin1Char('}'), QString::number(sid));
                return text;
            },
            [instruction](const Memory& m) {
                QString text = instruction;
                for (const auto& [name, sid] : m)
                    text.replace(QLatin1Char('{') + name + QLatin1Char('}'), QString::number(sid));
                return text;
            },
            {}};
}

std::vector<Step> killFollower()
{
    return {servingWithAll(),
            killAFollower(),
            {[](const Memory& m) {
                 return QStringLiteral("Server %1 is down. Leader %2 still has 2 of 3: a quorum.")
                     .arg(sidText(m, "victim"), sidText(m, "leader"));
             },
             [](const Memory&) {
                 return QStringLiteral("Watch the banner: the leader stays, there is no election.");
             },
             [](const ClusterController& c, Memory& m) {
                 return c.bannerText().startsWith(
                            QStringLiteral("serving, leader %1").arg(recalled(m, "leader"))) &&
                        c.bannerText().contains(QStringLiteral("2 of 3 alive"));
             }},
            last(QStringLiteral("Done: losing a follower costs no election. Leader {leader} serves "
                                "with 2 of 3."),
                 QStringLiteral("Restart server {victim}, or go on with \"Kill two\"."))};
}

std::vector<Step> killTwo()
{
    return {servingWithAll(),
            killAFollower(),
            {[](const Memory& m) {
                 return QStringLiteral("Server %1 is down; leader %2 still serves with 2 of 3.")
                     .arg(sidText(m, "victim"), sidText(m, "leader"));
             },
             [](const Memory&) { return QStringLiteral("Now click Kill on the other follower."); },
             [](const ClusterController& c, Memory& m) {
                 if (c.clusterModel()->aliveCount() != 1)
                     return false;
                 m[QStringLiteral("second")] = downServer(c, recalled(m, "victim"));
                 return true;
             }},
            {[](const Memory& m) {
                 return QStringLiteral(
                            "1 of 3 alive: no quorum. Leader %1 cannot reach a majority.")
                     .arg(sidText(m, "leader"));
             },
             [](const Memory& m) {
                 return QStringLiteral("Watch server %1: it gives up leading and turns LOOKING.")
                     .arg(sidText(m, "leader"));
             },
             [](const ClusterController& c, Memory& m) {
                 return roleOf(c, recalled(m, "leader")) == NodeRole::Looking;
             }},
            last(QStringLiteral("Done: with 1 of 3 alive nothing is served. Server {leader} looks "
                                "for a leader it cannot get."),
                 QStringLiteral("Go on with \"Restart one\"."))};
}

std::vector<Step> restartOne()
{
    return {{[](const Memory&) { return QStringLiteral("Waiting for 1 of 3 alive (no quorum)."); },
             [](const Memory&) {
                 return QStringLiteral("Kill two servers (the lesson \"Kill two\" does it).");
             },
             [](const ClusterController& c, Memory& m) {
                 if (c.clusterModel()->aliveCount() != 1)
                     return false;
                 for (const ClusterNode& node : c.clusterModel()->nodes()) {
                     if (ClusterModel::roleOf(node) != NodeRole::Down)
                         m[QStringLiteral("survivor")] = node.sid;
                 }
                 return true;
             }},
            {[](const Memory& m) {
                 return QStringLiteral("Only server %1 runs: no quorum, nothing is served.")
                     .arg(sidText(m, "survivor"));
             },
             [](const Memory&) {
                 return QStringLiteral("Click Restart on one of the servers that are down.");
             },
             [](const ClusterController& c, Memory& m) {
                 if (c.clusterModel()->aliveCount() < 2)
                     return false;
                 for (const ClusterNode& node : c.clusterModel()->nodes()) {
                     if (node.sid != recalled(m, "survivor") &&
                         ClusterModel::roleOf(node) != NodeRole::Down)
                         m[QStringLiteral("restarted")] = node.sid;
                 }
                 return true;
             }},
            {[](const Memory& m) {
                 return QStringLiteral("Server %1 recovers its dataDir and votes with server %2.")
                     .arg(sidText(m, "restarted"), sidText(m, "survivor"));
             },
             [](const Memory&) {
                 return QStringLiteral("Watch the election: two votes are a quorum of three.");
             },
             [](const ClusterController& c, Memory& m) {
                 if (!serving(c))
                     return false;
                 m[QStringLiteral("leader")] = *c.servingLeader();
                 return true;
             }},
            last(QStringLiteral("Done: serving again with 2 of 3, leader {leader}."),
                 QStringLiteral("Restart the last server to see it join as a follower."))};
}

std::vector<Step> killLeader()
{
    return {servingWithAll(),
            {[](const Memory& m) {
                 return QStringLiteral("Serving, leader %1 in epoch %2.")
                     .arg(sidText(m, "leader"), sidText(m, "epoch"));
             },
             [](const Memory&) { return QStringLiteral("Click \"Kill the leader\"."); },
             [](const ClusterController& c, Memory& m) {
                 return roleOf(c, recalled(m, "leader")) == NodeRole::Down;
             }},
            {[](const Memory& m) {
                 return QStringLiteral("Server %1 is gone. Its followers lose it, turn LOOKING "
                                       "and vote.")
                     .arg(sidText(m, "leader"));
             },
             [](const Memory&) {
                 return QStringLiteral("Watch the votes: the higher epoch, then the higher zxid, "
                                       "then the higher sid wins.");
             },
             [](const ClusterController& c, Memory& m) {
                 for (const ClusterNode& node : c.clusterModel()->nodes()) {
                     if (node.sid != recalled(m, "leader") &&
                         ClusterModel::roleOf(node) == NodeRole::Leading) {
                         m[QStringLiteral("new")] = node.sid;
                         return true;
                     }
                 }
                 return false;
             }},
            {[](const Memory& m) {
                 return QStringLiteral("Server %1 is LEADING. It syncs its followers before it "
                                       "serves.")
                     .arg(sidText(m, "new"));
             },
             [](const Memory&) { return QStringLiteral("Wait for the banner to say serving."); },
             [](const ClusterController& c, Memory& m) {
                 if (!serving(c) || *c.servingLeader() != recalled(m, "new"))
                     return false;
                 m[QStringLiteral("newEpoch")] = epochOf(c, recalled(m, "new"));
                 return true;
             }},
            last(QStringLiteral("Done: leader {new} serves in epoch {newEpoch} with 2 of 3."),
                 QStringLiteral("Go on with \"Restart the old leader\"."))};
}

std::vector<Step> restartOldLeader()
{
    return {{[](const Memory&) {
                 return QStringLiteral("Waiting for a serving ensemble with one server down.");
             },
             [](const Memory&) {
                 return QStringLiteral("Kill the leader first (the lesson \"Kill the leader\").");
             },
             [](const ClusterController& c, Memory& m) {
                 if (!serving(c) || c.clusterModel()->aliveCount() != c.clusterModel()->size() - 1)
                     return false;
                 m[QStringLiteral("old")] = downServer(c);
                 m[QStringLiteral("leader")] = *c.servingLeader();
                 return true;
             }},
            {[](const Memory& m) {
                 return QStringLiteral("Server %1 is down while server %2 leads.")
                     .arg(sidText(m, "old"), sidText(m, "leader"));
             },
             [](const Memory& m) {
                 return QStringLiteral("Click Restart on server %1.").arg(sidText(m, "old"));
             },
             [](const ClusterController& c, Memory& m) {
                 return roleOf(c, recalled(m, "old")) != NodeRole::Down;
             }},
            {[](const Memory& m) {
                 return QStringLiteral("Server %1 recovers and looks for a leader. Server %2 "
                                       "still leads, so it cannot win.")
                     .arg(sidText(m, "old"), sidText(m, "leader"));
             },
             [](const Memory&) { return QStringLiteral("Watch it join as a follower."); },
             [](const ClusterController& c, Memory& m) {
                 return roleOf(c, recalled(m, "old")) == NodeRole::Following;
             }},
            last(QStringLiteral("Done: the old leader {old} follows {leader}; leadership does "
                                "not flip back."),
                 QStringLiteral("Pick another lesson, or kill the leader again."))};
}

} // namespace

GuidedLesson::GuidedLesson(ClusterController* controller, QObject* parent)
    : QObject(parent), m_controller(controller)
{
    // Only what the engine reports moves a lesson: event batches, polls and the banner.
    connect(controller, &ClusterController::eventsArrived, this, &GuidedLesson::check);
    connect(controller, &ClusterController::polled, this, &GuidedLesson::check);
    connect(controller, &ClusterController::bannerChanged, this, &GuidedLesson::check);
}

std::vector<Lesson> GuidedLesson::all()
{
    return {Lesson::KillFollower, Lesson::KillTwo, Lesson::RestartOne, Lesson::KillLeader,
            Lesson::RestartOldLeader};
}

QString GuidedLesson::title(Lesson lesson)
{
    switch (lesson) {
    case Lesson::KillFollower:
        return QStringLiteral("Kill a follower");
    case Lesson::KillTwo:
        return QStringLiteral("Kill two");
    case Lesson::RestartOne:
        return QStringLiteral("Restart one");
    case Lesson::KillLeader:
        return QStringLiteral("Kill the leader");
    case Lesson::RestartOldLeader:
        return QStringLiteral("Restart the old leader");
    }
    return {};
}

QString GuidedLesson::key(Lesson lesson)
{
    switch (lesson) {
    case Lesson::KillFollower:
        return QStringLiteral("kill-follower");
    case Lesson::KillTwo:
        return QStringLiteral("kill-two");
    case Lesson::RestartOne:
        return QStringLiteral("restart-one");
    case Lesson::KillLeader:
        return QStringLiteral("kill-leader");
    case Lesson::RestartOldLeader:
        return QStringLiteral("restart-old-leader");
    }
    return {};
}

std::optional<Lesson> GuidedLesson::fromKey(const QString& name)
{
    for (Lesson lesson : all()) {
        if (key(lesson) == name)
            return lesson;
    }
    return std::nullopt;
}

std::vector<GuidedLesson::Step> GuidedLesson::steps(Lesson lesson)
{
    switch (lesson) {
    case Lesson::KillFollower:
        return killFollower();
    case Lesson::KillTwo:
        return killTwo();
    case Lesson::RestartOne:
        return restartOne();
    case Lesson::KillLeader:
        return killLeader();
    case Lesson::RestartOldLeader:
        return restartOldLeader();
    }
    return {};
}

void GuidedLesson::start(Lesson lesson)
{
    m_lesson = lesson;
    m_steps = steps(lesson);
    m_step = 0;
    m_memory.clear();
    emit changed();
    check();
}

void GuidedLesson::stop()
{
    m_lesson.reset();
    m_steps.clear();
    m_step = 0;
    m_memory.clear();
    emit changed();
}

QString GuidedLesson::caption() const
{
    return active() ? m_steps[std::size_t(m_step)].caption(m_memory) : QString();
}

QString GuidedLesson::instruction() const
{
    return active() ? m_steps[std::size_t(m_step)].instruction(m_memory) : QString();
}

void GuidedLesson::check()
{
    if (!active() || m_controller->replaying())
        return;
    ++m_checks;
    bool moved = false;
    // One report can finish more than one step (a new leader that serves in the same poll).
    while (m_step < stepCount() - 1 && m_steps[std::size_t(m_step)].done &&
           m_steps[std::size_t(m_step)].done(*m_controller, m_memory)) {
        ++m_step;
        moved = true;
    }
    if (moved)
        emit changed();
}

} // namespace zoolab
