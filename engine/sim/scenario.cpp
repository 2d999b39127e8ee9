#include "sim/scenario.h"

#include "sim/scenario_words.h"
#include "sim/sim_cluster.h"
#include "sim/zab_scenario.h"

#include <fmt/format.h>
#include <memory>
#include <optional>
#include <sstream>
#include <vector>

namespace zk::sim {

namespace {

constexpr Tick kStabilizeTicksDefault = 5000;
constexpr std::int64_t kTickCommandMax = 1'000'000;

class Runner
{
public:
    std::string run(std::string_view commands)
    {
        std::istringstream in{std::string(commands)};
        std::string line;
        while (std::getline(in, line)) {
            const auto w = scenarioWords(line);
            if (w.empty() || w[0].starts_with('#'))
                continue;
            if (!command(w))
                out(fmt::format("error: cannot run \"{}\"", line));
            if (m_cluster) {
                for (std::string& traceLine : m_cluster->takeTrace())
                    out(std::move(traceLine));
            }
        }
        return m_text;
    }

private:
    void out(std::string line)
    {
        m_text += line;
        m_text += '\n';
    }

    bool command(const std::vector<std::string>& w)
    {
        const std::string& name = w[0];
        if (name == "seed" && w.size() == 2 && !m_cluster) {
            const auto seed = scenarioNumber(w[1]);
            if (!seed)
                return false;
            m_options.seed = static_cast<std::uint64_t>(*seed);
            return true;
        }
        if (name == "max-notification-interval" && w.size() == 2 && !m_cluster) {
            const auto ms = scenarioNumber(w[1]);
            if (!ms || *ms < m_options.minNotificationIntervalMs)
                return false;
            m_options.maxNotificationIntervalMs = static_cast<int>(*ms);
            return true;
        }
        if (name == "link")
            return link(w);
        if (name == "add-nodes" && w.size() >= 2 && !m_cluster)
            return addNodes(w);
        if (name == "trace" && w.size() == 2)
            return trace(w[1]);
        if (!m_cluster)
            return false;
        if (name == "state" && w.size() >= 2)
            return state(w);
        if (name == "start" && w.size() >= 2)
            return start(w);
        if (name == "tick" && w.size() == 2) {
            const auto n = scenarioNumber(w[1]);
            if (!n || *n < 0 || *n > kTickCommandMax)
                return false;
            m_cluster->tick(static_cast<int>(*n));
            return true;
        }
        if (name == "deliver" && w.size() == 1) {
            m_cluster->deliverAll();
            return true;
        }
        if (name == "stabilize")
            return stabilize(w);
        if (name == "write") {
            const auto n = w.size() > 1 ? scenarioNumber(w[1]) : std::optional<std::int64_t>(1);
            if (!n || *n < 0)
                return false;
            for (std::int64_t i = 0; i < *n; ++i) {
                if (!m_cluster->write())
                    return false;
            }
            return true;
        }
        if ((name == "crash" || name == "restart") && w.size() >= 2)
            return crashOrRestart(w);
        if (name == "partition")
            return partition(w);
        if (name == "cut" && w.size() == 4 && w[2] == "->") {
            const auto a = scenarioNumber(w[1]);
            const auto b = scenarioNumber(w[3]);
            if (!a || !b)
                return false;
            m_cluster->cut(*a, *b);
            return true;
        }
        if (name == "heal" && w.size() == 1) {
            m_cluster->heal();
            return true;
        }
        if (name == "status" && w.size() == 1) {
            status();
            return true;
        }
        return false;
    }

    bool link(const std::vector<std::string>& w)
    {
        LinkProfile profile = m_cluster ? LinkProfile{} : m_options.link;
        if (const auto delay = scenarioRawOption(w, 1, "delay")) {
            const auto dots = delay->find("..");
            const auto low = scenarioNumber(delay->substr(0, dots));
            const auto high =
                dots == std::string_view::npos ? low : scenarioNumber(delay->substr(dots + 2));
            if (!low || !high || *low < 1 || *high < *low)
                return false;
            profile.delayMinTicks = *low;
            profile.delayMaxTicks = *high;
        }
        if (const auto loss = scenarioRawOption(w, 1, "loss"))
            profile.lossPerMillion = scenarioPercentToPerMillion(*loss);
        if (const auto dup = scenarioRawOption(w, 1, "dup"))
            profile.duplicatePerMillion = scenarioPercentToPerMillion(*dup);
        if (m_cluster)
            m_cluster->setLinkProfile(profile);
        else
            m_options.link = profile;
        return true;
    }

    bool addNodes(const std::vector<std::string>& w)
    {
        const auto participants = scenarioNumber(w[1]);
        std::optional<std::int64_t> observers = 0;
        if (w.size() == 4 && w[2] == "observers")
            observers = scenarioNumber(w[3]);
        else if (w.size() != 2)
            return false;
        if (!participants || !observers || *participants < 1 || *participants > 64 ||
            *observers < 0 || *observers > 64)
            return false;
        m_cluster = std::make_unique<SimCluster>(m_options);
        m_cluster->addNodes(static_cast<int>(*participants), static_cast<int>(*observers));
        m_count = *participants + *observers;
        return true;
    }

    bool trace(const std::string& level)
    {
        TraceLevel value = TraceLevel::Roles;
        if (level == "votes")
            value = TraceLevel::Votes;
        else if (level == "all")
            value = TraceLevel::All;
        else if (level != "roles")
            return false;
        m_options.traceLevel = value;
        if (m_cluster)
            m_cluster->setTraceLevel(value);
        return true;
    }

    std::optional<Sid> sid(const std::string& text) const
    {
        const auto value = scenarioNumber(text);
        if (!value || *value < 1 || *value > m_count)
            return std::nullopt;
        return *value;
    }

    bool state(const std::vector<std::string>& w)
    {
        const auto s = sid(w[1]);
        const auto zxid = scenarioOption(w, 2, "zxid");
        const auto epoch = scenarioOption(w, 2, "epoch");
        if (!s || !zxid || !epoch || m_cluster->isLive(*s))
            return false;
        m_cluster->setPersistent(*s, PersistentState{*zxid, *epoch, *epoch});
        return true;
    }

    bool start(const std::vector<std::string>& w)
    {
        if (w[1] == "all" && w.size() == 2) {
            for (Sid s = 1; s <= m_count; ++s) {
                if (!m_cluster->isLive(s))
                    m_cluster->start(s);
            }
            return true;
        }
        for (std::size_t i = 1; i < w.size(); ++i) {
            const auto s = sid(w[i]);
            if (!s || m_cluster->isLive(*s))
                return false;
            m_cluster->start(*s);
        }
        return true;
    }

    bool stabilize(const std::vector<std::string>& w)
    {
        const auto limit = w.size() > 1 ? scenarioNumber(w[1])
                                        : std::optional<std::int64_t>(kStabilizeTicksDefault);
        if (!limit || *limit < 0 || *limit > kTickCommandMax)
            return false;
        if (m_cluster->runUntilStable(*limit)) {
            for (std::string& traceLine : m_cluster->takeTrace())
                out(std::move(traceLine));
            out(fmt::format("stable leader={}", *m_cluster->leader()));
        } else {
            out(fmt::format("not stable after {} ticks", *limit));
        }
        return true;
    }

    bool crashOrRestart(const std::vector<std::string>& w)
    {
        const auto s = sid(w[1]);
        if (!s)
            return false;
        if (w[0] == "crash") {
            if (w.size() != 2 || !m_cluster->isLive(*s))
                return false;
            m_cluster->crash(*s);
            return true;
        }
        if (m_cluster->isLive(*s))
            return false;
        std::optional<PersistentState> state;
        const auto zxid = scenarioOption(w, 2, "zxid");
        const auto epoch = scenarioOption(w, 2, "epoch");
        if (zxid && epoch)
            state = PersistentState{*zxid, *epoch, *epoch};
        else if (w.size() != 2)
            return false;
        m_cluster->restart(*s, state);
        return true;
    }

    bool partition(const std::vector<std::string>& w)
    {
        std::vector<std::vector<Sid>> groups(1);
        for (std::size_t i = 1; i < w.size(); ++i) {
            if (w[i] == "|") {
                groups.emplace_back();
                continue;
            }
            const auto s = sid(w[i]);
            if (!s)
                return false;
            groups.back().push_back(*s);
        }
        if (groups.size() < 2)
            return false;
        m_cluster->partition(groups);
        return true;
    }

    void status()
    {
        for (Sid s = 1; s <= m_count; ++s) {
            if (!m_cluster->isLive(s)) {
                out(fmt::format("n{} down", s));
                continue;
            }
            const SimPeer& peer = m_cluster->peer(s);
            const PersistentState& p = peer.persistent();
            std::string line = fmt::format("n{} {} round={}", s, toString(peer.state()),
                                           peer.election().logicalClock());
            if (peer.leader())
                line += fmt::format(" leader={}", *peer.leader());
            line += fmt::format(" epoch={} zxid={:#x}", p.currentEpoch, p.lastZxid);
            out(std::move(line));
        }
    }

    SimOptions m_options;
    std::unique_ptr<SimCluster> m_cluster;
    std::int64_t m_count = 0;
    std::string m_text;
};

} // namespace

ScenarioScript parseScenarioFile(std::string_view text)
{
    ScenarioScript script;
    std::size_t pos = 0;
    while (pos < text.size()) {
        const std::size_t end = text.find('\n', pos);
        const std::string_view line =
            text.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos);
        const std::size_t next = end == std::string_view::npos ? text.size() : end + 1;
        if (line == "----") {
            script.commands = std::string(text.substr(0, pos));
            script.expected = std::string(text.substr(next));
            script.hasSeparator = true;
            return script;
        }
        pos = next;
    }
    script.commands = std::string(text);
    return script;
}

std::string runScenario(std::string_view commands)
{
    if (isZabScenario(commands))
        return runZabScenario(commands);
    Runner runner;
    return runner.run(commands);
}

std::string renderScenarioFile(const ScenarioScript& script, std::string_view trace)
{
    std::string text = script.commands;
    if (!text.empty() && text.back() != '\n')
        text += '\n';
    text += "----\n";
    text += trace;
    return text;
}

} // namespace zk::sim
