#include "sim/sim_network.h"

#include "core/assert.h"

#include <fmt/format.h>

namespace zk::sim {

namespace {

// Bounds the simulated network so that a runaway test fails instead of eating memory.
constexpr std::size_t kInFlightMax = 1'000'000;

} // namespace

std::string Envelope::toString() const
{
    std::string body;
    if (const auto* bytes = std::get_if<std::vector<std::uint8_t>>(&payload)) {
        const auto n = decodeNotification(*bytes);
        body = n ? n->toString() : fmt::format("malformed notification {}B", bytes->size());
    } else if (const auto* lp = std::get_if<LearnerPing>(&payload)) {
        body = fmt::format("LearnerPing acceptedEpoch={} acked={} zxid={:#x}{}", lp->acceptedEpoch,
                           lp->ackedEpoch, lp->lastZxid, lp->observer ? " observer" : "");
    } else if (const auto* ping = std::get_if<LeaderPing>(&payload)) {
        body = fmt::format("LeaderPing epoch={}{} zxid={:#x}", ping->proposedEpoch,
                           ping->established ? " established" : "", ping->zxid);
    }
    return fmt::format("{}->{} {}", from, to, body);
}

SimNetwork::SimNetwork(Prng prng, LinkProfile profile) : m_prng(prng)
{
    setProfile(profile);
}

void SimNetwork::setProfile(const LinkProfile& profile)
{
    ZK_ASSERT(profile.delayMinTicks >= 1);
    ZK_ASSERT(profile.delayMaxTicks >= profile.delayMinTicks);
    m_profile = profile;
}

void SimNetwork::send(Envelope envelope, Tick now)
{
    // Draw every random decision whatever the outcome, so that a cut link does not shift
    // the random sequence of the rest of the run.
    const bool lost = m_prng.chance(m_profile.lossPerMillion);
    const bool duplicated = m_prng.chance(m_profile.duplicatePerMillion);
    const Tick delay = m_prng.between(m_profile.delayMinTicks, m_profile.delayMaxTicks);
    const Tick delay2 = m_prng.between(m_profile.delayMinTicks, m_profile.delayMaxTicks);
    if (lost || isCut(envelope.from, envelope.to)) {
        ++m_dropped;
        return;
    }
    ZK_ASSERT(m_queue.size() < kInFlightMax);
    if (duplicated)
        m_queue.emplace(Key{now + delay2, m_sequence++}, envelope);
    m_queue.emplace(Key{now + delay, m_sequence++}, std::move(envelope));
}

std::vector<Envelope> SimNetwork::takeDue(Tick now)
{
    std::vector<Envelope> due;
    while (!m_queue.empty() && m_queue.begin()->first.deliverAt <= now) {
        Envelope envelope = std::move(m_queue.begin()->second);
        m_queue.erase(m_queue.begin());
        if (isCut(envelope.from, envelope.to)) {
            ++m_dropped;
            continue;
        }
        due.push_back(std::move(envelope));
    }
    return due;
}

std::vector<Envelope> SimNetwork::takeAll()
{
    std::vector<Envelope> all;
    for (auto& [key, envelope] : m_queue) {
        if (isCut(envelope.from, envelope.to)) {
            ++m_dropped;
            continue;
        }
        all.push_back(std::move(envelope));
    }
    m_queue.clear();
    return all;
}

void SimNetwork::dropNode(Sid sid)
{
    std::erase_if(m_queue, [&](const auto& entry) {
        return entry.second.from == sid || entry.second.to == sid;
    });
}

void SimNetwork::partition(const std::vector<std::vector<Sid>>& groups)
{
    for (std::size_t i = 0; i < groups.size(); ++i) {
        for (std::size_t j = 0; j < groups.size(); ++j) {
            if (i == j)
                continue;
            for (Sid a : groups[i]) {
                for (Sid b : groups[j])
                    m_cut.insert({a, b});
            }
        }
    }
}

void SimNetwork::cut(Sid from, Sid to)
{
    m_cut.insert({from, to});
}

void SimNetwork::heal()
{
    m_cut.clear();
}

} // namespace zk::sim
