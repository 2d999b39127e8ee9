#include "sim/zab_scenario.h"

#include "sim/scenario_words.h"
#include "sim/zab_cluster.h"

#include <fmt/format.h>

#include <memory>
#include <optional>
#include <sstream>
#include <vector>

namespace zk::sim {

namespace {

constexpr Tick kWaitTicksDefault = 5000;
constexpr std::int64_t kTickCommandMax = 1'000'000;
constexpr std::int64_t kNodesMax = 9;

class ZabRunner
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
            flushTrace();
        }
        return m_text;
    }

private:
    void out(std::string line)
    {
        m_text += line;
        m_text += '\n';
    }

    void flushTrace()
    {
        if (!m_cluster)
            return;
        for (std::string& traceLine : m_cluster->takeTrace())
            out(std::move(traceLine));
    }

    bool command(const std::vector<std::string>& w)
    {
        const std::string& name = w[0];
        if (name == "zab" && w.size() == 1)
            return true;
        if (!m_cluster)
            return setup(w);
        if (name == "link")
            return link(w);
        if (name == "disk")
            return disk(w);
        if (name == "trace" && w.size() == 2)
            return trace(w[1]);
        if (name == "start" && w.size() >= 2)
            return start(w);
        if (name == "tick" && w.size() == 2) {
            const auto n = scenarioNumber(w[1]);
            if (!n || *n < 0 || *n > kTickCommandMax)
                return false;
            m_cluster->tick(static_cast<int>(*n));
            return true;
        }
        if (name == "stabilize" || name == "settle")
            return wait(w);
        if ((name == "crash" || name == "restart") && w.size() == 2) {
            const auto s = sid(w[1]);
            if (!s || (name == "crash") != m_cluster->isLive(*s))
                return false;
            if (name == "crash")
                m_cluster->crash(*s);
            else
                m_cluster->restart(*s);
            return true;
        }
        if (name == "partition")
            return partition(w);
        if (name == "cut" && w.size() == 4 && w[2] == "->") {
            const auto a = sid(w[1]);
            const auto b = sid(w[3]);
            if (!a || !b)
                return false;
            m_cluster->cut(*a, *b);
            return true;
        }
        if (name == "heal" && w.size() == 1) {
            m_cluster->heal();
            return true;
        }
        if (name == "client" && w.size() == 3) {
            const auto s = sid(w[2]);
            if (!s || m_cluster->client(w[1]) != nullptr)
                return false;
            m_cluster->addClient(w[1], *s, false);
            return true;
        }
        if ((name == "create" && (w.size() == 3 || w.size() == 4)) ||
            (name == "set" && w.size() == 4)) {
            SimClient* client = m_cluster->client(w[1]);
            if (client == nullptr || !w[2].starts_with('/'))
                return false;
            const std::string data = w.size() == 4 ? w[3] : "";
            if (name == "create")
                client->queueCreate(w[2], data);
            else
                client->queueSetData(w[2], data);
            return true;
        }
        if (name == "status" && w.size() == 1) {
            status();
            return true;
        }
        if (name == "check" && w.size() == 1) {
            flushTrace();
            const std::size_t before = m_cluster->violations().size();
            m_cluster->checkDatabases();
            flushTrace();
            out(m_cluster->checkInvariants()
                    ? fmt::format("check ok: {} writes acknowledged",
                                  m_cluster->acknowledged().size())
                    : fmt::format("check failed: {} violations ({} new)",
                                  m_cluster->violations().size(),
                                  m_cluster->violations().size() - before));
            return true;
        }
        return false;
    }

    // Commands before add-nodes.
    bool setup(const std::vector<std::string>& w)
    {
        const std::string& name = w[0];
        if (name == "seed" && w.size() == 2) {
            const auto seed = scenarioNumber(w[1]);
            if (!seed)
                return false;
            m_options.seed = static_cast<std::uint64_t>(*seed);
            return true;
        }
        if (name == "commit-log" && w.size() == 2) {
            const auto count = scenarioNumber(w[1]);
            if (!count || *count < 1)
                return false;
            m_options.commitLogCount = static_cast<std::size_t>(*count);
            return true;
        }
        if (name == "link")
            return link(w);
        if (name == "disk")
            return disk(w);
        if (name == "trace" && w.size() == 2)
            return trace(w[1]);
        if (name == "add-nodes" && w.size() == 2) {
            const auto count = scenarioNumber(w[1]);
            if (!count || *count < 1 || *count > kNodesMax)
                return false;
            m_cluster = std::make_unique<ZabCluster>(m_options);
            m_cluster->addNodes(static_cast<int>(*count));
            m_count = *count;
            return true;
        }
        return false;
    }

    bool link(const std::vector<std::string>& w)
    {
        LinkProfile profile = m_options.link;
        if (const auto delay = scenarioRawOption(w, 1, "delay")) {
            const auto range = scenarioRange(*delay);
            if (!range || range->first < 1)
                return false;
            profile.delayMinTicks = range->first;
            profile.delayMaxTicks = range->second;
        }
        if (const auto loss = scenarioRawOption(w, 1, "loss"))
            profile.lossPerMillion = scenarioPercentToPerMillion(*loss);
        if (const auto dup = scenarioRawOption(w, 1, "dup"))
            profile.duplicatePerMillion = scenarioPercentToPerMillion(*dup);
        m_options.link = profile;
        if (m_cluster)
            m_cluster->setLinkProfile(profile);
        return true;
    }

    bool disk(const std::vector<std::string>& w)
    {
        const auto fsync = scenarioRawOption(w, 1, "fsync");
        const auto range = fsync ? scenarioRange(*fsync) : std::nullopt;
        if (w.size() != 2 || !range || range->first < 0)
            return false;
        m_options.disk = {.fsyncTicksMin = range->first, .fsyncTicksMax = range->second};
        if (m_cluster)
            m_cluster->setDiskProfile(m_options.disk);
        return true;
    }

    bool trace(const std::string& level)
    {
        ZabTraceLevel value = ZabTraceLevel::Roles;
        if (level == "zab")
            value = ZabTraceLevel::Zab;
        else if (level == "packets")
            value = ZabTraceLevel::Packets;
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

    bool start(const std::vector<std::string>& w)
    {
        if (w[1] == "all" && w.size() == 2) {
            m_cluster->startAll();
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

    bool wait(const std::vector<std::string>& w)
    {
        const auto limit =
            w.size() > 1 ? scenarioNumber(w[1]) : std::optional<std::int64_t>(kWaitTicksDefault);
        if (w.size() > 2 || !limit || *limit < 0 || *limit > kTickCommandMax)
            return false;
        const bool settle = w[0] == "settle";
        const bool done =
            settle ? m_cluster->runUntilConverged(*limit) : m_cluster->runUntilStable(*limit);
        flushTrace();
        if (!done) {
            out(fmt::format("not {} after {} ticks", settle ? "settled" : "stable", *limit));
            return true;
        }
        const Sid leader = *m_cluster->servingLeader();
        if (settle)
            out(fmt::format("settled leader={} zxid=0x{:x}", leader,
                            m_cluster->peer(leader).database().lastProcessedZxid()));
        else
            out(fmt::format("stable leader={}", leader));
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
                out(fmt::format("n{} down (log durable up to 0x{:x})", s,
                                m_cluster->disk(s).lastDurable()));
                continue;
            }
            const QuorumPeer& peer = m_cluster->peer(s);
            std::string line = fmt::format("n{} {}", s, toString(peer.state()));
            if (peer.state() == ServerState::Following)
                line += fmt::format(" leader={}", peer.leaderSid());
            const Zxid zxid = peer.database().lastProcessedZxid();
            line += fmt::format(" epoch={} zxid=0x{:x}", peer.durable().currentEpoch, zxid);
            if (peer.lastLoggedZxid() != zxid)
                line += fmt::format(" logged=0x{:x}", peer.lastLoggedZxid());
            line += fmt::format(" znodes={}", peer.database().nodeCount());
            if (peer.serving())
                line += " serving";
            out(std::move(line));
        }
    }

    ZabSimOptions m_options;
    std::unique_ptr<ZabCluster> m_cluster;
    std::int64_t m_count = 0;
    std::string m_text;
};

} // namespace

bool isZabScenario(std::string_view commands)
{
    std::istringstream in{std::string(commands)};
    std::string line;
    while (std::getline(in, line)) {
        const auto w = scenarioWords(line);
        if (w.empty() || w[0].starts_with('#'))
            continue;
        return w[0] == "zab";
    }
    return false;
}

std::string runZabScenario(std::string_view commands)
{
    ZabRunner runner;
    return runner.run(commands);
}

} // namespace zk::sim
