#pragma once
// Ensemble is the embedded ZooKeeper ensemble: N QuorumHosts in one process, each with its own
// io_context, thread, ports and dataDir, on 127.0.0.1 by default. Every node can be killed (a
// crash: no goodbye, its dataDir left as it is), restarted (recovery from its dataDir),
// paused and resumed (as SIGSTOP/SIGCONT), and the link between any two nodes cut, healed or
// slowed down, and delivery held and stepped one message at a time. The studio's embedded
// cluster and the drill tests use it.
//
// Thread-safe: every method may be called from any thread; node events reach the sink on the
// nodes' threads.

#include "net/quorum_host.h"

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <system_error>
#include <vector>

namespace zk {

struct EnsembleOptions
{
    int participants = 3;
    int observers = 0;
    std::string host = "127.0.0.1";
    // Client ports, one per node in sid order; empty: free ports. The studio uses 2181-2183.
    std::vector<std::uint16_t> clientPorts;
    std::filesystem::path baseDir; // node N keeps its dataDir in baseDir/node<N>
    std::int32_t tickTimeMs = 500;
    int initLimit = 10;
    int syncLimit = 5;
    int peerTickMs = 20;
    bool forceSync = true;
    std::size_t commitLogCount = 500; // zookeeper.commitLogCount
    double snapshotSizeFactor = 0.33; // zookeeper.snapshotSizeFactor
    std::set<std::string> fourLetterWhitelist{"*"};
    // What every node's server shares (extended types, SASL, container checks); sid, tickTime
    // and the session timeout bounds are filled in from the fields above.
    ServerCoreConfig server;
};

class Ensemble
{
public:
    using EventSink = std::function<void(const PeerEvent& event)>;

    explicit Ensemble(EnsembleOptions options);
    ~Ensemble();
    Ensemble(const Ensemble&) = delete;
    Ensemble& operator=(const Ensemble&) = delete;

    // Picks the quorum and election ports (and free client ports when none were given).
    // Fails naming the port that is taken.
    std::error_code prepare(std::string& error);
    // Starts every node that is not running (in sid order).
    bool startAll(std::string& error);
    bool start(Sid sid, std::string& error); // also restart after kill
    void kill(Sid sid);
    void killAll();
    void pause(Sid sid);
    void resume(Sid sid);
    void cut(Sid a, Sid b);
    void heal(Sid a, Sid b);
    void cutOneWay(Sid from, Sid to); // only messages from `from` to `to` stop; heal() restores
    void healAll();
    // Delays election messages and the ZAB stream on the directed link from->to.
    void setDelay(Sid from, Sid to, std::chrono::milliseconds delay);
    // Held delivery (LinkFilter's held mode) for stepping through a protocol by hand: while
    // held, every election message and ZAB packet waits; stepOne() delivers the oldest and
    // says what it was; setHeld(false) delivers all that wait, in order.
    void setHeld(bool held);
    bool held() const;
    std::optional<HeldMessage> stepOne();
    std::size_t heldCount() const;
    std::optional<HeldMessage> nextHeld() const;
    void setEventSink(EventSink sink);

    std::vector<Sid> sids() const;
    bool isRunning(Sid sid) const;
    bool isPaused(Sid sid) const;
    std::optional<QuorumStatus> status(Sid sid) const; // nullopt when not running
    // The client sessions node `sid` holds connections for, and the ephemerals of every
    // session; nullopt when it is not running, paused or failed. Waits for its io thread.
    std::optional<SessionsSnapshot> sessionsSnapshot(Sid sid) const;
    // The leader that serves, as a quorum of serving nodes agrees; nullopt otherwise.
    std::optional<Sid> servingLeader() const;
    std::uint16_t clientPort(Sid sid) const;
    std::string connectString() const; // "127.0.0.1:2181,127.0.0.1:2182,127.0.0.1:2183"
    std::filesystem::path dataDir(Sid sid) const;
    const EnsembleOptions& options() const { return m_options; }

private:
    QuorumHostOptions hostOptions(Sid sid) const;

    EnsembleOptions m_options;
    std::shared_ptr<LinkFilter> m_filter = std::make_shared<LinkFilter>();
    std::map<Sid, QuorumMember> m_members;
    std::map<Sid, std::uint16_t> m_clientPorts;
    mutable std::mutex m_mutex;
    std::map<Sid, std::unique_ptr<QuorumHost>> m_nodes;
    std::shared_ptr<EventSink> m_sink = std::make_shared<EventSink>();
    mutable std::mutex m_sinkMutex;
    bool m_prepared = false;
};

} // namespace zk
