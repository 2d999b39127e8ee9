#pragma once
// The upgrade from the studio's standalone embedded server to its ensemble. Earlier studios
// kept the one server's data straight in the embedded data folder (<base>/version-2, txn logs
// and snapshots); the ensemble keeps each node's in <base>/node<N>/version-2. On the first
// start of the ensemble, when the old folder exists and no node folder does, every node gets
// a copy of the old snapshots and logs, so the tree survives the upgrade. All nodes with the
// same history is a valid ensemble start: they elect a leader at that zxid and serve it. The
// old folder is left as it was (a way back).
//
// Plain C++ over std::filesystem; call before the ensemble opens its dataDirs. Each node's
// copy is written under a temporary name and renamed into place, so a crash midway leaves no
// half-filled node folder behind (the next start copies again).

#include <filesystem>
#include <string>

namespace zoolab {

enum class MigrationResult
{
    NothingToDo, // no old folder, or node folders exist already
    Migrated,
    Failed
};

// Copies <base>/version-2's snapshot.* and log.* into <base>/node1..node<nodeCount>. note gets
// a sentence for the user: what was copied, or why it failed.
MigrationResult migrateStandaloneData(const std::filesystem::path& base, int nodeCount,
                                      std::string& note);

} // namespace zoolab
