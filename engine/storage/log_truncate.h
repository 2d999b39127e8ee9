#pragma once
// Log truncation for a learner that receives TRUNC(zxid): it logged proposals the new
// leader never committed, and its durable history must end at zxid before the DIFF that
// follows is applied.
//
// Apache 3.8 (FileTxnSnapLog.truncateLog -> FileTxnLog.truncate, unchanged in master):
//   - closes its txn log, opens a FileTxnIterator at zxid (reading from the newest log file
//     named below zxid) and steps to the first txn whose zxid is >= zxid;
//   - RandomAccessFile.setLength(position after that txn) on the file holding it: the
//     preallocated zeros after it go too, so the file ends right after that record;
//   - deletes every later log file (a failed delete is only logged); fsyncs nothing;
//   - leaves snapshot files alone; ZKDatabase.truncateLog then reloads the database from
//     the newest snapshot and the log, and Learner sets lastProcessedZxid to zxid.
//
// truncateLog does the same to the files, with three differences:
//   - it keeps exactly the txns with zxid <= the given zxid. Apache keeps the first txn
//     >= zxid, which is that txn when zxid was logged (the usual case), but one txn too many
//     when zxid falls in a gap of the log (or is 0);
//   - it deletes snapshots named above zxid. Apache keeps them, and its reload then starts
//     from a tree holding txns the leader told it to drop, with a log that no longer
//     explains them. (On a correct quorum no such snapshot exists: a learner's tree holds
//     only committed txns, all of which the new leader has. For that reason a fuzzy
//     snapshot named at or below zxid, which may hold a few txns above its name, is kept,
//     as by Apache.) If the deleted one was the only snapshot and the log does not start at
//     a first zxid, the following recover() fails with NoValidSnapshot instead of restoring
//     a wrong tree;
//   - what it changes is durable: the cut file is fsynced, and so are the directories it
//     deleted from. A failed delete is an error.
//
// Order, so that a crash part-way leaves a state that recovers to a prefix of the log and
// a retried truncation finishes the job: snapshots above zxid (newest first), then log
// files named above zxid (newest first), then the cut. Nothing changes before the boundary
// file has been read up to the txn zxid (or, when zxid was not logged, the first txn above
// it); nothing after that is read, so damage there does not matter, while a read error
// before it (a bad checksum, a bad header) is returned with nothing changed, as Apache
// fails on it too. A torn tail before zxid simply ends the kept log early (recover() shows
// where).
//
// Caller (the learner, on the storage side): stop the FileStorage first (no writer may have
// these files open), then truncateLog, then recover() (as ZKDatabase.truncateLog reloads)
// and construct a new FileStorage(options, recovered lastZxid); appends then go to a new
// log file named after the first txn appended. Errors name the file. Any thread, while
// nothing else touches the directories.

#include "storage/file_storage.h"

namespace zk {

StorageError truncateLog(const StorageOptions& options, Zxid zxid);

} // namespace zk
