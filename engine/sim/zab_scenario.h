#pragma once
// Scenario scripts for the ZAB simulator (ZabCluster: real QuorumPeers), in the same files
// and format as the election scripts (scenario.h); a script whose first command is "zab"
// runs here.
//
//   command := "zab"                                first; selects this runner
//            | "seed" n | "commit-log" n            before add-nodes
//            | "link" delay=a..b [loss=p] [dup=p]   p in percent; before or after add-nodes
//            | "disk" fsync=a..b                    fsync latency in ticks
//            | "add-nodes" n
//            | "start" ( sid { sid } | "all" )
//            | "tick" n
//            | "stabilize" [maxTicks]               until a leader serves with every node
//            | "settle" [maxTicks]                  also every serving node caught up and
//                                                   every client request answered
//            | "crash" sid | "restart" sid
//            | "partition" sids { "|" sids } | "cut" a "->" b | "heal"
//            | "client" name sid                    a client that talks to sid only
//            | "create" name path [data] | "set" name path data
//            | "trace" ( "roles" | "zab" | "packets" )
//            | "status"                             one line per node
//            | "check"                              acknowledged writes on every serving
//                                                   node, then "ok" or the violations
//
// The trace is ZabCluster's (roles by default) plus the lines of status, stabilize, settle
// and check, and "error: ..." for a command that cannot be run.

#include <string>
#include <string_view>

namespace zk::sim {

// True when the script's first command is "zab".
bool isZabScenario(std::string_view commands);
std::string runZabScenario(std::string_view commands);

} // namespace zk::sim
