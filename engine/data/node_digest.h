#pragma once
// DigestCalculator version 2: a node's digest is the CRC32 of its path (the root hashed as
// ""), its data and nine stat fields; nodes below "/zookeeper/" count 0; the tree's digest
// is the wrapping sum over its nodes (AdHash).
//
// The prep stage predicts each txn's tree digest before the txn is applied, from change
// records that keep no data. It keeps the running CRC after path and data ("content")
// instead and continues it over the stat fields when the stat changes: the same digest.

#include "data/stat.h"

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace zk {

using NodeData = std::optional<std::vector<std::uint8_t>>;

std::int64_t nodeDigest(std::string_view path, const NodeData& data, const StatPersisted& stat);

// CRC32 of the path and data parts alone, for nodeDigestFromContent.
std::uint32_t nodeContentCrc(std::string_view path, const NodeData& data);
std::int64_t nodeDigestFromContent(std::string_view path, std::uint32_t contentCrc,
                                   const StatPersisted& stat);

// Java long arithmetic: the sum wraps.
inline std::int64_t digestAdd(std::int64_t a, std::int64_t b)
{
    return static_cast<std::int64_t>(static_cast<std::uint64_t>(a) + static_cast<std::uint64_t>(b));
}
inline std::int64_t digestSub(std::int64_t a, std::int64_t b)
{
    return static_cast<std::int64_t>(static_cast<std::uint64_t>(a) - static_cast<std::uint64_t>(b));
}

} // namespace zk
