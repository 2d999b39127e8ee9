#pragma once
// The database image that a snapshot file and a SNAP stream share: what
// SerializeUtils.serializeSnapshot writes (sessions, then DataTree.serialize: the
// ReferenceCountedACLCache table, then the nodes) and deserializeSnapshot reads.
//
//   body      := sessions acls nodes
//   sessions  := int count, (long sessionId, int timeoutMs){count}
//   acls      := int count, (long aclId, int n, ACL{n}){count}
//   ACL       := int perms, ustring scheme, ustring id
//   nodes     := (ustring path, DataNode){k} ustring "/"     pre-order, parents first;
//                                                            the root's path is ""
//   DataNode  := buffer data (-1 = null), long aclId, StatPersisted
//   StatPersisted := long czxid, long mzxid, long ctime, long mtime, int version,
//                    int cversion, int aversion, long ephemeralOwner, long pzxid   (60 bytes)
//
// A snapshot file puts a FileHeader before the body and seals after it (snapshot.h); the
// SNAP stream follows it with the string "BenWasHere" (snap_stream.h). Both are written
// with the functions below and read with SnapshotBodyDecoder into a SnapshotSink, so a tree
// restored from a file and one received over a socket go through the same code.
//
// Reading is as the file reader always was: a count or length of -1 reads as empty (a null
// path is the root's ""), anything below -1 or above maxLength is Malformed.

#include "data/data_tree.h"
#include "proto/jute_writer.h"
#include "proto/quorum_messages.h"
#include "storage/txn_log.h"

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace zk {

inline constexpr std::uint64_t kMaxSnapshotBytes = 16ULL * 1024 * 1024 * 1024;

// Receives a snapshot's records in body order while it is read.
class SnapshotSink
{
public:
    virtual ~SnapshotSink() = default;
    virtual void session(SessionId id, std::int32_t timeoutMs) = 0;
    virtual void acl(std::int64_t id, AclList acls) = 0;
    // `path` as stored: "" for the root.
    virtual void node(std::string path, DataNode node) = 0;
};

// Rebuilds a tree and a session table from body records, as DataTree.deserialize: the
// constructor empties both (DataTree::beginRestore; watches stay), finish() rebuilds
// children, indexes, ACL use counts, size and digest. Same thread as the tree's owner.
class SnapshotTreeSink final : public SnapshotSink
{
public:
    SnapshotTreeSink(DataTree& tree, std::map<SessionId, std::int32_t>& sessions);

    void session(SessionId id, std::int32_t timeoutMs) override;
    void acl(std::int64_t id, AclList acls) override;
    void node(std::string path, DataNode node) override;
    // False when a node's parent, the root or a node's ACL entry is missing.
    bool finish();

private:
    DataTree& m_tree;
    std::map<SessionId, std::int32_t>& m_sessions;
};

// The body up to the first node: the session table and the ACL table.
void writeSnapshotBodyHead(JuteWriter& w,
                           std::span<const std::pair<SessionId, std::int32_t>> sessions,
                           const std::map<std::int64_t, AclList>& acls);
// One (path, DataNode) record; the root "/" is written as "" (DataTree.serializeNode).
void writeSnapshotNode(JuteWriter& w, std::string_view path, const DataNode& node);
// The "/" that ends the node list.
void writeSnapshotBodyEnd(JuteWriter& w);

// Reads a body incrementally: bytes may arrive in pieces of any size, each byte is looked at
// once, and a field split across feeds is buffered only as its bytes arrive (a hostile
// count or length allocates nothing ahead of the bytes). Records reach the sink as soon as
// they are whole. One thread; the sink must outlive the decoder.
class SnapshotBodyDecoder
{
public:
    explicit SnapshotBodyDecoder(SnapshotSink& sink, std::int32_t maxLength = kMaxTxnBytes);

    // Consumes from the front of `bytes` and sets `consumed`: NeedMore has taken them all;
    // Ok has taken the body up to and including the final "/" and nothing after it;
    // Malformed is final (error() and errorOffset() tell why and where). Feeding after Ok
    // or Malformed consumes nothing and returns the same status.
    DecodeStatus feed(std::span<const std::uint8_t> bytes, std::size_t& consumed);

    DecodeStatus status() const;
    const std::string& error() const { return m_error; }
    // Body offset of the field at fault (Malformed) or being read (NeedMore).
    std::uint64_t errorOffset() const { return m_fieldStart; }
    // What is being read, for messages: "session table", "ACL table" or "node list".
    std::string_view section() const;
    std::uint64_t position() const { return m_position; } // body bytes consumed
    std::size_t sessionCount() const { return m_sessionCount; }
    std::size_t aclCount() const { return m_aclCount; }
    std::size_t nodeCount() const { return m_nodeCount; }

private:
    enum class Field : std::uint8_t
    {
        SessionCount,
        Session,
        AclCount,
        AclId,
        AclListCount,
        AclPerms,
        SchemeLength,
        Scheme,
        IdLength,
        IdText,
        PathLength,
        Path,
        DataLength,
        Data,
        NodeTail,
        Done,
        Failed,
    };

    bool gather(std::span<const std::uint8_t> bytes, std::size_t& consumed,
                std::span<const std::uint8_t>& value);
    void handle(std::span<const std::uint8_t> value);
    void handleAcl(std::span<const std::uint8_t> value);
    void handleNode(std::span<const std::uint8_t> value);
    void expect(Field field, std::size_t bytes);
    void expectLengthPrefixed(Field field, std::int32_t length);
    // A count or length field: -1 gives 0; below -1 or above maxLength fails.
    bool lengthOf(std::span<const std::uint8_t> value, std::string_view what, std::int32_t& out);
    void nextSession();
    void nextAclEntry();
    void nextAcl();
    void fail(std::string why);

    SnapshotSink& m_sink;
    std::int32_t m_maxLength;
    Field m_field = Field::SessionCount;
    std::size_t m_need = 4;              // bytes of the current field
    std::vector<std::uint8_t> m_partial; // the current field, when split across feeds
    std::uint64_t m_position = 0;        // body bytes consumed
    std::uint64_t m_fieldStart = 0;      // body offset of the current field
    std::int64_t m_left = 0;             // sessions or ACL entries still to read
    std::int64_t m_aclItemsLeft = 0;     // ACLs still to read in the current entry
    std::int64_t m_aclId = 0;
    AclList m_aclList;
    Acl m_acl;
    std::string m_path;
    DataNode m_node;
    std::size_t m_sessionCount = 0;
    std::size_t m_aclCount = 0;
    std::size_t m_nodeCount = 0;
    std::string m_error;
};

} // namespace zk
