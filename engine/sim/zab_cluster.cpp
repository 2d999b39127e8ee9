#include "sim/zab_cluster.h"

#include "core/assert.h"
#include "proto/txn_codec.h"
#include "storage/snap_stream.h"

#include <fmt/format.h>

#include <deque>
#include <set>

namespace zk::sim {

namespace {

// The simulated clock's origin: wall time is origin + tick * tickMs.
constexpr std::int64_t kWallOriginMs = 1'700'000'000'000;
constexpr int kDrainRoundsMax = 100'000;
constexpr std::int32_t kMaxQuorumPacketBytes = 64 * 1024 * 1024;
constexpr int kConnectRetryMs = 100; // QuorumHost's retry timer
constexpr std::size_t kViolationsMax = 50;
constexpr std::size_t kEventsMax = 2'000'000;
constexpr int kClientFramesPerTick = 4;

std::string hex(Zxid zxid)
{
    return fmt::format("0x{:x}", zxid);
}

std::string stateName(ServerState state)
{
    return std::string(toString(state));
}

// The type of the first QuorumPacket in `bytes`, if the bytes start with one.
std::optional<QuorumPacket> firstPacket(const std::vector<std::uint8_t>& bytes, std::int32_t type)
{
    if (bytes.size() < 4)
        return std::nullopt;
    const std::int32_t first = static_cast<std::int32_t>(
        (std::uint32_t(bytes[0]) << 24) | (std::uint32_t(bytes[1]) << 16) |
        (std::uint32_t(bytes[2]) << 8) | std::uint32_t(bytes[3]));
    if (first != type)
        return std::nullopt;
    QuorumPacketDecode decoded = decodeQuorumPacket(bytes, kMaxQuorumPacketBytes);
    if (decoded.status != DecodeStatus::Ok)
        return std::nullopt;
    return decoded.packet;
}

} // namespace

// A node's driver state while it runs (QuorumHost's members).
struct ZabCluster::Node
{
    Sid sid = 0;
    std::uint64_t life = 0;
    std::unique_ptr<QuorumPeer> peer;
    ServerState state = ServerState::Looking;
    Sid wantedLeader = -1;
    std::uint64_t leaderGeneration = 0;
    std::optional<LearnerLinkId> leaderLink;
    std::int64_t diffsFromLogSeen = 0;
};

// One end's reader of a quorum stream (QuorumChannel::process).
struct StreamReader
{
    std::vector<std::uint8_t> input;
    std::size_t pos = 0;
    std::unique_ptr<SnapStreamDecoder> snap;
    Zxid snapZxid = 0;

    std::span<const std::uint8_t> rest() const
    {
        return std::span<const std::uint8_t>(input).subspan(pos);
    }
    void compact()
    {
        input.erase(input.begin(), input.begin() + static_cast<std::ptrdiff_t>(pos));
        pos = 0;
    }
};

// One quorum connection: learner `learner` dialled `leader`'s quorum port.
struct ZabCluster::Link
{
    LearnerLinkId id = 0;
    Sid learner = 0;
    Sid leader = 0;
    std::uint64_t learnerLife = 0;
    std::uint64_t leaderLife = 0;
    std::uint64_t generation = 0; // the learner's leaderGeneration when it dialled
    bool pending = true;          // the connect has not completed or failed yet
    bool learnerOpen = false;
    bool leaderOpen = false;
    bool learnerDead = false; // crashed: its bytes in flight are lost
    bool leaderDead = false;
    Tick lastToLeader = 0;
    Tick lastToLearner = 0;
    StreamReader atLeader;
    StreamReader atLearner;
    std::deque<std::vector<Zxid>> snapHistories; // the sender's history per SNAP sent
};

ZabCluster::ZabCluster(ZabSimOptions options)
    : m_options(options), m_prng(options.seed), m_network(m_prng.split(), options.link),
      m_linkPrng(m_prng.split()), m_clientPrng(m_prng.split())
{}

ZabCluster::~ZabCluster() = default;

std::int64_t ZabCluster::wallMs() const
{
    return kWallOriginMs + m_now * m_options.tickMs;
}

void ZabCluster::addNodes(int participants, int observers)
{
    ZK_ASSERT(!m_started);
    std::vector<Sid> voters(m_quorum.voters().begin(), m_quorum.voters().end());
    std::vector<Sid> watchers(m_quorum.observers().begin(), m_quorum.observers().end());
    for (int i = 0; i < participants + observers; ++i) {
        const Sid sid = static_cast<Sid>(m_nodes.size()) + 1;
        m_nodes.emplace(sid, NodeSlot{SimDisk(m_prng.split(), m_options.disk), nullptr, 0});
        (i < participants ? voters : watchers).push_back(sid);
    }
    m_quorum = QuorumVerifier::majority(voters, watchers);
    std::string text;
    for (Sid sid : sids()) {
        text += fmt::format("server.{}=n{}:2888:3888:{}\n", sid, sid,
                            m_quorum.isObserver(sid) ? "observer" : "participant");
    }
    text += "version=0";
    m_configData.assign(text.begin(), text.end());
}

QuorumPeerConfig ZabCluster::peerConfig(Sid sid) const
{
    QuorumPeerConfig config;
    config.myId = sid;
    config.quorum = m_quorum;
    config.server.sid = sid;
    config.server.tickTimeMs = m_options.tickTimeMs;
    config.server.minSessionTimeoutMs = 2 * m_options.tickTimeMs;
    config.server.maxSessionTimeoutMs = 20 * m_options.tickTimeMs;
    config.initLimit = m_options.initLimit;
    config.syncLimit = m_options.syncLimit;
    config.peerTickMs = m_options.tickMs;
    config.finalizeWaitMs = m_options.finalizeWaitMs;
    config.minNotificationIntervalMs = m_options.minNotificationIntervalMs;
    config.maxNotificationIntervalMs = m_options.maxNotificationIntervalMs;
    config.configData = m_configData;
    config.commitLogCount = m_options.commitLogCount;
    config.encodeSnap = [](const DataTree& tree,
                           const std::map<SessionId, std::int32_t>& sessions) {
        return encodeSnapStream(tree, sessions);
    };
    config.snapshotSizeFactor = m_options.snapshotSizeFactor;
    // The disk outlives the node's crashes; the peer that reads it lives no longer than it.
    config.readHistory = [disk = &m_nodes.at(sid).disk](Zxid after, Zxid upTo,
                                                        std::size_t byteLimit) {
        return disk->readHistory(after, upTo, byteLimit);
    };
    return config;
}

bool ZabCluster::isLive(Sid sid) const
{
    const auto it = m_nodes.find(sid);
    return it != m_nodes.end() && it->second.state != nullptr;
}

const QuorumPeer& ZabCluster::peer(Sid sid) const
{
    return *m_nodes.at(sid).state->peer;
}

std::vector<Sid> ZabCluster::sids() const
{
    std::vector<Sid> out;
    for (const auto& [sid, slot] : m_nodes)
        out.push_back(sid);
    return out;
}

std::vector<Sid> ZabCluster::liveSids() const
{
    std::vector<Sid> out;
    for (const auto& [sid, slot] : m_nodes) {
        if (slot.state)
            out.push_back(sid);
    }
    return out;
}

std::uint64_t ZabCluster::syncs(const std::string& mode) const
{
    const auto it = m_syncs.find(mode);
    return it == m_syncs.end() ? 0 : it->second;
}

// ---- Lifecycle and faults ----

void ZabCluster::start(Sid sid)
{
    ZK_ASSERT(m_nodes.contains(sid));
    if (isLive(sid))
        return;
    m_started = true;
    boot(sid);
}

void ZabCluster::startAll()
{
    for (Sid sid : sids())
        start(sid);
}

void ZabCluster::boot(Sid sid)
{
    NodeSlot& slot = m_nodes.at(sid);
    SimRecovery recovered = slot.disk.recover();
    for (const std::string& problem : recovered.problems)
        violation(fmt::format("n{} recovery: {}", sid, problem));
    // QuorumPeer.loadDataBase: a missing epoch file starts at the epoch of the last zxid.
    PeerDurableState durable;
    durable.lastLoggedZxid = recovered.tree.lastProcessedZxid();
    durable.historyFloor = recovered.snapshotZxid;
    durable.currentEpoch = slot.disk.currentEpoch().value_or(zxidEpoch(durable.lastLoggedZxid));
    durable.acceptedEpoch = slot.disk.acceptedEpoch().value_or(durable.currentEpoch);
    if (durable.acceptedEpoch < durable.currentEpoch) {
        violation(fmt::format("n{} cannot start: acceptedEpoch {} is less than currentEpoch {}",
                              sid, durable.acceptedEpoch, durable.currentEpoch));
        return;
    }
    if (!slot.disk.currentEpoch())
        slot.disk.writeEpoch(false, durable.currentEpoch);
    if (!slot.disk.acceptedEpoch())
        slot.disk.writeEpoch(true, durable.acceptedEpoch);

    std::vector<Zxid> history = m_checker.snapshotHistory(sid, recovered.snapshotId);
    history.insert(history.end(), recovered.replayed.begin(), recovered.replayed.end());
    const Zxid zxid = recovered.tree.lastProcessedZxid();
    m_checker.started(sid, std::move(history), zxid);
    m_checker.holdsEpochHistory(sid, durable.currentEpoch, "restarted");
    takeCheckerProblems();

    auto node = std::make_unique<Node>();
    node->sid = sid;
    node->life = ++slot.lives;
    node->peer = std::make_unique<QuorumPeer>(peerConfig(sid), durable, std::move(recovered.tree),
                                              std::move(recovered.sessions), wallMs());
    slot.state = std::move(node);
    disturbed();
    if (traces(ZabTraceLevel::Roles))
        traceLine(fmt::format("n{} {} zxid={} acceptedEpoch={} currentEpoch={}", sid,
                              slot.lives == 1 ? "started" : "restarted", hex(zxid),
                              durable.acceptedEpoch, durable.currentEpoch));
    input(sid, [](QuorumPeer& peer) { peer.start(); });
}

void ZabCluster::crash(Sid sid)
{
    if (!isLive(sid))
        return;
    NodeSlot& slot = m_nodes.at(sid);
    const std::uint64_t life = slot.state->life;
    const std::size_t lost = slot.disk.logSize() - slot.disk.durableSize();
    slot.state.reset();
    slot.disk.crash();
    m_checker.crashed(sid);
    m_network.dropNode(sid);
    for (auto& [id, link] : m_links) {
        if (link->learner == sid && link->learnerLife == life) {
            link->learnerDead = true;
            link->learnerOpen = false;
            if (link->leaderOpen)
                schedule(m_now + linkDelay(), CloseEvent{id, true});
        }
        if (link->leader == sid && link->leaderLife == life && !link->pending) {
            link->leaderDead = true;
            link->leaderOpen = false;
            if (link->learnerOpen)
                schedule(m_now + linkDelay(), CloseEvent{id, false});
        }
    }
    std::vector<ClientConnectionId> clients;
    for (const auto& [id, connection] : m_clientConnections) {
        if (connection.node == sid)
            clients.push_back(id);
    }
    for (ClientConnectionId id : clients)
        closeClient(id, false);
    disturbed();
    if (traces(ZabTraceLevel::Roles))
        traceLine(fmt::format("n{} crashed (log durable up to {}, {} unsynced txns lost)", sid,
                              hex(slot.disk.lastDurable()), lost));
}

void ZabCluster::restart(Sid sid)
{
    if (!isLive(sid))
        boot(sid);
}

void ZabCluster::partition(const std::vector<std::vector<Sid>>& groups)
{
    m_network.partition(groups);
    disturbed();
    std::string text;
    for (const auto& group : groups) {
        if (!text.empty())
            text += " |";
        for (Sid sid : group)
            text += fmt::format(" {}", sid);
    }
    if (traces(ZabTraceLevel::Roles))
        traceLine("partition" + text);
}

void ZabCluster::cut(Sid from, Sid to)
{
    m_network.cut(from, to);
    disturbed();
    if (traces(ZabTraceLevel::Roles))
        traceLine(fmt::format("cut {} -> {}", from, to));
}

void ZabCluster::heal()
{
    m_network.heal();
    disturbed();
    if (traces(ZabTraceLevel::Roles))
        traceLine("heal");
}

void ZabCluster::setLinkProfile(const LinkProfile& link)
{
    m_network.setProfile(link);
    disturbed();
}

void ZabCluster::setDiskProfile(const SimDiskProfile& disk)
{
    for (auto& [sid, slot] : m_nodes)
        slot.disk.setProfile(disk);
}

void ZabCluster::setDiskProfile(Sid sid, const SimDiskProfile& disk)
{
    m_nodes.at(sid).disk.setProfile(disk);
}

// ---- Time ----

void ZabCluster::schedule(Tick at, Event event)
{
    ZK_ASSERT(m_events.size() < kEventsMax);
    m_events.emplace(std::pair{at, m_eventSequence++}, std::move(event));
}

Tick ZabCluster::linkDelay()
{
    const LinkProfile& profile = m_network.profile();
    return m_linkPrng.between(profile.delayMinTicks, profile.delayMaxTicks);
}

bool ZabCluster::linkAllowed(Sid a, Sid b) const
{
    return !m_network.isCut(a, b) && !m_network.isCut(b, a);
}

void ZabCluster::tick(int count)
{
    for (int i = 0; i < count; ++i) {
        ++m_now;
        for (Envelope& envelope : m_network.takeDue(m_now)) {
            if (!isLive(envelope.to))
                continue;
            const auto* bytes = std::get_if<std::vector<std::uint8_t>>(&envelope.payload);
            const auto notification = bytes ? decodeNotification(*bytes) : std::nullopt;
            if (!notification)
                continue;
            input(envelope.to,
                  [&](QuorumPeer& peer) { peer.receiveVote(envelope.from, *notification); });
        }
        while (!m_events.empty() && m_events.begin()->first.first <= m_now) {
            Event event = std::move(m_events.begin()->second);
            m_events.erase(m_events.begin());
            runEvent(event);
        }
        breakCutLinks();
        for (Sid sid : liveSids()) {
            if (!isLive(sid))
                continue;
            if (const auto durable = m_nodes.at(sid).disk.poll(m_now))
                input(sid, [zxid = *durable](QuorumPeer& peer) { peer.logged(zxid); });
            input(sid, [wall = wallMs()](QuorumPeer& peer) { peer.tick(wall); });
        }
        tickClients();
        std::erase_if(m_links, [](const auto& entry) {
            const Link& link = *entry.second;
            return !link.pending && !link.learnerOpen && !link.leaderOpen;
        });
        checkLiveness();
    }
}

void ZabCluster::runEvent(Event& event)
{
    std::visit(
        [this](auto& e) {
            using E = std::decay_t<decltype(e)>;
            if constexpr (std::is_same_v<E, ChunkEvent>) {
                onChunk(e);
            } else if constexpr (std::is_same_v<E, ConnectEvent>) {
                onConnect(e);
            } else if constexpr (std::is_same_v<E, CloseEvent>) {
                onClose(e);
            } else if constexpr (std::is_same_v<E, RetryEvent>) {
                if (isLive(e.sid) && node(e.sid).life == e.life &&
                    node(e.sid).leaderGeneration == e.generation)
                    connectLeader(e.sid);
            } else if constexpr (std::is_same_v<E, ClientFrameEvent>) {
                const auto it = m_clientConnections.find(e.connection);
                if (it == m_clientConnections.end() || !isLive(it->second.node) ||
                    node(it->second.node).life != it->second.nodeLife)
                    return;
                input(it->second.node,
                      [&](QuorumPeer& peer) { peer.clientFrame(e.connection, e.payload); });
            } else if constexpr (std::is_same_v<E, ClientCloseEvent>) {
                if (isLive(e.node) && node(e.node).life == e.nodeLife)
                    input(e.node, [&](QuorumPeer& peer) { peer.clientClosed(e.connection); });
            }
        },
        event);
}

// ---- Inputs and actions ----

template <typename Fn>
void ZabCluster::input(Sid sid, Fn&& fn)
{
    fn(*node(sid).peer);
    drain(sid);
}

void ZabCluster::drain(Sid sid)
{
    Node& n = node(sid);
    for (int round = 0; n.peer->hasOutput(); ++round) {
        ZK_ASSERT(round < kDrainRoundsMax);
        PeerOutput out = n.peer->takeOutput();
        observe(sid, out);
        for (PeerAction& action : out.actions)
            carryOut(sid, action);
    }
}

void ZabCluster::observe(Sid sid, const PeerOutput& out)
{
    Node& n = node(sid);
    for (const PeerAction& action : out.actions) {
        if (const auto* persist = std::get_if<peer_action::Persist>(&action)) {
            for (const LoggedTxn& txn : persist->txns)
                m_checker.logged(sid, txn);
        }
    }
    bool wentLooking = false;
    for (const PeerEvent& event : out.events) {
        if (event.kind == PeerEvent::Kind::StateChanged && event.state == ServerState::Looking)
            wentLooking = true;
    }
    m_checker.observe(sid, n.peer->database().lastProcessedZxid(), wentLooking);
    for (const PeerEvent& event : out.events)
        record(sid, event);
    if (n.peer->serving()) {
        m_checker.serving(sid, n.peer->state() == ServerState::Leading,
                          n.peer->database().digest());
    }
    takeCheckerProblems();
}

void ZabCluster::carryOut(Sid sid, PeerAction& action)
{
    Node& n = node(sid);
    NodeSlot& slot = m_nodes.at(sid);
    std::visit(
        [&](auto& a) {
            using A = std::decay_t<decltype(a)>;
            if constexpr (std::is_same_v<A, peer_action::SendVote>) {
                m_network.send(Envelope{sid, a.to, encodeNotification(a.notification)}, m_now);
            } else if constexpr (std::is_same_v<A, peer_action::ConnectLeader>) {
                dropLeader(sid);
                n.wantedLeader = a.leader;
                connectLeader(sid);
            } else if constexpr (std::is_same_v<A, peer_action::DisconnectLeader>) {
                dropLeader(sid);
            } else if constexpr (std::is_same_v<A, peer_action::SendLeader>) {
                if (n.leaderLink) {
                    Link& link = *m_links.at(*n.leaderLink);
                    if (link.learnerOpen)
                        sendOnLink(link, true, std::move(a.bytes));
                }
            } else if constexpr (std::is_same_v<A, peer_action::SendLearner>) {
                const auto it = m_links.find(a.link);
                if (it == m_links.end() || it->second->leader != sid || !it->second->leaderOpen)
                    return;
                Link& link = *it->second;
                if (const auto snap = firstPacket(a.bytes, QuorumPacketType::Snap))
                    link.snapHistories.push_back(m_checker.historyUpTo(sid, snap->zxid));
                sendOnLink(link, false, std::move(a.bytes));
            } else if constexpr (std::is_same_v<A, peer_action::CloseLearner>) {
                const auto it = m_links.find(a.link);
                if (it != m_links.end() && it->second->leader == sid)
                    closeEnd(a.link, true);
            } else if constexpr (std::is_same_v<A, peer_action::Persist>) {
                slot.disk.append(a.txns, m_now);
                if (slot.disk.takeSnapshotDue() && n.peer->serving()) {
                    // QuorumHost::snapshotTurn: the serving database, as it is now.
                    const DataTree& tree = n.peer->database();
                    const auto id = slot.disk.takeSnapshot(tree, n.peer->databaseSessions());
                    m_checker.snapshotTaken(sid, id, tree.lastProcessedZxid());
                    takeCheckerProblems();
                    if (traces(ZabTraceLevel::Zab))
                        traceLine(fmt::format("n{} snapshot at {} (snapCount)", sid,
                                              hex(tree.lastProcessedZxid())));
                }
            } else if constexpr (std::is_same_v<A, peer_action::WriteEpoch>) {
                slot.disk.writeEpoch(a.accepted, a.epoch);
            } else if constexpr (std::is_same_v<A, peer_action::TruncateLog>) {
                slot.disk.truncate(a.zxid);
                SimRecovery recovered = slot.disk.recover();
                for (const std::string& problem : recovered.problems)
                    violation(fmt::format("n{} reload: {}", sid, problem));
                std::vector<Zxid> history = m_checker.snapshotHistory(sid, recovered.snapshotId);
                history.insert(history.end(), recovered.replayed.begin(), recovered.replayed.end());
                const Zxid zxid = recovered.tree.lastProcessedZxid();
                // From LOOKING it is the learner leaving a SNAP/TRUNC sync, not a TRUNC.
                const bool leaving = n.peer->state() == ServerState::Looking;
                // A TRUNC drops what the learner logged above the leader's last commit; the
                // leader's proposals among it follow the TRUNC again.
                ResetKind kind;
                kind.fromOwnDisk = leaving;
                kind.resentEpoch = n.peer->durable().acceptedEpoch;
                m_checker.reset(sid, std::move(history), zxid,
                                (leaving ? "reload at " : "TRUNC to ") + hex(a.zxid), kind);
                m_checker.holdsEpochHistory(sid, n.peer->durable().currentEpoch, "reloaded");
                takeCheckerProblems();
                if (traces(ZabTraceLevel::Roles))
                    traceLine(leaving
                                  ? fmt::format("n{} left its sync: database reloaded from disk at "
                                                "{}",
                                                sid, hex(zxid))
                                  : fmt::format("n{} TRUNC to {}: log cut, database reloaded at {}",
                                                sid, hex(a.zxid), hex(zxid)));
                n.peer->databaseReloaded(std::move(recovered.tree), std::move(recovered.sessions),
                                         recovered.snapshotZxid);
            } else if constexpr (std::is_same_v<A, peer_action::TakeSnapshot>) {
                const DataTree& tree = n.peer->database();
                const std::uint64_t id = slot.disk.takeSnapshot(tree, n.peer->databaseSessions());
                m_checker.snapshotTaken(sid, id, tree.lastProcessedZxid());
                takeCheckerProblems();
                if (traces(ZabTraceLevel::Zab))
                    traceLine(
                        fmt::format("n{} snapshot at {}", sid, hex(tree.lastProcessedZxid())));
            } else if constexpr (std::is_same_v<A, peer_action::Client>) {
                for (const OutboundFrame& frame : a.frames)
                    deliverToClient(frame.connection, frame);
                for (ClientConnectionId id : a.closeConnections)
                    closeClient(id, false);
            }
        },
        action);
}

void ZabCluster::record(Sid sid, const PeerEvent& event)
{
    Node& n = node(sid);
    using Kind = PeerEvent::Kind;
    switch (event.kind) {
    case Kind::Election:
        if (event.election && std::holds_alternative<LeaderElected>(*event.election))
            ++m_decisions;
        if (traces(ZabTraceLevel::Packets) && event.election)
            traceLine(fmt::format("n{} {}", sid, toString(*event.election)));
        return;
    case Kind::StateChanged: {
        const ServerState from = n.state;
        n.state = event.state;
        if (from == event.state && event.state == ServerState::Looking)
            return; // a restart's first LOOKING
        if (traces(ZabTraceLevel::Roles))
            traceLine(fmt::format("n{} {} -> {} ({})", sid, stateName(from), stateName(event.state),
                                  event.text));
        return;
    }
    case Kind::PhaseChanged:
        if (traces(ZabTraceLevel::Zab))
            traceLine(fmt::format("n{} phase {}", sid, zabPhaseName(event.phase)));
        return;
    case Kind::EpochChanged:
        if (traces(ZabTraceLevel::Zab))
            traceLine(fmt::format("n{} {}={}", sid, event.text, event.epoch));
        return;
    case Kind::Sync:
        if (n.peer->state() == ServerState::Leading) {
            ++m_syncs[event.text];
            if (n.peer->diffsFromLog() > n.diffsFromLogSeen) {
                n.diffsFromLogSeen = n.peer->diffsFromLog();
                ++m_syncs["DIFF from log"];
            }
            if (traces(ZabTraceLevel::Roles)) {
                // The learner's own zxid, seen from outside: what the sync starts from.
                const Zxid from =
                    isLive(event.peer) ? peer(event.peer).database().lastProcessedZxid() : Zxid{-1};
                traceLine(fmt::format("n{} syncs n{} by {} from {} to {}", sid, event.peer,
                                      event.text, hex(from), hex(event.zxid)));
            }
        } else if (traces(ZabTraceLevel::Zab)) {
            traceLine(fmt::format("n{} got {} {} from n{}", sid, event.text, hex(event.zxid),
                                  event.peer));
        }
        return;
    case Kind::Established:
        ++m_establishments;
        m_checker.established(sid, event.epoch);
        if (traces(ZabTraceLevel::Roles))
            traceLine(
                fmt::format("n{} established epoch={} quorum={}", sid, event.epoch, event.text));
        return;
    case Kind::Proposal:
    case Kind::Ack:
    case Kind::Commit:
        if (traces(ZabTraceLevel::Packets))
            traceLine(fmt::format("n{} {} {}", sid, event.kindName(), hex(event.zxid)));
        return;
    case Kind::SessionCreated:
    case Kind::SessionClosed:
        if (traces(ZabTraceLevel::Zab))
            traceLine(fmt::format("n{} {} 0x{:x}", sid, event.kindName(), event.session));
        return;
    }
}

// ---- Quorum connections ----

void ZabCluster::dropLeader(Sid sid)
{
    Node& n = node(sid);
    ++n.leaderGeneration;
    if (n.leaderLink) {
        closeEnd(*n.leaderLink, false);
        n.leaderLink.reset();
    }
}

void ZabCluster::connectLeader(Sid sid)
{
    Node& n = node(sid);
    if (!m_nodes.contains(n.wantedLeader))
        return;
    if (!linkAllowed(sid, n.wantedLeader)) {
        const Tick retry = std::max(1, kConnectRetryMs / m_options.tickMs);
        schedule(m_now + retry, RetryEvent{sid, n.life, n.leaderGeneration});
        return;
    }
    auto link = std::make_unique<Link>();
    link->id = m_nextLinkId++;
    link->learner = sid;
    link->leader = n.wantedLeader;
    link->learnerLife = n.life;
    link->generation = n.leaderGeneration;
    const LearnerLinkId id = link->id;
    m_links.emplace(id, std::move(link));
    schedule(m_now + linkDelay(), ConnectEvent{id});
}

void ZabCluster::onConnect(const ConnectEvent& event)
{
    const auto it = m_links.find(event.link);
    if (it == m_links.end())
        return;
    Link& link = *it->second;
    link.pending = false;
    if (!isLive(link.learner) || node(link.learner).life != link.learnerLife ||
        node(link.learner).leaderGeneration != link.generation)
        return; // the learner gave up on this connection or crashed meanwhile
    if (!isLive(link.leader) || !linkAllowed(link.learner, link.leader)) {
        // Connection refused: QuorumHost retries after its retry timer.
        const Tick retry = std::max(1, kConnectRetryMs / m_options.tickMs);
        const Node& learner = node(link.learner);
        schedule(m_now + retry, RetryEvent{link.learner, learner.life, learner.leaderGeneration});
        return;
    }
    link.leaderLife = node(link.leader).life;
    link.learnerOpen = true;
    link.leaderOpen = true;
    link.lastToLeader = m_now;
    link.lastToLearner = m_now;
    node(link.learner).leaderLink = link.id;
    if (traces(ZabTraceLevel::Zab))
        traceLine(
            fmt::format("n{} connected to n{} (link {})", link.learner, link.leader, link.id));
    const Sid learner = link.learner;
    const LearnerLinkId id = link.id;
    input(link.leader, [id](QuorumPeer& peer) { peer.learnerConnected(id); });
    if (isLive(learner) && link.learnerOpen && node(learner).leaderLink == id)
        input(learner, [](QuorumPeer& peer) { peer.leaderConnected(); });
}

void ZabCluster::sendOnLink(Link& link, bool toLeader, std::vector<std::uint8_t> bytes)
{
    Tick& last = toLeader ? link.lastToLeader : link.lastToLearner;
    if (m_options.fragmentPerMillion > 0 && bytes.size() > 1 &&
        m_linkPrng.chance(m_options.fragmentPerMillion)) {
        // A piece now, the rest later (or in the same tick), in order.
        const auto cut = static_cast<std::ptrdiff_t>(1 + m_linkPrng.below(bytes.size() - 1));
        std::vector<std::uint8_t> head(bytes.begin(), bytes.begin() + cut);
        bytes.erase(bytes.begin(), bytes.begin() + cut);
        last = std::max(last, m_now + linkDelay());
        schedule(last, ChunkEvent{link.id, toLeader, std::move(head)});
    }
    last = std::max(last, m_now + linkDelay());
    schedule(last, ChunkEvent{link.id, toLeader, std::move(bytes)});
}

void ZabCluster::closeEnd(LearnerLinkId id, bool leaderEnd)
{
    const auto it = m_links.find(id);
    if (it == m_links.end())
        return;
    Link& link = *it->second;
    bool& own = leaderEnd ? link.leaderOpen : link.learnerOpen;
    if (!own)
        return;
    own = false;
    const bool otherOpen = leaderEnd ? link.learnerOpen : link.leaderOpen;
    if (!otherOpen)
        return;
    // The close (FIN) follows the bytes already on their way.
    Tick& last = leaderEnd ? link.lastToLearner : link.lastToLeader;
    last = std::max(last, m_now + linkDelay());
    schedule(last, CloseEvent{id, !leaderEnd});
}

void ZabCluster::onClose(const CloseEvent& event)
{
    const auto it = m_links.find(event.link);
    if (it == m_links.end())
        return;
    Link& link = *it->second;
    if (event.toLeader) {
        if (!link.leaderOpen)
            return;
        link.leaderOpen = false;
        if (traces(ZabTraceLevel::Zab))
            traceLine(
                fmt::format("n{} lost learner n{} (link {})", link.leader, link.learner, link.id));
        input(link.leader, [id = link.id](QuorumPeer& peer) { peer.learnerClosed(id); });
        return;
    }
    if (!link.learnerOpen)
        return;
    link.learnerOpen = false;
    Node& learner = node(link.learner);
    if (learner.leaderLink != link.id)
        return;
    learner.leaderLink.reset();
    input(link.learner, [](QuorumPeer& peer) {
        peer.leaderLost("connection to the leader lost: connection closed by peer");
    });
}

void ZabCluster::failEnd(LearnerLinkId id, bool leaderEnd, const std::string& why)
{
    Link& link = *m_links.at(id);
    violation(fmt::format("link {} n{} -> n{}: {}", id, link.learner, link.leader, why));
    closeEnd(id, leaderEnd);
    if (leaderEnd) {
        input(link.leader, [id](QuorumPeer& peer) { peer.learnerClosed(id); });
        return;
    }
    Node& learner = node(link.learner);
    if (learner.leaderLink == id) {
        learner.leaderLink.reset();
        input(link.learner, [&why](QuorumPeer& peer) {
            peer.leaderLost("connection to the leader lost: " + why);
        });
    }
}

void ZabCluster::onChunk(ChunkEvent& event)
{
    const auto it = m_links.find(event.link);
    if (it == m_links.end())
        return;
    Link& link = *it->second;
    const LearnerLinkId id = link.id;
    if (event.toLeader) {
        if (!link.leaderOpen || link.learnerDead)
            return;
        StreamReader& reader = link.atLeader;
        reader.input.insert(reader.input.end(), event.bytes.begin(), event.bytes.end());
        for (;;) {
            const QuorumPacketDecode decoded =
                decodeQuorumPacket(reader.rest(), kMaxQuorumPacketBytes);
            if (decoded.status == DecodeStatus::NeedMore)
                break;
            if (decoded.status == DecodeStatus::Malformed) {
                failEnd(id, true, "malformed quorum packet");
                return;
            }
            reader.pos += decoded.consumed;
            if (traces(ZabTraceLevel::Packets))
                traceLine(fmt::format("n{} -> n{} {}", link.learner, link.leader,
                                      decoded.packet.toString()));
            input(link.leader, [&](QuorumPeer& peer) { peer.learnerPacket(id, decoded.packet); });
            if (!link.leaderOpen)
                return;
        }
        reader.compact();
        return;
    }
    if (!link.learnerOpen || link.leaderDead)
        return;
    StreamReader& reader = link.atLearner;
    reader.input.insert(reader.input.end(), event.bytes.begin(), event.bytes.end());
    for (;;) {
        if (reader.snap) {
            std::size_t consumed = 0;
            const DecodeStatus status = reader.snap->feed(reader.rest(), consumed);
            reader.pos += consumed;
            if (status == DecodeStatus::NeedMore)
                break;
            if (status == DecodeStatus::Malformed) {
                failEnd(id, false, "bad SNAP stream: " + reader.snap->error());
                return;
            }
            SnapStreamResult result = reader.snap->take();
            reader.snap.reset();
            std::vector<Zxid> history;
            if (link.snapHistories.empty()) {
                violation(fmt::format("n{} received a SNAP stream nobody sent", link.learner));
            } else {
                history = std::move(link.snapHistories.front());
                link.snapHistories.pop_front();
            }
            const Zxid zxid = reader.snapZxid;
            QuorumPeer& peer = *node(link.learner).peer;
            peer.leaderSnapshot(zxid, std::move(result.tree), std::move(result.sessions));
            if (peer.database().lastProcessedZxid() == zxid) {
                m_checker.reset(link.learner, std::move(history), zxid, "SNAP " + hex(zxid));
                m_checker.holdsEpochHistory(link.learner, peer.durable().currentEpoch,
                                            "synced by SNAP");
                takeCheckerProblems();
            }
            drain(link.learner);
            if (!link.learnerOpen)
                return;
            continue;
        }
        const QuorumPacketDecode decoded = decodeQuorumPacket(reader.rest(), kMaxQuorumPacketBytes);
        if (decoded.status == DecodeStatus::NeedMore)
            break;
        if (decoded.status == DecodeStatus::Malformed) {
            failEnd(id, false, "malformed quorum packet");
            return;
        }
        reader.pos += decoded.consumed;
        const QuorumPacket& packet = decoded.packet;
        if (packet.type == QuorumPacketType::Snap) {
            reader.snap = std::make_unique<SnapStreamDecoder>(packet.zxid);
            reader.snapZxid = packet.zxid;
        }
        if ((packet.type == QuorumPacketType::Proposal ||
             packet.type == QuorumPacketType::Inform) &&
            packet.data) {
            m_checker.received(link.learner, packet.zxid, *packet.data);
        }
        if (traces(ZabTraceLevel::Packets))
            traceLine(fmt::format("n{} -> n{} {}", link.leader, link.learner, packet.toString()));
        input(link.learner, [&](QuorumPeer& peer) { peer.leaderPacket(packet); });
        if (!link.learnerOpen)
            return;
    }
    reader.compact();
}

void ZabCluster::breakCutLinks()
{
    std::vector<LearnerLinkId> cut;
    for (const auto& [id, link] : m_links) {
        if ((link->learnerOpen || link->leaderOpen) && !linkAllowed(link->learner, link->leader))
            cut.push_back(id);
    }
    for (LearnerLinkId id : cut) {
        Link& link = *m_links.at(id);
        if (link.learnerOpen) {
            link.learnerOpen = false;
            Node& learner = node(link.learner);
            if (learner.leaderLink == id) {
                // QuorumHost's tick: dropLeader(), then leaderLost.
                ++learner.leaderGeneration;
                learner.leaderLink.reset();
                input(link.learner,
                      [](QuorumPeer& peer) { peer.leaderLost("link to the leader cut"); });
            }
        }
        if (link.leaderOpen) {
            link.leaderOpen = false;
            input(link.leader, [id](QuorumPeer& peer) { peer.learnerClosed(id); });
        }
    }
}

// ---- Clients ----

SimClient& ZabCluster::addClient(const std::string& name, std::optional<Sid> node, bool autoWrite)
{
    ZK_ASSERT(!m_clients.contains(name));
    const Tick pingTicks =
        std::max<Tick>(1, m_options.sessionTimeoutMs / 3 / std::max(1, m_options.tickMs));
    auto client = std::make_unique<SimClient>(name, m_clientPrng.split(),
                                              m_options.sessionTimeoutMs, pingTicks);
    client->setAutoWrite(autoWrite);
    client->setTracing(traces(ZabTraceLevel::Roles));
    SimClient& ref = *client;
    m_clients.emplace(name, std::move(client));
    m_clientNodes[name] = node;
    return ref;
}

SimClient* ZabCluster::client(const std::string& name)
{
    const auto it = m_clients.find(name);
    return it == m_clients.end() ? nullptr : it->second.get();
}

void ZabCluster::setClientNode(const std::string& name, std::optional<Sid> node)
{
    m_clientNodes[name] = node;
}

void ZabCluster::setAutoWrite(bool on)
{
    for (auto& [name, client] : m_clients)
        client->setAutoWrite(on);
}

std::size_t ZabCluster::clientsOutstanding() const
{
    std::size_t total = 0;
    for (const auto& [name, client] : m_clients)
        total += client->outstanding() + client->queued();
    return total;
}

void ZabCluster::tickClients()
{
    for (auto& [name, client] : m_clients) {
        if (!client->isOpen()) {
            if (m_now >= client->reconnectAt())
                openClient(*client);
            continue;
        }
        for (int i = 0; i < kClientFramesPerTick; ++i) {
            auto payload = client->poll(m_now);
            if (!payload)
                break;
            schedule(m_now + 1, ClientFrameEvent{client->connection(), std::move(*payload)});
        }
    }
}

void ZabCluster::openClient(SimClient& client)
{
    std::optional<Sid> target = m_clientNodes[client.name()];
    if (!target) {
        const std::vector<Sid> live = liveSids();
        if (live.empty())
            return;
        target = live[m_clientPrng.below(live.size())];
    }
    if (!isLive(*target))
        return;
    const ClientConnectionId id = m_nextClientConnection++;
    m_clientConnections[id] = ClientConnection{client.name(), *target, node(*target).life};
    auto payload = client.open(*target, id, m_now);
    schedule(m_now + 1, ClientFrameEvent{id, std::move(payload)});
    const std::string remote = fmt::format("10.0.0.{}:{}", id % 250 + 1, 40000 + id % 20000);
    input(*target, [&](QuorumPeer& peer) { peer.clientOpened(id, remote); });
}

void ZabCluster::deliverToClient(ClientConnectionId id, const OutboundFrame& frame)
{
    const auto it = m_clientConnections.find(id);
    if (it == m_clientConnections.end())
        return;
    SimClient& client = *m_clients.at(it->second.client);
    const bool keep = client.receive(frame.bytes, m_now);
    collectClient(client);
    if (frame.closeAfter)
        closeClient(id, false);
    else if (!keep)
        closeClient(id, true);
}

void ZabCluster::closeClient(ClientConnectionId id, bool tellServer)
{
    const auto it = m_clientConnections.find(id);
    if (it == m_clientConnections.end())
        return;
    const ClientConnection connection = it->second;
    m_clientConnections.erase(it);
    SimClient& client = *m_clients.at(connection.client);
    if (client.connection() == id)
        client.closed(m_now);
    collectClient(client);
    if (tellServer)
        schedule(m_now + 1, ClientCloseEvent{id, connection.node, connection.nodeLife});
}

void ZabCluster::collectClient(SimClient& client)
{
    for (ClientAck& ack : client.takeAcks()) {
        m_checker.acknowledged(fmt::format("{} {} {}", ack.client,
                                           ack.type == OpCode::Create ? "create" : "setData",
                                           ack.path),
                               ack.zxid);
        m_acks.push_back(std::move(ack));
    }
    takeCheckerProblems();
    for (std::string& problem : client.takeProblems())
        violation(std::move(problem));
    for (std::string& line : client.takeTrace()) {
        if (traces(ZabTraceLevel::Roles))
            traceLine(std::move(line));
    }
}

// ---- Checks ----

bool ZabCluster::isStable() const
{
    return servingLeader().has_value();
}

std::optional<Sid> ZabCluster::servingLeader() const
{
    std::optional<Sid> leader;
    for (const auto& [sid, slot] : m_nodes) {
        if (!slot.state)
            continue;
        const QuorumPeer& peer = *slot.state->peer;
        if (peer.state() == ServerState::Leading && peer.serving()) {
            if (leader)
                return std::nullopt;
            leader = sid;
        }
    }
    if (!leader)
        return std::nullopt;
    const Epoch epoch = peer(*leader).durable().currentEpoch;
    std::set<Sid> serving{*leader};
    for (const auto& [sid, slot] : m_nodes) {
        if (!slot.state || sid == *leader)
            continue;
        const QuorumPeer& peer = *slot.state->peer;
        const bool learner =
            peer.state() == ServerState::Following || peer.state() == ServerState::Observing;
        if (peer.serving() && learner && peer.leaderSid() == *leader)
            serving.insert(sid);
        else if (peer.durable().acceptedEpoch <= epoch)
            return std::nullopt;
        // Else it accepted a later epoch from a leader that never established it and refuses
        // this one until the next election, as Apache's Learner.registerWithLeader does.
    }
    if (!m_quorum.containsQuorum(serving))
        return std::nullopt;
    return leader;
}

std::vector<Sid> ZabCluster::waitingForLaterEpoch() const
{
    std::vector<Sid> out;
    const auto leader = servingLeader();
    if (!leader)
        return out;
    for (Sid sid : liveSids()) {
        if (sid != *leader && !peer(sid).serving())
            out.push_back(sid);
    }
    return out;
}

bool ZabCluster::runUntilStable(Tick maxTicks)
{
    for (Tick i = 0; i < maxTicks && !isStable(); ++i)
        tick();
    return isStable();
}

bool ZabCluster::isConverged() const
{
    const auto leader = servingLeader();
    if (!leader || clientsOutstanding() != 0)
        return false;
    const Zxid zxid = peer(*leader).database().lastProcessedZxid();
    for (Sid sid : liveSids()) {
        if (peer(sid).serving() && peer(sid).database().lastProcessedZxid() != zxid)
            return false;
    }
    return true;
}

bool ZabCluster::runUntilConverged(Tick maxTicks)
{
    for (Tick i = 0; i < maxTicks && !isConverged(); ++i)
        tick();
    return isConverged();
}

void ZabCluster::checkDatabases()
{
    for (Sid sid : liveSids()) {
        const QuorumPeer& p = peer(sid);
        if (!p.serving())
            continue;
        for (const ClientAck& ack : m_acks) {
            if (ack.type == OpCode::Create && !ack.ephemeral &&
                p.database().node(ack.path) == nullptr) {
                violation(fmt::format("{} created {} (zxid {}, OK from n{}), but serving n{} at "
                                      "{} does not have it",
                                      ack.client, ack.path, hex(ack.zxid), ack.node, sid,
                                      hex(p.database().lastProcessedZxid())));
            }
        }
        // Ephemerals go with their session (closeSession deletes them in the same txn).
        const auto sessions = p.databaseSessions();
        for (SessionId owner : p.database().sessionsWithEphemerals()) {
            if (!sessions.contains(owner)) {
                const std::string& path = *p.database().ephemerals(owner).begin();
                violation(fmt::format("serving n{} at {} holds ephemerals of session 0x{:x}, "
                                      "which it does not know ({} created at {})",
                                      sid, hex(p.database().lastProcessedZxid()), owner, path,
                                      hex(p.database().node(path)->stat.czxid)));
            }
        }
    }
}

void ZabCluster::checkLiveness()
{
    if (m_network.hasCuts() || m_network.profile().lossPerMillion != 0)
        return;
    if (m_now - m_lastDisturbance < m_options.liveBoundTicks)
        return;
    const std::vector<Sid> live = liveSids();
    if (!m_quorum.containsQuorum({live.begin(), live.end()}) || isStable())
        return;
    violation(fmt::format("no leader serves all of live servers {} {} ticks after the last fault",
                          joinSids(live), m_options.liveBoundTicks));
    disturbed(); // once per bound, not every tick
}

void ZabCluster::takeCheckerProblems()
{
    for (std::string& problem : m_checker.takeProblems())
        violation(std::move(problem));
}

void ZabCluster::violation(std::string text)
{
    if (m_violations.size() >= kViolationsMax)
        return;
    std::string line = fmt::format("seed={} t={}: {}", m_options.seed, m_now, text);
    traceLine("VIOLATION " + line);
    m_violations.push_back(std::move(line));
}

void ZabCluster::setTraceLevel(ZabTraceLevel level)
{
    m_options.traceLevel = level;
    for (auto& [name, client] : m_clients)
        client->setTracing(traces(ZabTraceLevel::Roles));
}

void ZabCluster::traceLine(std::string line)
{
    if (m_options.traceTicks)
        line = fmt::format("[t={}] {}", m_now, line);
    if (m_options.traceSink)
        m_options.traceSink(line);
    else
        m_trace.push_back(std::move(line));
}

} // namespace zk::sim
