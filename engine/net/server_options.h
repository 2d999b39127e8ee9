#pragma once
// Maps a parsed zoo.cfg (plus system properties) onto what a ServerHost and its FileStorage
// need.

#include "config/server_config.h"
#include "net/server_host.h"
#include "storage/file_storage.h"

namespace zk {

ServerHostOptions hostOptionsFrom(const ServerConfig& config);

// dataDir, dataLogDir, zookeeper.snapCount, zookeeper.preAllocSize, zookeeper.forceSync,
// autopurge.*, extendedTypesEnabled. `seed` seeds the snapshot roll (-Dzoolab.snapshotSeed or
// snapshotSeed=N in zoo.cfg overrides it, for reproducible tests).
StorageOptions storageOptionsFrom(const ServerConfig& config, std::uint64_t seed);

} // namespace zk
