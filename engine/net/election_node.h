#pragma once
// ElectionNode runs one FastLeaderElection live: its own io_context and thread, an
// ElectionTransport, and a steady timer that ticks the election every tickMs. Every input
// reaches the election on that thread; its output is sent right away. Public methods are
// thread-safe. This is the election part of a quorum peer, without ZAB: once decided, the
// node keeps answering LOOKING peers with its vote until restartLooking() is called.

#include "election/fast_leader_election.h"
#include "net/election_transport.h"

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

namespace zk {

struct ElectionNodeOptions
{
    ElectionConfig election;
    Zxid lastLoggedZxid = 0;
    Epoch currentEpoch = 0;
    std::string host = "127.0.0.1";
    std::uint16_t port = 0; // 0 picks a free port.
    std::shared_ptr<LinkFilter> filter = nullptr;
};

class ElectionNode
{
public:
    explicit ElectionNode(ElectionNodeOptions options);
    ~ElectionNode();
    ElectionNode(const ElectionNode&) = delete;
    ElectionNode& operator=(const ElectionNode&) = delete;

    // Binds the election port (before start()).
    std::error_code listen();
    std::uint16_t port() const { return m_transport.port(); }
    // Where the other servers listen (before start()).
    void setPeer(Sid sid, std::string host, std::uint16_t port);

    // Starts the io thread and the first round.
    void start();
    // Starts a new round with new persisted state, as after losing the leader.
    void restartLooking(Zxid lastLoggedZxid, Epoch currentEpoch);
    void stop(); // Idempotent; joins the thread.

    std::optional<ElectionDecision> decision() const;
    ServerState state() const;
    // The text of every election event so far (bounded to the last 10000).
    std::vector<std::string> events() const;

private:
    void onMessage(Sid from, std::vector<std::uint8_t> payload);
    void scheduleTick();
    void drain();

    ElectionNodeOptions m_options;
    asio::io_context m_io;
    asio::steady_timer m_timer;
    FastLeaderElection m_election;
    ElectionTransport m_transport;
    std::thread m_thread;
    bool m_stopped = false;

    mutable std::mutex m_mutex; // Guards the snapshot below.
    std::optional<ElectionDecision> m_decision;
    ServerState m_state = ServerState::Looking;
    std::vector<std::string> m_events;
};

} // namespace zk
