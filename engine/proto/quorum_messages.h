#pragma once
// Byte-exact codecs for the messages servers exchange with each other: the election channel
// (QuorumCnxManager + FastLeaderElection) and the quorum channel (QuorumPacket, ZAB). Pure
// functions over byte spans; decoders never throw, never read past their span and check every
// length against its maximum before allocating. Used by engine/net (live) and engine/sim.
//
// Election connection, once per TCP connection, sent by the connecting side
// (QuorumCnxManager.initiateConnection / InitialMessage.parse):
//
//   handshake := long protocolVersion, long sid, int len, byte[len] address     (len 1..2048)
//              | long sid                                   old form: the first long is >= 0
//   protocolVersion := -65536 (V1) | -65535 (V2, multiAddress: "h1:p1|h2:p2")
//   address  := hostPort { '|' hostPort }    hostPort := host ':' port
//
// Then every election message (QuorumCnxManager.RecvWorker, PACKETMAXSIZE):
//
//   frame := int length, byte[length] payload                               (length 1..512 KiB)
//
// The payload is a FastLeaderElection notification (buildMsg / WorkerReceiver.run):
//
//   notification := int state, long leader, long zxid, long electionEpoch,
//                   long peerEpoch, int version, int configLength, byte[configLength] config
//   older forms  := 28 bytes: state, leader, zxid, electionEpoch (peerEpoch = epoch of zxid)
//                 | 40 bytes: state, leader, zxid, electionEpoch, peerEpoch, int (ignored)
//   state        := 0 LOOKING | 1 FOLLOWING | 2 LEADING | 3 OBSERVING (other values decode;
//                   the receiver drops them, as WorkerReceiver does)
//
// Config bytes are read only when version > 1; bytes after the record are ignored, as Apache
// ignores the rest of its ByteBuffer.
//
// The quorum channel is a raw stream of Jute records with no length prefix (zookeeper.jute):
//
//   QuorumPacket := int type, long zxid, buffer data, vector<Id> authinfo
//   LearnerInfo  := long serverid, int protocolVersion, long configVersion    (FOLLOWERINFO data)
//   LEADERINFO data := int protocolVersion (0x10000)
//   ACKEPOCH data   := int currentEpoch (-1 when newEpoch == acceptedEpoch)

#include "core/ids.h"
#include "data/acl.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace zk {

enum class DecodeStatus
{
    Ok,
    NeedMore,
    Malformed
};

std::string_view toString(DecodeStatus status);

// ---- Election connection handshake ----

constexpr std::int64_t kElectionProtocolV1 = -65536;
constexpr std::int64_t kElectionProtocolV2 = -65535;
constexpr std::int32_t kElectionAddressBytesMax = 2048;
constexpr std::size_t kElectionHandshakeOldBytes = 8;

struct ElectionHandshake
{
    // kElectionProtocolV1, kElectionProtocolV2, or the sid itself for the old form.
    std::int64_t protocolVersion = kElectionProtocolV1;
    Sid sid = 0;
    std::string address = {}; // Empty only in the old form.

    bool isOldForm() const { return protocolVersion >= 0; }
    bool operator==(const ElectionHandshake&) const = default;
    std::string toString() const;
};

struct ElectionHandshakeDecode
{
    DecodeStatus status = DecodeStatus::NeedMore;
    ElectionHandshake handshake;
    std::size_t consumed = 0;
    std::string error; // Why it is Malformed, in Apache's words where it has some.
};

// Asserts that a non-old handshake has a 1..2048-byte address. The old form writes one long.
std::vector<std::uint8_t> encodeElectionHandshake(const ElectionHandshake& handshake);
// Reads a handshake from the start of a stream, as InitialMessage.parse: the address is split
// on '|' (whatever the version; V1 senders send one part), and every part must be "host:port"
// or "[v6]:port" with a non-empty host and a port in 0..65535, or the handshake is Malformed
// ("Badly formed address: ...", "Bad port number: ...").
ElectionHandshakeDecode decodeElectionHandshake(std::span<const std::uint8_t> bytes);
// The "host:port" parts of an address, split on '|'.
std::vector<std::string> splitElectionAddress(std::string_view address);

// ---- Election message framing ----

constexpr std::int32_t kElectionPacketBytesMax = 512 * 1024;

struct ElectionFrameDecode
{
    DecodeStatus status = DecodeStatus::NeedMore;
    std::span<const std::uint8_t> payload; // Points into the input; valid while it lives.
    std::size_t consumed = 0;
};

// Asserts 1 <= payload.size() <= kElectionPacketBytesMax.
std::vector<std::uint8_t> encodeElectionFrame(std::span<const std::uint8_t> payload);
// A length outside 1..kElectionPacketBytesMax is Malformed before any payload arrives.
ElectionFrameDecode decodeElectionFrame(std::span<const std::uint8_t> bytes);

// ---- FastLeaderElection notification ----

constexpr std::int32_t kNotificationCurrentVersion = 0x2;
constexpr std::size_t kNotificationBytes28 = 28;
constexpr std::size_t kNotificationBytes40 = 40;
constexpr std::size_t kNotificationHeaderBytes = 44; // The current form without config.

struct Notification
{
    std::int32_t state = 0;
    Sid leader = 0;
    Zxid zxid = 0;
    Epoch electionEpoch = 0;
    Epoch peerEpoch = 0;
    std::int32_t version = kNotificationCurrentVersion;
    std::vector<std::uint8_t> config =
        {}; // The sender's QuorumVerifier text; only when version > 1.

    bool operator==(const Notification&) const = default;
    // "LOOKING leader=2 zxid=0x100000003 round=1 peerEpoch=1" (config shown as its size).
    std::string toString() const;
};

// The current form (version is written as given; config follows when version > 1, else the
// 40-byte form). Asserts config fits kElectionPacketBytesMax.
std::vector<std::uint8_t> encodeNotification(const Notification& notification);
// The 28-byte form of servers before ZOOKEEPER-107 (no peerEpoch, no version).
std::vector<std::uint8_t> encodeNotification28(const Notification& notification);
// Decodes one notification payload (the frame's content). Returns nothing for fewer than 28
// bytes, a form cut short, or a config length that is negative, too large or past the end.
std::optional<Notification> decodeNotification(std::span<const std::uint8_t> payload);

// The name of a ServerState ordinal: "LOOKING", ... or "state(7)".
std::string serverStateName(std::int32_t state);

// ---- Quorum channel: QuorumPacket ----

// Leader.java packet type constants.
namespace QuorumPacketType {
constexpr std::int32_t Request = 1;
constexpr std::int32_t Proposal = 2;
constexpr std::int32_t Ack = 3;
constexpr std::int32_t Commit = 4;
constexpr std::int32_t Ping = 5;
constexpr std::int32_t Revalidate = 6;
constexpr std::int32_t Sync = 7;
constexpr std::int32_t Inform = 8;
constexpr std::int32_t CommitAndActivate = 9;
constexpr std::int32_t NewLeader = 10;
constexpr std::int32_t FollowerInfo = 11;
constexpr std::int32_t UpToDate = 12;
constexpr std::int32_t Diff = 13;
constexpr std::int32_t Trunc = 14;
constexpr std::int32_t Snap = 15;
constexpr std::int32_t ObserverInfo = 16;
constexpr std::int32_t LeaderInfo = 17;
constexpr std::int32_t AckEpoch = 18;
constexpr std::int32_t InformAndActivate = 19;
} // namespace QuorumPacketType

// "PROPOSAL", ... as Leader.getPacketType prints them, or "UNKNOWN(42)".
std::string quorumPacketTypeName(std::int32_t type);

struct QuorumPacket
{
    std::int32_t type = 0;
    Zxid zxid = 0;
    std::optional<std::vector<std::uint8_t>> data =
        std::nullopt; // nullopt: a null buffer (length -1).
    std::vector<Id> authinfo = {};

    bool operator==(const QuorumPacket&) const = default;
    // "PROPOSAL zxid=0x100000001 data=12B" (authinfo shown when present).
    std::string toString() const;
};

struct QuorumPacketDecode
{
    DecodeStatus status = DecodeStatus::NeedMore;
    QuorumPacket packet;
    std::size_t consumed = 0;
};

void writeQuorumPacket(JuteWriter& w, const QuorumPacket& packet);
std::vector<std::uint8_t> encodeQuorumPacket(const QuorumPacket& packet);
// Reads one packet from the start of a stream: NeedMore until a whole record is present;
// Malformed for a length below -1 or above maxLength, or an authinfo count above what
// maxLength bytes could hold. Never allocates more than the bytes present justify.
QuorumPacketDecode decodeQuorumPacket(std::span<const std::uint8_t> bytes,
                                      std::int32_t maxLength = JuteReader::kDefaultMaxLength);

// ---- Quorum channel payloads ----

constexpr std::int32_t kLearnerProtocolVersion = 0x10000;

struct LearnerInfo
{
    Sid sid = 0;
    std::int32_t protocolVersion = kLearnerProtocolVersion;
    std::int64_t configVersion = 0;
    bool operator==(const LearnerInfo&) const = default;
};

struct LearnerInfoDecode
{
    LearnerInfo info;
    // As LearnerHandler reads FOLLOWERINFO data: the sid needs 8 bytes, the version 12
    // (otherwise 0), the config version 20 (otherwise absent).
    bool hasProtocolVersion = false;
    bool hasConfigVersion = false;
};

std::vector<std::uint8_t> encodeLearnerInfo(const LearnerInfo& info); // 20 bytes.
// Nothing for fewer than 8 bytes (Apache then assigns a negative observer id).
std::optional<LearnerInfoDecode> decodeLearnerInfo(std::span<const std::uint8_t> data);

std::vector<std::uint8_t> encodeLeaderInfoData(std::int32_t protocolVersion);
std::optional<std::int32_t> decodeLeaderInfoData(std::span<const std::uint8_t> data);
// The epoch travels as an int (Learner.registerWithLeader); -1 means "same as accepted".
std::vector<std::uint8_t> encodeAckEpochData(Epoch currentEpoch);
std::optional<Epoch> decodeAckEpochData(std::span<const std::uint8_t> data);

} // namespace zk
