// zoolab-server: one ZooKeeper-compatible server, configured by zoo.cfg and myid as Apache's
// QuorumPeerMain is. Java-style -Dkey=value flags are accepted before the config path.
// At start it restores dataDir/dataLogDir (newest valid snapshot plus the txn log), takes a
// start-up snapshot as ZooKeeperServer.loadData does, then logs every txn before replying.
// --print-log FILE and --print-snapshot FILE dump one dataDir file and exit, laid out as
// Apache's zkTxnLogToolkit.sh and zkSnapShotToolkit.sh print them.

#include "config/server_config.h"
#include "net/durable_host.h"
#include "net/event_endpoint.h"
#include "net/server_host.h"
#include "net/server_options.h"
#include "storage/file_storage.h"
#include "storage/inspect.h"

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <charconv>
#include <chrono>
#include <csignal>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include <pthread.h>

#ifdef ZOOLAB_WITH_MIMALLOC
#include <mimalloc.h>
#endif

namespace {

// Splits "-Dkey=value" flags (Java system properties) from the other arguments.
std::map<std::string, std::string> takeSystemProperties(std::vector<std::string>& args)
{
    std::map<std::string, std::string> properties;
    std::vector<std::string> rest;
    for (const std::string& arg : args) {
        if (arg.rfind("-D", 0) == 0 && arg.size() > 2) {
            const auto eq = arg.find('=');
            properties[arg.substr(2, eq == std::string::npos ? std::string::npos : eq - 2)] =
                eq == std::string::npos ? std::string() : arg.substr(eq + 1);
        } else {
            rest.push_back(arg);
        }
    }
    args = std::move(rest);
    return properties;
}

void setUpLogging(const std::string& logFile, const std::string& level)
{
    std::vector<spdlog::sink_ptr> sinks;
    sinks.push_back(std::make_shared<spdlog::sinks::stderr_color_sink_mt>());
    if (!logFile.empty())
        sinks.push_back(std::make_shared<spdlog::sinks::basic_file_sink_mt>(logFile));
    auto logger = std::make_shared<spdlog::logger>("zoolab", sinks.begin(), sinks.end());
    logger->set_level(spdlog::level::from_str(level));
    logger->flush_on(spdlog::level::info);
    spdlog::set_default_logger(logger);
    spdlog::set_pattern("%Y-%m-%d %H:%M:%S.%e %^%-5l%$ %v");
}

} // namespace

// Waits for SIGTERM/SIGINT while the host serves; a host failure ends the wait with exit
// status 3. Stops the host either way.
template <typename Host>
int serveUntilStopped(Host& host, const sigset_t& signals, const char* failurePrefix)
{
    for (;;) {
        const timespec wait{0, 200 * 1000 * 1000};
        const int received = sigtimedwait(&signals, nullptr, &wait);
        if (received > 0) {
            spdlog::info("signal {} received, shutting down", received);
            break;
        }
        if (host.failed()) {
            spdlog::critical("zoolab-server stops: {}{}", failurePrefix, host.failureMessage());
            host.stop();
            return 3;
        }
    }
    host.stop();
    spdlog::info("stopped");
    return 0;
}

// One member of an ensemble (server.N lines): runs until SIGTERM/SIGINT or a storage failure.
// The malloc this process runs on. The server links mimalloc when it is built without
// sanitizers: each txn is allocated on the io thread and freed on the storage thread, and
// glibc's malloc hands such memory back through its slow bins (about a sixth of the io
// thread's time under write load), where mimalloc's per-page free lists keep it cheap.
static std::string allocatorName()
{
#ifdef ZOOLAB_WITH_MIMALLOC
    const int version = mi_version();
    return fmt::format("mimalloc {}.{}.{}", version / 100, version / 10 % 10, version % 10);
#else
    return "glibc malloc";
#endif
}

static int runQuorumMember(const zk::ServerConfig& config, std::uint64_t seed, sigset_t signals)
{
    auto options = zk::quorumHostOptionsFrom(config, seed);
    // The JSON-lines event stream (net/event_endpoint.h), when zoolab.eventPort is set.
    std::unique_ptr<zk::EventEndpoint> events;
    // -Dzoolab.eventPort, or zoolab.eventPort in zoo.cfg (unknown keys get "zookeeper.").
    auto property = [&config](const std::string& name) {
        auto value = config.systemProperty(name);
        return value ? value : config.systemProperty("zookeeper." + name);
    };
    if (auto port = property("zoolab.eventPort")) {
        int number = -1;
        const auto [end, parse] =
            std::from_chars(port->data(), port->data() + port->size(), number);
        if (parse != std::errc() || end != port->data() + port->size() || number < 0 ||
            number > 65535) {
            spdlog::error("zoolab.eventPort: \"{}\" is not a port number", *port);
            return 2;
        }
        events = std::make_unique<zk::EventEndpoint>(
            property("zoolab.eventAddress").value_or("127.0.0.1"),
            static_cast<std::uint16_t>(number));
        if (auto ec = events->start()) {
            spdlog::error("cannot listen on event port {}: {}", *port, ec.message());
            return 1;
        }
        spdlog::info("streaming events as JSON lines on port {}", events->port());
        options.onEvent = [endpoint = events.get()](const zk::PeerEvent& event) {
            endpoint->publish(event);
        };
    }
    std::string error;
    auto host = zk::QuorumHost::open(std::move(options), error);
    if (!host) {
        spdlog::error("{}", error);
        spdlog::error("zoolab-server: not started");
        return 1;
    }
    if (auto ec = host->start()) {
        spdlog::error("cannot listen on the client, quorum or election port of server.{}: {}",
                      config.myId.value_or(0), ec.message());
        return 1;
    }
    spdlog::info("zoolab-server quorum member {} of {}, clients on port {} (tickTime={} ms, "
                 "initLimit={}, syncLimit={})",
                 config.myId.value_or(0), config.servers.size(), host->clientPort(),
                 config.tickTimeMs, config.initLimit, config.syncLimit);
    return serveUntilStopped(*host, signals, "");
}

int main(int argc, char** argv)
{
    std::vector<std::string> args(argv + 1, argv + argc);
    auto properties = takeSystemProperties(args);

    CLI::App app{"zoolab-server: a ZooKeeper-compatible server.\n"
                 "Usage: zoolab-server [-Dkey=value ...] [options] path/to/zoo.cfg"};
    std::string configPath;
    std::string logFile;
    std::string logLevel = "info";
    std::string printLog;
    std::string printSnapshotFile;
    app.add_option("config", configPath, "zoo.cfg to run (Apache ZooKeeper's format)");
    app.add_option("--print-log", printLog, "print a txn log file (log.<zxid>) and exit");
    app.add_option("--print-snapshot", printSnapshotFile,
                   "print a snapshot file (snapshot.<zxid>) and exit");
    app.add_option("--log-file", logFile,
                   "also log to this file (default: <dataLogDir>/zoolab-server.log)");
    app.add_option("--log-level", logLevel, "trace, debug, info, warn, error")
        ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error"}));
    app.footer("Java system properties such as -Dreadonlymode.enabled=true,\n"
               "-Dzookeeper.DigestAuthenticationProvider.superDigest=super:... and\n"
               "-Djute.maxbuffer=N are accepted before the config path. SIGTERM stops the "
               "server cleanly.");
    std::reverse(args.begin(), args.end());
    try {
        app.parse(args);
    } catch (const CLI::ParseError& error) {
        return app.exit(error);
    }

    if (!printLog.empty() || !printSnapshotFile.empty()) {
        const auto error = !printLog.empty() ? zk::printTxnLog(printLog, std::cout)
                                             : zk::printSnapshot(printSnapshotFile, std::cout);
        if (error) {
            std::cout.flush();
            std::cerr << "zoolab-server: " << error.message() << "\n";
            return 1;
        }
        return 0;
    }
    if (configPath.empty()) {
        std::cerr << app.help();
        return 2;
    }

    auto loaded = zk::loadServerConfig(configPath, properties);
    if (!loaded.ok()) {
        std::cerr << loaded.errorText() << "\nzoolab-server: not started\n";
        return 2;
    }
    const zk::ServerConfig& config = loaded.config;
    if (logFile.empty()) {
        const std::string dir = config.dataLogDir.empty() ? config.dataDir : config.dataLogDir;
        std::error_code ec;
        std::filesystem::create_directories(dir, ec);
        logFile = (std::filesystem::path(dir) / "zoolab-server.log").string();
    }
    setUpLogging(logFile, logLevel);
    spdlog::info("zoolab-server starting; memory allocator: {}", allocatorName());
    for (const auto& warning : config.warnings)
        spdlog::warn("{}", warning.toString());
    // Block the stop signals in every thread; the main thread waits for them below.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);

    const auto startWall = std::chrono::system_clock::now().time_since_epoch().count();
    const auto storageOptions =
        zk::storageOptionsFrom(config, static_cast<std::uint64_t>(startWall) ^
                                           static_cast<std::uint64_t>(config.myId.value_or(0)));
    if (config.isDistributed())
        return runQuorumMember(config, storageOptions.seed, signals);
    zk::RecoveryReport report;
    std::string error;
    auto host = zk::openDurableHost(zk::hostOptionsFrom(config), storageOptions, report, error);
    for (const auto& warning : report.warnings)
        spdlog::warn("{}", warning);
    if (!host) {
        spdlog::error("{}", error);
        spdlog::error("zoolab-server: not started");
        return 1;
    }
    spdlog::info("restored {} znodes and {} sessions from {} + {} txns replayed: zxid 0x{:x} "
                 "in {} ms",
                 report.znodes, report.sessions,
                 report.snapshotFile ? report.snapshotFile->string() : std::string("no snapshot"),
                 report.txnsReplayed, report.lastZxid, report.milliseconds);
    spdlog::info("Snapshot taken: {}", report.startupSnapshot.string());
    if (auto ec = host->start()) {
        spdlog::error("cannot listen on {}:{}: {}",
                      config.clientPortAddress.empty() ? "0.0.0.0" : config.clientPortAddress,
                      config.clientPort, ec.message());
        return 1;
    }
    spdlog::info("zoolab-server standalone, serving clients on port {} (tickTime={} ms)",
                 host->clientPort(), config.tickTimeMs);

    return serveUntilStopped(*host, signals, "storage failed: ");
}
