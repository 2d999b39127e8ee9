// Proves zoo.cfg reads as Apache reads it: java.util.Properties syntax, every server.N form,
// Apache's defaults and checks, unknown keys as zookeeper.* system properties, and error
// messages that name the file, the line and the key.
#include "config/properties.h"
#include "config/server_config.h"

#include <QTemporaryDir>
#include <QtTest>

#include <fstream>
#include <random>

namespace {

QString q(const std::string& s)
{
    return QString::fromStdString(s);
}

zk::ServerConfigResult parse(const std::string& text,
                             std::map<std::string, std::string> systemProperties = {})
{
    return zk::parseServerConfig(text, "zoo.cfg", std::move(systemProperties));
}

// Parses a config that must be valid and returns it.
zk::ServerConfig parseOk(const std::string& text,
                         std::map<std::string, std::string> systemProperties = {})
{
    zk::ServerConfigResult result = parse(text, std::move(systemProperties));
    if (!result.ok())
        qWarning("unexpected errors: %s", result.errorText().c_str());
    return result.config;
}

// The single error of a config that must fail, as text.
std::string onlyError(const std::string& text)
{
    const zk::ServerConfigResult result = parse(text);
    if (result.errors.size() != 1) {
        qWarning("expected one error, got %d: %s", static_cast<int>(result.errors.size()),
                 result.errorText().c_str());
        return {};
    }
    return result.errors.front().toString();
}

std::string warningsText(const zk::ServerConfig& config)
{
    std::string out;
    for (const zk::ConfigIssue& issue : config.warnings)
        out += issue.toString() + "\n";
    return out;
}

const std::string kBase = "tickTime=2000\ndataDir=/var/zk\n";
const std::string kQuorum = kBase + "initLimit=5\nsyncLimit=2\n";

void writeFile(const QString& path, const std::string& text)
{
    std::ofstream out(path.toStdString(), std::ios::binary);
    out << text;
}

} // namespace

class ServerConfigTest : public QObject
{
    Q_OBJECT
private slots:
    // --- java.util.Properties syntax ---

    void propertiesSeparators()
    {
        const auto r = zk::parseProperties("a=1\nb:2\nc 3\nd = 4\ne  :  5\nf\t=\t6\ng\nh=\n"
                                           "i = = 7\nj 8 9\n");
        QVERIFY(r.ok());
        QCOMPARE(r.entries.size(), std::size_t{10});
        const std::vector<std::pair<std::string, std::string>> expected{
            {"a", "1"}, {"b", "2"}, {"c", "3"}, {"d", "4"},   {"e", "5"},
            {"f", "6"}, {"g", ""},  {"h", ""},  {"i", "= 7"}, {"j", "8 9"}};
        for (std::size_t i = 0; i < expected.size(); ++i) {
            QCOMPARE(q(r.entries[i].key), q(expected[i].first));
            QCOMPARE(q(r.entries[i].value), q(expected[i].second));
        }
    }

    void propertiesCommentsAndBlankLines()
    {
        const auto r =
            zk::parseProperties("# comment\n! also\n   # indented\n\n  \t\nkey=v # not\n");
        QVERIFY(r.ok());
        QCOMPARE(r.entries.size(), std::size_t{1});
        QCOMPARE(q(r.entries[0].value), QStringLiteral("v # not"));
        QCOMPARE(r.entries[0].line, 6);
    }

    void propertiesContinuation()
    {
        const auto r = zk::parseProperties("a=one \\\n     two\\\n three\n"
                                           "# comment \\\nb=x\n"
                                           "c=even\\\\\nd=y\n"
                                           "e=last\\");
        QVERIFY(r.ok());
        QCOMPARE(r.entries.size(), std::size_t{5});
        QCOMPARE(q(r.entries[0].value), QStringLiteral("one twothree"));
        QCOMPARE(r.entries[0].line, 1);
        // A comment line ending in a backslash does not swallow the next line.
        QCOMPARE(q(r.entries[1].key), QStringLiteral("b"));
        QCOMPARE(r.entries[1].line, 5);
        // An even number of backslashes is an escaped backslash, not a continuation.
        QCOMPARE(q(r.entries[2].value), QStringLiteral("even\\"));
        QCOMPARE(q(r.entries[3].key), QStringLiteral("d"));
        QCOMPARE(r.entries[3].line, 7);
        QCOMPARE(q(r.entries[4].value), QStringLiteral("last"));
    }

    void propertiesLineEndings()
    {
        const auto r = zk::parseProperties("a=1\r\nb=2\rc=3\n\r\nd=4");
        QVERIFY(r.ok());
        QCOMPARE(r.entries.size(), std::size_t{4});
        QCOMPARE(r.entries[1].line, 2);
        QCOMPARE(r.entries[2].line, 3);
        QCOMPARE(r.entries[3].line, 5);
        QCOMPARE(q(r.entries[0].value), QStringLiteral("1"));
    }

    void propertiesEscapes()
    {
        const auto r = zk::parseProperties(
            "tab=a\\tb\nnl=a\\nb\nuni=\\u0041\\u00e9\\u20ac\npair=\\ud83d\\ude00\n"
            "lone=\\ud83dx\nkey\\=with\\:seps\\ and\\ space=v\nother=\\q\\\\\n");
        QVERIFY(r.ok());
        QCOMPARE(r.entries.size(), std::size_t{7});
        QCOMPARE(q(r.entries[0].value), QStringLiteral("a\tb"));
        QCOMPARE(q(r.entries[1].value), QStringLiteral("a\nb"));
        QCOMPARE(q(r.entries[2].value), QString::fromUtf8("A\xc3\xa9\xe2\x82\xac"));
        QCOMPARE(q(r.entries[3].value), QString::fromUtf8("\xf0\x9f\x98\x80"));
        QCOMPARE(q(r.entries[4].value), QString::fromUtf8("\xef\xbf\xbdx"));
        QCOMPARE(q(r.entries[5].key), QStringLiteral("key=with:seps and space"));
        QCOMPARE(q(r.entries[6].value), QStringLiteral("q\\"));
    }

    void propertiesMalformedUnicodeNamesLine()
    {
        const auto r = zk::parseProperties("a=1\n\nb=\\u12G4\nc=3\n");
        QVERIFY(!r.ok());
        QCOMPARE(r.error->line, 3);
        QCOMPARE(r.entries.size(), std::size_t{1});
        QCOMPARE(onlyError(kBase + "x=\\u00"),
                 std::string("zoo.cfg:3: Malformed \\uxxxx encoding."));
    }

    void propertiesKeepDuplicatesAndUtf8()
    {
        const auto r = zk::parseProperties("k=1\nk=2\nname=h\xc3\xa9llo\n");
        QVERIFY(r.ok());
        QCOMPARE(r.entries.size(), std::size_t{3});
        QCOMPARE(q(r.entries[2].value), QString::fromUtf8("h\xc3\xa9llo"));
    }

    // --- defaults ---

    void standaloneDefaults()
    {
        const auto c = parseOk(kBase + "clientPort=2181\n");
        QCOMPARE(c.tickTimeMs, 2000);
        QCOMPARE(q(c.dataDir), QStringLiteral("/var/zk"));
        QCOMPARE(q(c.dataLogDir), QStringLiteral("/var/zk"));
        QCOMPARE(c.clientPort, 2181);
        QVERIFY(c.clientPortAddress.empty());
        QCOMPARE(c.secureClientPort, 0);
        QCOMPARE(c.minSessionTimeoutMs, -1);
        QCOMPARE(c.effectiveMinSessionTimeoutMs(), 4000);
        QCOMPARE(c.effectiveMaxSessionTimeoutMs(), 40000);
        QCOMPARE(c.maxClientCnxns, 60);
        QCOMPARE(c.electionAlg, 3);
        QCOMPARE(c.peerType, zk::PeerType::Participant);
        QVERIFY(c.standaloneEnabled);
        QVERIFY(!c.reconfigEnabled);
        QVERIFY(!c.localSessionsEnabled);
        QVERIFY(!c.localSessionsUpgradingEnabled);
        QVERIFY(c.syncEnabled);
        QVERIFY(!c.quorumListenOnAllIPs);
        QCOMPARE(c.snapRetainCount, 3);
        QCOMPARE(c.purgeIntervalHours, 0);
        QVERIFY(c.servers.empty());
        QVERIFY(c.isStandalone());
        QVERIFY(c.warnings.empty());
        QVERIFY(c.systemProperties.empty());
        QCOMPARE(q(c.configFile), QStringLiteral("zoo.cfg"));
    }

    void typedSystemPropertyDefaults()
    {
        const auto c = parseOk(kBase);
        QVERIFY(!c.readOnlyModeEnabled());
        QVERIFY(!c.superDigest().has_value());
        QVERIFY(!c.extendedTypesEnabled());
        QCOMPARE(c.juteMaxBuffer(), 0xfffff);
        QCOMPARE(c.snapCount(), std::int64_t{100000});
        QCOMPARE(c.snapSizeLimitBytes(), std::int64_t{4} * 1024 * 1024 * 1024);
        QCOMPARE(c.preAllocSizeBytes(), std::int64_t{64} * 1024 * 1024);
        QVERIFY(c.forceSync());
        QCOMPARE(c.fourLetterWordWhitelist(), std::set<std::string>{"srvr"});
        QVERIFY(c.isFourLetterWordEnabled("srvr"));
        QVERIFY(!c.isFourLetterWordEnabled("ruok"));
    }

    void everyScalarKey()
    {
        const auto c = parseOk(
            "tickTime=3000\ndataDir=/d\ndataLogDir=/l\nclientPort=2181\n"
            "clientPortAddress=127.0.0.1\nsecureClientPort=2281\nsecureClientPortAddress=::1\n"
            "observerMasterPort=2191\nclientPortListenBacklog=50\ninitLimit=10\nsyncLimit=5\n"
            "connectToLearnerMasterLimit=7\nminSessionTimeout=1000\nmaxSessionTimeout=90000\n"
            "maxClientCnxns=0\nelectionAlg=3\npeerType=OBSERVER\nstandaloneEnabled=false\n"
            "reconfigEnabled=TRUE\nlocalSessionsEnabled=true\nlocalSessionsUpgradingEnabled=true\n"
            "autopurge.snapRetainCount=5\nautopurge.purgeInterval=24\nsyncEnabled=false\n"
            "quorumListenOnAllIPs=true\nserver.1=a:1:2\n");
        QCOMPARE(q(c.dataLogDir), QStringLiteral("/l"));
        QCOMPARE(q(c.clientPortAddress), QStringLiteral("127.0.0.1"));
        QCOMPARE(c.secureClientPort, 2281);
        QCOMPARE(q(c.secureClientPortAddress), QStringLiteral("::1"));
        QCOMPARE(c.observerMasterPort, 2191);
        QCOMPARE(c.clientPortListenBacklog, 50);
        QCOMPARE(c.initLimit, 10);
        QCOMPARE(c.syncLimit, 5);
        QCOMPARE(c.connectToLearnerMasterLimit, 7);
        QCOMPARE(c.effectiveMinSessionTimeoutMs(), 1000);
        QCOMPARE(c.effectiveMaxSessionTimeoutMs(), 90000);
        QCOMPARE(c.maxClientCnxns, 0);
        QCOMPARE(c.peerType, zk::PeerType::Observer);
        QVERIFY(!c.standaloneEnabled);
        QVERIFY(c.reconfigEnabled);
        QVERIFY(c.localSessionsEnabled);
        QVERIFY(c.localSessionsUpgradingEnabled);
        QCOMPARE(c.snapRetainCount, 5);
        QCOMPARE(c.purgeIntervalHours, 24);
        QVERIFY(!c.syncEnabled);
        QVERIFY(c.quorumListenOnAllIPs);
    }

    void valuesAreTrimmedAndLastKeyWins()
    {
        const auto c = parseOk("  tickTime =  2000   \ndataDir=/a\ndataDir=/b  \n");
        QCOMPARE(c.tickTimeMs, 2000);
        QCOMPARE(q(c.dataDir), QStringLiteral("/b"));
        QCOMPARE(q(warningsText(c)), QStringLiteral("zoo.cfg:3: dataDir: overrides the value "
                                                    "from line 2\n"));
    }

    void snapRetainCountIsRaisedToThree()
    {
        const auto c = parseOk(kBase + "autopurge.snapRetainCount=1\n");
        QCOMPARE(c.snapRetainCount, 3);
        QCOMPARE(q(warningsText(c)), QStringLiteral("zoo.cfg:3: autopurge.snapRetainCount: 1 is "
                                                    "below the minimum; using 3\n"));
    }

    // --- server.N forms ---

    void serverLineForms_data()
    {
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("canonical");
        QTest::addColumn<int>("addressCount");
        QTest::newRow("plain") << "zk1:2888:3888"
                               << "zk1:2888:3888:participant" << 1;
        QTest::newRow("participant") << "zk1:2888:3888:participant"
                                     << "zk1:2888:3888:participant" << 1;
        QTest::newRow("observer") << "zk1:2888:3888:observer"
                                  << "zk1:2888:3888:observer" << 1;
        QTest::newRow("type case") << "zk1:2888:3888:Observer"
                                   << "zk1:2888:3888:observer" << 1;
        QTest::newRow("client port") << "zk1:2888:3888;2181"
                                     << "zk1:2888:3888:participant;0.0.0.0:2181" << 1;
        QTest::newRow("client addr") << "zk1:2888:3888:observer;10.0.0.1:2181"
                                     << "zk1:2888:3888:observer;10.0.0.1:2181" << 1;
        QTest::newRow("ipv4") << "10.0.0.1:2888:3888"
                              << "10.0.0.1:2888:3888:participant" << 1;
        QTest::newRow("ipv6") << "[::1]:2888:3888"
                              << "[::1]:2888:3888:participant" << 1;
        QTest::newRow("ipv6 full") << "[2001:db8::1]:2888:3888:observer;[2001:db8::1]:2181"
                                   << "[2001:db8::1]:2888:3888:observer;[2001:db8::1]:2181" << 1;
        QTest::newRow("ipv6 client only") << "zk1:2888:3888;[::]:2181"
                                          << "zk1:2888:3888:participant;[::]:2181" << 1;
        QTest::newRow("multi") << "a:2888:3888|b:2889:3889"
                               << "a:2888:3888|b:2889:3889:participant" << 2;
        QTest::newRow("multi typed") << "a:1:2:observer|[::1]:3:4:observer;2181"
                                     << "a:1:2|[::1]:3:4:observer;0.0.0.0:2181" << 2;
    }

    void serverLineForms()
    {
        QFETCH(QString, value);
        QFETCH(QString, canonical);
        QFETCH(int, addressCount);
        const auto parsed = zk::parseQuorumServer(7, value.toStdString(), true);
        QVERIFY2(parsed.server.has_value(), parsed.error.c_str());
        QCOMPARE(q(parsed.server->toString()), canonical);
        QCOMPARE(static_cast<int>(parsed.server->addresses.size()), addressCount);
        QCOMPARE(parsed.server->sid, zk::Sid{7});
    }

    void serverLineFields()
    {
        const auto parsed =
            zk::parseQuorumServer(3, "[fe80::2]:2888:3888:observer;127.0.0.1:2181", false);
        QVERIFY(parsed.server.has_value());
        const zk::QuorumServer& s = *parsed.server;
        QCOMPARE(q(s.addresses[0].host), QStringLiteral("fe80::2"));
        QCOMPARE(s.addresses[0].quorumPort, 2888);
        QCOMPARE(s.addresses[0].electionPort, 3888);
        QCOMPARE(s.type, zk::PeerType::Observer);
        QCOMPARE(q(s.clientAddress->host), QStringLiteral("127.0.0.1"));
        QCOMPARE(s.clientAddress->port, 2181);
    }

    void badServerLines_data()
    {
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("error");
        const QString form = "does not have the form "
                             "host:quorumPort:electionPort[:participant|observer]"
                             "[;[clientHost:]clientPort]";
        QTest::newRow("one port") << "zk1:2888"
                                  << "\"zk1:2888\" " + form;
        QTest::newRow("too many") << "zk1:1:2:observer:x"
                                  << "\"zk1:1:2:observer:x\" " + form;
        QTest::newRow("no host") << ":1:2"
                                 << "\":1:2\" " + form;
        QTest::newRow("bad port") << "zk1:28x8:3888"
                                  << "\"28x8\" is not a valid port";
        QTest::newRow("port range") << "zk1:2888:70000"
                                    << "\"70000\" is not a valid port";
        QTest::newRow("same ports") << "zk1:2888:2888"
                                    << "quorum and election port must be different";
        QTest::newRow("bad type") << "zk1:1:2:leader"
                                  << "unrecognised peer type \"leader\"";
        QTest::newRow("ipv6 unclosed") << "[::1:2888:3888"
                                       << "\"[::1:2888:3888\" " + form;
        QTest::newRow("bad client") << "zk1:1:2;abc"
                                    << "\"abc\" is not a valid client port";
        QTest::newRow("client parts") << "zk1:1:2;a:b:3"
                                      << "\"zk1:1:2;a:b:3\" " + form;
        QTest::newRow("two semicolons") << "zk1:1:2;3;4"
                                        << "\"zk1:1:2;3;4\" " + form;
        QTest::newRow("multi disabled") << "a:1:2|b:3:4"
                                        << "multiple addresses need multiAddress.enabled=true";
        QTest::newRow("mixed roles") << "a:1:2:observer|b:3:4:participant"
                                     << "multiple addresses must have the same role";
    }

    void badServerLines()
    {
        QFETCH(QString, value);
        QFETCH(QString, error);
        const bool multi = QString(QTest::currentDataTag()) != "multi disabled";
        const auto parsed = zk::parseQuorumServer(1, value.toStdString(), multi);
        QVERIFY(!parsed.server.has_value());
        QCOMPARE(q(parsed.error), error);
    }

    void quorumFromConfig()
    {
        const auto c =
            parseOk(kQuorum + "server.1=zk1:2888:3888\nserver.2=zk2:2888:3888\n"
                              "server.3=zk3:2888:3888\nserver.4=zk4:2888:3888:observer\n");
        QCOMPARE(c.servers.size(), std::size_t{4});
        QCOMPARE(c.participantCount(), 3);
        QCOMPARE(c.observerCount(), 1);
        QVERIFY(c.isDistributed());
        QCOMPARE(c.servers.at(2).line, 6);
        QCOMPARE(q(c.servers.at(4).toString()), QStringLiteral("zk4:2888:3888:observer"));
        // server.N keys are membership, not system properties.
        QVERIFY(c.systemProperties.empty());
        QVERIFY(c.warnings.empty());
    }

    void multiAddressEnabledByKeyOrProperty()
    {
        const std::string lines = "server.1=a:1:2|b:3:4\nserver.2=c:1:2\nserver.3=d:1:2\n";
        QCOMPARE(q(onlyError(kQuorum + lines)),
                 QStringLiteral("zoo.cfg:5: server.1: multiple addresses need "
                                "multiAddress.enabled=true"));
        // Java properties are unordered, so the switch may come after the server lines.
        const auto c = parseOk(kQuorum + lines + "multiAddress.enabled=true\n");
        QCOMPARE(c.servers.at(1).addresses.size(), std::size_t{2});
        const auto d = parseOk(kQuorum + lines, {{"zookeeper.multiAddress.enabled", "true"}});
        QCOMPARE(d.servers.at(1).addresses.size(), std::size_t{2});
    }

    void singleServerRunsStandalone()
    {
        const auto c = parseOk(kBase + "server.1=zk1:2888:3888\n");
        QVERIFY(c.isStandalone());
        QCOMPARE(q(warningsText(c)), QStringLiteral("zoo.cfg: server.N: only one server is listed; "
                                                    "running standalone (ignoring it)\n"));
        const auto d = parseOk(kQuorum + "standaloneEnabled=false\nserver.1=zk1:2888:3888\n");
        QVERIFY(d.isDistributed());
    }

    void quorumChecks()
    {
        QCOMPARE(q(onlyError(kBase + "initLimit=5\nserver.1=a:1:2\nserver.2=b:1:2\n")),
                 QStringLiteral("zoo.cfg: syncLimit: is not set (needed in quorum mode)"));
        QCOMPARE(q(onlyError(kBase + "server.1=a:1:2:observer\n")),
                 QStringLiteral("zoo.cfg: server.N: observers without participants are not a "
                                "valid quorum"));
        QCOMPARE(q(onlyError(kBase + "standaloneEnabled=false\n")),
                 QStringLiteral("zoo.cfg:3: standaloneEnabled: is false, so at least one "
                                "participant server.N line is needed"));
        QCOMPARE(q(onlyError(kQuorum + "server.1=a:1:2\nserver.01=b:1:2\n")),
                 QStringLiteral("zoo.cfg:6: server.01: server 1 is already defined on line 5"));
        QCOMPARE(q(onlyError(kQuorum + "server.x=a:1:2\n")),
                 QStringLiteral("zoo.cfg:5: server.x: \"x\" is not a valid server id"));
        QCOMPARE(q(onlyError(kQuorum + "server.1=a:1:2\nserver.2=zk2\n")),
                 QStringLiteral("zoo.cfg:6: server.2: \"zk2\" does not have the form "
                                "host:quorumPort:electionPort[:participant|observer]"
                                "[;[clientHost:]clientPort]"));
    }

    void groupsAndWeights()
    {
        const std::string servers = "server.1=a:1:2\nserver.2=b:1:2\nserver.3=c:1:2\n"
                                    "server.4=d:1:2\n";
        const auto c = parseOk(kQuorum + servers +
                               "group.1=1:2\ngroup.2=3:4\nweight.1=2\n"
                               "weight.3=0\n");
        QCOMPARE(c.groups.size(), std::size_t{2});
        QCOMPARE(c.groups.at(2), (std::vector<zk::Sid>{3, 4}));
        QCOMPARE(c.weights.at(1), std::int64_t{2});
        QCOMPARE(c.weights.at(3), std::int64_t{0});
        QCOMPARE(q(onlyError(kQuorum + servers + "group.1=1:2:3\n")),
                 QStringLiteral("zoo.cfg:8: server.4: participant is in no group"));
        QCOMPARE(q(onlyError(kQuorum + servers + "group.1=1:2:9\ngroup.2=3:4\n")),
                 QStringLiteral("zoo.cfg:9: group.1: server 9 has no server.9 line"));
        QCOMPARE(q(onlyError(kQuorum + servers + "group.1=1:2:3\ngroup.2=3:4\n")),
                 QStringLiteral("zoo.cfg:10: group.2: server 3 is already in group 1"));
        QCOMPARE(q(onlyError(kQuorum + servers + "group.1=1:2:3:4\nweight.5=1\n")),
                 QStringLiteral("zoo.cfg:10: weight.5: server 5 has no server.5 line"));
        QCOMPARE(q(onlyError(kQuorum + servers + "group.1=1:2:3:4\nweight.2=heavy\n")),
                 QStringLiteral("zoo.cfg:10: weight.2: \"heavy\" is not a valid weight"));
        QCOMPARE(q(onlyError(kQuorum + servers + "group.1=1:two\n")),
                 QStringLiteral("zoo.cfg:9: group.1: \"1:two\" is not a list of server ids like "
                                "1:2:3"));
    }

    // --- unknown keys and system properties ---

    void unknownKeysBecomeSystemProperties()
    {
        const auto c = parseOk(kBase + "4lw.commands.whitelist=ruok, stat\nadmin.serverPort=8081\n"
                                       "authProvider.1=x.SASLAuthenticationProvider\n"
                                       "snapCount=5000\nsnapSizeLimitInKb=16\nfooBar=baz\n");
        QCOMPARE(q(c.systemProperties.at("zookeeper.4lw.commands.whitelist")),
                 QStringLiteral("ruok, stat"));
        QCOMPARE(q(c.systemProperties.at("zookeeper.admin.serverPort")), QStringLiteral("8081"));
        QCOMPARE(q(c.systemProperties.at("zookeeper.fooBar")), QStringLiteral("baz"));
        QCOMPARE(c.snapCount(), std::int64_t{5000});
        QCOMPARE(c.snapSizeLimitBytes(), std::int64_t{16} * 1024);
        // Documented pass-through keys are silent; only fooBar warns.
        QCOMPARE(q(warningsText(c)),
                 QStringLiteral("zoo.cfg:8: fooBar: unknown key; passed on as system property "
                                "zookeeper.fooBar\n"));
        QCOMPARE(c.fourLetterWordWhitelist(), (std::set<std::string>{"ruok", "srvr", "stat"}));
    }

    void ignoredApacheKeysAreKept()
    {
        const auto c = parseOk(kBase + "metricsProvider.className=x.Prometheus\nsslQuorum=false\n");
        QCOMPARE(q(c.ignoredSettings.at("metricsProvider.className")),
                 QStringLiteral("x.Prometheus"));
        QCOMPARE(q(c.ignoredSettings.at("sslQuorum")), QStringLiteral("false"));
        QVERIFY(c.systemProperties.empty());
        QCOMPARE(q(onlyError(kBase + "sslQuorum=maybe\n")),
                 QStringLiteral("zoo.cfg:3: sslQuorum: \"maybe\" is not true or false"));
    }

    void commandLinePropertiesAndOverride()
    {
        // -D flags come first; zoo.cfg keys override the zookeeper.* ones, as in Apache.
        auto c = parseOk(kBase + "snapCount=7\n",
                         {{"readonlymode.enabled", "true"},
                          {"zookeeper.snapCount", "9"},
                          {"zookeeper.DigestAuthenticationProvider.superDigest", "super:abc="}});
        QCOMPARE(c.snapCount(), std::int64_t{7});
        QVERIFY(c.readOnlyModeEnabled());
        QCOMPARE(q(c.superDigest().value()), QStringLiteral("super:abc="));
        QCOMPARE(c.fourLetterWordWhitelist(), (std::set<std::string>{"isro", "srvr"}));

        c.applySystemProperty("zookeeper.extendedTypesEnabled", "True");
        c.applySystemProperty("jute.maxbuffer", "4194304");
        c.applySystemProperty("zookeeper.preAllocSize", "1024");
        c.applySystemProperty("zookeeper.forceSync", "no");
        c.applySystemProperty("zookeeper.4lw.commands.whitelist", "*");
        QVERIFY(c.extendedTypesEnabled());
        QCOMPARE(c.juteMaxBuffer(), 4194304);
        QCOMPARE(c.preAllocSizeBytes(), std::int64_t{1024} * 1024);
        QVERIFY(!c.forceSync());
        QCOMPARE(c.fourLetterWordWhitelist(), zk::knownFourLetterWords());
        QCOMPARE(c.fourLetterWordWhitelist().size(), std::size_t{18});

        // Bad numbers fall back to the default, like Integer.getInteger.
        c.applySystemProperty("jute.maxbuffer", "lots");
        QCOMPARE(c.juteMaxBuffer(), 0xfffff);
        c.applySystemProperty("zookeeper.forceSync", "yes");
        QVERIFY(c.forceSync());
        // readonlymode.enabled is a raw JVM property: the zoo.cfg key becomes zookeeper.*.
        const auto d = parseOk(kBase + "readonlymode.enabled=true\n");
        QVERIFY(!d.readOnlyModeEnabled());
    }

    // --- errors name file, line and key ---

    void errorMessages_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("error");
        const QString base = QString::fromStdString(kBase);
        QTest::newRow("number") << base + "# c\n\n\n\nclientPort=abc\n"
                                << "zoo.cfg:7: clientPort: \"abc\" is not a number";
        QTest::newRow("port range") << base + "clientPort=65536\n"
                                    << "zoo.cfg:3: clientPort: 65536 is out of range 0..65535";
        QTest::newRow("int overflow") << base + "maxClientCnxns=99999999999\n"
                                      << "zoo.cfg:3: maxClientCnxns: \"99999999999\" is not a "
                                         "number";
        QTest::newRow("tick zero") << "dataDir=/d\ntickTime=0\n"
                                   << "zoo.cfg:2: tickTime: 0 is out of range 1..2147483647";
        QTest::newRow("no tick") << "dataDir=/d\n"
                                 << "zoo.cfg: tickTime: is not set";
        QTest::newRow("no dataDir") << "tickTime=2000\n"
                                    << "zoo.cfg: dataDir: is not set";
        QTest::newRow("bool") << base + "syncEnabled=yes\n"
                              << "zoo.cfg:3: syncEnabled: \"yes\" is not true or false";
        QTest::newRow("election") << base + "electionAlg=1\n"
                                  << "zoo.cfg:3: electionAlg: 1 is not supported; only 3 is";
        QTest::newRow("peerType") << base + "peerType=leader\n"
                                  << "zoo.cfg:3: peerType: unrecognised peer type \"leader\"";
        QTest::newRow("session") << base + "minSessionTimeout=50000\n"
                                 << "zoo.cfg:3: minSessionTimeout: minSessionTimeout (50000) must "
                                    "not be larger than maxSessionTimeout (40000)";
        QTest::newRow("address only") << base + "clientPortAddress=127.0.0.1\n"
                                      << "zoo.cfg:3: clientPortAddress: is set but clientPort is "
                                         "not";
        QTest::newRow("secure address") << base + "secureClientPortAddress=::1\n"
                                        << "zoo.cfg:3: secureClientPortAddress: is set but "
                                           "secureClientPort is not";
        QTest::newRow("dynamic") << base + "dynamicConfigFile=/x\nserver.1=a:1:2\n"
                                 << "zoo.cfg:4: server.1: must be in the dynamic config file when "
                                    "dynamicConfigFile is set";
        QTest::newRow("continued") << "tickTime=2000\ndataDir=/d\nclientPort=\\\n  21x81\n"
                                   << "zoo.cfg:3: clientPort: \"21x81\" is not a number";
    }

    void errorMessages()
    {
        QFETCH(QString, text);
        QFETCH(QString, error);
        QCOMPARE(q(onlyError(text.toStdString())), error);
    }

    void allErrorsAreReported()
    {
        const auto r = zk::parseServerConfig("clientPort=x\nsyncEnabled=1\n", "conf/zoo.cfg");
        QVERIFY(!r.ok());
        QCOMPARE(q(r.errorText()),
                 QStringLiteral("conf/zoo.cfg:1: clientPort: \"x\" is not a number\n"
                                "conf/zoo.cfg:2: syncEnabled: \"1\" is not true or false\n"
                                "conf/zoo.cfg: dataDir: is not set\n"
                                "conf/zoo.cfg: tickTime: is not set\n"));
    }

    void garbageNeverThrows()
    {
        // Random bytes, heavy in the characters the grammar cares about, must not crash.
        std::mt19937 rng(42);
        const std::string alphabet = "=:\\ \t\n\r#!u0aF;|[]server.1group.weight.";
        for (int round = 0; round < 2000; ++round) {
            std::string text;
            const int length = static_cast<int>(rng() % 80);
            for (int i = 0; i < length; ++i) {
                text.push_back(rng() % 4 == 0 ? static_cast<char>(rng() % 256)
                                              : alphabet[rng() % alphabet.size()]);
            }
            const auto r = zk::parseServerConfig(text, "fuzz.cfg");
            for (const auto& e : r.errors)
                QVERIFY(!e.toString().empty());
        }
    }

    // --- myid and files ---

    void myIdAndClientPortFromServerLine()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const std::string dataDir = dir.path().toStdString();
        QVERIFY(!zk::readMyId(dataDir).myId.has_value());
        QVERIFY(!zk::readMyId(dataDir).error.has_value());

        writeFile(dir.filePath("myid"), "2\n");
        QCOMPARE(zk::readMyId(dataDir).myId, std::optional<zk::Sid>{2});

        auto result = parse(kQuorum + "peerType=observer\nserver.1=a:1:2\n"
                                      "server.2=b:1:2;127.0.0.1:2182\nserver.3=c:1:2\n");
        QVERIFY(result.ok());
        QVERIFY(zk::applyMyId(result.config, 2).empty());
        QCOMPARE(result.config.myId, std::optional<zk::Sid>{2});
        QCOMPARE(result.config.clientPort, 2182);
        QCOMPARE(q(result.config.clientPortAddress), QStringLiteral("127.0.0.1"));
        // The server line decides the role, with a warning.
        QCOMPARE(result.config.peerType, zk::PeerType::Participant);
        QCOMPARE(q(warningsText(result.config)),
                 QStringLiteral("zoo.cfg:7: server.2: is participant but peerType is observer; "
                                "using the server line\n"));

        writeFile(dir.filePath("myid"), "two\n");
        QVERIFY(zk::readMyId(dataDir).error.has_value());
        QVERIFY(zk::readMyId(dataDir).error->find("\"two\" is not a server id") !=
                std::string::npos);
    }

    void myIdChecksInQuorumMode()
    {
        const std::string text = kQuorum + "clientPort=2181\nserver.1=a:1:2\nserver.2=b:1:2;2182\n";
        auto missing = parse(text);
        const auto errors = zk::applyMyId(missing.config, std::nullopt);
        QCOMPARE(errors.size(), std::size_t{1});
        QCOMPARE(q(errors[0].toString()),
                 QStringLiteral("zoo.cfg: myid: /var/zk/myid is missing (needed in quorum mode)"));
        auto stranger = parse(text);
        QCOMPARE(q(zk::applyMyId(stranger.config, 9).at(0).toString()),
                 QStringLiteral("zoo.cfg: myid: server 9 has no server.9 line"));
        auto clash = parse(text);
        QCOMPARE(q(zk::applyMyId(clash.config, 2).at(0).toString()),
                 QStringLiteral("zoo.cfg:7: server.2: client address differs from "
                                "clientPort/clientPortAddress"));
        // Standalone needs no myid.
        auto standalone = parse(kBase);
        QVERIFY(zk::applyMyId(standalone.config, std::nullopt).empty());
    }

    void loadFromFilesWithDynamicConfig()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString data = dir.filePath("data");
        QVERIFY(QDir().mkpath(data));
        writeFile(data + "/myid", "3");
        const QString dynamic = dir.filePath("zoo.cfg.dynamic.100000000");
        writeFile(dynamic, "server.1=a:1:2;2181\nserver.2=b:1:2;2182\n"
                           "server.3=127.0.0.1:1:2:participant;127.0.0.1:2183\n");
        const QString cfg = dir.filePath("zoo.cfg");
        writeFile(cfg, "tickTime=2000\ninitLimit=5\nsyncLimit=2\ndataDir=" + data.toStdString() +
                           "\nreconfigEnabled=true\ndynamicConfigFile=" + dynamic.toStdString() +
                           "\n");
        const auto result =
            zk::loadServerConfig(cfg.toStdString(), {{"readonlymode.enabled", "true"}});
        QVERIFY2(result.ok(), result.errorText().c_str());
        QCOMPARE(result.config.servers.size(), std::size_t{3});
        QCOMPARE(result.config.myId, std::optional<zk::Sid>{3});
        QCOMPARE(result.config.clientPort, 2183);
        QVERIFY(result.config.isDistributed());
        QVERIFY(result.config.readOnlyModeEnabled());
        QCOMPARE(q(result.config.configFile), cfg);

        writeFile(dynamic, "server.1=a:1:2\nclientPort=5\n");
        const auto bad = zk::loadServerConfig(cfg.toStdString());
        QVERIFY(!bad.ok());
        QCOMPARE(q(bad.errors.at(0).toString()),
                 dynamic + ":2: clientPort: is not allowed in a dynamic config file");

        const auto none = zk::loadServerConfig(dir.filePath("absent.cfg").toStdString());
        QCOMPARE(q(none.errorText()), dir.filePath("absent.cfg") + ": cannot be read\n");
    }
};

QTEST_APPLESS_MAIN(ServerConfigTest)
#include "test_server_config.moc"
