#pragma once
// The database that follows a SNAP packet on a quorum connection. Apache's leader
// (LearnerHandler.run, 3.8 and master alike) writes, on the same jute stream as the
// QuorumPackets and right after QuorumPacket{SNAP, zxid}:
//
//   ZKDatabase.serializeSnapshot(oa)     = SerializeUtils.serializeSnapshot: sessions, then
//                                          DataTree.serialize: ACL cache, nodes
//   oa.writeString("BenWasHere", "signature")
//
//   snapStream := body signature
//   body       := sessions acls nodes                  (grammar in snapshot_body.h)
//   signature  := ustring "BenWasHere"                 (int 10, then the 10 bytes)
//
// Unlike a snapshot file there is no FileHeader, no Adler32 seal and no ZxidDigest; the
// stream is not compressed (the quorum socket carries it as is). The learner
// (Learner.syncWithLeader) reads it with ZKDatabase.deserializeSnapshot, checks the
// signature ("Missing signature" otherwise) and sets lastProcessedZxid to the SNAP packet's
// zxid. Whatever follows the signature is the next QuorumPacket (NEWLEADER, or proposals).
//
// Not done here (the learner's job, as Learner.syncWithLeader): with reconfig disabled,
// overwriting /zookeeper/config with the local config; taking the snapshot to disk
// (takeSnapshotNow) before acknowledging NEWLEADER.

#include "data/data_tree.h"
#include "storage/snapshot_body.h"

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace zk {

inline constexpr std::string_view kSnapSignature = "BenWasHere";

// The bytes a leader sends after QuorumPacket{SNAP, tree.lastProcessedZxid()}: the body as
// a snapshot file of this tree would hold it, then the signature. Serializes the whole tree
// at once, on the tree's thread; the result is a plain value for any thread to send.
std::vector<std::uint8_t> encodeSnapStream(const DataTree& tree,
                                           const std::map<SessionId, std::int32_t>& sessions);

// The tree and sessions a SNAP stream carried.
struct SnapStreamResult
{
    DataTree tree;                              // lastProcessedZxid = the SNAP packet's zxid
    std::map<SessionId, std::int32_t> sessions; // session id -> timeout ms
    std::uint64_t bytes = 0;                    // stream length, signature included
};

// Reads a SNAP stream as it arrives from the socket. Feed every byte received after the
// SNAP packet; each byte is parsed once, whatever the split (one byte at a time works), and
// memory grows only with bytes received. The tree is built with the same code as
// restoreSnapshot's, so its stats, ACL ids, ephemeral/container/TTL indexes and digest are
// those a snapshot file with this body would restore. One thread; not copyable or movable.
class SnapStreamDecoder
{
public:
    // snapZxid: the zxid of the SNAP packet. extendedTypesEnabled as the DataTree's.
    explicit SnapStreamDecoder(Zxid snapZxid, bool extendedTypesEnabled = false);
    SnapStreamDecoder(const SnapStreamDecoder&) = delete;
    SnapStreamDecoder& operator=(const SnapStreamDecoder&) = delete;

    // Consumes from the front of `bytes` and sets `consumed`:
    //   NeedMore  - took all of them; feed more;
    //   Ok        - took the stream up to the end of the signature and nothing after it
    //               (the rest is the next QuorumPacket); take() the result;
    //   Malformed - final; error() says why (bad count or length, a signature other than
    //               "BenWasHere", a node without its parent, a missing ACL entry) and
    //               errorOffset() where, counted from the first byte after SNAP.
    // Feeding after Ok or Malformed consumes nothing and returns the same status.
    DecodeStatus feed(std::span<const std::uint8_t> bytes, std::size_t& consumed);

    DecodeStatus status() const { return m_status; }
    const std::string& error() const { return m_error; }
    std::uint64_t errorOffset() const { return m_errorOffset; }
    std::uint64_t bytesConsumed() const { return m_consumed; }   // over all feeds
    std::size_t nodeCount() const { return m_body.nodeCount(); } // so far, for progress

    // After Ok, once.
    SnapStreamResult take();

private:
    DecodeStatus feedSignature(std::span<const std::uint8_t> bytes, std::size_t& consumed);
    DecodeStatus fail(std::uint64_t offset, std::string why);

    Zxid m_snapZxid;
    DataTree m_tree;
    std::map<SessionId, std::int32_t> m_sessions;
    SnapshotTreeSink m_sink;
    SnapshotBodyDecoder m_body;
    std::vector<std::uint8_t> m_signature; // at most 4 + kSnapSignature.size() bytes
    DecodeStatus m_status = DecodeStatus::NeedMore;
    std::uint64_t m_consumed = 0;
    std::uint64_t m_errorOffset = 0;
    std::string m_error;
    bool m_taken = false;
};

} // namespace zk
