// Proves the DIGEST-MD5 server against RFC 2831's worked example and that wrong passwords,
// unknown users and stale nonces fail; and that JAAS Server sections are read as
// DigestLoginModule reads them.
#include "server/sasl_digest_md5.h"

#include <QtTest>

class SaslDigestMd5Test : public QObject
{
    Q_OBJECT
private slots:
    void rfc2831Example()
    {
        const std::map<std::string, std::string> users{{"chris", "secret"}};
        zk::DigestMd5Server server(&users, "OA6MG9tEQGm2hh");
        auto challenge = server.step("");
        QVERIFY(challenge.has_value());
        const std::string text(challenge->begin(), challenge->end());
        QVERIFY(text.find("nonce=\"OA6MG9tEQGm2hh\"") != std::string::npos);
        auto reply = server.step(
            "charset=utf-8,username=\"chris\",realm=\"elwood.innosoft.com\","
            "nonce=\"OA6MG9tEQGm2hh\",nc=00000001,cnonce=\"OA6MHXh6VqTrRk\","
            "digest-uri=\"imap/elwood.innosoft.com\",response=d388dad90d4bbd760a152321f2143af7,"
            "qop=auth");
        QVERIFY(reply.has_value());
        QCOMPARE(std::string(reply->begin(), reply->end()),
                 std::string("rspauth=ea40f60335c427b5527b84dbabcdfffd"));
        QVERIFY(server.complete());
        QCOMPARE(server.authorizationId(), std::string("chris"));
    }

    void wrongPasswordFails()
    {
        const std::map<std::string, std::string> users{{"chris", "not-secret"}};
        zk::DigestMd5Server server(&users, "OA6MG9tEQGm2hh");
        server.step("");
        auto reply = server.step(
            "username=\"chris\",realm=\"elwood.innosoft.com\",nonce=\"OA6MG9tEQGm2hh\","
            "nc=00000001,cnonce=\"OA6MHXh6VqTrRk\",digest-uri=\"imap/elwood.innosoft.com\","
            "response=d388dad90d4bbd760a152321f2143af7,qop=auth");
        QVERIFY(!reply.has_value());
        QVERIFY(!server.complete());
    }

    void unknownUserAndStaleNonceFail()
    {
        const std::map<std::string, std::string> users{{"chris", "secret"}};
        zk::DigestMd5Server server(&users, "fresh");
        server.step("");
        QVERIFY(!server.step("username=\"eve\",nonce=\"fresh\",response=00").has_value());
        zk::DigestMd5Server other(&users, "fresh");
        other.step("");
        QVERIFY(!other.step("username=\"chris\",nonce=\"OA6MG9tEQGm2hh\",response=00").has_value());
    }

    void directivesKeepQuotedCommas()
    {
        auto fields = zk::DigestMd5Server::parseDirectives("a=\"x,y\",b=2, c=\"q\\\"t\"");
        QCOMPARE(fields["a"], std::string("x,y"));
        QCOMPARE(fields["b"], std::string("2"));
        QCOMPARE(fields["c"], std::string("q\"t"));
    }

    void jaasServerSection()
    {
        const auto users = zk::parseJaasServerUsers(
            "Server {\n  org.apache.zookeeper.server.auth.DigestLoginModule required\n"
            "  user_super=\"super_secret\"\n  user_jaasuser=\"jaas_password\";\n};\n"
            "Client {\n  user_other=\"nope\";\n};\n");
        QCOMPARE(users.size(), std::size_t{2});
        QCOMPARE(users.at("jaasuser"), std::string("jaas_password"));
        QVERIFY(users.count("other") == 0);
    }
};

QTEST_APPLESS_MAIN(SaslDigestMd5Test)
#include "test_sasl_digest_md5.moc"
