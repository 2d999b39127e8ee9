#pragma once
// CliShell: zkCli's command interpreter (ZooKeeperMain 3.8) as a library. It takes one
// command line at a time and writes what zkCli would print through a CliSink, so the
// terminal app (app/zoolab-cli) and the studio's console share it. No terminal I/O here.
//
// Thread: one caller thread runs execute()/complete(); it must not be the client's thread.
// The sink is also called from the client thread for watch events ("WATCHER::" blocks), so
// it must be thread-safe. Output follows zkCli's split: results on out, errors and
// "Created /a" on err.
//
// Sessions: connect() opens a session the shell owns (and closes). attach() instead runs the
// commands on a client someone else owns, e.g. a studio tab's: the shell never closes it
// ("close" and "quit" only let go of it), and its watches go to a watcher of the shell's own,
// not to the client's default watcher.

#include "client/sync_client.h"

#include <atomic>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace zk::cli {

struct CliSink
{
    std::function<void(std::string_view)> out; // Text with its own newlines.
    std::function<void(std::string_view)> err;
};

struct ShellOptions
{
    std::int32_t sessionTimeoutMs = 30000;
    bool readOnly = false;
    // How long connect waits for the handshake before the first command runs anyway.
    std::chrono::milliseconds connectWaitMs{10000};
};

// Exit codes as ZooKeeperMain's ExitCode: 0 ok, 1 a failed command, 127 unknown command.
enum class CliStatus : int
{
    Ok = 0,
    Error = 1,
    CommandNotFound = 127
};

class CliShell
{
public:
    CliShell(CliSink sink, ShellOptions options = {});
    ~CliShell();

    // Opens a session to "host:port[,host:port][/chroot]" (closing any current one) and
    // waits up to options.connectWaitMs for it, printing "Connecting to <server>".
    void connect(const std::string& server);
    // Runs the following commands on `client` (closing a session of the shell's own first).
    // Not owned: the caller keeps it alive until detach(), connect(), another attach() or the
    // shell's destruction, and the shell never closes it. `label` names it in the prompt
    // (e.g. its connect string).
    void attach(client::ZkClient& client, std::string label);
    // Lets go of an attached client (no-op otherwise); later commands print "Not connected".
    void detach();
    bool attached() const { return m_attached; }

    // Runs one command line, records it in the history (like zkCli, blank lines are not
    // recorded) and returns its status.
    CliStatus execute(std::string_view line);

    bool quitRequested() const { return m_quit; }
    // printwatches on|off without a command (one-shot mode turns it off before exiting,
    // since zkCli exits before its Closed event prints).
    void setPrintWatches(bool on) { m_printWatches->store(on); }
    // "[zk: 127.0.0.1:2181(CONNECTED) 3] " as zkCli's prompt.
    std::string prompt() const;
    // Completions for the word that ends at the end of `line`: command names for the first
    // word, znode paths (children of the word's parent) for a word starting with '/'.
    std::vector<std::string> complete(std::string_view line);
    const std::map<int, std::string>& history() const { return m_history; }
    // The session in use, or null before connect / after close.
    client::SyncClient* session() { return m_sync.get(); }

private:
    using Words = std::vector<std::string>;
    CliStatus dispatch(const Words& words);
    bool alive() const;
    CliStatus usage(std::string_view command);
    CliStatus fail(ZError error, std::string_view path);
    void out(std::string_view text);
    void err(std::string_view text);
    void onWatch(const client::WatchedEvent& event);
    client::WatcherPtr watchIf(bool watch) const;

    CliStatus cmdLs(const Words& words);
    CliStatus cmdCreate(const Words& words);
    CliStatus cmdGet(const Words& words);
    CliStatus cmdSet(const Words& words);
    CliStatus cmdStat(const Words& words);
    CliStatus cmdDelete(const Words& words);
    CliStatus cmdDeleteAll(const Words& words);
    CliStatus cmdGetAcl(const Words& words);
    CliStatus cmdSetAcl(const Words& words);
    CliStatus cmdAddAuth(const Words& words);
    CliStatus cmdSync(const Words& words);
    CliStatus cmdAddWatch(const Words& words);
    CliStatus cmdRemoveWatches(const Words& words);
    CliStatus cmdGetEphemerals(const Words& words);
    CliStatus cmdGetAllChildrenNumber(const Words& words);
    CliStatus cmdWhoAmI(const Words& words);
    CliStatus cmdHistory();
    CliStatus listRecursive(const std::string& path, bool watch);

    CliSink m_sink;
    ShellOptions m_options;
    std::string m_server;
    void dropClient();

    std::unique_ptr<client::ZkClient> m_ownedClient;
    client::ZkClient* m_client = nullptr; // m_ownedClient's, or the attached one.
    bool m_attached = false;
    // Watches set through an attached client outlive neither the shell nor the attachment:
    // the relay forwards to the shell until dropClient() or the destructor clears it.
    struct WatchRelay
    {
        std::mutex mutex;
        CliShell* shell = nullptr;
    };
    std::shared_ptr<WatchRelay> m_relay;
    client::WatcherPtr m_attachedWatcher;
    std::unique_ptr<client::SyncClient> m_sync;
    std::map<int, std::string> m_history;
    int m_commandCount = 0;
    bool m_quit = false;
    std::shared_ptr<std::atomic<bool>> m_printWatches;
    std::mutex m_connectMutex;
    std::condition_variable m_connectCv;
    bool m_connectSettled = false;
};

} // namespace zk::cli
