#pragma once
// SimClient is one simulated ZooKeeper client: it speaks the real client protocol in frames
// (ConnectRequest, create, setData, ping; proto/client_records.h) to one server at a time,
// keeps its session across reconnects (sessionId, password and lastZxidSeen, so that a
// server behind the client's view refuses it and a learner revalidates the session with its
// leader), and records the writes the server acknowledged. It checks what a client can see:
// replies come back in request order, and lastZxidSeen never goes backwards.
//
// ZabCluster carries the frames: open() gives the first frame, receive() takes what the
// server wrote (length prefix included), closed() reports the connection gone. Requests
// without a reply when the connection goes have an unknown outcome and are dropped.
// One thread; every decision comes from the Prng it is given.

#include "core/ids.h"
#include "core/prng.h"
#include "proto/opcodes.h"

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace zk::sim {

using Tick = std::int64_t;
using ClientConnectionId = std::uint64_t;

// A write the server answered with OK.
struct ClientAck
{
    std::string client;
    OpCode type = OpCode::Create;
    std::string path;
    Zxid zxid = 0; // the reply header's
    Sid node = 0;
    Tick at = 0;
    bool ephemeral = false; // goes with its session
};

class SimClient
{
public:
    // pingIntervalTicks: idle time before a ping (a third of the session timeout).
    SimClient(std::string name, Prng prng, std::int32_t sessionTimeoutMs, Tick pingIntervalTicks);

    const std::string& name() const { return m_name; }
    bool isOpen() const { return m_connection != 0; }
    bool isConnected() const { return m_connected; }
    Sid node() const { return m_node; }
    ClientConnectionId connection() const { return m_connection; }
    SessionId session() const { return m_session; }
    Zxid lastZxidSeen() const { return m_lastZxidSeen; }
    std::size_t outstanding() const { return m_outstanding.size(); }
    std::size_t queued() const { return m_queue.size(); }
    Tick reconnectAt() const { return m_reconnectAt; }

    // The connection is open: returns the ConnectRequest payload to send first.
    std::vector<std::uint8_t> open(Sid node, ClientConnectionId connection, Tick now);
    // One frame from the server, its 4-byte length prefix included. Returns false when the
    // client closes the connection itself (its session was refused).
    bool receive(std::span<const std::uint8_t> frame, Tick now);
    // The connection is gone (closed by the server, a crash, or the client).
    void closed(Tick now);

    // Scripted writes, sent in order once connected.
    void queueCreate(std::string path, std::string data, bool ephemeral = false);
    void queueSetData(std::string path, std::string data);
    // Random mode: a create or a setData now and then while connected (at most
    // `outstandingMax` at once); off, only the queue and pings go out.
    void setAutoWrite(bool on, int outstandingMax = 3) { m_auto = on, m_autoMax = outstandingMax; }
    // The share of random creates that are ephemeral (per million; 0 draws nothing).
    void setEphemeralShare(std::uint32_t perMillion) { m_ephemeralPerMillion = perMillion; }
    // A stalled client (a GC pause, a frozen VM): nothing leaves it before `tick`, pings
    // included, so its session may expire; the connection stays open.
    void pauseUntil(Tick tick) { m_pausedUntil = tick; }
    // The next request payload to send now, if any (a queued or random write, or a ping).
    std::optional<std::vector<std::uint8_t>> poll(Tick now);

    std::vector<ClientAck> takeAcks() { return std::exchange(m_acks, {}); }
    std::vector<std::string> takeProblems() { return std::exchange(m_problems, {}); }
    std::vector<std::string> takeTrace() { return std::exchange(m_trace, {}); }
    void setTracing(bool on) { m_tracing = on; } // off: no trace lines are made
    std::uint64_t writesSent() const { return m_writesSent; }
    std::uint64_t writesAcked() const { return m_writesAcked; }

private:
    struct Request
    {
        OpCode type = OpCode::Create;
        std::string path;
        std::string data;
        bool ephemeral = false;
    };
    struct Sent
    {
        Xid xid = 0;
        Request request;
    };

    std::vector<std::uint8_t> encode(Xid xid, const Request& request) const;
    void onReply(std::span<const std::uint8_t> payload, Tick now);

    std::string m_name;
    Prng m_prng;
    std::int32_t m_sessionTimeoutMs = 0;
    Tick m_pingIntervalTicks = 1;
    Sid m_node = 0;
    ClientConnectionId m_connection = 0;
    bool m_connected = false;
    SessionId m_session = 0;
    std::vector<std::uint8_t> m_password;
    Zxid m_lastZxidSeen = 0;
    Xid m_nextXid = 1;
    std::deque<Sent> m_outstanding;
    std::deque<Request> m_queue;
    bool m_pingOutstanding = false;
    Tick m_lastSentAt = 0;
    Tick m_reconnectAt = 0;
    Tick m_pausedUntil = 0;
    bool m_auto = false;
    bool m_tracing = true;
    int m_autoMax = 3;
    std::uint32_t m_ephemeralPerMillion = 0;
    std::uint64_t m_counter = 0;
    std::vector<std::string> m_ownPaths; // acknowledged creates, for setData
    std::vector<ClientAck> m_acks;
    std::vector<std::string> m_problems;
    std::vector<std::string> m_trace;
    std::uint64_t m_writesSent = 0;
    std::uint64_t m_writesAcked = 0;
};

} // namespace zk::sim
