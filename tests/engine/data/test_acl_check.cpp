// Proves digest generation matches Apache byte for byte, ACL checks follow
// ZooKeeperServer.checkACL (super, world, digest, ip prefixes), fixupAcl follows
// PrepRequestProcessor.fixupACL, and the ACL cache interns and counts like Apache's.
#include "data/acl_cache.h"
#include "data/acl_check.h"
#include "proto/opcodes.h"

#include <QtTest>

using zk::Acl;
using zk::AclList;
using zk::Id;
namespace perms = zk::perms;

class AclCheckTest : public QObject
{
    Q_OBJECT
private slots:
    void digestMatchesApache()
    {
        QCOMPARE(QString::fromStdString(zk::generateDigest("super:test")),
                 QStringLiteral("super:D/InIHSb7yEEbrWz8b9l71RjZJU="));
        // Only the text before the first ':' is the user; the hash covers everything.
        const std::string digest = zk::generateDigest("bob:pa:ss");
        QVERIFY(digest.starts_with("bob:"));
        QCOMPARE(digest.size(), std::size_t{4 + 28});
        QVERIFY(digest != zk::generateDigest("bob:pa"));
    }

    void emptyAclAndSuperAllowEverything()
    {
        QVERIFY(zk::checkAcl({}, perms::Admin, {}));
        const AclList onlyBob{Acl{perms::Read, Id{"digest", "bob:x"}}};
        QVERIFY(!zk::checkAcl(onlyBob, perms::Write, {}));
        QVERIFY(zk::checkAcl(onlyBob, perms::Write, {Id{"super", ""}}));
    }

    void worldAndDigest()
    {
        QVERIFY(zk::checkAcl(zk::openAclUnsafe(), perms::Delete, {}));
        QVERIFY(zk::checkAcl(zk::readAclUnsafe(), perms::Read, {}));
        QVERIFY(!zk::checkAcl(zk::readAclUnsafe(), perms::Write, {}));
        const AclList bob{Acl{perms::Read | perms::Write, Id{"digest", "bob:h"}}};
        QVERIFY(zk::checkAcl(bob, perms::Write, {Id{"digest", "bob:h"}}));
        QVERIFY(!zk::checkAcl(bob, perms::Write, {Id{"digest", "bob:other"}}));
        QVERIFY(!zk::checkAcl(bob, perms::Admin, {Id{"digest", "bob:h"}}));
        QVERIFY(!zk::checkAcl(bob, perms::Read, {Id{"ip", "bob:h"}}));
    }

    void ipPrefixes()
    {
        QVERIFY(zk::ipMatches("10.1.2.3", "10.1.2.3"));
        QVERIFY(!zk::ipMatches("10.1.2.4", "10.1.2.3"));
        QVERIFY(zk::ipMatches("10.1.200.3", "10.1.0.0/16"));
        QVERIFY(!zk::ipMatches("10.2.0.1", "10.1.0.0/16"));
        QVERIFY(zk::ipMatches("10.1.2.3", "10.1.2.0/25"));
        QVERIFY(!zk::ipMatches("10.1.2.200", "10.1.2.0/25"));
        QVERIFY(zk::ipMatches("99.1.2.3", "0.0.0.0/0"));
        QVERIFY(!zk::ipMatches("10.1.2.3", "10.1.2.3/33"));
        QVERIFY(!zk::ipMatches("10.1.2.3", "10.1.2/8"));
        QVERIFY(!zk::ipMatches("10.1.2.3", "10.1.2.256"));
        QVERIFY(zk::ipMatches("2001:db8::1", "2001:db8::/32"));
        QVERIFY(zk::ipMatches("2001:0db8:0:0:0:0:0:1", "2001:db8::1"));
        QVERIFY(!zk::ipMatches("2001:db9::1", "2001:db8::/32"));
        QVERIFY(zk::ipMatches("::1", "::1"));
        // Families must agree, even under a /0 mask.
        QVERIFY(!zk::ipMatches("10.0.0.1", "::/0"));
        QVERIFY(!zk::ipMatches("1:2:3:4:5:6:7:8:9", "::/0"));
        QVERIFY(!zk::ipMatches("1::2::3", "::/0"));

        const AclList lan{Acl{perms::All, Id{"ip", "192.168.0.0/16"}}};
        QVERIFY(zk::checkAcl(lan, perms::Read, {Id{"ip", "192.168.7.7"}}));
        QVERIFY(!zk::checkAcl(lan, perms::Read, {Id{"ip", "192.169.7.7"}}));
    }

    void validity()
    {
        QVERIFY(zk::isValidDigestAcl("bob:hash"));
        QVERIFY(zk::isValidDigestAcl(":hash"));
        QVERIFY(!zk::isValidDigestAcl("bob"));
        QVERIFY(!zk::isValidDigestAcl("bob:"));
        QVERIFY(!zk::isValidDigestAcl("a:b:c"));
        QVERIFY(zk::isValidIpAcl("1.2.3.4"));
        QVERIFY(zk::isValidIpAcl("1.2.3.4/0"));
        QVERIFY(zk::isValidIpAcl("fe80::/10"));
        QVERIFY(!zk::isValidIpAcl("1.2.3.4/"));
        QVERIFY(!zk::isValidIpAcl("1.2.3.4/x"));
        QVERIFY(!zk::isValidIpAcl("localhost"));
    }

    void fixupExpandsAuthAndRejectsBadEntries()
    {
        const std::vector<Id> auth{Id{"ip", "127.0.0.1"}, Id{"digest", "bob:h"}, Id{"super", ""}};
        const auto fixed = zk::fixupAcl({Acl{perms::All, Id{"auth", "ignored"}}}, auth);
        QVERIFY(fixed.has_value());
        QCOMPARE(fixed->size(), std::size_t{1});
        QVERIFY(fixed->front() == (Acl{perms::All, Id{"digest", "bob:h"}}));

        QVERIFY(!zk::fixupAcl({}, auth).has_value());
        QVERIFY(!zk::fixupAcl({Acl{perms::All, Id{"auth", ""}}}, {Id{"ip", "1.2.3.4"}}));
        QVERIFY(!zk::fixupAcl({Acl{perms::All, Id{"digest", "nohash"}}}, auth));
        QVERIFY(!zk::fixupAcl({Acl{perms::All, Id{"ip", "300.1.1.1"}}}, auth));
        QVERIFY(!zk::fixupAcl({Acl{perms::All, Id{"world", "someone"}}}, auth));
        QVERIFY(!zk::fixupAcl({Acl{perms::All, Id{"kerberos", "x"}}}, auth));

        const Acl world{perms::Read, Id{"world", "anyone"}};
        const Acl ip{perms::All, Id{"ip", "10.0.0.0/8"}};
        const auto deduped = zk::fixupAcl({world, ip, world}, {});
        QVERIFY(deduped.has_value());
        QVERIFY(*deduped == (AclList{world, ip}));
    }

    void cacheInternsAndCounts()
    {
        zk::AclCache cache;
        const AclList bob{Acl{perms::All, Id{"digest", "bob:h"}}};
        const std::int64_t id = cache.convertAcls(bob);
        QCOMPARE(id, std::int64_t{1});
        QCOMPARE(cache.convertAcls(bob), id);
        QCOMPARE(cache.useCount(id), std::int64_t{2});
        QCOMPARE(cache.convertAcls(zk::openAclUnsafe()), std::int64_t{2});
        QVERIFY(cache.convertLong(id) == bob);
        QVERIFY(cache.convertLong(zk::AclCache::openAclUnsafeId) == zk::openAclUnsafe());
        cache.removeUsage(id);
        QVERIFY(cache.contains(id));
        cache.removeUsage(id);
        QVERIFY(!cache.contains(id));
        // Ids are never reused.
        QCOMPARE(cache.convertAcls(bob), std::int64_t{3});

        zk::AclCache restored;
        restored.addRaw(7, bob);
        restored.addRaw(4, zk::readAclUnsafe());
        restored.addUsage(7);
        restored.purgeUnused();
        QCOMPARE(restored.size(), std::size_t{1});
        QCOMPARE(restored.convertAcls(zk::readAclUnsafe()), std::int64_t{8});
        std::vector<std::int64_t> order;
        restored.forEach([&](std::int64_t entry, const AclList&) { order.push_back(entry); });
        QCOMPARE(order, (std::vector<std::int64_t>{7, 8}));
    }
};

QTEST_APPLESS_MAIN(AclCheckTest)
#include "test_acl_check.moc"
