#pragma once
// Reads Java .properties text the way java.util.Properties.load does, so a zoo.cfg means the
// same to ZooLab as to Apache ZooKeeper. Pure and I/O-free: the caller reads the file.
//
// Grammar (one logical line per entry; a natural line ends at \n, \r or \r\n):
//
//   text      := { blank | comment | entry }
//   blank     := ws* eol                         skipped
//   comment   := ws* ('#' | '!') any* eol         skipped; a trailing '\' does not continue it
//   entry     := ws* key [ ws* sep ws* | ws+ ] value
//   sep       := '=' | ':'                        at most one is consumed
//   key       := up to the first unescaped '=', ':' or ws
//   ws        := ' ' | '\t' | '\f'
//   A natural line ending in an odd number of '\' continues on the next natural line, whose
//   leading ws is dropped. Escapes in keys and values: \t \n \r \f, \uXXXX (UTF-16 code unit,
//   surrogate pairs combined), and '\' before any other character yields that character.
//
// Differences from Java, on purpose: bytes are kept as-is (Java's load(InputStream) decodes
// ISO-8859-1; ZooLab keeps UTF-8), and \uXXXX is emitted as UTF-8. A lone surrogate becomes
// U+FFFD. Keys and values are not trimmed at their end, exactly like Java; callers that follow
// QuorumPeerConfig trim them.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace zk {

// One key/value pair and the 1-based natural line its logical line starts on.
struct PropertyEntry
{
    std::string key;
    std::string value;
    int line = 0;
};

// A malformed \uXXXX escape is the only syntax error Java reports; `line` is 1-based.
struct PropertiesError
{
    int line = 0;
    std::string message;
};

struct PropertiesResult
{
    // Every entry in file order. Duplicate keys are kept; with Java's semantics the last wins.
    std::vector<PropertyEntry> entries;
    std::optional<PropertiesError> error;

    bool ok() const { return !error.has_value(); }
};

// Parses `text`. Never throws; on a malformed escape it stops and reports the line, keeping
// the entries read before it.
PropertiesResult parseProperties(std::string_view text);

} // namespace zk
