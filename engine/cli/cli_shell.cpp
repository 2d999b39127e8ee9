#include "cli/cli_shell.h"

#include "cli/cli_format.h"
#include "client/connect_string.h"

#include <algorithm>
#include <charconv>
#include <deque>
#include <stdexcept>

namespace zk::cli {

using namespace zk::client;

namespace {

bool parseInt(const std::string& text, std::int64_t& value)
{
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    return ec == std::errc{} && end == text.data() + text.size();
}

Bytes toBytes(const std::string& text)
{
    return Bytes(text.begin(), text.end());
}

// EphemeralType.TTL's limit: the ttl must fit in 40 bits.
constexpr std::int64_t kMaxTtlMs = 0xFFFFFFFFFFLL;

} // namespace

CliShell::CliShell(CliSink sink, ShellOptions options)
    : m_sink(std::move(sink)), m_options(options),
      m_printWatches(std::make_shared<std::atomic<bool>>(true))
{}

CliShell::~CliShell()
{
    // The client's callbacks point at this shell: stop them first.
    dropClient();
}

void CliShell::dropClient()
{
    m_sync.reset();
    m_ownedClient.reset();
    m_client = nullptr;
    m_attached = false;
    m_attachedWatcher.reset();
    if (m_relay) {
        std::lock_guard lock(m_relay->mutex);
        m_relay->shell = nullptr;
    }
    m_relay.reset();
}

void CliShell::attach(ZkClient& client, std::string label)
{
    dropClient();
    m_server = std::move(label);
    m_client = &client;
    m_attached = true;
    m_quit = false;
    m_relay = std::make_shared<WatchRelay>();
    m_relay->shell = this;
    m_attachedWatcher = makeWatcher([relay = m_relay](const WatchedEvent& event) {
        std::lock_guard lock(relay->mutex);
        if (relay->shell)
            relay->shell->onWatch(event);
    });
    m_sync = std::make_unique<SyncClient>(client);
}

void CliShell::detach()
{
    if (m_attached)
        dropClient();
}

void CliShell::out(std::string_view text)
{
    if (m_sink.out)
        m_sink.out(text);
}

void CliShell::err(std::string_view text)
{
    if (m_sink.err)
        m_sink.err(text);
}

void CliShell::onWatch(const WatchedEvent& event)
{
    if (m_printWatches->load()) {
        out("\nWATCHER::\n");
        out("\n" + toString(event) + "\n");
    }
    if (event.type == EventType::None) {
        std::lock_guard lock(m_connectMutex);
        m_connectSettled = true;
        m_connectCv.notify_all();
    }
}

void CliShell::connect(const std::string& server)
{
    dropClient();
    m_server = server;
    out("Connecting to " + server + "\n");
    ClientOptions options;
    options.connectString = server;
    options.sessionTimeoutMs = m_options.sessionTimeoutMs;
    options.canBeReadOnly = m_options.readOnly;
    options.defaultWatcher = [this](const WatchedEvent& event) { onWatch(event); };
    {
        std::lock_guard lock(m_connectMutex);
        m_connectSettled = false;
    }
    try {
        m_ownedClient = std::make_unique<ZkClient>(std::move(options));
    } catch (const std::invalid_argument& e) {
        err(std::string(e.what()) + "\n");
        return;
    }
    m_client = m_ownedClient.get();
    m_sync = std::make_unique<SyncClient>(*m_client);
    std::unique_lock lock(m_connectMutex);
    m_connectCv.wait_for(lock, m_options.connectWaitMs, [this] { return m_connectSettled; });
}

bool CliShell::alive() const
{
    if (!m_client)
        return false;
    const SessionState state = m_client->state();
    return state != SessionState::Closed && state != SessionState::Expired &&
           state != SessionState::AuthFailed;
}

std::string CliShell::prompt() const
{
    std::string state = "CLOSED";
    if (m_client) {
        switch (m_client->state()) {
        case SessionState::Connecting:
        case SessionState::Suspended:
            state = "CONNECTING";
            break;
        case SessionState::Connected:
            state = "CONNECTED";
            break;
        case SessionState::ConnectedReadOnly:
            state = "CONNECTEDREADONLY";
            break;
        case SessionState::AuthFailed:
            state = "AUTH_FAILED";
            break;
        case SessionState::Expired:
        case SessionState::Closed:
            state = "CLOSED";
            break;
        }
    }
    return "[zk: " + m_server + "(" + state + ") " + std::to_string(m_commandCount) + "] ";
}

CliStatus CliShell::execute(std::string_view line)
{
    const Words words = tokenize(line);
    if (words.empty())
        return CliStatus::Ok;
    m_history[m_commandCount] = std::string(line);
    CliStatus status = CliStatus::Ok;
    if (words[0] == "redo" && words.size() >= 2) {
        std::int64_t index = -1;
        if (!parseInt(words[1], index) || index < 0 || index >= m_commandCount) {
            err("Command index out of range\n");
            status = CliStatus::Error;
        } else if (tokenize(m_history[static_cast<int>(index)])[0] == "redo") {
            err("No redoing redos\n");
            status = CliStatus::Error;
        } else {
            m_history[m_commandCount] = m_history[static_cast<int>(index)];
            status = dispatch(tokenize(m_history[m_commandCount]));
        }
    } else {
        status = dispatch(words);
    }
    ++m_commandCount;
    return status;
}

CliStatus CliShell::usage(std::string_view command)
{
    err(std::string(commandUsage(command)) + "\n");
    return CliStatus::Error;
}

CliStatus CliShell::fail(ZError error, std::string_view path)
{
    err(errorMessage(error, path) + "\n");
    return CliStatus::Error;
}

WatcherPtr CliShell::watchIf(bool watch) const
{
    if (!watch)
        return nullptr;
    return m_attached ? m_attachedWatcher : m_client->defaultWatcher();
}

CliStatus CliShell::dispatch(const Words& words)
{
    const std::string& cmd = words[0];
    if (cmd == "quit") {
        m_quit = true;
        if (m_attached)
            detach();
        else if (m_sync && alive())
            m_sync->close();
        return CliStatus::Ok;
    }
    if (cmd == "history")
        return cmdHistory();
    if (cmd == "connect") {
        connect(words.size() >= 2 ? words[1] : m_server);
        return CliStatus::Ok;
    }
    // Everything below needs a live session (ZooKeeperMain.processZKCmd).
    if (!alive()) {
        out("Not connected\n");
        return CliStatus::Error;
    }
    if (cmd == "printwatches") {
        if (words.size() == 1)
            out(std::string("printwatches is ") + (m_printWatches->load() ? "on" : "off") + "\n");
        else
            m_printWatches->store(words[1] == "on");
        return CliStatus::Ok;
    }
    if (cmd == "version") {
        out("ZooKeeper CLI version: 3.8.0-zoolab, built on ZooLab\n");
        return CliStatus::Ok;
    }
    if (cmd == "close") {
        if (m_attached) {
            // Not the shell's session to close: let go of it instead.
            detach();
            out("Detached from the shared session; it stays open.\n");
            return CliStatus::Ok;
        }
        m_sync->close();
        return CliStatus::Ok;
    }
    using Handler = CliStatus (CliShell::*)(const Words&);
    static const std::map<std::string, Handler, std::less<>> handlers = {
        {"ls", &CliShell::cmdLs},
        {"create", &CliShell::cmdCreate},
        {"get", &CliShell::cmdGet},
        {"set", &CliShell::cmdSet},
        {"stat", &CliShell::cmdStat},
        {"delete", &CliShell::cmdDelete},
        {"deleteall", &CliShell::cmdDeleteAll},
        {"getAcl", &CliShell::cmdGetAcl},
        {"setAcl", &CliShell::cmdSetAcl},
        {"addauth", &CliShell::cmdAddAuth},
        {"sync", &CliShell::cmdSync},
        {"addWatch", &CliShell::cmdAddWatch},
        {"removewatches", &CliShell::cmdRemoveWatches},
        {"getEphemerals", &CliShell::cmdGetEphemerals},
        {"getAllChildrenNumber", &CliShell::cmdGetAllChildrenNumber},
        {"whoami", &CliShell::cmdWhoAmI},
    };
    if (const auto it = handlers.find(cmd); it != handlers.end())
        return (this->*(it->second))(words);
    if (!commandUsage(cmd).empty() && cmd != "help") {
        err("Command not supported by zoolab-cli: " + cmd + "\n");
        return CliStatus::Error;
    }
    // zkCli prints the usage and then fails the unknown command (help included).
    err(usageText());
    err("Command not found: Command not found " + cmd + "\n");
    return CliStatus::CommandNotFound;
}

CliStatus CliShell::cmdHistory()
{
    for (int i = m_commandCount - 10; i <= m_commandCount; ++i) {
        if (i < 0)
            continue;
        out(std::to_string(i) + " - " + m_history[i] + "\n");
    }
    return CliStatus::Ok;
}

CliStatus CliShell::cmdLs(const Words& words)
{
    const auto cmd = parseOptions(words, "swR", "");
    if (!cmd || cmd->args.size() < 2)
        return usage("ls");
    const std::string& path = cmd->args[1];
    if (std::string why = validatePath(path); !why.empty()) {
        err(why + "\n");
        return CliStatus::Error;
    }
    if (cmd->has('R'))
        return listRecursive(path, cmd->has('w'));
    const bool withStat = cmd->has('s');
    const auto result = withStat ? m_sync->getChildren2(path, watchIf(cmd->has('w')))
                                 : m_sync->getChildren(path, watchIf(cmd->has('w')));
    if (!result.ok())
        return fail(result.error, path);
    std::vector<std::string> children = result.value.children;
    std::sort(children.begin(), children.end());
    out(formatList(children) + "\n");
    if (withStat)
        out(formatStat(result.value.stat));
    return CliStatus::Ok;
}

// ZKUtil.visitSubTreeDFS: the root, then each node's sorted children before descending.
CliStatus CliShell::listRecursive(const std::string& root, bool watch)
{
    const auto rootData = m_sync->getData(root, watchIf(watch));
    if (!rootData.ok())
        return fail(rootData.error, root);
    out(root + "\n");
    std::vector<std::string> stack{root};
    // Depth-first over an explicit stack of parents; each parent prints all children first.
    std::function<CliStatus(const std::string&)> visit = [&](const std::string& path) {
        auto children = m_sync->getChildren(path, watchIf(watch));
        if (children.error == ZError::NoNode)
            return CliStatus::Ok;
        if (!children.ok())
            return fail(children.error, path);
        std::sort(children.value.children.begin(), children.value.children.end());
        const std::string base = path == "/" ? path : path + "/";
        for (const std::string& child : children.value.children)
            out(base + child + "\n");
        for (const std::string& child : children.value.children) {
            if (visit(base + child) != CliStatus::Ok)
                return CliStatus::Error;
        }
        return CliStatus::Ok;
    };
    return visit(root);
}

CliStatus CliShell::cmdCreate(const Words& words)
{
    const auto cmd = parseOptions(words, "esc", "t");
    if (!cmd || cmd->args.size() < 2)
        return usage("create");
    const bool hasE = cmd->has('e');
    const bool hasS = cmd->has('s');
    const bool hasC = cmd->has('c');
    const bool hasT = cmd->has('t');
    if (hasC && (hasE || hasS)) {
        err("-c cannot be combined with -s or -e. Containers cannot be ephemeral or "
            "sequential.\n");
        return CliStatus::Error;
    }
    std::int64_t ttl = 0;
    if (hasT && !parseInt(cmd->values.at('t'), ttl)) {
        err("-t argument must be a long value\n");
        return CliStatus::Error;
    }
    if (hasT && hasE) {
        err("TTLs cannot be used with Ephemeral znodes\n");
        return CliStatus::Error;
    }
    if (hasT && hasC) {
        err("TTLs cannot be used with Container znodes\n");
        return CliStatus::Error;
    }
    CreateMode mode = hasT ? CreateMode::PersistentWithTtl : CreateMode::Persistent;
    if (hasE && hasS)
        mode = CreateMode::EphemeralSequential;
    else if (hasE)
        mode = CreateMode::Ephemeral;
    else if (hasS)
        mode = hasT ? CreateMode::PersistentSequentialWithTtl : CreateMode::PersistentSequential;
    else if (hasC)
        mode = CreateMode::Container;
    if (hasT && (ttl <= 0 || ttl > kMaxTtlMs)) {
        err("ttl must be positive and cannot be larger than: " + std::to_string(kMaxTtlMs) + "\n");
        return CliStatus::Error;
    }
    const std::string& path = cmd->args[1];
    OptionalBytes data;
    if (cmd->args.size() > 2)
        data = toBytes(cmd->args[2]);
    AclList acl = openAclUnsafe();
    if (cmd->args.size() > 3) {
        std::string problems;
        acl = parseAcl(cmd->args[3], &problems);
        err(problems);
    }
    if (std::string why = validatePath(path, hasS); !why.empty()) {
        err(why + "\n");
        return CliStatus::Error;
    }
    if (acl.empty())
        return fail(ZError::InvalidAcl, "null");
    const auto result = m_sync->create(path, std::move(data), std::move(acl), mode, ttl);
    if (result.error == ZError::EphemeralOnLocalSession)
        err("Unable to create ephemeral node on a local session\n");
    if (!result.ok())
        return fail(result.error, path);
    err("Created " + result.value.path + "\n");
    return CliStatus::Ok;
}

CliStatus CliShell::cmdGet(const Words& words)
{
    const auto cmd = parseOptions(words, "sw", "");
    if (!cmd || cmd->args.size() < 2)
        return usage("get");
    const std::string& path = cmd->args[1];
    if (std::string why = validatePath(path); !why.empty()) {
        err(why + "\n");
        return CliStatus::Error;
    }
    const auto result = m_sync->getData(path, watchIf(cmd->has('w')));
    if (!result.ok())
        return fail(result.error, path);
    out(formatData(result.value.data) + "\n");
    if (cmd->has('s'))
        out(formatStat(result.value.stat));
    return CliStatus::Ok;
}

CliStatus CliShell::cmdSet(const Words& words)
{
    const auto cmd = parseOptions(words, "s", "v");
    if (!cmd || cmd->args.size() < 3)
        return usage("set");
    std::int64_t version = -1;
    if (cmd->has('v') && !parseInt(cmd->values.at('v'), version))
        return usage("set");
    const std::string& path = cmd->args[1];
    if (std::string why = validatePath(path); !why.empty()) {
        err(why + "\n");
        return CliStatus::Error;
    }
    const auto result =
        m_sync->setData(path, toBytes(cmd->args[2]), static_cast<std::int32_t>(version));
    if (!result.ok())
        return fail(result.error, path);
    if (cmd->has('s'))
        out(formatStat(result.value));
    return CliStatus::Ok;
}

CliStatus CliShell::cmdStat(const Words& words)
{
    const auto cmd = parseOptions(words, "w", "");
    if (!cmd || cmd->args.size() < 2)
        return usage("stat");
    const std::string& path = cmd->args[1];
    if (std::string why = validatePath(path); !why.empty()) {
        err(why + "\n");
        return CliStatus::Error;
    }
    const auto result = m_sync->exists(path, watchIf(cmd->has('w')));
    if (!result.ok())
        return fail(result.error, path);
    out(formatStat(result.value));
    return CliStatus::Ok;
}

CliStatus CliShell::cmdDelete(const Words& words)
{
    const auto cmd = parseOptions(words, "", "v");
    if (!cmd || cmd->args.size() < 2)
        return usage("delete");
    std::int64_t version = -1;
    if (cmd->has('v') && !parseInt(cmd->values.at('v'), version))
        return usage("delete");
    const std::string& path = cmd->args[1];
    if (std::string why = validatePath(path); !why.empty()) {
        err(why + "\n");
        return CliStatus::Error;
    }
    const auto result = m_sync->deleteNode(path, static_cast<std::int32_t>(version));
    if (!result.ok())
        return fail(result.error, path);
    return CliStatus::Ok;
}

// ZKUtil.deleteRecursive: list the subtree breadth-first, delete it leaves first in multi
// batches.
CliStatus CliShell::cmdDeleteAll(const Words& words)
{
    const auto cmd = parseOptions(words, "", "b");
    if (!cmd || cmd->args.size() < 2)
        return usage("deleteall");
    std::int64_t batch = 1000;
    if (cmd->has('b') && (!parseInt(cmd->values.at('b'), batch) || batch <= 0))
        return usage("deleteall");
    const std::string& root = cmd->args[1];
    if (std::string why = validatePath(root); !why.empty()) {
        err(why + "\n");
        return CliStatus::Error;
    }
    std::vector<std::string> tree{root};
    for (std::size_t i = 0; i < tree.size(); ++i) {
        const auto children = m_sync->getChildren(tree[i]);
        if (!children.ok())
            return fail(children.error, tree[i]);
        const std::string base = tree[i] == "/" ? tree[i] : tree[i] + "/";
        for (const std::string& child : children.value.children)
            tree.push_back(base + child);
    }
    bool ok = true;
    std::vector<Op> ops;
    const auto flush = [&] {
        if (ops.empty())
            return;
        const auto result = m_sync->multi(std::move(ops));
        ops.clear();
        if (!result.ok() && result.error != ZError::NoNode)
            ok = false;
    };
    for (auto it = tree.rbegin(); it != tree.rend(); ++it) {
        ops.push_back(op::Delete{*it, -1});
        if (static_cast<std::int64_t>(ops.size()) >= batch)
            flush();
    }
    flush();
    if (!ok) {
        err("Failed to delete some node(s) in the subtree!\n");
        return CliStatus::Error;
    }
    return CliStatus::Ok;
}

CliStatus CliShell::cmdGetAcl(const Words& words)
{
    const auto cmd = parseOptions(words, "s", "");
    if (!cmd || cmd->args.size() < 2)
        return usage("getAcl");
    const std::string& path = cmd->args[1];
    if (std::string why = validatePath(path); !why.empty()) {
        err(why + "\n");
        return CliStatus::Error;
    }
    const auto result = m_sync->getAcl(path);
    if (!result.ok())
        return fail(result.error, path);
    out(formatAcl(result.value.acl));
    if (cmd->has('s'))
        out(formatStat(result.value.stat));
    return CliStatus::Ok;
}

CliStatus CliShell::cmdSetAcl(const Words& words)
{
    const auto cmd = parseOptions(words, "sR", "v");
    if (!cmd || cmd->args.size() < 3)
        return usage("setAcl");
    std::int64_t version = -1;
    if (cmd->has('v') && !parseInt(cmd->values.at('v'), version))
        return usage("setAcl");
    const std::string& path = cmd->args[1];
    std::string problems;
    AclList acl = parseAcl(cmd->args[2], &problems);
    err(problems);
    if (std::string why = validatePath(path); !why.empty()) {
        err(why + "\n");
        return CliStatus::Error;
    }
    if (cmd->has('R')) {
        const auto rootData = m_sync->getData(path);
        if (!rootData.ok())
            return fail(rootData.error, path);
        // zkCli prints each failure without a newline (err.print in SetAclCommand).
        std::function<void(const std::string&)> apply = [&](const std::string& node) {
            const auto set = m_sync->setAcl(node, acl, static_cast<std::int32_t>(version));
            if (!set.ok())
                err("KeeperErrorCode = " + std::string(errorName(set.error)) + " for " + node);
            const auto children = m_sync->getChildren(node);
            if (!children.ok())
                return;
            std::vector<std::string> sorted = children.value.children;
            std::sort(sorted.begin(), sorted.end());
            for (const std::string& child : sorted)
                apply(node == "/" ? "/" + child : node + "/" + child);
        };
        apply(path);
        return CliStatus::Ok;
    }
    if (acl.empty())
        return fail(ZError::InvalidAcl, "null");
    const auto result = m_sync->setAcl(path, std::move(acl), static_cast<std::int32_t>(version));
    if (!result.ok())
        return fail(result.error, path);
    if (cmd->has('s'))
        out(formatStat(result.value));
    return CliStatus::Ok;
}

CliStatus CliShell::cmdAddAuth(const Words& words)
{
    const auto cmd = parseOptions(words, "", "");
    if (!cmd || cmd->args.size() < 2)
        return usage("addauth");
    const Bytes auth = cmd->args.size() >= 3 ? toBytes(cmd->args[2]) : Bytes{};
    // zkCli does not wait for or report the reply; a rejection shows as an AuthFailed event.
    const auto result = m_sync->addAuth(cmd->args[1], auth);
    return result.ok() ? CliStatus::Ok : CliStatus::Error;
}

CliStatus CliShell::cmdSync(const Words& words)
{
    const auto cmd = parseOptions(words, "", "");
    if (!cmd || cmd->args.size() < 2)
        return usage("sync");
    const std::string& path = cmd->args[1];
    if (std::string why = validatePath(path); !why.empty()) {
        err(why + "\n");
        return CliStatus::Error;
    }
    const auto result = m_sync->sync(path);
    if (!result.ok()) {
        out("Sync has failed. rc=" + std::to_string(static_cast<int>(result.error)) + "\n");
        return CliStatus::Error;
    }
    out("Sync is OK\n");
    return CliStatus::Ok;
}

CliStatus CliShell::cmdAddWatch(const Words& words)
{
    const auto cmd = parseOptions(words, "", "m");
    if (!cmd || cmd->args.size() < 2)
        return usage("addWatch");
    AddWatchMode mode = AddWatchMode::PersistentRecursive;
    if (cmd->has('m')) {
        std::string name = cmd->values.at('m');
        std::transform(name.begin(), name.end(), name.begin(),
                       [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
        if (name == "PERSISTENT")
            mode = AddWatchMode::Persistent;
        else if (name != "PERSISTENT_RECURSIVE")
            return usage("addWatch");
    }
    const std::string& path = cmd->args[1];
    if (std::string why = validatePath(path); !why.empty()) {
        err(why + "\n");
        return CliStatus::Error;
    }
    const auto result = m_sync->addWatch(path, mode, watchIf(true));
    if (!result.ok())
        return fail(result.error, path);
    return CliStatus::Ok;
}

CliStatus CliShell::cmdRemoveWatches(const Words& words)
{
    const auto cmd = parseOptions(words, "cdal", "");
    if (!cmd || cmd->args.size() < 2)
        return usage("removewatches");
    WatcherType type = WatcherType::Any;
    if (cmd->has('c'))
        type = WatcherType::Children;
    else if (cmd->has('d'))
        type = WatcherType::Data;
    const std::string& path = cmd->args[1];
    if (std::string why = validatePath(path); !why.empty()) {
        err(why + "\n");
        return CliStatus::Error;
    }
    const auto result = m_sync->removeWatches(path, type, cmd->has('l'));
    if (!result.ok())
        return fail(result.error, path);
    return CliStatus::Ok;
}

CliStatus CliShell::cmdGetEphemerals(const Words& words)
{
    const auto cmd = parseOptions(words, "", "");
    if (!cmd)
        return usage("getEphemerals");
    const std::string path = cmd->args.size() > 1 ? cmd->args[1] : "/";
    const auto result = m_sync->getEphemerals(path);
    if (!result.ok())
        return fail(result.error, path);
    out(formatList(result.value) + "\n");
    return CliStatus::Ok;
}

CliStatus CliShell::cmdGetAllChildrenNumber(const Words& words)
{
    const auto cmd = parseOptions(words, "", "");
    if (!cmd || cmd->args.size() < 2)
        return usage("getAllChildrenNumber");
    const std::string& path = cmd->args[1];
    if (std::string why = validatePath(path); !why.empty()) {
        err(why + "\n");
        return CliStatus::Error;
    }
    const auto result = m_sync->getAllChildrenNumber(path);
    if (!result.ok())
        return fail(result.error, path);
    out(std::to_string(result.value) + "\n");
    return CliStatus::Ok;
}

CliStatus CliShell::cmdWhoAmI(const Words& words)
{
    if (!parseOptions(words, "", ""))
        return usage("whoami");
    const auto result = m_sync->whoAmI();
    if (!result.ok())
        return fail(result.error, "");
    out("Auth scheme: User\n");
    for (const ClientInfo& info : result.value)
        out(info.authScheme + ": " + info.user + "\n");
    return CliStatus::Ok;
}

std::vector<std::string> CliShell::complete(std::string_view line)
{
    std::vector<std::string> matches;
    const std::size_t wordStart =
        line.find_last_of(" \t") == std::string_view::npos ? 0 : line.find_last_of(" \t") + 1;
    const std::string word(line.substr(wordStart));
    const bool firstWord =
        line.substr(0, wordStart).find_first_not_of(" \t") == std::string_view::npos;
    if (firstWord) {
        for (const std::string& name : commandNames()) {
            if (name.rfind(word, 0) == 0)
                matches.push_back(name);
        }
        return matches;
    }
    if (word.empty() || word[0] != '/' || !m_sync || !alive())
        return matches;
    const std::size_t slash = word.rfind('/');
    const std::string parent = slash == 0 ? "/" : word.substr(0, slash);
    const std::string prefix = word.substr(slash + 1);
    const auto children = m_sync->getChildren(parent);
    if (!children.ok())
        return matches;
    const std::string base = parent == "/" ? parent : parent + "/";
    for (const std::string& child : children.value.children) {
        if (child.rfind(prefix, 0) == 0)
            matches.push_back(base + child);
    }
    std::sort(matches.begin(), matches.end());
    return matches;
}

} // namespace zk::cli
