#pragma once
// Pure helpers for ACL entries as the ACL editor shows and builds them. Any thread.
//
// Schemes a client can set (ZooKeeper's default providers): world (id "anyone"), auth (id
// ignored: the server stores one digest entry per credential of this session), digest
// ("user:base64(sha1(user:password))"), ip ("addr" or "addr/bits", IPv4 or IPv6) and sasl
// (a principal; the server must have SASL enabled). "super" is an authenticated identity,
// never an ACL scheme, and is refused here.

#include "data/acl.h"

#include <QString>
#include <QStringList>

namespace zoolab {

// "world", "auth", "digest", "ip", "sasl" in the order the editor offers them.
QStringList settableAclSchemes();

// "cdrwa" with '-' for a missing permission, in zkCli's order (ZKUtil.getPermString).
QString permissionText(std::int32_t perms);
// Letters from "cdrwa" in any order; -1 when another character appears.
std::int32_t permissionsFromText(const QString& letters);

// The digest scheme's id for user and password, as DigestAuthenticationProvider.generateDigest
// computes it: "user:" + base64(SHA-1("user:password")).
QString digestId(const QString& user, const QString& password);

// Empty when scheme:id with perms may be sent in a setACL, otherwise a sentence saying why not.
QString aclEntryProblem(const QString& scheme, const QString& id, std::int32_t perms);
// Empty when the list may be sent, otherwise a sentence (empty list, a bad entry).
QString aclListProblem(const zk::AclList& acl);
// True when some entry grants ADMIN, so the ACL can still be changed afterwards by someone.
bool grantsAdmin(const zk::AclList& acl);

// What the editor shows as the id of an entry whose scheme has a fixed or ignored id.
QString defaultAclId(const QString& scheme);

} // namespace zoolab
