#include "server/sasl_digest_md5.h"

#include <openssl/evp.h>

#include <array>
#include <fstream>
#include <sstream>

namespace zk {

namespace {

constexpr std::string_view kRealm = "zk-sasl-md5";

std::array<std::uint8_t, 16> md5(std::string_view text)
{
    std::array<std::uint8_t, 16> digest{};
    unsigned int length = 0;
    EVP_Digest(text.data(), text.size(), digest.data(), &length, EVP_md5(), nullptr);
    return digest;
}

std::string hex(const std::array<std::uint8_t, 16>& bytes)
{
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    for (std::uint8_t byte : bytes) {
        out.push_back(kDigits[byte >> 4]);
        out.push_back(kDigits[byte & 15]);
    }
    return out;
}

std::string raw(const std::array<std::uint8_t, 16>& bytes)
{
    return std::string(bytes.begin(), bytes.end());
}

} // namespace

DigestMd5Server::DigestMd5Server(const std::map<std::string, std::string>* users, std::string nonce)
    : m_users(users), m_nonce(std::move(nonce))
{}

std::map<std::string, std::string> DigestMd5Server::parseDirectives(std::string_view text)
{
    std::map<std::string, std::string> out;
    std::size_t pos = 0;
    while (pos < text.size()) {
        while (pos < text.size() && (text[pos] == ',' || text[pos] == ' '))
            ++pos;
        const auto eq = text.find('=', pos);
        if (eq == std::string_view::npos)
            break;
        std::string key(text.substr(pos, eq - pos));
        pos = eq + 1;
        std::string value;
        if (pos < text.size() && text[pos] == '"') {
            ++pos;
            while (pos < text.size() && text[pos] != '"') {
                if (text[pos] == '\\' && pos + 1 < text.size())
                    ++pos;
                value.push_back(text[pos++]);
            }
            ++pos;
        } else {
            const auto comma = text.find(',', pos);
            value = std::string(text.substr(pos, comma - pos));
            pos = comma == std::string_view::npos ? text.size() : comma;
        }
        out[key] = value;
    }
    return out;
}

std::optional<std::vector<std::uint8_t>> DigestMd5Server::step(std::string_view clientToken)
{
    if (m_complete)
        return std::nullopt;
    if (!m_challengeSent) {
        m_challengeSent = true;
        const std::string challenge = "realm=\"" + std::string(kRealm) + "\",nonce=\"" + m_nonce +
                                      "\",qop=\"auth\",charset=utf-8,algorithm=md5-sess";
        return std::vector<std::uint8_t>(challenge.begin(), challenge.end());
    }
    auto fields = parseDirectives(clientToken);
    const std::string& user = fields["username"];
    auto known = m_users ? m_users->find(user) : decltype(m_users->end()){};
    if (m_users == nullptr || known == m_users->end() || fields["nonce"] != m_nonce ||
        (fields.count("qop") && fields["qop"] != "auth"))
        return std::nullopt;
    const std::string realm = fields.count("realm") ? fields["realm"] : std::string(kRealm);
    const std::string& cnonce = fields["cnonce"];
    const std::string& nc = fields["nc"];
    const std::string& uri = fields["digest-uri"];
    const std::string qop = fields.count("qop") ? fields["qop"] : "auth";
    std::string a1 =
        raw(md5(user + ":" + realm + ":" + known->second)) + ":" + m_nonce + ":" + cnonce;
    if (fields.count("authzid"))
        a1 += ":" + fields["authzid"];
    const std::string ha1 = hex(md5(a1));
    auto kd = [&](const std::string& a2) {
        return hex(
            md5(ha1 + ":" + m_nonce + ":" + nc + ":" + cnonce + ":" + qop + ":" + hex(md5(a2))));
    };
    if (kd("AUTHENTICATE:" + uri) != fields["response"])
        return std::nullopt;
    m_complete = true;
    m_authorizationId = fields.count("authzid") ? fields["authzid"] : user;
    const std::string reply = "rspauth=" + kd(":" + uri);
    return std::vector<std::uint8_t>(reply.begin(), reply.end());
}

std::map<std::string, std::string> parseJaasServerUsers(std::string_view text)
{
    std::map<std::string, std::string> users;
    const auto section = text.find("Server");
    if (section == std::string_view::npos)
        return users;
    const auto open = text.find('{', section);
    const auto close = text.find('}', open);
    if (open == std::string_view::npos || close == std::string_view::npos)
        return users;
    std::string_view body = text.substr(open + 1, close - open - 1);
    std::size_t pos = 0;
    while ((pos = body.find("user_", pos)) != std::string_view::npos) {
        const auto eq = body.find('=', pos);
        const auto q1 = body.find('"', eq);
        const auto q2 = body.find('"', q1 + 1);
        if (eq == std::string_view::npos || q1 == std::string_view::npos ||
            q2 == std::string_view::npos)
            break;
        std::string name(body.substr(pos + 5, eq - pos - 5));
        while (!name.empty() && name.back() == ' ')
            name.pop_back();
        users[name] = std::string(body.substr(q1 + 1, q2 - q1 - 1));
        pos = q2 + 1;
    }
    return users;
}

std::optional<std::map<std::string, std::string>> readJaasServerUsers(const std::string& path)
{
    std::ifstream in(path);
    if (!in)
        return std::nullopt;
    std::stringstream text;
    text << in.rdbuf();
    return parseJaasServerUsers(text.str());
}

} // namespace zk
