#pragma once
// How ZooKeeper packs node kinds into StatPersisted.ephemeralOwner (EphemeralType):
// 0 for persistent nodes, the owning session for ephemerals, Long.MIN_VALUE for containers,
// and 0xFF << 56 | ttl for TTL nodes (ttl in milliseconds, at most 2^40 - 1).

#include <cstdint>
#include <limits>

namespace zk::ephemeral {

constexpr std::int64_t kContainerOwner = std::numeric_limits<std::int64_t>::min();
constexpr std::uint64_t kExtendedMask = 0xff00000000000000ULL;
constexpr std::int64_t kTtlMax = 0xffffffffffLL;

constexpr bool isContainer(std::int64_t owner)
{
    return owner == kContainerOwner;
}
constexpr bool isTtl(std::int64_t owner)
{
    return !isContainer(owner) &&
           (static_cast<std::uint64_t>(owner) & kExtendedMask) == kExtendedMask;
}
// An ephemeral owned by a session (EphemeralType.NORMAL).
constexpr bool isSessionOwned(std::int64_t owner)
{
    return owner != 0 && !isContainer(owner) && !isTtl(owner);
}
constexpr std::int64_t ttlOwner(std::int64_t ttlMs)
{
    return static_cast<std::int64_t>(kExtendedMask | static_cast<std::uint64_t>(ttlMs));
}
constexpr std::int64_t ttlOf(std::int64_t owner)
{
    return static_cast<std::int64_t>(static_cast<std::uint64_t>(owner) & 0x000000ffffffffffULL);
}

} // namespace zk::ephemeral
