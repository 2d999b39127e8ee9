#pragma once
// Opens a server on a dataDir the way Apache's ZooKeeperServer.loadData does: recover the
// newest valid snapshot plus the txn log after it, write a start-up snapshot, and hand the
// recovered tree and sessions to a ServerHost whose txns go to that dataDir. Used by
// zoolab-server and by the studio's embedded cluster.

#include "net/server_host.h"
#include "storage/file_storage.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace zk {

struct RecoveryReport
{
    std::size_t znodes = 0;
    std::size_t sessions = 0;
    std::optional<std::filesystem::path> snapshotFile;
    std::size_t txnsReplayed = 0;
    Zxid lastZxid = 0;
    std::int64_t milliseconds = 0;
    std::vector<std::string> warnings;
    std::filesystem::path startupSnapshot;
};

// The host is built but not started. On failure returns null and sets error to a message
// that names the file (and offset) at fault.
std::unique_ptr<ServerHost> openDurableHost(const ServerHostOptions& hostOptions,
                                            const StorageOptions& storageOptions,
                                            RecoveryReport& report, std::string& error);

} // namespace zk
