#include "net/durable_host.h"

#include <chrono>

namespace zk {

std::unique_ptr<ServerHost> openDurableHost(const ServerHostOptions& hostOptions,
                                            const StorageOptions& storageOptions,
                                            RecoveryReport& report, std::string& error)
{
    const auto start = std::chrono::steady_clock::now();
    RecoveredState state;
    if (auto failure = recover(storageOptions, state)) {
        error = "cannot restore " + storageOptions.dataDir.string() + ": " + failure.message();
        return nullptr;
    }
    report.znodes = state.tree.nodeCount() - 1;
    report.sessions = state.sessions.size();
    report.snapshotFile = state.snapshotFile;
    report.txnsReplayed = state.txnsReplayed;
    report.lastZxid = state.lastZxid;
    report.warnings = state.warnings;
    report.milliseconds = std::chrono::duration_cast<std::chrono::milliseconds>(
                              std::chrono::steady_clock::now() - start)
                              .count();
    if (auto failure =
            takeSnapshotNow(storageOptions, state.tree, state.sessions, &report.startupSnapshot)) {
        error = "cannot write the start-up snapshot: " + failure.message();
        return nullptr;
    }
    auto storage = std::make_unique<FileStorage>(storageOptions, state.lastZxid);
    return std::make_unique<ServerHost>(hostOptions, std::move(state.tree), std::move(storage),
                                        state.sessions);
}

} // namespace zk
