#pragma once
// ZabCluster runs N real QuorumPeers (election, ZAB leader and learner, the client server) on
// one thread, one tick() at a time, every random decision taken from one seed. Each node has
// a simulated driver that carries out every peer_action as net/QuorumHost does:
//
//   SendVote       over SimNetwork (delay, loss, duplication, partitions);
//   ConnectLeader  opens a quorum connection to the leader's quorum port after a link delay;
//                  refused (leader down, link cut) it retries every 100 ms, as the live
//                  retry timer; DisconnectLeader closes it;
//   SendLeader/SendLearner
//                  one ordered, reliable byte stream per connection and direction, decoded
//                  on arrival as QuorumChannel does (QuorumPackets, and on the learner's side
//                  the SNAP stream that follows a SNAP packet), optionally in pieces; a crash,
//                  a cut link or a close breaks it, and each end that still had it open gets
//                  leaderLost or learnerClosed (a closing end's last bytes arrive before the
//                  close, a crashed end's are lost);
//   Persist        SimDisk append, logged(zxid) when the simulated fsync completes; with a
//                  snapCount, the serving database is snapshotted when one falls due;
//   WriteEpoch     durable at once; TakeSnapshot writes database() durably;
//   TruncateLog    SimDisk truncation, database rebuilt from the newest kept snapshot and the
//                  log, then databaseReloaded() before any other input;
//   Client         frames and closes for SimClients, which speak real client frames.
//
// A crash drops the peer and the unsynced end of its log; restart() recovers from the SimDisk
// (snapshot + log replay, epoch files) and starts a new QuorumPeer. Time: tick() advances one
// tick of tickMs and calls every peer's tick(wallMs) with the simulated clock.
//
// Invariants (ZabChecker, after every input) are recorded as violations with seed and tick,
// as is liveness: once the network is quiet (no cut, no loss) and a quorum is live for
// liveBoundTicks after the last fault, one leader must serve (see isStable). checkDatabases()
// adds what holds once the run settled: acknowledged creates everywhere, no orphan ephemerals.
// ZK_SEED=<n> replays a run; the trace (setTraceLevel, traceSink) tells its story.

#include "sim/sim_client.h"
#include "sim/sim_disk.h"
#include "sim/sim_network.h"
#include "sim/zab_checker.h"
#include "zab/quorum_peer.h"

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace zk::sim {

enum class ZabTraceLevel
{
    Off,     // nothing (the random runs: no formatting at all)
    Roles,   // role changes with reasons, establishment, leader-side sync, faults, clients
    Zab,     // also phases, epochs, learner-side sync, snapshots, quorum connections
    Packets, // also every quorum packet delivered and every election event
};

struct ZabSimOptions
{
    std::uint64_t seed = 1;
    int tickMs = 10;      // one simulated tick (the peers' peerTickMs)
    int tickTimeMs = 100; // ZooKeeper's tickTime
    int initLimit = 10;   // ticks of tickTime
    int syncLimit = 5;    // ticks of tickTime
    int finalizeWaitMs = 200;
    int minNotificationIntervalMs = 200;
    int maxNotificationIntervalMs = 1600;
    std::size_t commitLogCount = 500;
    // zookeeper.snapshotSizeFactor: below 0 a leader never reads its log for a DIFF.
    double snapshotSizeFactor = -1;
    std::int32_t sessionTimeoutMs = 1000;
    // Quorum streams arrive in pieces (a TCP read returns part of what was written): each
    // send is split at random points with this chance, the pieces in order.
    std::uint32_t fragmentPerMillion = 0;

    LinkProfile link;
    SimDiskProfile disk; // its snapCount enables snapshots while serving
    Tick liveBoundTicks = 3000;
    ZabTraceLevel traceLevel = ZabTraceLevel::Roles;
    bool traceTicks = false; // prefix trace lines with "[t=<tick>] "
    // Trace lines go here as they happen instead of to takeTrace() (so that a run that dies
    // on an assertion has told its story).
    std::function<void(const std::string&)> traceSink = nullptr;
};

class ZabCluster
{
public:
    explicit ZabCluster(ZabSimOptions options);
    ~ZabCluster();
    ZabCluster(const ZabCluster&) = delete;
    ZabCluster& operator=(const ZabCluster&) = delete;

    // Participants, then observers, with the next sids from 1; before the first start.
    void addNodes(int participants, int observers = 0);
    void start(Sid sid);
    void startAll();

    void tick(int count = 1);
    void crash(Sid sid);
    void restart(Sid sid);
    void partition(const std::vector<std::vector<Sid>>& groups);
    void cut(Sid from, Sid to);
    void heal();
    void setLinkProfile(const LinkProfile& link);
    void setDiskProfile(const SimDiskProfile& disk);
    void setDiskProfile(Sid sid, const SimDiskProfile& disk); // one node's disk

    // Clients. A client with a fixed node connects only there; otherwise each (re)connection
    // picks a live node at random.
    SimClient& addClient(const std::string& name, std::optional<Sid> node, bool autoWrite);
    SimClient* client(const std::string& name);
    void setClientNode(const std::string& name, std::optional<Sid> node);
    void setAutoWrite(bool on);             // every client's
    std::size_t clientsOutstanding() const; // requests sent or queued, not answered

    // One live leader serves with a quorum, and every other live node serves following it,
    // except a node that accepted a later epoch from a leader that never established it: as
    // in Apache (Learner.registerWithLeader), it refuses this leader's lower epoch until the
    // next election.
    bool isStable() const;
    std::optional<Sid> servingLeader() const;
    std::vector<Sid> waitingForLaterEpoch() const; // those nodes, while stable
    bool runUntilStable(Tick maxTicks);
    // Stable, every serving node at the leader's lastProcessedZxid, no client request pending.
    bool isConverged() const;
    bool runUntilConverged(Tick maxTicks);
    // Every persistent create a client got OK for is in the database of every serving node,
    // and no serving node holds an ephemeral of a session it does not know.
    void checkDatabases();

    bool isLive(Sid sid) const;
    const QuorumPeer& peer(Sid sid) const;
    const SimDisk& disk(Sid sid) const { return m_nodes.at(sid).disk; }
    std::vector<Sid> sids() const;
    std::vector<Sid> liveSids() const;
    const ZabChecker& checker() const { return m_checker; }
    const std::vector<ClientAck>& acknowledged() const { return m_acks; }

    const std::vector<std::string>& violations() const { return m_violations; }
    bool checkInvariants() const { return m_violations.empty(); }
    std::vector<std::string> takeTrace() { return std::exchange(m_trace, {}); }
    void setTraceLevel(ZabTraceLevel level);
    void traceLine(std::string line);

    std::uint64_t seed() const { return m_options.seed; }
    Tick currentTick() const { return m_now; }
    std::int64_t wallMs() const;
    std::uint64_t electionsDecided() const { return m_decisions; }
    std::uint64_t establishments() const { return m_establishments; }
    std::uint64_t syncs(const std::string& mode) const;

private:
    struct Node;
    struct Link;
    struct ClientConnection
    {
        std::string client;
        Sid node = 0;
        std::uint64_t nodeLife = 0;
    };
    struct ChunkEvent
    {
        LearnerLinkId link = 0;
        bool toLeader = false;
        std::vector<std::uint8_t> bytes;
    };
    struct ConnectEvent
    {
        LearnerLinkId link = 0;
    };
    struct CloseEvent
    {
        LearnerLinkId link = 0;
        bool toLeader = false;
    };
    struct RetryEvent
    {
        Sid sid = 0;
        std::uint64_t life = 0;
        std::uint64_t generation = 0;
    };
    struct ClientFrameEvent
    {
        ClientConnectionId connection = 0;
        std::vector<std::uint8_t> payload;
    };
    struct ClientCloseEvent
    {
        ClientConnectionId connection = 0;
        Sid node = 0;
        std::uint64_t nodeLife = 0;
    };
    using Event = std::variant<ChunkEvent, ConnectEvent, CloseEvent, RetryEvent, ClientFrameEvent,
                               ClientCloseEvent>;

    Node& node(Sid sid) { return *m_nodes.at(sid).state; }
    QuorumPeerConfig peerConfig(Sid sid) const;
    void boot(Sid sid);
    void schedule(Tick at, Event event);
    void runEvent(Event& event);
    Tick linkDelay();
    bool linkAllowed(Sid a, Sid b) const;

    // Inputs: each runs one peer input, then observes and carries out its output.
    template <typename Fn>
    void input(Sid sid, Fn&& fn);
    void drain(Sid sid);
    void observe(Sid sid, const PeerOutput& output);
    void carryOut(Sid sid, PeerAction& action);
    void record(Sid sid, const PeerEvent& event);

    // Quorum connections (QuorumHost's learner channel and quorum port).
    void connectLeader(Sid sid);
    void dropLeader(Sid sid);
    void sendOnLink(Link& link, bool toLeader, std::vector<std::uint8_t> bytes);
    void closeEnd(LearnerLinkId id, bool leaderEnd);
    void onChunk(ChunkEvent& event);
    void onConnect(const ConnectEvent& event);
    void onClose(const CloseEvent& event);
    void breakCutLinks();
    void failEnd(LearnerLinkId id, bool leaderEnd, const std::string& why);

    // Clients.
    void tickClients();
    void openClient(SimClient& client);
    void deliverToClient(ClientConnectionId id, const OutboundFrame& frame);
    void closeClient(ClientConnectionId id, bool tellServer);
    void collectClient(SimClient& client);

    void checkLiveness();
    void violation(std::string text);
    void takeCheckerProblems();
    void disturbed() { m_lastDisturbance = m_now; }
    bool traces(ZabTraceLevel level) const { return m_options.traceLevel >= level; }

    ZabSimOptions m_options;
    Prng m_prng;
    SimNetwork m_network;
    Prng m_linkPrng;
    Prng m_clientPrng;
    QuorumVerifier m_quorum;
    std::vector<std::uint8_t> m_configData;
    struct NodeSlot
    {
        SimDisk disk;
        std::unique_ptr<Node> state; // null while down
        std::uint64_t lives = 0;
    };
    std::map<Sid, NodeSlot> m_nodes;
    std::map<LearnerLinkId, std::unique_ptr<Link>> m_links;
    LearnerLinkId m_nextLinkId = 1;
    std::map<std::pair<Tick, std::uint64_t>, Event> m_events;
    std::uint64_t m_eventSequence = 0;

    std::map<std::string, std::unique_ptr<SimClient>> m_clients;
    std::map<std::string, std::optional<Sid>> m_clientNodes;
    std::map<ClientConnectionId, ClientConnection> m_clientConnections;
    ClientConnectionId m_nextClientConnection = 1;

    ZabChecker m_checker;
    std::vector<ClientAck> m_acks;
    Tick m_now = 0;
    Tick m_lastDisturbance = 0;
    bool m_started = false;
    std::uint64_t m_decisions = 0;
    std::uint64_t m_establishments = 0;
    std::map<std::string, std::uint64_t> m_syncs;
    std::vector<std::string> m_violations;
    std::vector<std::string> m_trace;
};

} // namespace zk::sim
