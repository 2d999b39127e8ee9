#pragma once
// Maps a parsed zoo.cfg (plus system properties) onto what a ServerHost needs.

#include "config/server_config.h"
#include "net/server_host.h"

namespace zk {

ServerHostOptions hostOptionsFrom(const ServerConfig& config);

} // namespace zk
