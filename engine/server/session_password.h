#pragma once
// Session passwords exactly as Apache derives them, so that a session opened on an Apache
// server reconnects to ZooLab and survives a dataDir move: 16 bytes of
// java.util.Random(sessionId ^ 0xB3415C00).nextBytes (ZooKeeperServer.generatePasswd).

#include "core/ids.h"

#include <array>
#include <cstdint>

namespace zk {

using SessionPassword = std::array<std::uint8_t, 16>;

SessionPassword sessionPassword(SessionId sessionId);

// Java's 48-bit linear congruential generator (java.util.Random), for the above and for
// anything else that must match a Java server bit for bit.
class JavaRandom
{
public:
    explicit JavaRandom(std::int64_t seed);
    std::int32_t nextInt();
    void nextBytes(std::uint8_t* out, std::size_t count);

private:
    std::int32_t next(int bits);
    std::uint64_t m_seed;
};

} // namespace zk
