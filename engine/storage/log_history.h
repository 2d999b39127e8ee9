#pragma once
// readLogHistory reads a stretch of a server's history back from its txn log, for a leader
// that syncs a learner by DIFF from further back than its committed log in memory.

#include "data/txn.h"
#include "storage/txn_log.h"

#include <cstddef>
#include <optional>
#include <vector>

namespace zk {

// The logged txns after `after` up to and including `upTo`, in zxid order, from the
// version-2 directory `logDir`. nullopt when the log does not hold the txn `after` itself,
// ends before `upTo`, cannot be read, or when the txns' encoded size passes `byteLimit`.
// The log may be written meanwhile: a record still being written reads as a torn tail, and
// the stretch then counts as missing.
std::optional<std::vector<LoggedTxn>> readLogHistory(const fs::path& logDir, Zxid after, Zxid upTo,
                                                     std::size_t byteLimit);

} // namespace zk
