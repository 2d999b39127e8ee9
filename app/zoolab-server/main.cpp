// zoolab-server: one ZooKeeper-compatible server, configured by zoo.cfg and myid as Apache's
// QuorumPeerMain is. Java-style -Dkey=value flags are accepted before the config path.

#include "config/server_config.h"
#include "net/server_host.h"
#include "net/server_options.h"

#include <CLI/CLI.hpp>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <csignal>
#include <filesystem>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include <pthread.h>

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
    spdlog::set_pattern("%Y-%m-%d %H:%M:%S,%e [myid:%v");
    spdlog::set_pattern("%Y-%m-%d %H:%M:%S.%e %^%-5l%$ %v");
}

} // namespace

int main(int argc, char** argv)
{
    std::vector<std::string> args(argv + 1, argv + argc);
    auto properties = takeSystemProperties(args);

    CLI::App app{"zoolab-server: a ZooKeeper-compatible server.\n"
                 "Usage: zoolab-server [-Dkey=value ...] [options] path/to/zoo.cfg"};
    std::string configPath;
    std::string logFile;
    std::string logLevel = "info";
    app.add_option("config", configPath, "zoo.cfg to run (Apache ZooKeeper's format)")->required();
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
    for (const auto& warning : config.warnings)
        spdlog::warn("{}", warning.toString());
    if (config.isDistributed()) {
        spdlog::error("{}: quorum mode (server.N lines) is not available in this build yet",
                      configPath);
        return 2;
    }

    // Block the stop signals in every thread; the main thread waits for them below.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);

    zk::ServerHost host(zk::hostOptionsFrom(config), zk::DataTree(config.extendedTypesEnabled()));
    if (auto ec = host.start()) {
        spdlog::error("cannot listen on {}:{}: {}",
                      config.clientPortAddress.empty() ? "0.0.0.0" : config.clientPortAddress,
                      config.clientPort, ec.message());
        return 1;
    }
    spdlog::info("zoolab-server standalone, serving clients on port {} (tickTime={} ms)",
                 host.clientPort(), config.tickTimeMs);

    int received = 0;
    sigwait(&signals, &received);
    spdlog::info("signal {} received, shutting down", received);
    host.stop();
    spdlog::info("stopped");
    return 0;
}
