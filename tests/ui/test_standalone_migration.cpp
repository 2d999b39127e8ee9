// Proves the upgrade from the studio's standalone embedded server: a tree written by the old
// standalone path (one server, data straight in the embedded folder) is served by the new
// 3-node ensemble on its first start, every node got the history, the old folder is untouched,
// and later starts neither copy again nor lose what the ensemble wrote since.

#include "client/sync_client.h"
#include "controllers/embedded_cluster.h"
#include "controllers/standalone_migration.h"
#include "net/durable_host.h"

#include <QTemporaryDir>
#include <QTest>

#include <filesystem>
#include <map>

using namespace zoolab;
namespace fs = std::filesystem;

namespace {

zk::Bytes bytesOf(const std::string& text)
{
    return zk::Bytes(text.begin(), text.end());
}

std::string textOf(const zk::Bytes& bytes)
{
    return std::string(bytes.begin(), bytes.end());
}

// What the old folder holds: file name -> size and modification time.
std::map<std::string, std::pair<std::uintmax_t, fs::file_time_type>> listing(const fs::path& dir)
{
    std::map<std::string, std::pair<std::uintmax_t, fs::file_time_type>> out;
    for (const auto& entry : fs::directory_iterator(dir))
        out[entry.path().filename().string()] = {entry.file_size(), entry.last_write_time()};
    return out;
}

// The earlier studio's embedded server: standalone, Apache's files in dataDir/version-2.
bool writeAsOldStudio(const fs::path& dataDir)
{
    zk::ServerHostOptions hostOptions;
    hostOptions.clientAddress = "127.0.0.1";
    hostOptions.clientPort = 0;
    hostOptions.core.sid = 1;
    hostOptions.core.tickTimeMs = 2000;
    hostOptions.core.minSessionTimeoutMs = 4000;
    hostOptions.core.maxSessionTimeoutMs = 40000;
    hostOptions.core.extendedTypesEnabled = true;
    hostOptions.dataDir = dataDir;
    hostOptions.dataLogDir = dataDir;
    zk::StorageOptions storage;
    storage.dataDir = dataDir;
    storage.extendedTypesEnabled = true;
    zk::RecoveryReport report;
    std::string error;
    auto host = zk::openDurableHost(hostOptions, storage, report, error);
    if (!host || host->start())
        return false;
    {
        zk::client::ClientOptions options;
        options.connectString = "127.0.0.1:" + std::to_string(host->clientPort());
        zk::client::ZkClient client(options);
        zk::client::SyncClient sync(client);
        if (sync.waitConnected(std::chrono::seconds(10)) != zk::client::SessionState::Connected)
            return false;
        if (!sync.create("/app", bytesOf("config v1"), zk::openAclUnsafe(),
                         zk::CreateMode::Persistent)
                 .ok())
            return false;
        for (int i = 0; i < 20; ++i)
            sync.create("/app/item" + std::to_string(i), bytesOf(std::to_string(i)),
                        zk::openAclUnsafe(), zk::CreateMode::Persistent);
        if (!sync.setData("/app", bytesOf("config v2")).ok())
            return false;
        sync.close();
    }
    host->stop();
    return true;
}

} // namespace

class StandaloneMigrationTest : public QObject
{
    Q_OBJECT
private slots:
    void ensembleServesTheOldTree();
    void nothingToDoWithoutOldData();
};

void StandaloneMigrationTest::ensembleServesTheOldTree()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const fs::path base = dir.path().toStdString();
    QVERIFY(writeAsOldStudio(base));
    QVERIFY(fs::is_directory(base / "version-2"));
    const auto before = listing(base / "version-2");
    QVERIFY(!before.empty());

    EmbeddedCluster::Options options;
    options.basePort = 0;
    options.dataDir = base.string();
    {
        EmbeddedCluster cluster(options);
        QVERIFY2(!cluster.start(), cluster.lastError().c_str());
        QVERIFY2(cluster.migrationNote().find("copied") != std::string::npos,
                 cluster.migrationNote().c_str());
        for (int sid = 1; sid <= 3; ++sid)
            QVERIFY(fs::is_directory(cluster.nodeDataDir(sid) / "version-2"));
        zk::client::ClientOptions clientOptions;
        clientOptions.connectString = cluster.connectString();
        zk::client::ZkClient client(clientOptions);
        zk::client::SyncClient sync(client);
        QCOMPARE(sync.waitConnected(std::chrono::seconds(20)), zk::client::SessionState::Connected);
        const auto data = sync.getData("/app");
        QVERIFY(data.ok());
        QCOMPARE(textOf(data.value.data.value_or(zk::Bytes{})), std::string("config v2"));
        const auto children = sync.getChildren("/app");
        QVERIFY(children.ok());
        QCOMPARE(children.value.children.size(), std::size_t(20));
        QVERIFY(sync.setData("/app", bytesOf("config v3")).ok());
        sync.close();
    }
    // The old folder is as it was.
    QCOMPARE(listing(base / "version-2"), before);

    // A later start copies nothing again and keeps what the ensemble wrote.
    EmbeddedCluster again(options);
    QVERIFY2(!again.start(), again.lastError().c_str());
    QVERIFY(again.migrationNote().empty());
    zk::client::ClientOptions clientOptions;
    clientOptions.connectString = again.connectString();
    zk::client::ZkClient client(clientOptions);
    zk::client::SyncClient sync(client);
    QCOMPARE(sync.waitConnected(std::chrono::seconds(20)), zk::client::SessionState::Connected);
    const auto data = sync.getData("/app");
    QVERIFY(data.ok());
    QCOMPARE(textOf(data.value.data.value_or(zk::Bytes{})), std::string("config v3"));
    sync.close();
}

void StandaloneMigrationTest::nothingToDoWithoutOldData()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const fs::path base = dir.path().toStdString();
    std::string note;
    QCOMPARE(migrateStandaloneData(base, 3, note), MigrationResult::NothingToDo);
    // Node folders already there: the old folder is not copied over them.
    fs::create_directories(base / "version-2");
    fs::create_directories(base / "node2");
    {
        std::FILE* file = std::fopen((base / "version-2" / "log.1").c_str(), "w");
        QVERIFY(file);
        std::fputs("x", file);
        std::fclose(file);
    }
    QCOMPARE(migrateStandaloneData(base, 3, note), MigrationResult::NothingToDo);
    QVERIFY(!fs::exists(base / "node1"));
    fs::remove_all(base / "node2");
    QCOMPARE(migrateStandaloneData(base, 3, note), MigrationResult::Migrated);
    for (int sid = 1; sid <= 3; ++sid)
        QVERIFY(fs::exists(base / ("node" + std::to_string(sid)) / "version-2" / "log.1"));
    QVERIFY(!fs::exists(base / "node1.migrating"));
}

QTEST_MAIN(StandaloneMigrationTest)
#include "test_standalone_migration.moc"
