#include "models/data_codec.h"

#include <QJsonDocument>
#include <QJsonParseError>
#include <QRegularExpression>
#include <QStringDecoder>

#include <zlib.h>

namespace zoolab {

bool looksGzip(const QByteArray& bytes)
{
    return bytes.size() >= 18 && quint8(bytes[0]) == 0x1f && quint8(bytes[1]) == 0x8b;
}

std::optional<QByteArray> gunzip(const QByteArray& bytes, qsizetype maxBytes)
{
    z_stream stream{};
    // 16 + MAX_WBITS: expect a gzip header and trailer.
    if (inflateInit2(&stream, 16 + MAX_WBITS) != Z_OK)
        return std::nullopt;
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
    stream.avail_in = uInt(bytes.size());
    QByteArray out;
    char buffer[16384];
    int status = Z_OK;
    while (status == Z_OK) {
        stream.next_out = reinterpret_cast<Bytef*>(buffer);
        stream.avail_out = sizeof buffer;
        status = inflate(&stream, Z_NO_FLUSH);
        if (status != Z_OK && status != Z_STREAM_END)
            break;
        out.append(buffer, qsizetype(sizeof buffer - stream.avail_out));
        if (out.size() > maxBytes) {
            status = Z_MEM_ERROR;
            break;
        }
    }
    inflateEnd(&stream);
    if (status != Z_STREAM_END)
        return std::nullopt;
    return out;
}

bool isValidUtf8(const QByteArray& bytes)
{
    QStringDecoder decoder(QStringDecoder::Utf8);
    const QString text = decoder(bytes);
    return !decoder.hasError();
}

DataView guessView(const QByteArray& bytes)
{
    const QByteArray trimmed = bytes.trimmed();
    if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
        QJsonParseError error{};
        QJsonDocument::fromJson(trimmed, &error);
        if (error.error == QJsonParseError::NoError)
            return DataView::Json;
    }
    return isValidUtf8(bytes) ? DataView::Text : DataView::Hex;
}

namespace {

QString toHex(const QByteArray& bytes)
{
    // 16 bytes a line, grouped by byte: "7b 22 61 22 ..."
    QString text;
    for (qsizetype i = 0; i < bytes.size(); ++i) {
        if (i > 0)
            text += (i % 16 == 0) ? QLatin1Char('\n') : QLatin1Char(' ');
        text += QString::asprintf("%02x", quint8(bytes[i]));
    }
    return text;
}

// Re-lays out JSON that QJsonDocument has already validated, keeping the author's key order
// and number spelling (QJsonObject would sort keys and round big integers).
QByteArray reformatJson(const QByteArray& json, bool indent)
{
    QByteArray out;
    out.reserve(json.size() * (indent ? 2 : 1));
    int depth = 0;
    bool inString = false;
    auto newline = [&] {
        if (!indent)
            return;
        out += '\n';
        out += QByteArray(depth * 4, ' ');
    };
    for (qsizetype i = 0; i < json.size(); ++i) {
        const char c = json[i];
        if (inString) {
            out += c;
            if (c == '\\' && i + 1 < json.size())
                out += json[++i];
            else if (c == '"')
                inString = false;
            continue;
        }
        switch (c) {
        case '"':
            inString = true;
            out += c;
            break;
        case '{':
        case '[': {
            out += c;
            // Keep empty containers on one line.
            qsizetype next = i + 1;
            while (next < json.size() && QChar::isSpace(uchar(json[next])))
                ++next;
            if (next < json.size() && (json[next] == '}' || json[next] == ']')) {
                out += json[next];
                i = next;
                break;
            }
            ++depth;
            newline();
            break;
        }
        case '}':
        case ']':
            --depth;
            newline();
            out += c;
            break;
        case ',':
            out += c;
            newline();
            break;
        case ':':
            out += indent ? ": " : ":";
            break;
        case ' ':
        case '\t':
        case '\n':
        case '\r':
            break;
        default:
            out += c;
        }
    }
    return out;
}

} // namespace

Decoded decodeForView(const QByteArray& bytes, DataView view)
{
    switch (view) {
    case DataView::Text: {
        if (!isValidUtf8(bytes))
            return {QString::fromUtf8(bytes),
                    QStringLiteral("The data is not valid UTF-8; saving from this view would "
                                   "change it. Use the hex or base64 view.")};
        return {QString::fromUtf8(bytes), {}};
    }
    case DataView::Json: {
        QJsonParseError error{};
        const QJsonDocument document = QJsonDocument::fromJson(bytes, &error);
        if (error.error != QJsonParseError::NoError || document.isNull())
            return {QString::fromUtf8(bytes), QStringLiteral("Not valid JSON: %1 at offset %2.")
                                                  .arg(error.errorString())
                                                  .arg(error.offset)};
        return {QString::fromUtf8(reformatJson(bytes, true)), {}};
    }
    case DataView::Hex:
        return {toHex(bytes), {}};
    case DataView::Base64:
        return {QString::fromLatin1(bytes.toBase64()), {}};
    }
    return {};
}

Encoded encodeFromView(const QString& text, DataView view)
{
    switch (view) {
    case DataView::Text:
        return {text.toUtf8(), {}};
    case DataView::Json: {
        QJsonParseError error{};
        const QJsonDocument document = QJsonDocument::fromJson(text.toUtf8(), &error);
        if (error.error != QJsonParseError::NoError)
            return {std::nullopt, QStringLiteral("Not valid JSON: %1 at offset %2.")
                                      .arg(error.errorString())
                                      .arg(error.offset)};
        // Saved compact, as most ZooKeeper users store JSON, in the order it was written.
        Q_UNUSED(document);
        return {reformatJson(text.toUtf8(), false), {}};
    }
    case DataView::Hex: {
        QString digits = text;
        digits.remove(QRegularExpression(QStringLiteral("\\s")));
        if (digits.startsWith(QStringLiteral("0x")))
            digits.remove(0, 2);
        static const QRegularExpression hexOnly(QStringLiteral("^[0-9a-fA-F]*$"));
        if (digits.size() % 2 != 0 || !hexOnly.match(digits).hasMatch())
            return {std::nullopt,
                    QStringLiteral("Hex must be pairs of digits 0-9 and a-f (spaces allowed).")};
        return {QByteArray::fromHex(digits.toLatin1()), {}};
    }
    case DataView::Base64: {
        auto result = QByteArray::fromBase64Encoding(text.trimmed().toLatin1(),
                                                     QByteArray::AbortOnBase64DecodingErrors);
        if (!result)
            return {std::nullopt, QStringLiteral("Not valid base64.")};
        return {*result, {}};
    }
    }
    return {std::nullopt, QStringLiteral("Unknown view.")};
}

} // namespace zoolab
