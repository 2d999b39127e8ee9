#pragma once
// RemoteEnsemble: how the studio watches an ensemble it does not run (a connection tab to a
// multi-host connect string). Every pollIntervalMs (1 s) a worker thread asks each server
// srvr, mntr and (until it answers) conf, and the GUI thread turns the answers into the same
// ClusterModel the embedded ensemble fills: role, zxid (epoch:counter), clients, znodes, port.
// A word the server does not whitelist is explained in plain words (explanation()), and the
// other word stands in for it. With zoolab-server daemons started with zoolab.eventPort, the
// event endpoints' JSON lines feed the VoteTableModel and ClusterModel through a
// PeerEventBridge, as the embedded ensemble's events do.
//
// Sids: conf's serverId when it is whitelisted, else the server's position in the connect
// string (1, 2, ...).
//
// Threads: a GUI-thread QObject. One polling thread and one reader thread per event endpoint,
// all stopped and joined by stop() or the destructor; results cross to the GUI thread through
// a GuiInbox (late ones are dropped).

#include "bridge/gui_inbox.h"
#include "bridge/peer_event_bridge.h"
#include "controllers/four_letter.h"

#include <QObject>
#include <QStringList>

#include <atomic>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace zoolab {

class ClusterModel;
class VoteTableModel;

// What one poll found about one server.
struct RemoteServer
{
    std::string host;
    std::uint16_t clientPort = 0;
    std::optional<std::int64_t> serverId; // from conf
    bool reachable = false;
    std::string error; // why not reachable
    std::optional<SrvrInfo> srvr;
    std::map<std::string, std::string> mntr;
    bool srvrRefused = false; // not in 4lw.commands.whitelist
    bool mntrRefused = false;
    bool confRefused = false;

    // "leader", "follower", ... from srvr or mntr; empty when neither answered.
    std::string mode() const;
    QString address() const;
};

class RemoteEnsemble : public QObject
{
    Q_OBJECT
public:
    explicit RemoteEnsemble(QObject* parent = nullptr);
    ~RemoteEnsemble() override;

    // Parses the connect string (its chroot is ignored) and starts polling. Returns an error
    // sentence, or empty.
    QString start(const QString& connectString);
    // Also read these zoolab event endpoints ("host:port"), replacing earlier ones.
    void watchEvents(const QStringList& endpoints);
    void stop();
    void setPollIntervalMs(int ms) { m_pollIntervalMs = ms; }

    ClusterModel* clusterModel() const { return m_clusterModel; }
    VoteTableModel* voteModel() const { return m_voteModel; }
    const std::vector<RemoteServer>& servers() const { return m_servers; }
    std::vector<zk::Sid> sids() const;
    // "serving, leader 2", "2 of 3 reachable, no leader", ...
    QString bannerText() const { return m_banner; }
    // Plain words on what the studio cannot see and why (whitelists, unreachable servers),
    // one sentence per line; empty when everything answered.
    QString explanation() const { return m_explanation; }
    std::size_t pollCount() const { return m_polls; }
    std::size_t eventCount() const { return m_events; }
    // "connected" / "cannot connect: ..." per event endpoint, in the order given.
    QStringList eventStatus() const { return m_eventStatus; }

    static QString explain(const std::vector<RemoteServer>& servers);
    static QString bannerFor(const std::vector<RemoteServer>& servers, const ClusterModel& model);

signals:
    void polled();
    void eventsArrived();
    void changed(); // banner, explanation or event status

private:
    struct Endpoint
    {
        std::string host;
        std::uint16_t port = 0;
    };
    void pollLoop(std::vector<Endpoint> hosts);
    void readLoop(std::size_t index, Endpoint endpoint, std::uint64_t generation);
    bool readersGone(std::uint64_t generation) const;
    void onPoll(std::vector<RemoteServer> servers);
    void onEvents(PeerEventBridge::Batch batch);
    bool sleepFor(std::chrono::milliseconds duration);

    std::shared_ptr<GuiInbox> m_inbox;
    std::shared_ptr<PeerEventBridge> m_bridge;
    ClusterModel* m_clusterModel = nullptr;
    VoteTableModel* m_voteModel = nullptr;
    std::vector<RemoteServer> m_servers;
    std::vector<zk::Sid> m_sids;
    QString m_banner;
    QString m_explanation;
    QStringList m_eventStatus;
    std::size_t m_polls = 0;
    std::size_t m_events = 0;
    std::atomic<int> m_pollIntervalMs{1000};

    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stop = false;
    std::thread m_poller;
    std::vector<std::thread> m_readers;
    std::atomic<std::uint64_t> m_readerGeneration{0};
};

} // namespace zoolab
