// Proves the Jute primitives round-trip and that hostile lengths fail without allocating.
#include "proto/jute_reader.h"
#include "proto/jute_writer.h"

#include <QtTest>

class JuteTest : public QObject
{
    Q_OBJECT
private slots:
    void primitivesRoundTrip()
    {
        zk::JuteWriter w;
        w.writeInt(-5);
        w.writeLong(0x0102030405060708LL);
        w.writeBool(true);
        w.writeString("héllo");
        w.writeNullBuffer();
        const auto bytes = w.take();
        zk::JuteReader r(bytes);
        QCOMPARE(r.readInt(), -5);
        QCOMPARE(r.readLong(), 0x0102030405060708LL);
        QCOMPARE(r.readBool(), true);
        QCOMPARE(QString::fromStdString(r.readString()), QStringLiteral("héllo"));
        QVERIFY(!r.readOptionalBuffer().has_value());
        QVERIFY(r.ok());
        QVERIFY(r.atEnd());
    }

    void bigEndianLayout()
    {
        zk::JuteWriter w;
        w.writeInt(0x01020304);
        QCOMPARE(w.bytes(), (std::vector<std::uint8_t>{1, 2, 3, 4}));
    }

    void oversizedLengthFails()
    {
        zk::JuteWriter w;
        w.writeInt(0x7fffffff);
        const auto bytes = w.take();
        zk::JuteReader r(bytes);
        QVERIFY(r.readBuffer().empty());
        QVERIFY(!r.ok());
    }

    void lengthPastEndFails()
    {
        zk::JuteWriter w;
        w.writeInt(10);
        w.writeInt(0);
        const auto bytes = w.take();
        zk::JuteReader r(bytes);
        r.readString();
        QVERIFY(!r.ok());
    }

    void hostileVectorCountFails()
    {
        zk::JuteWriter w;
        w.writeInt(100000);
        const auto bytes = w.take();
        zk::JuteReader r(bytes);
        QCOMPARE(r.readCount(4), 0);
        QVERIFY(!r.ok());
    }

    void shortReadFailsAndSticks()
    {
        const std::vector<std::uint8_t> bytes{0, 0};
        zk::JuteReader r(bytes);
        QCOMPARE(r.readInt(), 0);
        QVERIFY(!r.ok());
        QCOMPARE(r.readBool(), false);
        QVERIFY(!r.ok());
    }
};

QTEST_APPLESS_MAIN(JuteTest)
#include "test_jute.moc"
