#include "drills.h"

#include "controllers/cluster_controller.h"
#include "views/cluster_view.h"
#include "views/main_window.h"

#include <QTimer>

#include <functional>
#include <optional>
#include <utility>
#include <vector>

namespace zoolab {

namespace {

using Step = std::pair<int, std::function<void(ClusterController&)>>;

// The lowest running server that is not the serving leader.
std::optional<zk::Sid> aFollower(const ClusterController& controller)
{
    for (const ClusterNode& node : controller.clusterModel()->nodes()) {
        if (node.running && node.sid != controller.servingLeader())
            return node.sid;
    }
    return std::nullopt;
}

void cutOff(ClusterController& controller, zk::Sid sid, bool cut)
{
    for (const ClusterNode& node : controller.clusterModel()->nodes()) {
        if (node.sid != sid)
            controller.setLinkCut(sid, node.sid, cut);
    }
}

std::vector<Step> stepsOf(MainWindow& window, const QString& name)
{
    auto leader = std::make_shared<zk::Sid>(0);
    auto follower = std::make_shared<zk::Sid>(0);
    if (name == QLatin1String("kill-leader"))
        return {{0, [](ClusterController& c) { c.killLeader(); }}};
    if (name == QLatin1String("slow-election"))
        return {{0, [](ClusterController& c) { c.setSpeedDivisor(100); }},
                {300, [](ClusterController& c) { c.killLeader(); }}};
    if (name == QLatin1String("step-election")) {
        // Delivery held, the leader killed; then one message stepped every 700 ms.
        std::vector<Step> steps{{0, [](ClusterController& c) { c.setDeliveryHeld(true); }},
                                {300, [](ClusterController& c) { c.killLeader(); }}};
        for (int i = 0; i < 12; ++i)
            steps.push_back({1500 + 700 * i, [](ClusterController& c) { c.stepDelivery(); }});
        return steps;
    }
    if (name == QLatin1String("zab-write"))
        // 1/100 speed with the Writes (ZAB) table in front; --demo-load supplies the writes.
        return {{0, [&window](ClusterController& c) {
                     c.setSpeedDivisor(100);
                     window.clusterView()->showWrites();
                 }}};
    if (name == QLatin1String("kill-two"))
        return {{0, [](ClusterController& c) { c.killLeader(); }}, {1500, [](ClusterController& c) {
                                                                        if (auto sid = aFollower(c))
                                                                            c.kill(*sid);
                                                                    }}};
    if (name == QLatin1String("isolate-leader"))
        return {{0, [leader](ClusterController& c) {
                     *leader = c.servingLeader().value_or(1);
                     cutOff(c, *leader, true);
                 }}};
    if (name == QLatin1String("churn"))
        return {{0,
                 [follower](ClusterController& c) {
                     *follower = aFollower(c).value_or(1);
                     c.kill(*follower);
                 }},
                {6000, [follower](ClusterController& c) { c.restart(*follower); }},
                {11000,
                 [leader](ClusterController& c) {
                     *leader = c.servingLeader().value_or(1);
                     c.kill(*leader);
                 }},
                {17000, [leader](ClusterController& c) { c.restart(*leader); }},
                {22000,
                 [follower](ClusterController& c) {
                     *follower = aFollower(c).value_or(1);
                     cutOff(c, *follower, true);
                 }},
                {28000, [follower](ClusterController& c) { cutOff(c, *follower, false); }}};
    return {};
}

} // namespace

bool scheduleDrill(MainWindow& window, const QString& spec, QString* error)
{
    const QStringList parts = spec.split(QLatin1Char('@'));
    const QString name = parts.front();
    int startMs = 3000;
    if (parts.size() == 2) {
        bool ok = false;
        startMs = parts[1].toInt(&ok);
        if (!ok || startMs < 0) {
            *error = QStringLiteral("--drill %1: the start after @ must be milliseconds").arg(spec);
            return false;
        }
    }
    const std::vector<Step> steps = stepsOf(window, name);
    if (steps.empty() || parts.size() > 2) {
        *error = QStringLiteral("--drill %1: unknown drill (kill-leader, slow-election, "
                                "step-election, zab-write, kill-two, isolate-leader, churn)")
                     .arg(spec);
        return false;
    }
    for (const auto& [offsetMs, action] : steps) {
        QTimer::singleShot(startMs + offsetMs, &window, [&window, action = action] {
            if (ClusterController* controller = window.clusterController();
                controller && controller->attached())
                action(*controller);
        });
    }
    return true;
}

} // namespace zoolab
