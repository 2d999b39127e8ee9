#pragma once
// A live embedded ensemble (three servers on free 127.0.0.1 ports, data in a temporary folder)
// and a connected ZkSession, for UI tests.
// rawClient() gives a separate blocking client ("someone else"), optionally authenticated
// with digest "user:password".
// GUI thread; the fixture stops the servers after the session is gone.

#include "client/sync_client.h"
#include "controllers/embedded_cluster.h"
#include "controllers/zk_session.h"

#include <QTest>

#include <memory>
#include <string>

namespace zoolab::testing {

struct LiveServer
{
    // Any free ports; the other options as given (e.g. saslAclScheme, a short tick).
    explicit LiveServer(EmbeddedCluster::Options options = {})
    {
        options.basePort = 0;
        cluster = std::make_unique<EmbeddedCluster>(options);
        startError = cluster->start();
    }

    ConnectionSpec spec(const QString& user = {}, const QString& password = {}) const
    {
        ConnectionSpec spec;
        spec.connectString = QString::fromStdString(cluster->connectString());
        spec.authUser = user;
        spec.authPassword = password;
        return spec;
    }

    // A session of the studio, with digest credentials when user is given.
    std::unique_ptr<ZkSession> connect(const QString& user = {}, const QString& password = {})
    {
        auto session = std::make_unique<ZkSession>(spec(user, password));
        session->open();
        return session;
    }

    // A separate blocking client for arranging data (stands in for "someone else").
    std::unique_ptr<zk::client::ZkClient> rawClient(const std::string& digest = {})
    {
        zk::client::ClientOptions options;
        options.connectString = cluster->connectString();
        auto client = std::make_unique<zk::client::ZkClient>(options);
        zk::client::SyncClient sync(*client);
        sync.waitConnected(std::chrono::seconds(10));
        if (!digest.empty())
            sync.addAuth("digest", zk::Bytes(digest.begin(), digest.end()));
        return client;
    }

    std::unique_ptr<EmbeddedCluster> cluster;
    std::error_code startError;
};

inline zk::Bytes bytesOf(const std::string& text)
{
    return zk::Bytes(text.begin(), text.end());
}

} // namespace zoolab::testing
