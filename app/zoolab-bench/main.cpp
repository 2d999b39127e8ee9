// zoolab-bench: a closed-loop load generator for ZooKeeper-compatible ensembles. Prints
// throughput and latency percentiles; its last line is the same figures as JSON.

#include "bench_run.h"

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <iostream>

int main(int argc, char** argv)
{
    zk::bench::BenchOptions options;
    CLI::App app{"zoolab-bench: closed-loop load against a ZooKeeper-compatible ensemble"};
    app.add_option("-s,--server", options.connectString, "connect string, e.g. 127.0.0.1:2181");
    app.add_option("--sessions", options.sessions, "client sessions")->check(CLI::Range(1, 1000));
    app.add_option("--outstanding", options.outstanding, "requests in flight per session")
        ->check(CLI::Range(1, 1000));
    app.add_option("--value-size", options.valueBytes, "bytes per value")
        ->check(CLI::Range(0, 1000000));
    app.add_option("--read-ratio", options.readRatio, "share of reads: 0 writes only, 1 reads only")
        ->check(CLI::Range(0.0, 1.0));
    app.add_option("--keys", options.keys, "znodes the load spreads over")
        ->check(CLI::Range(1, 1000000));
    app.add_option("--warmup", options.warmupSeconds, "seconds before measuring");
    app.add_option("-d,--duration", options.durationSeconds, "seconds measured");
    app.add_option("--root", options.root, "parent znode of the keys");
    app.add_option("--seed", options.seed, "random seed");
    bool populateOnly = false;
    app.add_flag("--populate-only", populateOnly,
                 "create the root and --keys znodes of --value-size bytes, then exit");
    std::string label;
    app.add_option("--label", label, "a name echoed in the JSON line");
    CLI11_PARSE(app, argc, argv);

    try {
        if (populateOnly) {
            const double seconds = zk::bench::populate(options);
            std::cout << fmt::format("created {} znodes of {} B under {} in {:.2f} s\n",
                                     options.keys, options.valueBytes, options.root, seconds);
            return 0;
        }
        const auto result = zk::bench::runBench(options);
        std::cout << fmt::format(
            "{} sessions x {} outstanding, {:.0f}% reads, {} B values, {:.1f} s\n",
            options.sessions, options.outstanding, options.readRatio * 100, options.valueBytes,
            options.durationSeconds);
        std::cout << fmt::format("ops/s: {:.0f}  errors: {}\n", result.opsPerSecond, result.errors);
        std::cout << fmt::format("latency ms: p50 {:.3f}  p99 {:.3f}  p999 {:.3f}  max {:.3f}\n",
                                 result.p50Ms, result.p99Ms, result.p999Ms, result.maxMs);
        nlohmann::json line = {{"label", label},
                               {"server", options.connectString},
                               {"sessions", options.sessions},
                               {"outstanding", options.outstanding},
                               {"readRatio", options.readRatio},
                               {"valueBytes", options.valueBytes},
                               {"seconds", result.seconds},
                               {"ops", result.operations},
                               {"errors", result.errors},
                               {"opsPerSecond", result.opsPerSecond},
                               {"p50Ms", result.p50Ms},
                               {"p99Ms", result.p99Ms},
                               {"p999Ms", result.p999Ms},
                               {"maxMs", result.maxMs},
                               {"meanMs", result.meanMs}};
        std::cout << line.dump() << std::endl;
        return result.errors == 0 ? 0 : 1;
    } catch (const std::exception& error) {
        std::cerr << "zoolab-bench: " << error.what() << "\n";
        return 2;
    }
}
