#include "net/event_endpoint.h"

#include "net/listen.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <chrono>
#include <deque>

namespace zk {

namespace {

std::string hex(std::int64_t value)
{
    return fmt::format("0x{:x}", value);
}

void putNotification(nlohmann::json& j, const Notification& n)
{
    j["state"] = serverStateName(n.state);
    j["leader"] = n.leader;
    j["zxid"] = hex(n.zxid);
    j["electionEpoch"] = n.electionEpoch;
    j["peerEpoch"] = n.peerEpoch;
}

void putElection(nlohmann::json& j, const ElectionEvent& event)
{
    std::visit(
        [&j](const auto& e) {
            using E = std::decay_t<decltype(e)>;
            if constexpr (std::is_same_v<E, VoteSent>) {
                j["event"] = "VoteSent";
                j["to"] = e.to;
                putNotification(j, e.notification);
            } else if constexpr (std::is_same_v<E, VoteReceived>) {
                j["event"] = "VoteReceived";
                j["from"] = e.from;
                putNotification(j, e.notification);
            } else if constexpr (std::is_same_v<E, LookingStarted>) {
                j["event"] = "LookingStarted";
                j["round"] = e.round;
            } else if constexpr (std::is_same_v<E, RoundChanged>) {
                j["event"] = "RoundChanged";
                j["round"] = e.to;
            } else if constexpr (std::is_same_v<E, VoteChanged>) {
                j["event"] = "VoteChanged";
                j["leader"] = e.to.id;
                j["zxid"] = hex(e.to.zxid);
                j["peerEpoch"] = e.to.peerEpoch;
                j["by"] = e.by;
            } else if constexpr (std::is_same_v<E, QuorumReached>) {
                j["event"] = "QuorumReached";
                j["leader"] = e.vote.id;
                j["voters"] = e.voters;
            } else if constexpr (std::is_same_v<E, FinalizeInterrupted>) {
                j["event"] = "FinalizeInterrupted";
                j["by"] = e.by;
            } else if constexpr (std::is_same_v<E, NotificationTimeout>) {
                j["event"] = "NotificationTimeout";
                j["nextIntervalMs"] = e.nextIntervalMs;
            } else if constexpr (std::is_same_v<E, LeaderElected>) {
                j["event"] = "LeaderElected";
                j["leader"] = e.vote.id;
                j["state"] = std::string(toString(e.state));
                j["voters"] = e.voters;
            }
        },
        event);
}

} // namespace

std::string toJsonLine(const PeerEvent& event, std::int64_t wallMs)
{
    nlohmann::json j;
    j["ts"] = wallMs;
    j["sid"] = event.sid;
    j["kind"] = event.kindName();
    switch (event.kind) {
    case PeerEvent::Kind::Election:
        if (event.election)
            putElection(j, *event.election);
        break;
    case PeerEvent::Kind::StateChanged:
        j["state"] = std::string(toString(event.state));
        j["text"] = event.text;
        break;
    case PeerEvent::Kind::PhaseChanged:
        j["phase"] = zabPhaseName(event.phase);
        break;
    case PeerEvent::Kind::EpochChanged:
        j["epoch"] = event.epoch;
        j["which"] = event.text;
        break;
    case PeerEvent::Kind::Sync:
        j["peer"] = event.peer;
        j["mode"] = event.text;
        j["zxid"] = hex(event.zxid);
        break;
    case PeerEvent::Kind::Established:
        j["epoch"] = event.epoch;
        j["quorum"] = event.text;
        break;
    case PeerEvent::Kind::Ack:
        j["peer"] = event.peer;
        j["zxid"] = hex(event.zxid);
        break;
    case PeerEvent::Kind::Proposal:
    case PeerEvent::Kind::Commit:
        j["zxid"] = hex(event.zxid);
        break;
    case PeerEvent::Kind::SessionCreated:
    case PeerEvent::Kind::SessionClosed:
        j["session"] = hex(event.session);
        break;
    }
    j["line"] = event.toString();
    return j.dump() + "\n";
}

class EventEndpoint::Subscriber : public std::enable_shared_from_this<Subscriber>
{
public:
    explicit Subscriber(tcp::socket socket) : m_socket(std::move(socket)) {}
    void send(std::shared_ptr<const std::string> line)
    {
        if (m_closed)
            return;
        if (m_queue.size() >= 10000) {
            ++m_dropped;
            return;
        }
        m_queue.push_back(std::move(line));
        if (m_queue.size() == 1)
            writeNext();
    }
    void close()
    {
        m_closed = true;
        boost::system::error_code ec;
        m_socket.close(ec);
    }
    bool closed() const { return m_closed; }

private:
    void writeNext()
    {
        auto self = shared_from_this();
        asio::async_write(m_socket, asio::buffer(*m_queue.front()),
                          [self](boost::system::error_code ec, std::size_t) {
                              if (ec) {
                                  self->close();
                                  return;
                              }
                              self->m_queue.pop_front();
                              if (!self->m_queue.empty() && !self->m_closed)
                                  self->writeNext();
                          });
    }
    tcp::socket m_socket;
    std::deque<std::shared_ptr<const std::string>> m_queue;
    std::uint64_t m_dropped = 0;
    bool m_closed = false;
};

EventEndpoint::EventEndpoint(std::string address, std::uint16_t port)
    : m_address(std::move(address)), m_port(port), m_acceptor(m_io)
{}

EventEndpoint::~EventEndpoint()
{
    stop();
}

std::error_code EventEndpoint::start()
{
    if (auto error = listenOn(m_acceptor, m_address, m_port))
        return error;
    m_port = m_acceptor.local_endpoint().port();
    asio::co_spawn(m_io, acceptLoop(), asio::detached);
    m_thread = std::thread([this] { m_io.run(); });
    m_started = true;
    return {};
}

void EventEndpoint::stop()
{
    if (!m_started)
        return;
    m_started = false;
    asio::post(m_io, [this] {
        boost::system::error_code ec;
        m_acceptor.close(ec);
        for (const auto& subscriber : m_subscribers)
            subscriber->close();
        m_subscribers.clear();
        m_io.stop();
    });
    if (m_thread.joinable())
        m_thread.join();
}

asio::awaitable<void> EventEndpoint::acceptLoop()
{
    for (;;) {
        boost::system::error_code ec;
        tcp::socket socket =
            co_await m_acceptor.async_accept(asio::redirect_error(asio::use_awaitable, ec));
        if (ec) {
            if (!m_acceptor.is_open())
                co_return;
            continue;
        }
        auto subscriber = std::make_shared<Subscriber>(std::move(socket));
        for (const auto& line : m_recent)
            subscriber->send(line);
        m_subscribers.insert(std::move(subscriber));
    }
}

void EventEndpoint::publish(const PeerEvent& event)
{
    if (!m_started)
        return;
    const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    auto line = std::make_shared<const std::string>(toJsonLine(event, now));
    asio::post(m_io, [this, line] {
        m_recent.push_back(line);
        if (m_recent.size() > kRecentLines)
            m_recent.pop_front();
        for (auto it = m_subscribers.begin(); it != m_subscribers.end();) {
            if ((*it)->closed()) {
                it = m_subscribers.erase(it);
                continue;
            }
            (*it)->send(line);
            ++it;
        }
    });
}

} // namespace zk
