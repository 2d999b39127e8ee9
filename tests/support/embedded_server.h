#pragma once
// A zoolab-server inside the test process on 127.0.0.1 and a free port, for tests that need
// a live server. ZOOLAB_TEST_SERVER=host:port points them at another server instead (for
// instance Apache ZooKeeper, to check that a test's expectations are Apache's).

#include "net/server_host.h"

#include <QString>

#include <memory>
#include <string>

namespace zk::testing {

class EmbeddedServer
{
public:
    EmbeddedServer()
    {
        const std::string external = qEnvironmentVariable("ZOOLAB_TEST_SERVER").toStdString();
        if (!external.empty()) {
            m_address = external;
            return;
        }
        ServerHostOptions options;
        options.clientAddress = "127.0.0.1";
        options.clientPort = 0;
        options.core.tickTimeMs = 2000;
        options.core.minSessionTimeoutMs = 4000;
        options.core.maxSessionTimeoutMs = 40000;
        options.fourLetterWhitelist = {"*"};
        m_host = std::make_unique<ServerHost>(options, DataTree());
        if (!m_host->start())
            m_address = "127.0.0.1:" + std::to_string(m_host->clientPort());
    }

    // "host:port", or empty if the embedded server could not start.
    const std::string& address() const { return m_address; }

private:
    std::unique_ptr<ServerHost> m_host;
    std::string m_address;
};

} // namespace zk::testing
