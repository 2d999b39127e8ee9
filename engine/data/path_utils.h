#pragma once
// Znode path checks and splitting, as Apache's common/PathUtils. Pure functions; the prep
// stage validates every client path with them before a txn is made.

#include "core/error.h"

#include <string_view>

namespace zk {

// Ok, or BadArguments when `path` is not a valid znode path (as PathUtils.validatePath):
// empty, not starting with '/', ending with '/' (except the root), an empty segment, a
// "." or ".." segment, NUL, U+0001-U+001F, U+007F-U+009F, U+D800-U+F8FF or U+FFF0-U+FFFF.
// The bytes are decoded as UTF-8 the way the Java server decodes them: malformed UTF-8
// becomes U+FFFD and any code point above U+FFFF becomes a surrogate pair, so both are
// rejected.
ZError validatePath(std::string_view path);

// Sequential creates validate the path with a digit appended, so "/a/" is allowed
// (as PathUtils.validatePath(path, isSequential)).
ZError validatePath(std::string_view path, bool sequential);

// The parent of a valid path: "/a/b" -> "/a", "/a" -> "/", "/" -> "" (the root has none).
std::string_view parentOf(std::string_view path);

// The last segment of a valid path: "/a/b" -> "b", "/" -> "".
std::string_view baseName(std::string_view path);

} // namespace zk
