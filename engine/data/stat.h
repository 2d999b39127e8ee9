#pragma once
// Znode metadata as ZooKeeper keeps it (StatPersisted) and as clients see it (Stat).
//
//   StatPersisted := czxid mzxid ctime mtime version cversion aversion ephemeralOwner pzxid
//   Stat          := czxid mzxid ctime mtime version cversion aversion ephemeralOwner
//                    dataLength numChildren pzxid
// (longs, except version, cversion, aversion, dataLength and numChildren, which are ints)

#include "core/ids.h"
#include "proto/jute_reader.h"
#include "proto/jute_writer.h"

#include <cstdint>

namespace zk {

struct StatPersisted
{
    Zxid czxid = 0;
    Zxid mzxid = 0;
    std::int64_t ctime = 0;
    std::int64_t mtime = 0;
    std::int32_t version = 0;
    // Counts child creations only (see DataNode.copyStat for what clients see).
    std::int32_t cversion = 0;
    std::int32_t aversion = 0;
    // Session id for ephemerals; Long.MIN_VALUE for containers; 0xFF<<56 | ttl for TTL nodes.
    std::int64_t ephemeralOwner = 0;
    Zxid pzxid = 0;

    void write(JuteWriter& w) const;
    void read(JuteReader& r);
    bool operator==(const StatPersisted&) const = default;
};

struct Stat
{
    Zxid czxid = 0;
    Zxid mzxid = 0;
    std::int64_t ctime = 0;
    std::int64_t mtime = 0;
    std::int32_t version = 0;
    std::int32_t cversion = 0;
    std::int32_t aversion = 0;
    std::int64_t ephemeralOwner = 0;
    std::int32_t dataLength = 0;
    std::int32_t numChildren = 0;
    Zxid pzxid = 0;

    void write(JuteWriter& w) const;
    void read(JuteReader& r);
    bool operator==(const Stat&) const = default;
};

} // namespace zk
