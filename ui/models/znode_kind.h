#pragma once
// What kind of znode a Stat describes, and how the studio prints stat fields. Pure helpers.
//
// ZooKeeper keeps the kind in ephemeralOwner (EphemeralType.java): 0 persistent,
// Long.MIN_VALUE container, 0xFF in the top byte a TTL node (the low bytes hold the TTL),
// anything else the owning session of an ephemeral. Sequential nodes are recognised only by
// their 10-digit suffix; the server does not record it.

#include "data/stat.h"
#include "proto/opcodes.h"

#include <QString>

#include <string_view>

namespace zoolab {

enum class ZnodeKind
{
    Persistent,
    Ephemeral,
    Container,
    Ttl,
};

// How the studio created a node whose kind the server does not tell clients (containers and
// TTL nodes look persistent), so copies can be created the same way.
struct CreatedKind
{
    zk::CreateMode mode = zk::CreateMode::Persistent;
    std::int64_t ttlMs = -1; // TTL modes only
};

ZnodeKind kindOf(const zk::Stat& stat);
std::int64_t ttlMsOf(const zk::Stat& stat); // -1 unless a TTL node
bool looksSequential(std::string_view name);
QString kindName(ZnodeKind kind, bool sequential);

// "0x2:0x1f (epoch 2, counter 31)"
QString formatZxid(zk::Zxid zxid);
// "2024-05-01 12:34:56.789 (1714566896789)"; "—" for 0.
QString formatMillis(std::int64_t epochMs);
// "1.5 KiB"
QString formatBytes(qint64 bytes);

} // namespace zoolab
