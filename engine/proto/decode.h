#pragma once
// Decodes one whole Jute record from a byte span; nullopt if the bytes are short or bad.

#include "proto/jute_reader.h"
#include "proto/jute_writer.h"

#include <optional>
#include <span>

namespace zk {

template <typename Record>
std::optional<Record> decodeRecord(std::span<const std::uint8_t> bytes,
                                   std::int32_t maxLength = JuteReader::kDefaultMaxLength)
{
    JuteReader reader(bytes, maxLength);
    Record record;
    record.read(reader);
    if (!reader.ok())
        return std::nullopt;
    return record;
}

template <typename Record>
std::vector<std::uint8_t> encodeRecord(const Record& record)
{
    JuteWriter writer;
    record.write(writer);
    return writer.take();
}

} // namespace zk
