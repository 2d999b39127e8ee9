#include "server/session_password.h"

#include <algorithm>

namespace zk {

namespace {
constexpr std::uint64_t kMultiplier = 0x5DEECE66DULL;
constexpr std::uint64_t kMask = (1ULL << 48) - 1;
} // namespace

JavaRandom::JavaRandom(std::int64_t seed)
    : m_seed((static_cast<std::uint64_t>(seed) ^ kMultiplier) & kMask)
{}

std::int32_t JavaRandom::next(int bits)
{
    m_seed = (m_seed * kMultiplier + 0xBULL) & kMask;
    return static_cast<std::int32_t>(static_cast<std::int64_t>(m_seed) >> (48 - bits));
}

std::int32_t JavaRandom::nextInt()
{
    return next(32);
}

void JavaRandom::nextBytes(std::uint8_t* out, std::size_t count)
{
    std::size_t i = 0;
    while (i < count) {
        auto value = static_cast<std::uint32_t>(nextInt());
        const std::size_t n = std::min<std::size_t>(count - i, 4);
        for (std::size_t k = 0; k < n; ++k) {
            out[i++] = static_cast<std::uint8_t>(value);
            value >>= 8;
        }
    }
}

SessionPassword sessionPassword(SessionId sessionId)
{
    SessionPassword password{};
    JavaRandom random(sessionId ^ 0xB3415C00LL);
    random.nextBytes(password.data(), password.size());
    return password;
}

} // namespace zk
