#include "data/path_utils.h"

#include <cstdint>
#include <string>
#include <vector>

namespace zk {
namespace {

constexpr char16_t replacementChar = 0xFFFD;

// Decodes UTF-8 into UTF-16 code units the way Java's String(bytes, UTF_8) does for the
// purposes of validation: a malformed sequence becomes U+FFFD, a supplementary code point
// a surrogate pair. (Java may emit one U+FFFD per bad byte where we emit one per sequence;
// either way the path is rejected.)
std::u16string toUtf16(std::string_view bytes)
{
    std::u16string out;
    out.reserve(bytes.size());
    std::size_t i = 0;
    while (i < bytes.size()) {
        const auto lead = static_cast<std::uint8_t>(bytes[i]);
        std::size_t length = 0;
        std::uint32_t cp = 0;
        std::uint32_t minimum = 0;
        if (lead < 0x80) {
            out.push_back(static_cast<char16_t>(lead));
            ++i;
            continue;
        } else if ((lead & 0xE0) == 0xC0) {
            length = 2, cp = lead & 0x1F, minimum = 0x80;
        } else if ((lead & 0xF0) == 0xE0) {
            length = 3, cp = lead & 0x0F, minimum = 0x800;
        } else if ((lead & 0xF8) == 0xF0) {
            length = 4, cp = lead & 0x07, minimum = 0x10000;
        } else {
            out.push_back(replacementChar);
            ++i;
            continue;
        }
        bool ok = i + length <= bytes.size();
        for (std::size_t k = 1; ok && k < length; ++k) {
            const auto next = static_cast<std::uint8_t>(bytes[i + k]);
            ok = (next & 0xC0) == 0x80;
            cp = (cp << 6) | (next & 0x3F);
        }
        // Overlong forms, encoded surrogates and values past U+10FFFF are malformed.
        if (!ok || cp < minimum || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
            out.push_back(replacementChar);
            ++i;
            continue;
        }
        if (cp >= 0x10000) {
            cp -= 0x10000;
            out.push_back(static_cast<char16_t>(0xD800 + (cp >> 10)));
            out.push_back(static_cast<char16_t>(0xDC00 + (cp & 0x3FF)));
        } else {
            out.push_back(static_cast<char16_t>(cp));
        }
        i += length;
    }
    return out;
}

bool isForbiddenChar(char16_t c)
{
    return (c > 0x0000 && c <= 0x001F) || (c >= 0x007F && c <= 0x009F) ||
           (c >= 0xD800 && c <= 0xF8FF) || (c >= 0xFFF0);
}

} // namespace

ZError validatePath(std::string_view path)
{
    if (path.empty() || path.front() != '/')
        return ZError::BadArguments;
    if (path.size() == 1)
        return ZError::Ok;
    if (path.back() == '/')
        return ZError::BadArguments;

    // The loop below follows PathUtils.validatePath character by character, including
    // its order of checks, on the UTF-16 units Java would see.
    const std::u16string chars = toUtf16(path);
    const std::size_t n = chars.size();
    char16_t last = u'/';
    for (std::size_t i = 1; i < n; last = chars[i], ++i) {
        const char16_t c = chars[i];
        const bool segmentEnds = i + 1 == n || chars[i + 1] == u'/';
        if (c == 0) {
            return ZError::BadArguments;
        } else if (c == u'/' && last == u'/') {
            return ZError::BadArguments;
        } else if (c == u'.' && last == u'.') {
            if (chars[i - 2] == u'/' && segmentEnds)
                return ZError::BadArguments;
        } else if (c == u'.') {
            if (chars[i - 1] == u'/' && segmentEnds)
                return ZError::BadArguments;
        } else if (isForbiddenChar(c)) {
            return ZError::BadArguments;
        }
    }
    return ZError::Ok;
}

ZError validatePath(std::string_view path, bool sequential)
{
    if (!sequential)
        return validatePath(path);
    std::string withSuffix(path);
    withSuffix.push_back('1');
    return validatePath(withSuffix);
}

std::string_view parentOf(std::string_view path)
{
    const std::size_t slash = path.rfind('/');
    if (slash == std::string_view::npos || path.size() <= 1)
        return {};
    return slash == 0 ? path.substr(0, 1) : path.substr(0, slash);
}

std::string_view baseName(std::string_view path)
{
    const std::size_t slash = path.rfind('/');
    if (slash == std::string_view::npos)
        return path;
    return path.substr(slash + 1);
}

} // namespace zk
