#pragma once
// Offline inspection of dataDir files, laid out as Apache's tools print them:
//
//   printTxnLog     ~ TxnLogToolkit (zkTxnLogToolkit.sh) dump mode:
//     ZooKeeper Transactional Log File with dbid 0 txnlog format version 2
//     11/22/26, 7:18:07 PM UTC session 0x1000... cxid 0x1 zxid 0x2 create /a,hello,[...],false,1
//     EOF reached after 10 txns.
//   printSnapshot   ~ SnapshotFormatter (zkSnapShotToolkit.sh):
//     ZNode Details (count=N):  then per node "----", path, cZxid/ctime/.../dataLength
//     Session Details (sid, timeout, ephemeralCount):  then "0x<sid>, <timeout>, <count>"
//     ----
//     Last zxid: 0x<zxid>
//
// Times print in UTC. Children print in name order (Apache's follow a hash set). Pure apart
// from reading the named file; safe on any thread.

#include "storage/storage_error.h"

#include <filesystem>
#include <ostream>

namespace zk {

StorageError printTxnLog(const std::filesystem::path& file, std::ostream& out);
StorageError printSnapshot(const std::filesystem::path& file, std::ostream& out);

} // namespace zk
