#include "net/election_node.h"

#include <spdlog/spdlog.h>

namespace zk {

namespace {

constexpr std::size_t kEventsKept = 10'000;

} // namespace

ElectionNode::ElectionNode(ElectionNodeOptions options)
    : m_options(std::move(options)), m_timer(m_io), m_election(m_options.election),
      m_transport(m_io,
                  ElectionTransportOptions{.myId = m_options.election.myId,
                                           .listenHost = m_options.host,
                                           .listenPort = m_options.port,
                                           .protocolVersion = kElectionProtocolV1,
                                           .filter = m_options.filter},
                  [this](Sid from, std::vector<std::uint8_t> payload) {
                      onMessage(from, std::move(payload));
                  })
{}

ElectionNode::~ElectionNode()
{
    stop();
}

std::error_code ElectionNode::listen()
{
    return m_transport.listen();
}

void ElectionNode::setPeer(Sid sid, std::string host, std::uint16_t port)
{
    m_transport.setPeer(sid, std::move(host), port);
}

void ElectionNode::start()
{
    asio::post(m_io, [this] {
        m_election.startLooking(m_options.lastLoggedZxid, m_options.currentEpoch);
        drain();
        scheduleTick();
    });
    m_thread = std::thread([this] { m_io.run(); });
}

void ElectionNode::restartLooking(Zxid lastLoggedZxid, Epoch currentEpoch)
{
    asio::post(m_io, [this, lastLoggedZxid, currentEpoch] {
        m_election.startLooking(lastLoggedZxid, currentEpoch);
        drain();
    });
}

void ElectionNode::stop()
{
    if (m_stopped)
        return;
    m_stopped = true;
    asio::post(m_io, [this] {
        boost::system::error_code ec;
        m_timer.cancel(ec);
        m_transport.close();
        m_io.stop();
    });
    if (m_thread.joinable())
        m_thread.join();
}

std::optional<ElectionDecision> ElectionNode::decision() const
{
    std::lock_guard lock(m_mutex);
    return m_decision;
}

ServerState ElectionNode::state() const
{
    std::lock_guard lock(m_mutex);
    return m_state;
}

std::vector<std::string> ElectionNode::events() const
{
    std::lock_guard lock(m_mutex);
    return m_events;
}

void ElectionNode::onMessage(Sid from, std::vector<std::uint8_t> payload)
{
    const auto notification = decodeNotification(payload);
    if (!notification) {
        spdlog::warn("election: dropping a malformed notification from {} ({} bytes)", from,
                     payload.size());
        return;
    }
    m_election.receive(from, *notification);
    drain();
}

void ElectionNode::scheduleTick()
{
    m_timer.expires_after(std::chrono::milliseconds(m_options.election.tickMs));
    m_timer.async_wait([this](boost::system::error_code ec) {
        if (ec)
            return;
        m_election.tick();
        drain();
        scheduleTick();
    });
}

void ElectionNode::drain()
{
    if (!m_election.hasOutput())
        return;
    ElectionOutput output = m_election.takeOutput();
    for (OutgoingNotification& out : output.send)
        m_transport.send(out.to, encodeNotification(out.notification));
    std::lock_guard lock(m_mutex);
    for (const ElectionEvent& event : output.events) {
        if (m_events.size() >= kEventsKept)
            m_events.erase(m_events.begin());
        m_events.push_back(toString(event));
    }
    m_state = m_election.state();
    if (output.decision)
        m_decision = std::move(output.decision);
}

} // namespace zk
