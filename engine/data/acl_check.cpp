#include "data/acl_check.h"

#include <openssl/evp.h>
#include <openssl/sha.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>

namespace zk {
namespace {

// Java's String.split(separator, limit) for a literal separator: limit < 0 keeps every
// part, limit > 0 makes at most `limit` parts, limit == 0 drops trailing empty parts.
std::vector<std::string_view> javaSplit(std::string_view text, std::string_view separator,
                                        int limit)
{
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    while (limit <= 0 || parts.size() + 1 < static_cast<std::size_t>(limit)) {
        const std::size_t at = text.find(separator, start);
        if (at == std::string_view::npos)
            break;
        parts.push_back(text.substr(start, at - start));
        start = at + separator.size();
    }
    parts.push_back(text.substr(start));
    if (limit == 0) {
        while (parts.size() > 1 && parts.back().empty())
            parts.pop_back();
        // "".split(x) is [""], but a text made only of separators gives [].
        if (parts.size() == 1 && parts.front().empty() && !text.empty())
            parts.clear();
    }
    return parts;
}

// Java's Integer.parseInt(text, radix): an optional sign, then at least one digit.
std::optional<std::int32_t> javaParseInt(std::string_view text, int radix)
{
    if (text.empty())
        return std::nullopt;
    bool negative = false;
    std::size_t i = 0;
    if (text[0] == '-' || text[0] == '+') {
        negative = text[0] == '-';
        i = 1;
        if (text.size() == 1)
            return std::nullopt;
    }
    std::int64_t value = 0;
    for (; i < text.size(); ++i) {
        const char c = text[i];
        int digit = -1;
        if (c >= '0' && c <= '9')
            digit = c - '0';
        else if (c >= 'a' && c <= 'z')
            digit = c - 'a' + 10;
        else if (c >= 'A' && c <= 'Z')
            digit = c - 'A' + 10;
        if (digit < 0 || digit >= radix)
            return std::nullopt;
        value = value * radix + digit;
        if (value > static_cast<std::int64_t>(std::numeric_limits<std::int32_t>::max()) + 1)
            return std::nullopt;
    }
    if (negative)
        value = -value;
    if (value > std::numeric_limits<std::int32_t>::max())
        return std::nullopt;
    return static_cast<std::int32_t>(value);
}

using Address = std::vector<std::uint8_t>;

std::optional<Address> v4Bytes(std::string_view addr)
{
    const auto parts = javaSplit(addr, ".", -1);
    if (parts.size() != 4)
        return std::nullopt;
    Address bytes;
    for (const auto part : parts) {
        const auto value = javaParseInt(part, 10);
        if (!value || *value < 0 || *value > 255)
            return std::nullopt;
        bytes.push_back(static_cast<std::uint8_t>(*value));
    }
    return bytes;
}

bool parseV6Segments(Address& out, std::size_t at, const std::vector<std::string_view>& segs)
{
    for (const auto segment : segs) {
        if (segment.empty() || segment.size() > 4)
            return false;
        const auto value = javaParseInt(segment, 16);
        if (!value)
            return false;
        out[at++] = static_cast<std::uint8_t>((*value >> 8) & 0xFF);
        out[at++] = static_cast<std::uint8_t>(*value & 0xFF);
    }
    return true;
}

// IPAuthenticationProvider.parseV6addr.
std::optional<Address> v6Bytes(std::string_view addr)
{
    const auto parts = javaSplit(addr, "::", -1);
    std::vector<std::string_view> head;
    std::vector<std::string_view> tail;
    if (parts.size() == 1) {
        head = javaSplit(parts[0], ":", -1);
        if (head.size() != 8)
            return std::nullopt;
    } else if (parts.size() == 2) {
        if (!parts[0].empty())
            head = javaSplit(parts[0], ":", -1);
        if (!parts[1].empty())
            tail = javaSplit(parts[1], ":", -1);
        if (head.size() + tail.size() >= 8)
            return std::nullopt;
    } else {
        return std::nullopt;
    }
    Address bytes(16, 0);
    if (!parseV6Segments(bytes, 0, head) || !parseV6Segments(bytes, 16 - tail.size() * 2, tail))
        return std::nullopt;
    return bytes;
}

std::optional<Address> addrBytes(std::string_view addr)
{
    if (addr.find(':') != std::string_view::npos)
        return v6Bytes(addr);
    if (addr.find('.') != std::string_view::npos)
        return v4Bytes(addr);
    return std::nullopt;
}

void mask(Address& bytes, std::int32_t bits)
{
    std::size_t start = static_cast<std::size_t>(bits / 8);
    auto startMask = static_cast<std::uint8_t>(~((1 << (8 - (bits % 8))) - 1));
    for (; start < bytes.size(); ++start) {
        bytes[start] &= startMask;
        startMask = 0;
    }
}

// "addr[/bits]" with bits in [0, address bits], as IPAuthenticationProvider does it.
std::optional<std::pair<Address, std::int32_t>> parseIpExpr(std::string_view expr)
{
    const auto parts = javaSplit(expr, "/", 2);
    auto addr = addrBytes(parts[0]);
    if (!addr)
        return std::nullopt;
    const auto maxBits = static_cast<std::int32_t>(addr->size() * 8);
    std::int32_t bits = maxBits;
    if (parts.size() == 2) {
        const auto parsed = javaParseInt(parts[1], 10);
        if (!parsed || *parsed < 0 || *parsed > maxBits)
            return std::nullopt;
        bits = *parsed;
    }
    return std::pair{std::move(*addr), bits};
}

// Schemes whose providers report isAuthenticated() (digest; sasl and x509 when enabled).
bool isAuthenticatedScheme(std::string_view scheme)
{
    return scheme == "digest" || scheme == "sasl" || scheme == "x509";
}

} // namespace

std::string generateDigest(std::string_view userColonPassword)
{
    std::array<unsigned char, SHA_DIGEST_LENGTH> sha{};
    SHA1(reinterpret_cast<const unsigned char*>(userColonPassword.data()), userColonPassword.size(),
         sha.data());
    // 20 bytes encode to 28 characters plus the NUL EVP_EncodeBlock writes.
    std::array<unsigned char, 4 * ((SHA_DIGEST_LENGTH + 2) / 3) + 1> b64{};
    const int length = EVP_EncodeBlock(b64.data(), sha.data(), SHA_DIGEST_LENGTH);
    const std::string_view user = userColonPassword.substr(0, userColonPassword.find(':'));
    std::string out(user);
    out.push_back(':');
    out.append(reinterpret_cast<const char*>(b64.data()), static_cast<std::size_t>(length));
    return out;
}

bool ipMatches(std::string_view id, std::string_view aclExpr)
{
    auto acl = parseIpExpr(aclExpr);
    if (!acl)
        return false;
    auto& [aclAddr, bits] = *acl;
    mask(aclAddr, bits);
    auto remote = addrBytes(id);
    if (!remote)
        return false;
    mask(*remote, bits);
    return *remote == aclAddr;
}

bool isValidIpAcl(std::string_view id)
{
    return parseIpExpr(id).has_value();
}

bool isValidDigestAcl(std::string_view id)
{
    return javaSplit(id, ":", 0).size() == 2;
}

bool checkAcl(const AclList& acl, std::int32_t perm, const std::vector<Id>& authIds)
{
    if (acl.empty())
        return true;
    for (const Id& authId : authIds) {
        if (authId.scheme == "super")
            return true;
    }
    for (const Acl& entry : acl) {
        if ((entry.perms & perm) == 0)
            continue;
        const Id& id = entry.id;
        if (id.scheme == "world" && id.id == "anyone")
            return true;
        for (const Id& authId : authIds) {
            if (authId.scheme != id.scheme)
                continue;
            const bool matches =
                id.scheme == "ip" ? ipMatches(authId.id, id.id) : authId.id == id.id;
            if (matches)
                return true;
        }
    }
    return false;
}

std::optional<AclList> fixupAcl(const AclList& acl, const std::vector<Id>& authIds,
                                bool saslEnabled)
{
    AclList unique;
    for (const Acl& entry : acl) {
        if (std::find(unique.begin(), unique.end(), entry) == unique.end())
            unique.push_back(entry);
    }
    if (unique.empty())
        return std::nullopt;

    AclList fixed;
    for (const Acl& entry : unique) {
        const Id& id = entry.id;
        if (id.scheme == "world" && id.id == "anyone") {
            fixed.push_back(entry);
        } else if (id.scheme == "auth") {
            bool anyAuthenticated = false;
            for (const Id& authId : authIds) {
                if (isAuthenticatedScheme(authId.scheme)) {
                    anyAuthenticated = true;
                    fixed.push_back(Acl{entry.perms, authId});
                }
            }
            if (!anyAuthenticated)
                return std::nullopt;
        } else if (id.scheme == "digest") {
            if (!isValidDigestAcl(id.id))
                return std::nullopt;
            fixed.push_back(entry);
        } else if (id.scheme == "ip") {
            if (!isValidIpAcl(id.id))
                return std::nullopt;
            fixed.push_back(entry);
        } else if (id.scheme == "sasl" && saslEnabled) {
            fixed.push_back(entry);
        } else {
            return std::nullopt;
        }
    }
    return fixed;
}

} // namespace zk
