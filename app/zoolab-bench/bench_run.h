#pragma once
// One zoolab-bench run: N client sessions, each keeping K requests in flight against a
// ZooKeeper-compatible ensemble for a fixed time, recording every request's latency.

#include <cstdint>
#include <string>
#include <vector>

namespace zk::bench {

struct BenchOptions
{
    std::string connectString = "127.0.0.1:2181";
    int sessions = 24;
    int outstanding = 16;
    int valueBytes = 100;
    double readRatio = 0.0; // 0 = all writes (setData), 1 = all reads (getData)
    int keys = 1000;
    double warmupSeconds = 1.0;
    double durationSeconds = 10.0;
    std::string root = "/zoolab-bench";
    std::uint64_t seed = 1;
};

struct BenchResult
{
    std::int64_t operations = 0;
    std::int64_t errors = 0;
    double seconds = 0;
    double opsPerSecond = 0;
    double p50Ms = 0;
    double p99Ms = 0;
    double p999Ms = 0;
    double maxMs = 0;
    double meanMs = 0;
};

// Creates root and its keys if missing; returns the seconds it took.
double populate(const BenchOptions& options);

// Creates root and its keys if missing, runs the load, and returns the figures measured
// after the warm-up. Throws std::runtime_error if the ensemble cannot be reached.
BenchResult runBench(const BenchOptions& options);

} // namespace zk::bench
