#pragma once
// Names for logs and the studio: the spelling ZooKeeper itself prints (Request.op2String,
// Watcher.Event enums). Unknown values give "unknown"; callers print the number beside it.

#include "proto/opcodes.h"

#include <string_view>

namespace zk {

std::string_view opName(OpCode type);
std::string_view eventTypeName(EventType type);
std::string_view keeperStateName(KeeperState state);

} // namespace zk
