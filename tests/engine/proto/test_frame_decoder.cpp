// Proves the frame decoder reassembles frames however the stream is split, returns several
// frames from one chunk, and rejects negative or oversized lengths before awaiting payload.
#include "proto/client_records.h"
#include "proto/frame_decoder.h"

#include <QtTest>

namespace {

using Bytes = std::vector<std::uint8_t>;
using Status = zk::FrameDecoder::Status;

Bytes payload(std::size_t size, std::uint8_t seed)
{
    Bytes out(size);
    for (std::size_t i = 0; i < size; ++i)
        out[i] = static_cast<std::uint8_t>(seed + i);
    return out;
}

Bytes concat(std::initializer_list<Bytes> parts)
{
    Bytes out;
    for (const Bytes& part : parts)
        out.insert(out.end(), part.begin(), part.end());
    return out;
}

Bytes toBytes(std::span<const std::uint8_t> span)
{
    return Bytes(span.begin(), span.end());
}

} // namespace

class FrameDecoderTest : public QObject
{
    Q_OBJECT
private slots:
    void frameHelperPrependsLength()
    {
        QCOMPARE(zk::frame(Bytes{9, 8, 7}), (Bytes{0, 0, 0, 3, 9, 8, 7}));
        QCOMPARE(zk::frame(Bytes{}), (Bytes{0, 0, 0, 0}));
        zk::JuteWriter w;
        w.writeInt(0x01020304);
        QCOMPARE(zk::frame(w), (Bytes{0, 0, 0, 4, 1, 2, 3, 4}));
    }

    void inPlaceFramingMatchesCopy()
    {
        zk::JuteWriter w;
        const std::size_t at = zk::beginFrame(w);
        zk::ReplyHeader{3, 0x10, 0}.write(w);
        zk::ExistsResponse{}.write(w);
        zk::endFrame(w, at);
        zk::JuteWriter body;
        zk::ReplyHeader{3, 0x10, 0}.write(body);
        zk::ExistsResponse{}.write(body);
        QCOMPARE(w.bytes(), zk::frame(body));
        QCOMPARE(w.size(), std::size_t{4 + 16 + 68});
    }

    void byteByByteDelivery()
    {
        const Bytes a = payload(45, 1);
        const Bytes b = payload(0, 0);
        const Bytes c = payload(300, 7);
        const Bytes stream = concat({zk::frame(a), zk::frame(b), zk::frame(c)});
        zk::FrameDecoder decoder;
        std::vector<Bytes> frames;
        for (std::uint8_t byte : stream) {
            decoder.feed(std::span(&byte, 1));
            for (;;) {
                const auto result = decoder.next();
                QVERIFY(result.status != Status::Malformed);
                if (result.status == Status::NeedMore)
                    break;
                frames.push_back(toBytes(result.frame));
            }
        }
        QCOMPARE(frames.size(), std::size_t{3});
        QCOMPARE(frames[0], a);
        QCOMPARE(frames[1], b);
        QCOMPARE(frames[2], c);
        QVERIFY(decoder.pending().empty());
    }

    void everySplitPointWorks()
    {
        const Bytes a = payload(10, 3);
        const Bytes b = payload(20, 4);
        const Bytes stream = concat({zk::frame(a), zk::frame(b)});
        for (std::size_t cut = 0; cut <= stream.size(); ++cut) {
            zk::FrameDecoder decoder;
            std::vector<Bytes> frames;
            const auto drain = [&] {
                for (auto r = decoder.next(); r.status == Status::Ok; r = decoder.next())
                    frames.push_back(toBytes(r.frame));
            };
            decoder.feed(std::span(stream).first(cut));
            drain();
            decoder.feed(std::span(stream).subspan(cut));
            drain();
            QCOMPARE(frames.size(), std::size_t{2});
            QCOMPARE(frames[0], a);
            QCOMPARE(frames[1], b);
        }
    }

    void severalFramesInOneChunk()
    {
        Bytes stream;
        for (std::uint8_t i = 0; i < 50; ++i) {
            const Bytes f = zk::frame(payload(i, i));
            stream.insert(stream.end(), f.begin(), f.end());
        }
        // A partial 51st frame stays pending.
        stream.insert(stream.end(), {0, 0, 0, 9, 1, 2});
        zk::FrameDecoder decoder;
        decoder.feed(stream);
        std::vector<zk::FrameDecoder::Result> results;
        for (auto r = decoder.next(); r.status == Status::Ok; r = decoder.next())
            results.push_back(r);
        QCOMPARE(results.size(), std::size_t{50});
        // Frames taken before the next feed() all stay valid.
        for (std::uint8_t i = 0; i < 50; ++i)
            QCOMPARE(toBytes(results[i].frame), payload(i, i));
        QCOMPARE(decoder.next().status, Status::NeedMore);
        QCOMPARE(decoder.pending().size(), std::size_t{6});
        decoder.feed(payload(7, 0));
        const auto last = decoder.next();
        QCOMPARE(last.status, Status::Ok);
        QCOMPARE(toBytes(last.frame), concat({Bytes{1, 2}, payload(7, 0)}));
    }

    void longStreamCompacts()
    {
        // 10000 frames of 100 bytes fed in 333-byte chunks: all arrive intact.
        Bytes stream;
        for (int i = 0; i < 10000; ++i) {
            const Bytes f = zk::frame(payload(100, static_cast<std::uint8_t>(i)));
            stream.insert(stream.end(), f.begin(), f.end());
        }
        zk::FrameDecoder decoder;
        int count = 0;
        for (std::size_t at = 0; at < stream.size(); at += 333) {
            decoder.feed(
                std::span(stream).subspan(at, std::min<std::size_t>(333, stream.size() - at)));
            for (auto r = decoder.next(); r.status == Status::Ok; r = decoder.next()) {
                QCOMPARE(r.frame.size(), std::size_t{100});
                QCOMPARE(r.frame[99], static_cast<std::uint8_t>(count + 99));
                ++count;
            }
            QVERIFY(decoder.pending().size() < 333 + 104);
        }
        QCOMPARE(count, 10000);
    }

    void oversizedLengthIsMalformedAtOnce()
    {
        zk::FrameDecoder decoder(1000);
        // Exactly maxBuffer is allowed.
        decoder.feed(zk::frame(payload(1000, 0)));
        QCOMPARE(decoder.next().status, Status::Ok);
        // 1001 is rejected as soon as the length is in, with no payload sent.
        decoder.feed(Bytes{0, 0, 0x03, 0xe9});
        QCOMPARE(decoder.next().status, Status::Malformed);
        QVERIFY(decoder.malformed());
        // Sticky: a valid frame afterwards changes nothing.
        decoder.feed(zk::frame(Bytes{1}));
        QCOMPARE(decoder.next().status, Status::Malformed);
        decoder.reset();
        decoder.feed(zk::frame(Bytes{1}));
        QCOMPARE(decoder.next().status, Status::Ok);
    }

    void negativeLengthIsMalformed()
    {
        zk::FrameDecoder decoder;
        decoder.feed(Bytes{0xff, 0xff, 0xff});
        QCOMPARE(decoder.next().status, Status::NeedMore);
        decoder.feed(Bytes{0xff});
        QCOMPARE(decoder.next().status, Status::Malformed);
        zk::FrameDecoder other;
        other.feed(Bytes{0x80, 0, 0, 0});
        QCOMPARE(other.next().status, Status::Malformed);
    }

    void fourLetterWordIsVisibleBeforeDecoding()
    {
        // "ruok" is a length of 0x72756f6b, far above jute.maxbuffer.
        const Bytes ruok{'r', 'u', 'o', 'k'};
        zk::FrameDecoder decoder;
        decoder.feed(ruok);
        QCOMPARE(toBytes(decoder.pending()), ruok);
        QCOMPARE(decoder.next().status, Status::Malformed);
    }
};

QTEST_APPLESS_MAIN(FrameDecoderTest)
#include "test_frame_decoder.moc"
