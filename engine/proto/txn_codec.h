#pragma once
// Jute codec for the txns of data/txn.h, byte-compatible with Apache ZooKeeper's txn log and
// proposals (SerializeUtils.deserializeTxn, Util.marshallTxnEntry). Used by the txn log, the
// snapshot/DIFF sync paths and ZAB proposals. Pure functions; decoders never throw and never
// allocate from a length they have not checked against maxLength and the remaining bytes.
//
//   logged txn := TxnHeader, body, [TxnDigest]
//   TxnHeader  := long clientId, int cxid, long zxid, long time, int type      (32 bytes)
//   TxnDigest  := int version, long treeDigest                                 (12 bytes)
//   body by type:
//     createSession -10   CreateSessionTxn := int timeOut
//     closeSession  -11   CloseSessionTxn  := [vector<ustring> paths2Delete]   (may be absent)
//     create 1, create2 15  CreateTxn      := ustring path, buffer data, vector<ACL> acl,
//                                             bool ephemeral, int parentCVersion
//                           CreateTxnV0    := the same without parentCVersion (create only;
//                                             decoded with parentCVersion = -1)
//     createContainer 19  CreateContainerTxn := path, data, acl, int parentCVersion
//     createTTL 21        CreateTTLTxn     := path, data, acl, int parentCVersion, long ttl
//     delete 2, deleteContainer 20  DeleteTxn := ustring path
//     setData 5, reconfig 16  SetDataTxn   := ustring path, buffer data, int version
//     setACL 7            SetACLTxn        := ustring path, vector<ACL> acl, int version
//     check 13            CheckVersionTxn  := ustring path, int version
//     error -1            ErrorTxn         := int err
//     multi 14            MultiTxn         := vector<Txn{int type; buffer data}>, where each
//                                             data is the body of a create, create2, createTTL,
//                                             createContainer, delete, deleteContainer,
//                                             setData, check or error txn (never a multi)
//
// The optional parts are told apart by what remains: after the body, either nothing or
// exactly one TxnDigest may follow; anything else fails. CreateTxnV0 and an absent
// paths2Delete are tried only when the current form does not fit. A null data buffer decodes
// as empty (CreateTxn.data is a plain vector). Encoding always writes the current forms.

#include "data/txn.h"
#include "proto/jute_reader.h"
#include "proto/jute_writer.h"

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace zk {

constexpr std::size_t kTxnHeaderBytes = 32;
constexpr std::size_t kTxnDigestBytes = 12;

void writeTxnHeader(JuteWriter& w, const TxnHeader& header);
TxnHeader readTxnHeader(JuteReader& r);

// True when `body` is the record that txns of `type` carry (see the grammar above).
bool txnBodyFitsType(OpCode type, const TxnBody& body);

// The whole log entry / proposal payload. Asserts that the body fits header.type and that
// txn.type equals header.type.
std::vector<std::uint8_t> encodeTxn(const LoggedTxn& txn);
std::optional<LoggedTxn> decodeTxn(std::span<const std::uint8_t> bytes,
                                   std::int32_t maxLength = JuteReader::kDefaultMaxLength);

// One body alone, as a multi sub-txn's data buffer holds it. decodeTxnBody requires the
// bytes to hold exactly one body of `type` (no digest).
void writeTxnBody(JuteWriter& w, OpCode type, const TxnBody& body);
std::vector<std::uint8_t> encodeTxnBody(OpCode type, const TxnBody& body);
std::optional<TxnBody> decodeTxnBody(OpCode type, std::span<const std::uint8_t> bytes,
                                     std::int32_t maxLength = JuteReader::kDefaultMaxLength);

// The txn types a MultiTxn may hold (DataTree.processTxn multi, SerializeUtils).
bool isMultiSubType(OpCode type);

} // namespace zk
