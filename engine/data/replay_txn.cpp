#include "data/replay_txn.h"

namespace zk {

void replayLoggedTxn(const LoggedTxn& txn, DataTree& tree,
                     std::map<SessionId, std::int32_t>& sessions, bool fuzzy)
{
    if (txn.header.type == OpCode::CreateSession) {
        if (const auto* body = std::get_if<CreateSessionTxn>(&txn.txn.body))
            sessions[txn.header.clientId] = body->timeOut;
    } else if (txn.header.type == OpCode::CloseSession) {
        sessions.erase(txn.header.clientId);
    }
    if (fuzzy)
        tree.processTxn(txn.header, txn.txn);
    else
        tree.processTxn(txn);
}

} // namespace zk
