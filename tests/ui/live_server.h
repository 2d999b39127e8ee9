#pragma once
// A live embedded server on a free 127.0.0.1 port and a connected ZkSession, for UI tests.
// GUI thread; the fixture stops the server after the session is gone.

#include "client/sync_client.h"
#include "controllers/embedded_cluster.h"
#include "controllers/zk_session.h"

#include <QTest>

#include <memory>
#include <string>

namespace zoolab::testing {

struct LiveServer
{
    LiveServer()
    {
        EmbeddedCluster::Options options;
        options.basePort = 0;
        cluster = std::make_unique<EmbeddedCluster>(options);
        startError = cluster->start();
    }

    std::unique_ptr<ZkSession> connect()
    {
        ConnectionSpec spec;
        spec.connectString = QString::fromStdString(cluster->connectString());
        auto session = std::make_unique<ZkSession>(spec);
        session->open();
        return session;
    }

    // A separate blocking client for arranging data (stands in for "someone else").
    std::unique_ptr<zk::client::ZkClient> rawClient()
    {
        zk::client::ClientOptions options;
        options.connectString = cluster->connectString();
        auto client = std::make_unique<zk::client::ZkClient>(options);
        zk::client::SyncClient(*client).waitConnected(std::chrono::seconds(10));
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
