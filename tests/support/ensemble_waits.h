#pragma once
// Polling waits on an embedded Ensemble for the net tests: each checks every 10 ms until its
// condition holds or the timeout passes.

#include "cluster/ensemble.h"

#include <algorithm>
#include <chrono>
#include <optional>
#include <thread>

namespace zk::testing {

// The leader a quorum of serving nodes agrees on, once there is one; nullopt at the timeout.
inline std::optional<Sid> waitForLeader(const Ensemble& ensemble, std::chrono::milliseconds timeout)
{
    const auto until = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < until) {
        if (auto leader = ensemble.servingLeader())
            return leader;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return std::nullopt;
}

// True once server `sid` serves clients (a follower: synced with its leader).
inline bool waitServing(const Ensemble& ensemble, Sid sid, std::chrono::milliseconds timeout)
{
    const auto until = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < until) {
        const auto status = ensemble.status(sid);
        if (status && status->serving)
            return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
}

// True once every server of the ensemble serves clients at the same poll.
inline bool waitAllServing(const Ensemble& ensemble, std::chrono::milliseconds timeout)
{
    const auto serving = [&ensemble](Sid sid) {
        const auto status = ensemble.status(sid);
        return status && status->serving;
    };
    const auto until = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < until) {
        const auto sids = ensemble.sids();
        if (std::all_of(sids.begin(), sids.end(), serving))
            return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
}

} // namespace zk::testing
