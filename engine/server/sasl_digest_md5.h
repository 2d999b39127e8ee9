#pragma once
// The server side of SASL DIGEST-MD5 (RFC 2831, qop=auth only) as Apache ZooKeeper runs it
// for DigestLoginModule users: realm and server name "zk-sasl-md5", service "zookeeper".
//
//   server: realm="zk-sasl-md5",nonce="N",qop="auth",charset=utf-8,algorithm=md5-sess
//   client: username="u",realm=..,nonce="N",cnonce="C",nc=00000001,qop=auth,
//           digest-uri="zookeeper/zk-sasl-md5",response=<32 hex>[,authzid="a"]
//   server: rspauth=<32 hex>            (then the exchange is complete)
//
// Hand-written rather than through Cyrus SASL: Cyrus's DIGEST-MD5 needs the plaintext
// passwords through an auxprop plugin and its mechanism modules at run time, which costs
// more code and packaging than the forty lines of digest arithmetic below.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace zk {

class DigestMd5Server
{
public:
    // users: name -> password, from the JAAS Server section. nonce: unpredictable text.
    DigestMd5Server(const std::map<std::string, std::string>* users, std::string nonce);

    // One step: the client's token in, the server's token out; nullopt means the
    // authentication failed (the caller answers AUTHFAILED and closes).
    std::optional<std::vector<std::uint8_t>> step(std::string_view clientToken);
    bool complete() const { return m_complete; }
    // The authenticated identity (authzid if the client sent one, else the user name).
    const std::string& authorizationId() const { return m_authorizationId; }

    // Splits a DIGEST-MD5 directive list (key=value or key="quoted, value") into a map.
    static std::map<std::string, std::string> parseDirectives(std::string_view text);

private:
    const std::map<std::string, std::string>* m_users;
    std::string m_nonce;
    bool m_challengeSent = false;
    bool m_complete = false;
    std::string m_authorizationId;
};

// Reads user_<name>="<password>" entries of the "Server" section of a JAAS login config, as
// DigestLoginModule does. Returns nullopt if the file cannot be read.
std::optional<std::map<std::string, std::string>> readJaasServerUsers(const std::string& path);
std::map<std::string, std::string> parseJaasServerUsers(std::string_view text);

} // namespace zk
