#pragma once
// How StatPersisted.ephemeralOwner encodes the kind of a znode (as server/EphemeralType):
//
//   0                          persistent ("VOID")
//   Long.MIN_VALUE (0x80..00)  container, whether or not extended types are enabled
//   0xFF 0000 <40-bit ttl>     TTL node, only when zookeeper.extendedTypesEnabled is true
//   anything else              the session id of an ephemeral ("NORMAL")
//
// With extended types disabled a 0xFF.. owner is an ordinary session id, which is why
// servers that enable them must have a myid of at most 254.

#include <cstdint>
#include <limits>

namespace zk {

enum class EphemeralType
{
    Void,
    Normal,
    Container,
    Ttl
};

constexpr std::int64_t containerEphemeralOwner = std::numeric_limits<std::int64_t>::min();
// EphemeralType.TTL.maxValue(): the 40 low bits.
constexpr std::int64_t ttlMax = 0x000000FFFFFFFFFFLL;

// EphemeralType.get. An extended owner with a feature code other than TTL's (0) is invalid
// in Apache (IllegalArgumentException); here it reads as Normal.
constexpr EphemeralType ephemeralTypeOf(std::int64_t owner, bool extendedTypesEnabled)
{
    const auto bits = static_cast<std::uint64_t>(owner);
    if (extendedTypesEnabled && (bits & 0xFF00000000000000ULL) == 0xFF00000000000000ULL &&
        (bits & 0x00FFFF0000000000ULL) == 0)
        return EphemeralType::Ttl;
    if (owner == containerEphemeralOwner)
        return EphemeralType::Container;
    return owner == 0 ? EphemeralType::Void : EphemeralType::Normal;
}

// EphemeralType.TTL.toEphemeralOwner; the caller has checked 0 < ttl <= ttlMax.
constexpr std::int64_t ttlEphemeralOwner(std::int64_t ttl)
{
    return static_cast<std::int64_t>(0xFF00000000000000ULL | static_cast<std::uint64_t>(ttl));
}

// EphemeralType.TTL.getValue: the ttl in milliseconds of a TTL owner.
constexpr std::int64_t ttlOf(std::int64_t owner)
{
    return static_cast<std::int64_t>(static_cast<std::uint64_t>(owner) & 0x000000FFFFFFFFFFULL);
}

} // namespace zk
