#pragma once
// Scenario scripts for the election simulator (tests/sim/scenarios/*.txt), after etcd's
// datadriven tests: commands above a "----" line, the expected trace below it.
//
//   script  := { line } "----" { expected }
//   line    := '#' comment | blank | command
//   command := "seed" n                          before add-nodes; default 1
//            | "link" delay=a..b [loss=p] [dup=p]   p in percent; before or after add-nodes
//            | "max-notification-interval" ms    before add-nodes
//            | "add-nodes" n ["observers" m]
//            | "state" sid zxid=z epoch=e        persisted state before start (z may be 0x..)
//            | "start" ( sid { sid } | "all" )
//            | "tick" n | "deliver" | "stabilize" [maxTicks] | "write" [count]
//            | "crash" sid | "restart" sid [zxid=z epoch=e]
//            | "partition" sids { "|" sids } | "cut" a "->" b | "heal"
//            | "trace" ( "roles" | "votes" | "all" )
//            | "status"                          one line per node
//
// The trace is the cluster's trace lines (see SimCluster) plus the lines of status and
// stabilize, and "error: ..." for a command that cannot be run. A script whose first command
// is "zab" runs the real QuorumPeers instead, with the commands of zab_scenario.h.

#include <string>
#include <string_view>

namespace zk::sim {

struct ScenarioScript
{
    std::string commands; // Everything above "----", as written.
    std::string expected; // Everything below it.
    bool hasSeparator = false;
};

ScenarioScript parseScenarioFile(std::string_view text);
// Runs the commands and returns the trace, one line per entry, each ending in '\n'.
std::string runScenario(std::string_view commands);
// The file text with `trace` as the expected part (for ZK_REWRITE=1).
std::string renderScenarioFile(const ScenarioScript& script, std::string_view trace);

} // namespace zk::sim
