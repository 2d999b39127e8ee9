#pragma once
// Identifiers that ZooKeeper passes around as raw integers. They stay plain integers on
// the wire; these aliases and helpers keep their meaning visible in signatures.

#include <cstdint>

namespace zk {

// A zxid is epoch << 32 | counter (ZooKeeper ZxidUtils).
using Zxid = std::int64_t;
using Epoch = std::int64_t;
// A server's myid.
using Sid = std::int64_t;
// Top byte is the sid of the server that created the session.
using SessionId = std::int64_t;
// Client-chosen request id; negative values are reserved (see proto/opcodes.h).
using Xid = std::int32_t;

constexpr Zxid makeZxid(Epoch epoch, std::int64_t counter)
{
    return static_cast<Zxid>((static_cast<std::uint64_t>(epoch) << 32) |
                             (static_cast<std::uint64_t>(counter) & 0xffffffffULL));
}
constexpr Epoch zxidEpoch(Zxid zxid)
{
    return static_cast<Epoch>(static_cast<std::uint64_t>(zxid) >> 32);
}
constexpr std::int64_t zxidCounter(Zxid zxid)
{
    return static_cast<std::int64_t>(static_cast<std::uint64_t>(zxid) & 0xffffffffULL);
}

} // namespace zk
