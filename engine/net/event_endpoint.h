#pragma once
// The event endpoint of a zoolab-server quorum member: a TCP port on which every PeerEvent
// (votes sent and received, state and phase changes, epochs, sync modes, sampled proposals,
// acks and commits, sessions) is streamed as one JSON object per line, so that the studio
// and scripts can watch separate daemon processes. Enabled with -Dzoolab.eventPort=PORT (or
// zoolab.eventPort=PORT in zoo.cfg); it binds zoolab.eventAddress, 127.0.0.1 by default.
// Clients only read; what they send is ignored. A slow client loses lines (its queue holds
// at most 10,000) rather than slowing the server. A new client first gets the last 2,000
// lines (so it sees the election that already happened). Line format: see toJsonLine().
//
// Threads: publish() may be called from any thread; the endpoint has its own io thread.

#include "net/asio.h"
#include "zab/peer_events.h"

#include <cstdint>
#include <deque>
#include <memory>
#include <set>
#include <string>
#include <system_error>
#include <thread>

namespace zk {

// {"ts":<wall ms>,"sid":1,"kind":"StateChanged","state":"LEADING","text":"elected",...}
// Fields by kind: election events carry "event" (VoteSent, VoteReceived, VoteChanged, ...)
// and for notifications "from"/"to", "state", "leader", "zxid" (hex), "electionEpoch",
// "peerEpoch"; StateChanged "state"; PhaseChanged "phase"; EpochChanged "epoch" and "which";
// Sync "peer", "mode", "zxid"; Established "epoch", "quorum"; Proposal/Commit "zxid"; Ack
// "peer", "zxid"; SessionCreated/SessionClosed "session" (hex). "line" always holds the
// event's one-line text form.
std::string toJsonLine(const PeerEvent& event, std::int64_t wallMs);

class EventEndpoint
{
public:
    EventEndpoint(std::string address, std::uint16_t port);
    ~EventEndpoint();
    EventEndpoint(const EventEndpoint&) = delete;
    EventEndpoint& operator=(const EventEndpoint&) = delete;

    std::error_code start();
    void stop();
    std::uint16_t port() const { return m_port; }
    void publish(const PeerEvent& event);

private:
    class Subscriber;
    asio::awaitable<void> acceptLoop();

    std::string m_address;
    std::uint16_t m_port = 0;
    asio::io_context m_io;
    tcp::acceptor m_acceptor;
    static constexpr std::size_t kRecentLines = 2000;
    std::set<std::shared_ptr<Subscriber>> m_subscribers;
    std::deque<std::shared_ptr<const std::string>> m_recent; // io thread only
    std::thread m_thread;
    bool m_started = false;
};

} // namespace zk
