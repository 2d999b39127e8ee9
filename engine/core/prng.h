#pragma once
// Prng is the only source of randomness in the pure engine and the simulator: a seeded
// xoshiro256** generator whose state is expanded from one 64-bit seed with splitmix64. The
// same seed gives the same sequence on every platform and build. Not thread-safe; each owner
// (a node, the simulated network) holds its own copy, usually split() off a parent.

#include <cstdint>

namespace zk {

class Prng
{
public:
    explicit Prng(std::uint64_t seed = 0)
    {
        std::uint64_t x = seed;
        for (std::uint64_t& word : m_state)
            word = splitmix64(x);
    }

    std::uint64_t next()
    {
        const std::uint64_t result = rotl(m_state[1] * 5, 7) * 9;
        const std::uint64_t t = m_state[1] << 17;
        m_state[2] ^= m_state[0];
        m_state[3] ^= m_state[1];
        m_state[1] ^= m_state[2];
        m_state[0] ^= m_state[3];
        m_state[2] ^= t;
        m_state[3] = rotl(m_state[3], 45);
        return result;
    }

    // Uniform in [0, bound); bound 0 gives 0. The modulo bias is negligible for the small
    // bounds the simulator uses and keeps the number of draws per call fixed (one).
    std::uint64_t below(std::uint64_t bound) { return bound == 0 ? 0 : next() % bound; }

    // Uniform in [low, high]; requires low <= high.
    std::int64_t between(std::int64_t low, std::int64_t high)
    {
        const auto span = static_cast<std::uint64_t>(high - low) + 1;
        return low + static_cast<std::int64_t>(span == 0 ? next() : below(span));
    }

    // True with probability perMillion / 1'000'000.
    bool chance(std::uint32_t perMillion) { return below(1'000'000) < perMillion; }

    // A new generator whose sequence is independent of this one's continuation.
    Prng split() { return Prng(next()); }

private:
    static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
    static std::uint64_t splitmix64(std::uint64_t& x)
    {
        std::uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }

    std::uint64_t m_state[4];
};

} // namespace zk
