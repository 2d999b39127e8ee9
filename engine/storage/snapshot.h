#pragma once
// Apache ZooKeeper's snapshot file (FileSnap, SnapStream, SerializeUtils, DataTree.serialize,
// ReferenceCountedACLCache.serialize), byte for byte as 3.8 writes it:
//
//   snapshot  := FileHeader body seal [ZxidDigest seal [lastZxid seal]]
//   FileHeader:= int magic "ZKSN" (0x5A4B534E), int version 2, long dbid -1
//   body      := sessions acls nodes                           (snapshot_body.h)
//   seal      := long adler32(every byte of the file before this long), ustring "/"
//   ZxidDigest:= long zxid, int digestVersion (2), long digest     (3.6+)
//   lastZxid  := long lastProcessedZxid                            (3.9+; read, not written)
//
// A file named snapshot.<hex zxid> holds a fuzzy image: it was serialized while txns kept
// applying, so it contains every txn <= zxid and perhaps some later ones; restoring it means
// replaying the log from zxid + 1. The ZxidDigest records the tree digest at the zxid the
// last node was serialized, which bounds the later txns it may contain. A snapshot.<zxid>.gz
// (zookeeper.snapshot.compression.method=gz) is read and written too; its checksums cover
// the uncompressed bytes. .snappy is not supported.
//
// SnapshotBuilder serializes a tree in bounded steps on the tree's own thread (resuming after
// the last path visited, so creates and deletes between steps are harmless); the resulting
// SnapshotImage is a plain value that writeSnapshotFile writes on any thread.

#include "data/data_tree.h"
#include "storage/data_dir.h"
#include "storage/snapshot_body.h"
#include "storage/storage_error.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace zk {

struct ZxidDigest
{
    Zxid zxid = 0;
    std::int32_t digestVersion = DataTree::digestVersion;
    std::int64_t digest = 0;
};

// What a snapshot file holds besides the tree.
struct SnapshotInfo
{
    Zxid zxid = 0; // from the file name
    std::int64_t dbId = 0;
    std::size_t sessionCount = 0;
    std::size_t aclCount = 0;
    std::size_t nodeCount = 0;
    std::optional<ZxidDigest> digest;      // 3.6+
    std::optional<Zxid> lastProcessedZxid; // 3.9+
};

// SnapStream.isValidSnapshot: a name with a zxid, and for plain files at least 10 bytes
// ending with int 1, byte '/' (the tail of a seal). Cheap; does not prove the content.
bool looksLikeValidSnapshot(const fs::path& file);

// Parses the whole file and checks every seal. Records reach the sink before the seals are
// checked, so a sink must discard what it got when an error comes back.
StorageError readSnapshotFile(const fs::path& file, SnapshotSink& sink, SnapshotInfo& info);

// Reads a snapshot into `tree` (emptied first) and `sessions`; the tree's lastProcessedZxid
// becomes the snapshot's zxid.
StorageError restoreSnapshot(const fs::path& file, DataTree& tree,
                             std::map<SessionId, std::int32_t>& sessions, SnapshotInfo& info);

// A serialized snapshot, ready to be written.
struct SnapshotImage
{
    Zxid zxid = 0;
    std::vector<std::pair<SessionId, std::int32_t>> sessions;
    std::map<std::int64_t, AclList> acls;
    std::vector<std::vector<std::uint8_t>> nodeChunks; // (path, DataNode) records in order
    std::size_t nodeCount = 0;
    ZxidDigest digest;
    bool writeLastProcessedZxid = false; // the 3.9 trailer; off so that 3.8 reads our files
    Zxid lastProcessedZxid = 0;

    std::size_t bytes() const;
};

// Appends the image's body (the bytes between a file's FileHeader and its first seal).
void appendSnapshotBody(const SnapshotImage& image, std::vector<std::uint8_t>& out);

// Serializes a tree in steps. Constructed and stepped on the tree's thread; between steps
// the tree may change freely. Memory: the image holds one copy of the serialized tree (one
// snapshot is in flight at a time), in chunks of about kChunkBytes.
class SnapshotBuilder
{
public:
    static constexpr std::size_t kChunkBytes = 1 << 20;

    // Captures the name zxid (the tree's lastProcessedZxid), the sessions and the ACL table.
    SnapshotBuilder(const DataTree& tree, const std::map<SessionId, std::int32_t>& sessions);

    // Serializes up to maxNodes more nodes in pre-order; true once every node was visited.
    bool step(const DataTree& tree, std::size_t maxNodes);
    // After step() returned true: records the ZxidDigest and hands the image over.
    SnapshotImage finish(const DataTree& tree);
    Zxid zxid() const { return m_image.zxid; }

private:
    void serializeNode(const DataTree& tree, std::string_view path, const DataNode& node);
    void sealChunk();

    SnapshotImage m_image;
    JuteWriter m_chunk; // the chunk being filled
    std::int64_t m_lastAclId = AclCache::openAclUnsafeId;
    std::optional<std::string> m_last; // last path visited
    bool m_done = false;
};

// The path after `path` in pre-order with children sorted by name, or nullopt at the end.
// `path` need not exist any more (it may have been deleted since it was visited).
std::optional<std::string> nextPathInPreOrder(const DataTree& tree, const std::string& path);

// zookeeper.snapshot.compression.method: "" (none) or "gz". Apache's "snappy" is not written.
enum class SnapshotCompression
{
    None,
    Gzip
};

// Writes <dir>/snapshot.<hex image.zxid>, or snapshot.<hex zxid>.gz with Gzip, via a temporary
// file and rename (fsync when `sync`).
StorageError writeSnapshotFile(const fs::path& dir, const SnapshotImage& image, bool sync,
                               fs::path* written = nullptr,
                               SnapshotCompression compression = SnapshotCompression::None);

} // namespace zk
