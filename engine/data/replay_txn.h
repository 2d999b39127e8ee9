#pragma once
// Applies one logged txn to a tree and its session table, as FileTxnSnapLog
// .processTransaction: createSession and closeSession update the session timeouts, and the
// tree applies the txn, comparing the txn's digest unless the replay is still inside the
// fuzzy part of a snapshot. Used by recovery, by learners applying what their leader sent,
// and by the simulator's disk.

#include "data/data_tree.h"

#include <map>

namespace zk {

void replayLoggedTxn(const LoggedTxn& txn, DataTree& tree,
                     std::map<SessionId, std::int32_t>& sessions, bool fuzzy = false);

} // namespace zk
