#pragma once
// Transactions exactly as Apache ZooKeeper logs them (zookeeper.jute, txn section). They are
// what the prep stage produces, what the txn log stores, what ZAB proposals carry and what
// DataTree::processTxn applies.
//
//   logged txn := TxnHeader, body chosen by TxnHeader.type, [TxnDigest]
//   TxnHeader  := long clientId, int cxid, long zxid, long time, int type
//
// Type codes (OpCode): create 1, delete 2, setData 5, setACL 7, check 13, multi 14,
// createContainer 19, deleteContainer 20, createTTL 21, createSession -10,
// closeSession -11, error -1. The codec lives in proto/txn_codec.h.

#include "core/ids.h"
#include "data/acl.h"
#include "proto/opcodes.h"

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace zk {

struct TxnHeader
{
    SessionId clientId = 0;
    Xid cxid = 0;
    Zxid zxid = 0;
    std::int64_t time = 0; // milliseconds since the epoch, from the leader's clock
    OpCode type = OpCode::Error;
    bool operator==(const TxnHeader&) const = default;
};

struct CreateSessionTxn
{
    std::int32_t timeOut = 0;
    bool operator==(const CreateSessionTxn&) const = default;
};

struct CloseSessionTxn
{
    // Absent in logs written before 3.6 (and when closeSessionTxn is disabled).
    std::optional<std::vector<std::string>> paths2Delete;
    bool operator==(const CloseSessionTxn&) const = default;
};

struct CreateTxn
{
    std::string path;
    std::optional<std::vector<std::uint8_t>> data; // nullopt: null data (length -1)
    AclList acl;
    bool ephemeral = false;
    std::int32_t parentCVersion = 0; // the parent's cversion after this create
    bool operator==(const CreateTxn&) const = default;
};

struct CreateContainerTxn
{
    std::string path;
    std::optional<std::vector<std::uint8_t>> data; // nullopt: null data (length -1)
    AclList acl;
    std::int32_t parentCVersion = 0;
    bool operator==(const CreateContainerTxn&) const = default;
};

struct CreateTtlTxn
{
    std::string path;
    std::optional<std::vector<std::uint8_t>> data; // nullopt: null data (length -1)
    AclList acl;
    std::int32_t parentCVersion = 0;
    std::int64_t ttl = 0;
    bool operator==(const CreateTtlTxn&) const = default;
};

// Used for both delete (2) and deleteContainer (20).
struct DeleteTxn
{
    std::string path;
    bool operator==(const DeleteTxn&) const = default;
};

struct SetDataTxn
{
    std::string path;
    std::optional<std::vector<std::uint8_t>> data; // nullopt: null data (length -1)
    std::int32_t version = 0;                      // the new version
    bool operator==(const SetDataTxn&) const = default;
};

struct SetAclTxn
{
    std::string path;
    AclList acl;
    std::int32_t version = 0; // the new aversion
    bool operator==(const SetAclTxn&) const = default;
};

struct CheckVersionTxn
{
    std::string path;
    std::int32_t version = 0;
    bool operator==(const CheckVersionTxn&) const = default;
};

struct ErrorTxn
{
    std::int32_t err = 0;
    bool operator==(const ErrorTxn&) const = default;
};

struct Txn;

// MultiTxn := vector<Txn{int type; buffer data}>; each data is one of the records above.
struct MultiTxn
{
    std::vector<Txn> txns;
    bool operator==(const MultiTxn&) const;
};

using TxnBody =
    std::variant<CreateSessionTxn, CloseSessionTxn, CreateTxn, CreateContainerTxn, CreateTtlTxn,
                 DeleteTxn, SetDataTxn, SetAclTxn, CheckVersionTxn, ErrorTxn, MultiTxn>;

// One txn: its type code (which disambiguates delete from deleteContainer) and its body.
struct Txn
{
    OpCode type = OpCode::Error;
    TxnBody body;
    bool operator==(const Txn&) const = default;
};

inline bool MultiTxn::operator==(const MultiTxn& other) const
{
    return txns == other.txns;
}

// TxnDigest := int version, long treeDigest (3.6+, appended when digests are enabled).
struct TxnDigest
{
    std::int32_t version = 0;
    std::int64_t treeDigest = 0;
    bool operator==(const TxnDigest&) const = default;
};

// A txn with its header, as one log entry or one proposal.
struct LoggedTxn
{
    TxnHeader header;
    Txn txn;
    std::optional<TxnDigest> digest;
    bool operator==(const LoggedTxn&) const = default;
};

} // namespace zk
