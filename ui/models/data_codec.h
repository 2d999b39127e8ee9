#pragma once
// DataCodec: how the node editor shows znode data as text, JSON, hex or base64, and reads an
// edit back into bytes. Pure functions over QByteArray; any thread.
//
// gzip data (magic 1f 8b) is detected and shown decompressed; saving such data would need
// recompression, so the editor keeps it read-only.

#include <QByteArray>
#include <QString>

#include <optional>

namespace zoolab {

enum class DataView
{
    Text,
    Json,
    Hex,
    Base64,
};

struct Decoded
{
    QString text;
    QString problem; // empty when the bytes fit the view (e.g. valid UTF-8, valid JSON)
};

struct Encoded
{
    std::optional<QByteArray> bytes; // nullopt when the text is not valid for the view
    QString problem;
};

Decoded decodeForView(const QByteArray& bytes, DataView view);
Encoded encodeFromView(const QString& text, DataView view);

bool looksGzip(const QByteArray& bytes);
// nullopt when the stream is not valid gzip or inflates beyond maxBytes.
std::optional<QByteArray> gunzip(const QByteArray& bytes, qsizetype maxBytes = 64 << 20);
bool isValidUtf8(const QByteArray& bytes);
// The view a user most likely wants: JSON if it parses as an object or array, text if it is
// UTF-8, hex otherwise.
DataView guessView(const QByteArray& bytes);

} // namespace zoolab
