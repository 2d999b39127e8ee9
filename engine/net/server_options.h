#pragma once
// Maps a parsed zoo.cfg (plus system properties) onto what a ServerHost and its FileStorage
// need.

#include "config/server_config.h"
#include "net/quorum_host.h"
#include "net/server_host.h"
#include "storage/file_storage.h"

namespace zk {

ServerHostOptions hostOptionsFrom(const ServerConfig& config);

// dataDir, dataLogDir, zookeeper.snapCount, zookeeper.preAllocSize, zookeeper.forceSync,
// autopurge.*, extendedTypesEnabled. `seed` seeds the snapshot roll (-Dzoolab.snapshotSeed or
// snapshotSeed=N in zoo.cfg overrides it, for reproducible tests).
StorageOptions storageOptionsFrom(const ServerConfig& config, std::uint64_t seed);

// A quorum member from zoo.cfg with server.N lines (after applyMyId): the peer's timing and
// membership, its ports from the server lines, and the server settings of hostOptionsFrom.
QuorumHostOptions quorumHostOptionsFrom(const ServerConfig& config, std::uint64_t seed);

// The QuorumVerifier text Apache sends in notifications and NEWLEADER:
// "server.1=host:2888:3888:participant;0.0.0.0:2181\n...version=0".
std::string quorumConfigText(const ServerConfig& config);

} // namespace zk
