#include "storage/log_history.h"

namespace zk {

std::optional<std::vector<LoggedTxn>> readLogHistory(const fs::path& logDir, Zxid after, Zxid upTo,
                                                     std::size_t byteLimit)
{
    if (after >= upTo)
        return std::nullopt;
    std::vector<LoggedTxn> txns;
    bool sawAfter = false;
    bool tooBig = false;
    std::size_t bytes = 0;
    const StorageError error = readTxnLog(logDir, after, [&](const LogEntry& entry) {
        const Zxid zxid = entry.txn.header.zxid;
        if (!sawAfter) {
            sawAfter = zxid == after;
            return sawAfter; // the first entry at or above `after` must be `after` itself
        }
        if (zxid > upTo)
            return false;
        bytes += entry.bytes.size();
        if (bytes > byteLimit) {
            tooBig = true;
            return false;
        }
        txns.push_back(entry.txn);
        return zxid != upTo;
    });
    if (error || !sawAfter || tooBig || txns.empty() || txns.back().header.zxid != upTo)
        return std::nullopt;
    return txns;
}

} // namespace zk
