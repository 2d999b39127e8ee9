// Proves the quorum-message codecs byte for byte: notification layouts (current, 40- and
// 28-byte forms), the election handshake and framing, QuorumPacket and its payloads, and that
// hostile lengths fail without allocating or reading past the input.
#include "proto/jute_writer.h"
#include "proto/quorum_messages.h"

#include <QtTest>

namespace {

using Bytes = std::vector<std::uint8_t>;

Bytes hex(const char* text)
{
    Bytes out;
    auto nibble = [](char c) { return c <= '9' ? c - '0' : c - 'a' + 10; };
    for (const char* p = text; *p != '\0';) {
        if (*p == ' ') {
            ++p;
            continue;
        }
        out.push_back(static_cast<std::uint8_t>(nibble(p[0]) * 16 + nibble(p[1])));
        p += 2;
    }
    return out;
}

// QCOMPARE on the enum would pick zk::toString by ADL; compare the names instead.
QString status(zk::DecodeStatus s)
{
    const std::string_view name = zk::toString(s);
    return QString::fromUtf8(name.data(), qsizetype(name.size()));
}

} // namespace

class QuorumMessagesTest : public QObject
{
    Q_OBJECT
private slots:
    void notificationCurrentLayout()
    {
        zk::Notification n{.state = 2,
                           .leader = 3,
                           .zxid = 0x100000007,
                           .electionEpoch = 5,
                           .peerEpoch = 1,
                           .version = 2,
                           .config = {'v', '=', '0'}};
        const Bytes expected = hex("00000002"
                                   "0000000000000003"
                                   "0000000100000007"
                                   "0000000000000005"
                                   "0000000000000001"
                                   "00000002"
                                   "00000003"
                                   "763d30");
        const Bytes bytes = zk::encodeNotification(n);
        QCOMPARE(bytes, expected);
        QCOMPARE(bytes.size(), zk::kNotificationHeaderBytes + 3);
        QCOMPARE(zk::decodeNotification(bytes), std::optional{n});
        QCOMPARE(QString::fromStdString(n.toString()),
                 QStringLiteral("LEADING leader=3 zxid=0x100000007 round=5 peerEpoch=1"));
    }

    void notificationEmptyConfigIs44Bytes()
    {
        const zk::Notification n{.state = 0, .leader = 1};
        QCOMPARE(zk::encodeNotification(n).size(), std::size_t{44});
        QCOMPARE(zk::decodeNotification(zk::encodeNotification(n)), std::optional{n});
    }

    void notification40ByteFormIgnoresVersion()
    {
        // Apache's 40-byte buildMsg writes 0x1 last; the receiver reads peerEpoch only.
        const Bytes bytes = hex("00000001 0000000000000002 0000000200000001 0000000000000004"
                                "0000000000000002 00000001");
        QCOMPARE(bytes.size(), zk::kNotificationBytes40);
        const auto n = zk::decodeNotification(bytes);
        QVERIFY(n.has_value());
        QCOMPARE(n->state, 1);
        QCOMPARE(n->leader, zk::Sid{2});
        QCOMPARE(n->zxid, zk::Zxid{0x200000001});
        QCOMPARE(n->electionEpoch, zk::Epoch{4});
        QCOMPARE(n->peerEpoch, zk::Epoch{2});
        QCOMPARE(n->version, 0);
        QVERIFY(n->config.empty());
    }

    void notification28ByteFormTakesEpochFromZxid()
    {
        const zk::Notification n{.state = 0, .leader = 5, .zxid = 0x300000009, .electionEpoch = 7};
        const Bytes bytes = zk::encodeNotification28(n);
        QCOMPARE(bytes, hex("00000000 0000000000000005 0000000300000009 0000000000000007"));
        const auto decoded = zk::decodeNotification(bytes);
        QVERIFY(decoded.has_value());
        QCOMPARE(decoded->peerEpoch, zk::Epoch{3});
        QCOMPARE(decoded->version, 0);
    }

    void notificationVersion1WithoutConfig()
    {
        // A version-1 message longer than 40 bytes carries no config; trailing bytes are
        // ignored as Apache ignores the rest of its buffer.
        Bytes bytes = zk::encodeNotification({.state = 0, .leader = 1, .version = 1});
        QCOMPARE(bytes.size(), std::size_t{40});
        bytes.push_back(0xff);
        const auto n = zk::decodeNotification(bytes);
        QVERIFY(n.has_value());
        QCOMPARE(n->version, 1);
        QVERIFY(n->config.empty());
    }

    void notificationHostileInputs()
    {
        QVERIFY(!zk::decodeNotification(Bytes(27, 0)).has_value());
        QVERIFY(!zk::decodeNotification(Bytes(32, 0)).has_value()); // Cut inside peerEpoch.
        QVERIFY(!zk::decodeNotification(Bytes(38, 0)).has_value()); // Cut inside version.
        Bytes cut(42, 0);
        cut[39] = 2; // Version 2 needs a configLength; only 2 of its bytes are there.
        QVERIFY(!zk::decodeNotification(cut).has_value());
        cut[39] = 0; // Version 0: no config, the rest is ignored.
        QVERIFY(zk::decodeNotification(cut).has_value());
        Bytes bytes = zk::encodeNotification({.state = 0, .leader = 1, .config = {1, 2, 3}});
        bytes[43] = 4; // configLength 4 with 3 bytes present.
        QVERIFY(!zk::decodeNotification(bytes).has_value());
        bytes[40] = 0xff; // Negative configLength.
        QVERIFY(!zk::decodeNotification(bytes).has_value());
        bytes[40] = 0x7f; // Huge configLength.
        QVERIFY(!zk::decodeNotification(bytes).has_value());
        // An unknown state decodes; the election drops it.
        bytes = zk::encodeNotification({.state = 9, .leader = 1});
        QCOMPARE(zk::decodeNotification(bytes)->state, 9);
        QCOMPARE(QString::fromStdString(zk::serverStateName(9)), QStringLiteral("state(9)"));
    }

    void handshakeV1Layout()
    {
        const zk::ElectionHandshake h{
            .protocolVersion = zk::kElectionProtocolV1, .sid = 2, .address = "a:1"};
        const Bytes bytes = zk::encodeElectionHandshake(h);
        QCOMPARE(bytes, hex("ffffffffffff0000 0000000000000002 00000003 613a31"));
        const auto d = zk::decodeElectionHandshake(bytes);
        QCOMPARE(status(d.status), QStringLiteral("Ok"));
        QCOMPARE(d.handshake, h);
        QCOMPARE(d.consumed, bytes.size());
        // Every prefix is NeedMore, never Malformed.
        for (std::size_t i = 0; i < bytes.size(); ++i) {
            const auto part = zk::decodeElectionHandshake(std::span(bytes).first(i));
            QCOMPARE(status(part.status), QStringLiteral("NeedMore"));
        }
    }

    void handshakeV2MultiAddress()
    {
        const zk::ElectionHandshake h{
            .protocolVersion = zk::kElectionProtocolV2, .sid = 7, .address = "h1:3888|[::1]:3889"};
        const Bytes bytes = zk::encodeElectionHandshake(h);
        QCOMPARE(bytes[7], std::uint8_t{0x01}); // -65535
        const auto d = zk::decodeElectionHandshake(bytes);
        QCOMPARE(status(d.status), QStringLiteral("Ok"));
        QCOMPARE(zk::splitElectionAddress(d.handshake.address).size(), std::size_t{2});
        // Apache splits V1 addresses on '|' too.
        zk::JuteWriter w;
        w.writeLong(zk::kElectionProtocolV1);
        w.writeLong(7);
        w.writeString("h1:1|h2:2");
        QCOMPARE(status(zk::decodeElectionHandshake(w.bytes()).status), QStringLiteral("Ok"));
        // One bad part spoils the whole handshake.
        zk::JuteWriter bad;
        bad.writeLong(zk::kElectionProtocolV2);
        bad.writeLong(7);
        bad.writeString("h1:1|h2");
        const auto d2 = zk::decodeElectionHandshake(bad.bytes());
        QCOMPARE(status(d2.status), QStringLiteral("Malformed"));
        QCOMPARE(QString::fromStdString(d2.error), QStringLiteral("Badly formed address: h2"));
    }

    void handshakeOldFormIsTheSid()
    {
        const Bytes bytes = hex("0000000000000005 ffff");
        const auto d = zk::decodeElectionHandshake(bytes);
        QCOMPARE(status(d.status), QStringLiteral("Ok"));
        QVERIFY(d.handshake.isOldForm());
        QCOMPARE(d.handshake.sid, zk::Sid{5});
        QCOMPARE(d.consumed, std::size_t{8});
        QCOMPARE(zk::encodeElectionHandshake(d.handshake), hex("0000000000000005"));
    }

    void handshakeHostile_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("error");
        auto make = [](std::int64_t version, std::int32_t length, std::string address) {
            zk::JuteWriter w;
            w.writeLong(version);
            w.writeLong(1);
            w.writeInt(length);
            w.writeRaw(
                std::span(reinterpret_cast<const std::uint8_t*>(address.data()), address.size()));
            return QByteArray(reinterpret_cast<const char*>(w.bytes().data()),
                              int(w.bytes().size()));
        };
        QTest::newRow("unknown version") << make(-3, 3, "a:1") << "unrecognized protocol";
        QTest::newRow("zero length") << make(zk::kElectionProtocolV1, 0, "") << "Unreasonable";
        QTest::newRow("negative length") << make(zk::kElectionProtocolV1, -1, "") << "Unreasonable";
        QTest::newRow("2049 bytes") << make(zk::kElectionProtocolV1, 2049, "") << "Unreasonable";
        QTest::newRow("no port") << make(zk::kElectionProtocolV1, 4, "host") << "Badly formed";
        QTest::newRow("bad port") << make(zk::kElectionProtocolV1, 7, "h:99999") << "Bad port";
        QTest::newRow("empty port") << make(zk::kElectionProtocolV1, 2, "h:") << "Bad port";
        QTest::newRow("empty host") << make(zk::kElectionProtocolV1, 5, ":3888") << "Badly formed";
        QTest::newRow("bare ipv6")
            << make(zk::kElectionProtocolV1, 8, "::1:3888") << "Badly formed";
    }

    void handshakeHostile()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, error);
        const auto d = zk::decodeElectionHandshake(
            std::span(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()));
        QCOMPARE(status(d.status), QStringLiteral("Malformed"));
        QVERIFY2(QString::fromStdString(d.error).contains(error), d.error.c_str());
    }

    void frameRoundTripAndLimits()
    {
        const Bytes payload{1, 2, 3};
        const Bytes framed = zk::encodeElectionFrame(payload);
        QCOMPARE(framed, hex("00000003 010203"));
        auto d = zk::decodeElectionFrame(framed);
        QCOMPARE(status(d.status), QStringLiteral("Ok"));
        QCOMPARE(Bytes(d.payload.begin(), d.payload.end()), payload);
        QCOMPARE(d.consumed, std::size_t{7});
        QCOMPARE(status(zk::decodeElectionFrame(std::span(framed).first(6)).status),
                 QStringLiteral("NeedMore"));
        QCOMPARE(status(zk::decodeElectionFrame(hex("00000000")).status),
                 QStringLiteral("Malformed"));
        QCOMPARE(status(zk::decodeElectionFrame(hex("ffffffff")).status),
                 QStringLiteral("Malformed"));
        // 512 KiB is the last accepted length; one more is refused before any payload.
        QCOMPARE(status(zk::decodeElectionFrame(hex("00080000")).status),
                 QStringLiteral("NeedMore"));
        QCOMPARE(status(zk::decodeElectionFrame(hex("00080001")).status),
                 QStringLiteral("Malformed"));
    }

    void quorumPacketLayout()
    {
        const zk::QuorumPacket p{.type = zk::QuorumPacketType::Proposal,
                                 .zxid = 0x100000001,
                                 .data = Bytes{0xab},
                                 .authinfo = {{"digest", "u"}}};
        const Bytes bytes = zk::encodeQuorumPacket(p);
        QCOMPARE(bytes, hex("00000002 0000000100000001 00000001 ab 00000001"
                            "00000006 646967657374 00000001 75"));
        const auto d = zk::decodeQuorumPacket(bytes);
        QCOMPARE(status(d.status), QStringLiteral("Ok"));
        QCOMPARE(d.packet, p);
        QCOMPARE(d.consumed, bytes.size());
        for (std::size_t i = 0; i < bytes.size(); ++i)
            QCOMPARE(status(zk::decodeQuorumPacket(std::span(bytes).first(i)).status),
                     QStringLiteral("NeedMore"));
        QCOMPARE(QString::fromStdString(p.toString()),
                 QStringLiteral("PROPOSAL zxid=0x100000001 data=1B auth=digest:u"));
    }

    void quorumPacketNullDataAndStream()
    {
        const zk::QuorumPacket ping{.type = zk::QuorumPacketType::Ping, .zxid = 9};
        const zk::QuorumPacket commit{
            .type = zk::QuorumPacketType::Commit, .zxid = 10, .data = Bytes{}};
        Bytes stream = zk::encodeQuorumPacket(ping);
        QCOMPARE(stream, hex("00000005 0000000000000009 ffffffff 00000000"));
        const Bytes second = zk::encodeQuorumPacket(commit);
        stream.insert(stream.end(), second.begin(), second.end());
        const auto first = zk::decodeQuorumPacket(stream);
        QCOMPARE(status(first.status), QStringLiteral("Ok"));
        QCOMPARE(first.packet, ping);
        const auto next = zk::decodeQuorumPacket(std::span(stream).subspan(first.consumed));
        QCOMPARE(status(next.status), QStringLiteral("Ok"));
        QCOMPARE(next.packet, commit);
        QVERIFY(next.packet.data.has_value());
    }

    void quorumPacketHostileLengths()
    {
        // data length 0x7fffffff: Malformed at once, nothing allocated.
        QCOMPARE(status(zk::decodeQuorumPacket(hex("00000002 0000000000000001 7fffffff")).status),
                 QStringLiteral("Malformed"));
        QCOMPARE(status(zk::decodeQuorumPacket(hex("00000002 0000000000000001 fffffffe")).status),
                 QStringLiteral("Malformed"));
        // authinfo count far beyond what maxLength could hold.
        QCOMPARE(
            status(
                zk::decodeQuorumPacket(hex("00000002 0000000000000001 ffffffff 7fffffff")).status),
            QStringLiteral("Malformed"));
        // A scheme string longer than maxLength.
        QCOMPARE(status(zk::decodeQuorumPacket(
                            hex("00000002 0000000000000001 ffffffff 00000001 00100000"))
                            .status),
                 QStringLiteral("Malformed"));
        // A smaller maxLength refuses what the default accepts.
        const Bytes big = zk::encodeQuorumPacket({.type = 2, .data = Bytes(100, 0)});
        QCOMPARE(status(zk::decodeQuorumPacket(big).status), QStringLiteral("Ok"));
        QCOMPARE(status(zk::decodeQuorumPacket(big, 99).status), QStringLiteral("Malformed"));
    }

    void packetTypeNames()
    {
        QCOMPARE(QString::fromStdString(zk::quorumPacketTypeName(1)), QStringLiteral("REQUEST"));
        QCOMPARE(QString::fromStdString(zk::quorumPacketTypeName(10)), QStringLiteral("NEWLEADER"));
        QCOMPARE(QString::fromStdString(zk::quorumPacketTypeName(17)),
                 QStringLiteral("LEADERINFO"));
        QCOMPARE(QString::fromStdString(zk::quorumPacketTypeName(19)),
                 QStringLiteral("INFORMANDACTIVATE"));
        QCOMPARE(QString::fromStdString(zk::quorumPacketTypeName(20)),
                 QStringLiteral("UNKNOWN(20)"));
        QCOMPARE(zk::QuorumPacketType::AckEpoch, 18);
        QCOMPARE(zk::QuorumPacketType::ObserverInfo, 16);
    }

    void learnerInfoForms()
    {
        const zk::LearnerInfo info{.sid = 3, .protocolVersion = 0x10000, .configVersion = 0x5};
        const Bytes bytes = zk::encodeLearnerInfo(info);
        QCOMPARE(bytes, hex("0000000000000003 00010000 0000000000000005"));
        const auto full = zk::decodeLearnerInfo(bytes);
        QVERIFY(full.has_value());
        QCOMPARE(full->info, info);
        QVERIFY(full->hasConfigVersion);
        const auto sidOnly = zk::decodeLearnerInfo(std::span(bytes).first(8));
        QVERIFY(sidOnly.has_value());
        QCOMPARE(sidOnly->info.sid, zk::Sid{3});
        QVERIFY(!sidOnly->hasProtocolVersion);
        QCOMPARE(sidOnly->info.protocolVersion, 0);
        const auto noConfig = zk::decodeLearnerInfo(std::span(bytes).first(12));
        QVERIFY(noConfig->hasProtocolVersion);
        QVERIFY(!noConfig->hasConfigVersion);
        QVERIFY(!zk::decodeLearnerInfo(std::span(bytes).first(7)).has_value());
    }

    void leaderInfoAndAckEpoch()
    {
        QCOMPARE(zk::encodeLeaderInfoData(zk::kLearnerProtocolVersion), hex("00010000"));
        QCOMPARE(zk::decodeLeaderInfoData(hex("00010000")), std::optional{0x10000});
        QVERIFY(!zk::decodeLeaderInfoData(hex("000100")).has_value());
        QCOMPARE(zk::encodeAckEpochData(-1), hex("ffffffff"));
        QCOMPARE(zk::encodeAckEpochData(7), hex("00000007"));
        QCOMPARE(zk::decodeAckEpochData(hex("ffffffff")), std::optional<zk::Epoch>{-1});
        QVERIFY(!zk::decodeAckEpochData({}).has_value());
    }
};

QTEST_APPLESS_MAIN(QuorumMessagesTest)
#include "test_quorum_messages.moc"
