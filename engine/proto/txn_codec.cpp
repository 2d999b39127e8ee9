#include "proto/txn_codec.h"

#include "core/assert.h"

namespace zk {

namespace {

// The current form of each body, or the legacy one (CreateTxnV0, CloseSessionTxn without
// paths2Delete) for the two types that have one.
enum class BodyForm
{
    Current,
    Legacy
};

std::vector<std::string> readStrings(JuteReader& r)
{
    return r.readVector<std::string>([](JuteReader& in) { return in.readString(); }, 4);
}

std::optional<TxnBody> readMultiTxn(JuteReader& r, std::int32_t maxLength);

// Reads one body of `type` in `form`; nullopt when the type has no such form or is not a
// txn type. Callers check r.ok() and what remains.
std::optional<TxnBody> readBody(OpCode type, JuteReader& r, BodyForm form, std::int32_t maxLength)
{
    const bool legacy = form == BodyForm::Legacy;
    if (legacy && type != OpCode::Create && type != OpCode::CloseSession)
        return std::nullopt;
    switch (type) {
    case OpCode::CreateSession:
        return CreateSessionTxn{r.readInt()};
    case OpCode::CloseSession: {
        CloseSessionTxn txn;
        if (!legacy)
            txn.paths2Delete = readStrings(r);
        return txn;
    }
    case OpCode::Create:
    case OpCode::Create2: {
        CreateTxn txn;
        txn.path = r.readString();
        txn.data = r.readOptionalBuffer();
        txn.acl = readAclList(r);
        txn.ephemeral = r.readBool();
        // CreateTxnV0 predates parentCVersion; SerializeUtils stores -1 in its place.
        txn.parentCVersion = legacy ? -1 : r.readInt();
        return txn;
    }
    case OpCode::CreateContainer: {
        CreateContainerTxn txn;
        txn.path = r.readString();
        txn.data = r.readOptionalBuffer();
        txn.acl = readAclList(r);
        txn.parentCVersion = r.readInt();
        return txn;
    }
    case OpCode::CreateTtl: {
        CreateTtlTxn txn;
        txn.path = r.readString();
        txn.data = r.readOptionalBuffer();
        txn.acl = readAclList(r);
        txn.parentCVersion = r.readInt();
        txn.ttl = r.readLong();
        return txn;
    }
    case OpCode::Delete:
    case OpCode::DeleteContainer:
        return DeleteTxn{r.readString()};
    case OpCode::SetData:
    case OpCode::Reconfig: {
        SetDataTxn txn;
        txn.path = r.readString();
        txn.data = r.readOptionalBuffer();
        txn.version = r.readInt();
        return txn;
    }
    case OpCode::SetAcl: {
        SetAclTxn txn;
        txn.path = r.readString();
        txn.acl = readAclList(r);
        txn.version = r.readInt();
        return txn;
    }
    case OpCode::Check: {
        CheckVersionTxn txn;
        txn.path = r.readString();
        txn.version = r.readInt();
        return txn;
    }
    case OpCode::Error:
        return ErrorTxn{r.readInt()};
    case OpCode::Multi:
        return readMultiTxn(r, maxLength);
    default:
        return std::nullopt;
    }
}

// Tries the current form, then the legacy one, on a copy of `r` each time. A form fits when
// the reader stays ok and what remains is nothing, or exactly a TxnDigest if allowed.
// On success `r` is left after the body.
std::optional<TxnBody> readBodyFitting(OpCode type, JuteReader& r, bool digestMayFollow,
                                       std::int32_t maxLength)
{
    for (const BodyForm form : {BodyForm::Current, BodyForm::Legacy}) {
        JuteReader attempt = r;
        auto body = readBody(type, attempt, form, maxLength);
        if (!body || !attempt.ok())
            continue;
        if (attempt.atEnd() || (digestMayFollow && attempt.remaining() == kTxnDigestBytes)) {
            r = attempt;
            return body;
        }
    }
    return std::nullopt;
}

std::optional<TxnBody> decodeBody(OpCode type, std::span<const std::uint8_t> bytes,
                                  std::int32_t maxLength)
{
    JuteReader r(bytes, maxLength);
    return readBodyFitting(type, r, false, maxLength);
}

// Sub-txns are decoded from their own buffers, which the reader has already bounded. A sub
// type that is not allowed (in particular a nested multi) fails, so recursion stops at one.
std::optional<TxnBody> readMultiTxn(JuteReader& r, std::int32_t maxLength)
{
    MultiTxn multi;
    // A Txn is at least 8 bytes: its type and its buffer length.
    const std::int32_t count = r.readCount(8);
    multi.txns.reserve(static_cast<std::size_t>(count));
    for (std::int32_t i = 0; i < count && r.ok(); ++i) {
        const auto type = static_cast<OpCode>(r.readInt());
        const std::vector<std::uint8_t> data = r.readBuffer();
        if (!r.ok())
            break;
        if (!isMultiSubType(type))
            return std::nullopt;
        auto body = decodeBody(type, data, maxLength);
        if (!body)
            return std::nullopt;
        multi.txns.push_back(Txn{type, std::move(*body)});
    }
    return multi;
}

void writeStrings(JuteWriter& w, const std::vector<std::string>& items)
{
    w.writeVector(items, [](JuteWriter& out, const std::string& item) { out.writeString(item); });
}

struct BodyWriter
{
    JuteWriter& w;

    void operator()(const CreateSessionTxn& txn) const { w.writeInt(txn.timeOut); }
    void operator()(const CloseSessionTxn& txn) const
    {
        if (txn.paths2Delete)
            writeStrings(w, *txn.paths2Delete);
    }
    void operator()(const CreateTxn& txn) const
    {
        w.writeString(txn.path);
        w.writeOptionalBuffer(txn.data);
        writeAclList(w, txn.acl);
        w.writeBool(txn.ephemeral);
        w.writeInt(txn.parentCVersion);
    }
    void operator()(const CreateContainerTxn& txn) const
    {
        w.writeString(txn.path);
        w.writeOptionalBuffer(txn.data);
        writeAclList(w, txn.acl);
        w.writeInt(txn.parentCVersion);
    }
    void operator()(const CreateTtlTxn& txn) const
    {
        w.writeString(txn.path);
        w.writeOptionalBuffer(txn.data);
        writeAclList(w, txn.acl);
        w.writeInt(txn.parentCVersion);
        w.writeLong(txn.ttl);
    }
    void operator()(const DeleteTxn& txn) const { w.writeString(txn.path); }
    void operator()(const SetDataTxn& txn) const
    {
        w.writeString(txn.path);
        w.writeOptionalBuffer(txn.data);
        w.writeInt(txn.version);
    }
    void operator()(const SetAclTxn& txn) const
    {
        w.writeString(txn.path);
        writeAclList(w, txn.acl);
        w.writeInt(txn.version);
    }
    void operator()(const CheckVersionTxn& txn) const
    {
        w.writeString(txn.path);
        w.writeInt(txn.version);
    }
    void operator()(const ErrorTxn& txn) const { w.writeInt(txn.err); }
    void operator()(const MultiTxn& txn) const
    {
        w.writeInt(static_cast<std::int32_t>(txn.txns.size()));
        for (const Txn& sub : txn.txns) {
            ZK_ASSERT(isMultiSubType(sub.type));
            w.writeInt(static_cast<std::int32_t>(sub.type));
            w.writeBuffer(encodeTxnBody(sub.type, sub.body));
        }
    }
};

} // namespace

void writeTxnHeader(JuteWriter& w, const TxnHeader& header)
{
    w.writeLong(header.clientId);
    w.writeInt(header.cxid);
    w.writeLong(header.zxid);
    w.writeLong(header.time);
    w.writeInt(static_cast<std::int32_t>(header.type));
}

TxnHeader readTxnHeader(JuteReader& r)
{
    TxnHeader header;
    header.clientId = r.readLong();
    header.cxid = r.readInt();
    header.zxid = r.readLong();
    header.time = r.readLong();
    header.type = static_cast<OpCode>(r.readInt());
    return header;
}

bool txnBodyFitsType(OpCode type, const TxnBody& body)
{
    switch (type) {
    case OpCode::CreateSession:
        return std::holds_alternative<CreateSessionTxn>(body);
    case OpCode::CloseSession:
        return std::holds_alternative<CloseSessionTxn>(body);
    case OpCode::Create:
    case OpCode::Create2:
        return std::holds_alternative<CreateTxn>(body);
    case OpCode::CreateContainer:
        return std::holds_alternative<CreateContainerTxn>(body);
    case OpCode::CreateTtl:
        return std::holds_alternative<CreateTtlTxn>(body);
    case OpCode::Delete:
    case OpCode::DeleteContainer:
        return std::holds_alternative<DeleteTxn>(body);
    case OpCode::SetData:
    case OpCode::Reconfig:
        return std::holds_alternative<SetDataTxn>(body);
    case OpCode::SetAcl:
        return std::holds_alternative<SetAclTxn>(body);
    case OpCode::Check:
        return std::holds_alternative<CheckVersionTxn>(body);
    case OpCode::Error:
        return std::holds_alternative<ErrorTxn>(body);
    case OpCode::Multi:
        return std::holds_alternative<MultiTxn>(body);
    default:
        return false;
    }
}

void writeTxnBody(JuteWriter& w, OpCode type, const TxnBody& body)
{
    ZK_ASSERT(txnBodyFitsType(type, body));
    std::visit(BodyWriter{w}, body);
}

std::vector<std::uint8_t> encodeTxnBody(OpCode type, const TxnBody& body)
{
    JuteWriter w;
    writeTxnBody(w, type, body);
    return w.take();
}

std::optional<TxnBody> decodeTxnBody(OpCode type, std::span<const std::uint8_t> bytes,
                                     std::int32_t maxLength)
{
    return decodeBody(type, bytes, maxLength);
}

std::vector<std::uint8_t> encodeTxn(const LoggedTxn& txn)
{
    ZK_ASSERT(txn.txn.type == txn.header.type);
    JuteWriter w;
    writeTxnHeader(w, txn.header);
    writeTxnBody(w, txn.txn.type, txn.txn.body);
    if (txn.digest) {
        w.writeInt(txn.digest->version);
        w.writeLong(txn.digest->treeDigest);
    }
    return w.take();
}

std::optional<LoggedTxn> decodeTxn(std::span<const std::uint8_t> bytes, std::int32_t maxLength)
{
    JuteReader r(bytes, maxLength);
    LoggedTxn txn;
    txn.header = readTxnHeader(r);
    if (!r.ok())
        return std::nullopt;
    auto body = readBodyFitting(txn.header.type, r, true, maxLength);
    if (!body)
        return std::nullopt;
    txn.txn = Txn{txn.header.type, std::move(*body)};
    if (!r.atEnd()) {
        TxnDigest digest;
        digest.version = r.readInt();
        digest.treeDigest = r.readLong();
        if (!r.ok() || !r.atEnd())
            return std::nullopt;
        txn.digest = digest;
    }
    return txn;
}

bool isMultiSubType(OpCode type)
{
    switch (type) {
    case OpCode::Create:
    case OpCode::Create2:
    case OpCode::CreateTtl:
    case OpCode::CreateContainer:
    case OpCode::Delete:
    case OpCode::DeleteContainer:
    case OpCode::SetData:
    case OpCode::Check:
    case OpCode::Error:
        return true;
    default:
        return false;
    }
}

} // namespace zk
