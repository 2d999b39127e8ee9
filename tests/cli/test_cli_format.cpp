// Proves the shell's parsing and printing match zkCli 3.8, against strings captured from
// Debian's zkCli.sh (tests/cli/golden holds the full transcripts).
#include "cli/cli_format.h"

#include <QtTest>

#include <cstdlib>
#include <ctime>

using namespace zk::cli;

class CliFormatTest : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase()
    {
        setenv("TZ", "UTC", 1);
        tzset();
    }

    void tokenizesLikeZooKeeperMain()
    {
        QCOMPARE(tokenize("  create /a 'hello world'  \"x y\" z"),
                 (std::vector<std::string>{"create", "/a", "hello world", "x y", "z"}));
        QCOMPARE(tokenize("set /a it's"), (std::vector<std::string>{"set", "/a", "it's"}));
        QVERIFY(tokenize("   ").empty());
    }

    void parsesOptionsAnywhere()
    {
        const auto cmd = parseOptions(tokenize("removewatches /b -c -l"), "cdal", "");
        QVERIFY(cmd.has_value());
        QCOMPARE(cmd->args, (std::vector<std::string>{"removewatches", "/b"}));
        QVERIFY(cmd->has('c') && cmd->has('l') && !cmd->has('d'));
        const auto create = parseOptions(tokenize("create -es -t 500 /a x"), "esc", "t");
        QVERIFY(create.has_value());
        QVERIFY(create->has('e') && create->has('s'));
        QCOMPARE(create->values.at('t'), std::string("500"));
        QCOMPARE(create->args.size(), std::size_t(3));
        QVERIFY(!parseOptions(tokenize("ls -x /"), "swR", ""));
        QVERIFY(!parseOptions(tokenize("set /a x -v"), "s", "v"));
    }

    void statBlockAsZkCli()
    {
        // Captured: "get -s /a" after "create /a hello" (zkCli.sh 3.8.0, TZ=UTC).
        zk::Stat stat;
        stat.czxid = 0x21;
        stat.mzxid = 0x21;
        stat.pzxid = 0x21;
        stat.ctime = 1795372332000; // Sun Nov 22 18:32:12 UTC 2026
        stat.mtime = 1795372332000;
        stat.dataLength = 5;
        QCOMPARE(formatStat(stat), std::string("cZxid = 0x21\n"
                                               "ctime = Sun Nov 22 18:32:12 UTC 2026\n"
                                               "mZxid = 0x21\n"
                                               "mtime = Sun Nov 22 18:32:12 UTC 2026\n"
                                               "pZxid = 0x21\n"
                                               "cversion = 0\n"
                                               "dataVersion = 0\n"
                                               "aclVersion = 0\n"
                                               "ephemeralOwner = 0x0\n"
                                               "dataLength = 5\n"
                                               "numChildren = 0\n"));
        QCOMPARE(javaDate(0), std::string("Thu Jan 01 00:00:00 UTC 1970"));
        QCOMPARE(javaHex(-1), std::string("ffffffffffffffff"));
        QCOMPARE(javaHex(0x1000000ab0001LL), std::string("1000000ab0001"));
    }

    void dataAndLists()
    {
        QCOMPARE(formatData(std::nullopt), std::string("null"));
        QCOMPARE(formatData(zk::client::Bytes{'h', 'i'}), std::string("hi"));
        QCOMPARE(formatList({"cont", "d", "zookeeper"}), std::string("[cont, d, zookeeper]"));
        QCOMPARE(formatList({}), std::string("[]"));
    }

    void aclsAsZkCli()
    {
        QCOMPARE(formatAcl(zk::openAclUnsafe()), std::string("'world,'anyone\n: cdrwa\n"));
        QCOMPARE(
            formatAcl({zk::Acl{zk::perms::All, {"digest", "user:smGaoVKd/cQkjm7b88GyorAUz20="}}}),
            std::string("'digest,'user:smGaoVKd/cQkjm7b88GyorAUz20=\n: cdrwa\n"));
        QCOMPARE(permString(zk::perms::Read), std::string("r"));
        std::string errors;
        QVERIFY(parseAcl("bad:acl", &errors).empty());
        QCOMPARE(errors, std::string("bad:acl does not have the form scheme:id:perm\n"));
        errors.clear();
        const auto acl = parseAcl("world:anyone:xyz", &errors);
        QCOMPARE(errors, std::string("Unknown perm type: x\nUnknown perm type: y\n"
                                     "Unknown perm type: z\n"));
        QCOMPARE(acl.size(), std::size_t(1));
        QCOMPARE(acl[0].perms, 0);
        const auto two = parseAcl("auth:user:pass:cdrwa,ip:10.0.0.1:r", nullptr);
        QCOMPARE(two.size(), std::size_t(2));
        QCOMPARE(two[0].id.id, std::string("user:pass"));
        QCOMPARE(two[1].perms, zk::perms::Read);
    }

    void errorMessagesAsZkCli()
    {
        QCOMPARE(errorMessage(zk::ZError::NoNode, "/x"), std::string("Node does not exist: /x"));
        QCOMPARE(errorMessage(zk::ZError::NodeExists, "/a"),
                 std::string("Node already exists: /a"));
        QCOMPARE(errorMessage(zk::ZError::NotEmpty, "/a"), std::string("Node not empty: /a"));
        QCOMPARE(errorMessage(zk::ZError::BadVersion, "/a"),
                 std::string("version No is not valid : /a"));
        QCOMPARE(errorMessage(zk::ZError::NoAuth, "/d"),
                 std::string("Insufficient permission : /d"));
        QCOMPARE(errorMessage(zk::ZError::NoChildrenForEphemerals, "/b/eph/child"),
                 std::string("Ephemerals cannot have children: /b/eph/child"));
        QCOMPARE(errorMessage(zk::ZError::InvalidAcl, "null"),
                 std::string("Acl is not valid : null"));
        QCOMPARE(errorMessage(zk::ZError::NoWatcher, "/zzz"),
                 std::string("KeeperErrorCode = No such watcher for /zzz"));
    }

    void usageAsZkCli()
    {
        const std::string usage = usageText();
        QVERIFY(usage.rfind("ZooKeeper -server host:port -client-configuration properties-file "
                            "cmd args\n\taddWatch [-m mode] path",
                            0) == 0);
        QVERIFY(usage.find("\tclose \n\tconfig [-c] [-w] [-s]\n") != std::string::npos);
        QVERIFY(usage.find("\tversion \n\twhoami \n") != std::string::npos);
        QCOMPARE(std::count(usage.begin(), usage.end(), '\n'), 29L);
        QCOMPARE(std::string(commandUsage("get")), std::string("get [-s] [-w] path"));
        QCOMPARE(std::string(commandUsage("ls")), std::string("ls [-s] [-w] [-R] path"));
    }
};

QTEST_APPLESS_MAIN(CliFormatTest)
#include "test_cli_format.moc"
