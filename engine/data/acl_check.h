#pragma once
// ACL evaluation and the schemes ZooKeeper ships by default (world, auth, digest, ip).
// Pure functions; the prep stage and the read path call them with the connection's
// authenticated ids (e.g. {digest:"bob:hash"}, {ip:"127.0.0.1"}, {super:""}).

#include "data/acl.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace zk {

// "user:base64(SHA1(user:password))" for "user:password", where user is the text before
// the first ':' (as DigestAuthenticationProvider.generateDigest with SHA1).
std::string generateDigest(std::string_view userColonPassword);

// True when `authIds` grant `perm` on a znode with `acl` (as ZooKeeperServer.checkACL):
// an empty ACL allows everything, a "super" id allows everything, world:anyone matches
// anybody, and otherwise an ACL entry whose perms include `perm` matches an auth id of the
// same scheme: digest (and any scheme other than ip) by equal ids, ip by address prefix.
bool checkAcl(const AclList& acl, std::int32_t perm, const std::vector<Id>& authIds);

// IPAuthenticationProvider.matches: does address `id` fall in "addr[/bits]"? IPv4 dotted
// quads and IPv6 (with "::" compression) are understood; the families must agree.
bool ipMatches(std::string_view id, std::string_view aclExpr);

// IPAuthenticationProvider.isValid and DigestAuthenticationProvider.isValid.
bool isValidIpAcl(std::string_view id);
bool isValidDigestAcl(std::string_view id);

// The ACL to store for a create or setACL, or nullopt for INVALIDACL (as
// PrepRequestProcessor.fixupACL): duplicates are dropped first; an empty list is invalid;
// world:anyone is kept; each "auth" entry becomes one entry per authenticated id
// (digest and other authenticating schemes, never ip or super) and is invalid if there is
// none; digest ids must be "user:hash"; ip ids must parse; any other scheme is invalid.
// saslEnabled: the "sasl" scheme is registered (SASLAuthenticationProvider), so its ids are
// valid ACL entries.
std::optional<AclList> fixupAcl(const AclList& acl, const std::vector<Id>& authIds,
                                bool saslEnabled = false);

} // namespace zk
