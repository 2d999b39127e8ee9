#include "config/properties.h"

#include <cstdint>

namespace zk {

namespace {

bool isPropertiesSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\f';
}

// One logical line: the text with continuations joined and the line it starts on.
struct LogicalLine
{
    std::string text;
    int line = 0;
};

// Splits text into natural lines, dropping the terminators. Tracks 1-based line numbers.
class NaturalLineReader
{
public:
    explicit NaturalLineReader(std::string_view text) : m_text(text) {}

    bool next(std::string_view& line)
    {
        if (m_pos >= m_text.size())
            return false;
        std::size_t end = m_pos;
        while (end < m_text.size() && m_text[end] != '\n' && m_text[end] != '\r')
            ++end;
        line = m_text.substr(m_pos, end - m_pos);
        if (end < m_text.size() && m_text[end] == '\r' && end + 1 < m_text.size() &&
            m_text[end + 1] == '\n')
            ++end;
        m_pos = end < m_text.size() ? end + 1 : end;
        ++m_lineNumber;
        return true;
    }

    int lineNumber() const { return m_lineNumber; }

private:
    std::string_view m_text;
    std::size_t m_pos = 0;
    int m_lineNumber = 0;
};

std::string_view skipLeadingSpace(std::string_view s)
{
    std::size_t i = 0;
    while (i < s.size() && isPropertiesSpace(s[i]))
        ++i;
    return s.substr(i);
}

// True when `s` ends in an odd number of backslashes, i.e. the line continues.
bool endsWithContinuation(std::string_view s)
{
    std::size_t count = 0;
    while (count < s.size() && s[s.size() - 1 - count] == '\\')
        ++count;
    return count % 2 == 1;
}

// Reads the next logical line, skipping blank and comment lines (Properties.LineReader).
bool nextLogicalLine(NaturalLineReader& reader, LogicalLine& out)
{
    std::string_view natural;
    while (reader.next(natural)) {
        std::string_view content = skipLeadingSpace(natural);
        if (content.empty() || content.front() == '#' || content.front() == '!')
            continue;
        out.line = reader.lineNumber();
        out.text.clear();
        while (endsWithContinuation(content)) {
            out.text.append(content.substr(0, content.size() - 1));
            if (!reader.next(natural))
                return true;
            content = skipLeadingSpace(natural);
        }
        out.text.append(content);
        return true;
    }
    return false;
}

void appendUtf8(std::string& out, std::uint32_t codePoint)
{
    if (codePoint < 0x80) {
        out.push_back(static_cast<char>(codePoint));
    } else if (codePoint < 0x800) {
        out.push_back(static_cast<char>(0xc0 | (codePoint >> 6)));
        out.push_back(static_cast<char>(0x80 | (codePoint & 0x3f)));
    } else if (codePoint < 0x10000) {
        out.push_back(static_cast<char>(0xe0 | (codePoint >> 12)));
        out.push_back(static_cast<char>(0x80 | ((codePoint >> 6) & 0x3f)));
        out.push_back(static_cast<char>(0x80 | (codePoint & 0x3f)));
    } else {
        out.push_back(static_cast<char>(0xf0 | (codePoint >> 18)));
        out.push_back(static_cast<char>(0x80 | ((codePoint >> 12) & 0x3f)));
        out.push_back(static_cast<char>(0x80 | ((codePoint >> 6) & 0x3f)));
        out.push_back(static_cast<char>(0x80 | (codePoint & 0x3f)));
    }
}

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

constexpr std::uint32_t kReplacementChar = 0xfffd;

// Undoes the escapes of one key or value (Properties.loadConvert). \u units are UTF-16, so a
// high surrogate waits for the low one that should follow it.
bool unescape(std::string_view in, std::string& out, std::string& error)
{
    out.clear();
    std::uint32_t pendingHigh = 0; // A high surrogate waiting for its low half, or 0.
    auto flushPending = [&] {
        if (pendingHigh != 0)
            appendUtf8(out, kReplacementChar);
        pendingHigh = 0;
    };
    for (std::size_t i = 0; i < in.size(); ++i) {
        const char c = in[i];
        if (c != '\\' || i + 1 >= in.size()) {
            flushPending();
            if (c != '\\')
                out.push_back(c);
            continue;
        }
        const char e = in[++i];
        if (e != 'u') {
            flushPending();
            switch (e) {
            case 't':
                out.push_back('\t');
                break;
            case 'n':
                out.push_back('\n');
                break;
            case 'r':
                out.push_back('\r');
                break;
            case 'f':
                out.push_back('\f');
                break;
            default:
                out.push_back(e);
                break;
            }
            continue;
        }
        std::uint32_t unit = 0;
        for (int k = 0; k < 4; ++k) {
            const int v = i + 1 < in.size() ? hexValue(in[i + 1]) : -1;
            if (v < 0) {
                error = "Malformed \\uxxxx encoding.";
                return false;
            }
            unit = unit * 16 + static_cast<std::uint32_t>(v);
            ++i;
        }
        if (unit >= 0xdc00 && unit <= 0xdfff && pendingHigh != 0) {
            appendUtf8(out, 0x10000 + ((pendingHigh - 0xd800) << 10) + (unit - 0xdc00));
            pendingHigh = 0;
        } else if (unit >= 0xd800 && unit <= 0xdbff) {
            flushPending();
            pendingHigh = unit;
        } else {
            flushPending();
            appendUtf8(out, (unit >= 0xdc00 && unit <= 0xdfff) ? kReplacementChar : unit);
        }
    }
    flushPending();
    return true;
}

// Finds where the key ends and the value starts in a logical line (Properties.load0).
void splitKeyValue(std::string_view line, std::string_view& key, std::string_view& value)
{
    std::size_t keyLen = 0;
    std::size_t valueStart = line.size();
    bool hasSeparator = false;
    bool precedingBackslash = false;
    while (keyLen < line.size()) {
        const char c = line[keyLen];
        if ((c == '=' || c == ':') && !precedingBackslash) {
            valueStart = keyLen + 1;
            hasSeparator = true;
            break;
        }
        if (isPropertiesSpace(c) && !precedingBackslash) {
            valueStart = keyLen + 1;
            break;
        }
        precedingBackslash = c == '\\' ? !precedingBackslash : false;
        ++keyLen;
    }
    while (valueStart < line.size()) {
        const char c = line[valueStart];
        if (!isPropertiesSpace(c)) {
            if (hasSeparator || (c != '=' && c != ':'))
                break;
            hasSeparator = true;
        }
        ++valueStart;
    }
    key = line.substr(0, keyLen);
    value = line.substr(valueStart);
}

} // namespace

PropertiesResult parseProperties(std::string_view text)
{
    PropertiesResult result;
    NaturalLineReader reader(text);
    LogicalLine logical;
    while (nextLogicalLine(reader, logical)) {
        std::string_view rawKey;
        std::string_view rawValue;
        splitKeyValue(logical.text, rawKey, rawValue);
        PropertyEntry entry;
        entry.line = logical.line;
        std::string message;
        if (!unescape(rawKey, entry.key, message) || !unescape(rawValue, entry.value, message)) {
            result.error = PropertiesError{logical.line, message};
            return result;
        }
        result.entries.push_back(std::move(entry));
    }
    return result;
}

} // namespace zk
