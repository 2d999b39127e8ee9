// Proves every txn type round-trips through the log encoding, that the optional parts
// (CreateTxnV0, absent paths2Delete, TxnDigest) decode like Apache's, and that garbage fails.
#include "proto/txn_codec.h"

#include <QtTest>

namespace {

using Bytes = std::vector<std::uint8_t>;

void append(Bytes& out, const Bytes& more)
{
    out.insert(out.end(), more.begin(), more.end());
}

zk::TxnHeader header(zk::OpCode type)
{
    return zk::TxnHeader{0x0100018b00000001LL, 42, 0x300000007LL, 1700000000123LL, type};
}

zk::LoggedTxn logged(zk::OpCode type, zk::TxnBody body,
                     std::optional<zk::TxnDigest> digest = std::nullopt)
{
    return zk::LoggedTxn{header(type), zk::Txn{type, std::move(body)}, digest};
}

zk::AclList acl()
{
    return {zk::Acl{zk::perms::All, zk::Id{"world", "anyone"}}};
}

zk::MultiTxn sampleMulti()
{
    zk::MultiTxn multi;
    multi.txns.push_back({zk::OpCode::Create, zk::CreateTxn{"/m/a", Bytes{1}, acl(), false, 3}});
    multi.txns.push_back({zk::OpCode::Create2, zk::CreateTxn{"/m/b", {}, acl(), true, 4}});
    multi.txns.push_back({zk::OpCode::CreateTtl, zk::CreateTtlTxn{"/m/t", {}, acl(), 5, 1000}});
    multi.txns.push_back(
        {zk::OpCode::CreateContainer, zk::CreateContainerTxn{"/m/c", {}, acl(), 6}});
    multi.txns.push_back({zk::OpCode::Delete, zk::DeleteTxn{"/m/old"}});
    multi.txns.push_back({zk::OpCode::DeleteContainer, zk::DeleteTxn{"/m/gone"}});
    multi.txns.push_back({zk::OpCode::SetData, zk::SetDataTxn{"/m", Bytes{9, 9}, 2}});
    multi.txns.push_back({zk::OpCode::Check, zk::CheckVersionTxn{"/m", 2}});
    return multi;
}

std::vector<zk::LoggedTxn> everyType()
{
    using namespace zk;
    const TxnDigest digest{2, 0x1234567890abcdefLL};
    return {
        logged(OpCode::CreateSession, CreateSessionTxn{30000}),
        logged(OpCode::CloseSession, CloseSessionTxn{std::vector<std::string>{"/e1", "/e2"}}),
        logged(OpCode::CloseSession, CloseSessionTxn{std::vector<std::string>{}}, digest),
        logged(OpCode::CloseSession, CloseSessionTxn{std::nullopt}),
        logged(OpCode::CloseSession, CloseSessionTxn{std::nullopt}, digest),
        logged(OpCode::Create, CreateTxn{"/a", Bytes{'x'}, acl(), true, 7}, digest),
        logged(OpCode::Create2, CreateTxn{"/b", {}, acl(), false, 0}),
        logged(OpCode::CreateContainer, CreateContainerTxn{"/c", Bytes{1}, acl(), 1}, digest),
        logged(OpCode::CreateTtl, CreateTtlTxn{"/t", Bytes{2}, acl(), 2, 86400000}),
        logged(OpCode::Delete, DeleteTxn{"/a"}, digest),
        logged(OpCode::DeleteContainer, DeleteTxn{"/c"}),
        logged(OpCode::SetData, SetDataTxn{"/a", Bytes{3, 4}, 5}, digest),
        logged(OpCode::Reconfig, SetDataTxn{"/zookeeper/config", Bytes{'v'}, 1}),
        logged(OpCode::SetAcl, SetAclTxn{"/a", acl(), 3}, digest),
        logged(OpCode::Check, CheckVersionTxn{"/a", 4}),
        logged(OpCode::Error, ErrorTxn{-101}, digest),
        logged(OpCode::Multi, sampleMulti(), digest),
        logged(OpCode::Multi, MultiTxn{}),
    };
}

Bytes headerBytes(zk::OpCode type)
{
    zk::JuteWriter w;
    zk::writeTxnHeader(w, header(type));
    return w.take();
}

} // namespace

class TxnCodecTest : public QObject
{
    Q_OBJECT
private slots:
    void everyTypeRoundTrips()
    {
        for (const zk::LoggedTxn& txn : everyType()) {
            const Bytes bytes = zk::encodeTxn(txn);
            const auto decoded = zk::decodeTxn(bytes);
            const auto label = QByteArray::number(static_cast<int>(txn.header.type));
            QVERIFY2(decoded.has_value(), label.constData());
            QVERIFY2(*decoded == txn, label.constData());
            QVERIFY2(zk::txnBodyFitsType(txn.header.type, txn.txn.body), label.constData());
            // The body alone decodes too, and a digest never counts as part of it.
            const Bytes body = zk::encodeTxnBody(txn.txn.type, txn.txn.body);
            const auto bodyDecoded = zk::decodeTxnBody(txn.txn.type, body);
            QVERIFY2(bodyDecoded.has_value(), label.constData());
            QVERIFY2(*bodyDecoded == txn.txn.body, label.constData());
            QCOMPARE(bytes.size(),
                     zk::kTxnHeaderBytes + body.size() + (txn.digest ? zk::kTxnDigestBytes : 0));
        }
    }

    void exactLayout()
    {
        // createSession: TxnHeader (32 bytes) + int timeOut, then the digest.
        const auto txn = logged(zk::OpCode::CreateSession, zk::CreateSessionTxn{0x01020304},
                                zk::TxnDigest{2, 9});
        const Bytes expected{
            0x01, 0x00, 0x01, 0x8b, 0x00, 0x00, 0x00, 0x01, // clientId
            0x00, 0x00, 0x00, 0x2a,                         // cxid
            0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x07, // zxid
            0x00, 0x00, 0x01, 0x8b, 0xcf, 0xe5, 0x68, 0x7b, // time
            0xff, 0xff, 0xff, 0xf6,                         // type -10
            0x01, 0x02, 0x03, 0x04,                         // timeOut
            0x00, 0x00, 0x00, 0x02,                         // digest version
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x09, // treeDigest
        };
        QCOMPARE(zk::encodeTxn(txn), expected);
    }

    void multiSubTxnsAreBuffers()
    {
        // MultiTxn := int count, then per txn: int type, buffer data (the sub-body).
        zk::MultiTxn multi;
        multi.txns.push_back({zk::OpCode::Delete, zk::DeleteTxn{"/d"}});
        multi.txns.push_back({zk::OpCode::Error, zk::ErrorTxn{-2}});
        const Bytes expected{
            0x00, 0x00, 0x00, 0x02,                         // count
            0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x06, // delete, buffer of 6:
            0x00, 0x00, 0x00, 0x02, '/',  'd',              //   ustring "/d"
            0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x04, // error, buffer of 4:
            0xff, 0xff, 0xff, 0xfe,                         //   err -2
        };
        QCOMPARE(zk::encodeTxnBody(zk::OpCode::Multi, multi), expected);
        const auto decoded = zk::decodeTxnBody(zk::OpCode::Multi, expected);
        QVERIFY(decoded.has_value());
        QCOMPARE(std::get<zk::MultiTxn>(*decoded), multi);
    }

    void createV0DecodesWithParentCVersionMinusOne()
    {
        // CreateTxnV0 := path, data, acl, ephemeral (no parentCVersion).
        Bytes bytes = headerBytes(zk::OpCode::Create);
        zk::JuteWriter w;
        w.writeString("/old");
        w.writeBuffer(Bytes{5});
        zk::writeAclList(w, acl());
        w.writeBool(true);
        append(bytes, w.take());
        const auto decoded = zk::decodeTxn(bytes);
        QVERIFY(decoded.has_value());
        const auto& create = std::get<zk::CreateTxn>(decoded->txn.body);
        QCOMPARE(create.path, std::string("/old"));
        QCOMPARE(create.data, Bytes{5});
        QVERIFY(create.ephemeral);
        QCOMPARE(create.parentCVersion, -1);
        QVERIFY(!decoded->digest.has_value());

        // A V0 body followed by a digest also decodes.
        zk::JuteWriter d;
        d.writeInt(2);
        d.writeLong(77);
        append(bytes, d.take());
        const auto withDigest = zk::decodeTxn(bytes);
        QVERIFY(withDigest.has_value());
        QCOMPARE(std::get<zk::CreateTxn>(withDigest->txn.body).parentCVersion, -1);
        QCOMPARE(withDigest->digest, (std::optional<zk::TxnDigest>{zk::TxnDigest{2, 77}}));
    }

    void closeSessionWithoutPaths()
    {
        const Bytes bare = headerBytes(zk::OpCode::CloseSession);
        const auto decoded = zk::decodeTxn(bare);
        QVERIFY(decoded.has_value());
        QVERIFY(!std::get<zk::CloseSessionTxn>(decoded->txn.body).paths2Delete.has_value());
        QVERIFY(!decoded->digest.has_value());
        QCOMPARE(zk::encodeTxn(*decoded), bare);

        // Present but empty is a 4-byte count of 0, distinct from absent.
        const auto empty =
            logged(zk::OpCode::CloseSession, zk::CloseSessionTxn{std::vector<std::string>{}});
        const Bytes emptyBytes = zk::encodeTxn(empty);
        QCOMPARE(emptyBytes.size(), zk::kTxnHeaderBytes + 4);
        const auto emptyDecoded = zk::decodeTxn(emptyBytes);
        QVERIFY(emptyDecoded.has_value());
        QCOMPARE(std::get<zk::CloseSessionTxn>(emptyDecoded->txn.body).paths2Delete,
                 (std::optional<std::vector<std::string>>{std::vector<std::string>{}}));
    }

    void nullDataDecodesAsEmpty()
    {
        Bytes bytes = headerBytes(zk::OpCode::SetData);
        zk::JuteWriter w;
        w.writeString("/n");
        w.writeNullBuffer();
        w.writeInt(1);
        append(bytes, w.take());
        const auto decoded = zk::decodeTxn(bytes);
        QVERIFY(decoded.has_value());
        QVERIFY(!std::get<zk::SetDataTxn>(decoded->txn.body).data.has_value());
    }

    void truncationFails()
    {
        // SetData with a digest: only the prefix that drops the whole digest is valid.
        const auto txn = logged(zk::OpCode::SetData, zk::SetDataTxn{"/a", Bytes{1, 2, 3}, 5},
                                zk::TxnDigest{2, 1});
        const Bytes bytes = zk::encodeTxn(txn);
        for (std::size_t n = 0; n < bytes.size(); ++n) {
            const auto decoded = zk::decodeTxn(std::span(bytes).first(n));
            if (n == bytes.size() - zk::kTxnDigestBytes) {
                QVERIFY(decoded.has_value());
                QVERIFY(!decoded->digest.has_value());
            } else {
                QVERIFY2(!decoded.has_value(), qPrintable(QString::number(n)));
            }
        }
        // Every strict prefix of a multi body fails (its count promises more).
        const Bytes multi = zk::encodeTxnBody(zk::OpCode::Multi, sampleMulti());
        for (std::size_t n = 0; n < multi.size(); ++n)
            QVERIFY(!zk::decodeTxnBody(zk::OpCode::Multi, std::span(multi).first(n)));
    }

    void garbageFails()
    {
        QVERIFY(!zk::decodeTxn(Bytes{}));
        QVERIFY(!zk::decodeTxn(Bytes(31, 0)));

        // Not a txn type (exists), and a type nobody defines.
        Bytes exists = headerBytes(zk::OpCode::Exists);
        append(exists, Bytes{0, 0, 0, 0, 0});
        QVERIFY(!zk::decodeTxn(exists));
        QVERIFY(!zk::decodeTxnBody(static_cast<zk::OpCode>(999), Bytes{0, 0, 0, 0}));

        // Trailing bytes that are not exactly one digest.
        Bytes trailing = zk::encodeTxn(logged(zk::OpCode::Delete, zk::DeleteTxn{"/a"}));
        trailing.push_back(0);
        QVERIFY(!zk::decodeTxn(trailing));
        append(trailing, Bytes(12, 0));
        QVERIFY(!zk::decodeTxn(trailing));
        QVERIFY(!zk::decodeTxnBody(zk::OpCode::Error, Bytes(16, 0)));

        // A multi inside a multi, and a session txn inside a multi.
        zk::JuteWriter nested;
        nested.writeInt(1);
        nested.writeInt(static_cast<std::int32_t>(zk::OpCode::Multi));
        nested.writeBuffer(Bytes{0, 0, 0, 0});
        QVERIFY(!zk::decodeTxnBody(zk::OpCode::Multi, nested.bytes()));
        zk::JuteWriter session;
        session.writeInt(1);
        session.writeInt(static_cast<std::int32_t>(zk::OpCode::CreateSession));
        session.writeBuffer(Bytes{0, 0, 0, 1});
        QVERIFY(!zk::decodeTxnBody(zk::OpCode::Multi, session.bytes()));

        // A hostile sub-txn count, and a sub-body with bytes left over.
        QVERIFY(!zk::decodeTxnBody(zk::OpCode::Multi, Bytes{0x7f, 0xff, 0xff, 0xff}));
        zk::JuteWriter leftover;
        leftover.writeInt(1);
        leftover.writeInt(static_cast<std::int32_t>(zk::OpCode::Error));
        leftover.writeBuffer(Bytes{0, 0, 0, 1, 0});
        QVERIFY(!zk::decodeTxnBody(zk::OpCode::Multi, leftover.bytes()));
    }

    void maxLengthIsHonoured()
    {
        const auto txn = logged(zk::OpCode::SetData, zk::SetDataTxn{"/a", Bytes(200, 7), 1});
        const Bytes bytes = zk::encodeTxn(txn);
        QVERIFY(zk::decodeTxn(bytes, 200).has_value());
        QVERIFY(!zk::decodeTxn(bytes, 199).has_value());
        // The limit reaches into multi sub-txns too.
        zk::MultiTxn multi;
        multi.txns.push_back({zk::OpCode::SetData, zk::SetDataTxn{"/a", Bytes(150, 1), 1}});
        const Bytes multiBytes = zk::encodeTxnBody(zk::OpCode::Multi, multi);
        QVERIFY(zk::decodeTxnBody(zk::OpCode::Multi, multiBytes, 170).has_value());
        QVERIFY(!zk::decodeTxnBody(zk::OpCode::Multi, multiBytes, 160).has_value());
    }

    void pseudoRandomBytesNeverCrash()
    {
        // A fixed LCG feeds 2000 sparse random bodies behind valid headers. Nothing may crash
        // (ASan runs this), a decoded txn keeps its header, and most inputs are rejected.
        std::uint32_t seed = 12345;
        const auto next = [&seed] {
            seed = seed * 1103515245u + 12345u;
            return static_cast<std::uint8_t>(seed >> 16);
        };
        const zk::OpCode types[] = {zk::OpCode::Multi, zk::OpCode::Create, zk::OpCode::SetAcl,
                                    zk::OpCode::CloseSession, zk::OpCode::CreateTtl};
        int decodedCount = 0;
        for (int i = 0; i < 2000; ++i) {
            Bytes bytes = headerBytes(types[i % 5]);
            const std::size_t length = next() % 64;
            for (std::size_t j = 0; j < length; ++j)
                bytes.push_back(next() % 4 == 0 ? next() : 0);
            const auto decoded = zk::decodeTxn(bytes);
            if (decoded) {
                ++decodedCount;
                QVERIFY(decoded->header == header(types[i % 5]));
            }
        }
        QVERIFY(decodedCount < 2000);
    }
};

QTEST_APPLESS_MAIN(TxnCodecTest)
#include "test_txn_codec.moc"
