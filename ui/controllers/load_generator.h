#pragma once
// LoadGenerator: the studio's built-in load switch. A worker thread of its own keeps a few
// client sessions on the ensemble and runs a light mix against it: about perSecond requests a
// second, one write (setData) for every three reads (getData with a watch, so the watch
// counts move too), on /zoolab-load/<n>. Session i is pinned to server i, so every server gets
// clients and latency samples; while a server is down its session waits (and is opened anew
// if it expired), and the others go on.
//
// Thread: construct and destroy on one thread (the GUI thread); the work runs on the worker.
// requestStop() returns at once; the destructor (or join()) waits for the worker, which
// finishes within its clients' request timeout. Plain C++ (no Qt).

#include <atomic>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

namespace zoolab {

class LoadGenerator
{
public:
    // `hosts`: "host:port" of each server; session i uses hosts[i % size].
    LoadGenerator(std::vector<std::string> hosts, int perSecond = 40, int sessions = 3);
    ~LoadGenerator();
    LoadGenerator(const LoadGenerator&) = delete;
    LoadGenerator& operator=(const LoadGenerator&) = delete;

    void requestStop() { m_stop = true; }
    void join();
    // Requests answered successfully / failed so far (any thread).
    std::uint64_t succeeded() const { return m_succeeded.load(); }
    std::uint64_t failed() const { return m_failed.load(); }

    static constexpr const char* root = "/zoolab-load";

private:
    void run();

    std::vector<std::string> m_hosts;
    int m_perSecond = 40;
    int m_sessions = 3;
    std::atomic<bool> m_stop{false};
    std::atomic<std::uint64_t> m_succeeded{0};
    std::atomic<std::uint64_t> m_failed{0};
    std::thread m_thread;
};

} // namespace zoolab
