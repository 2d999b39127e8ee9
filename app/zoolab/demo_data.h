#pragma once
// A few sample znodes (config JSON, a gzip blob, locks, service registrations) for trying the
// studio and for its screenshots. Blocking; call from a worker thread.

#include <atomic>
#include <string>

namespace zoolab {

// Connects to connectString, creates the sample tree (existing nodes are left alone) and
// returns an empty string or a problem sentence.
std::string seedDemoData(const std::string& connectString);

// A steady write load for the charts: `sessions` clients each set /demo-load/<n> about
// perSecond / sessions times a second until `stop` is set. Riding out leader changes, it
// retries after connection loss (the client moves to another server of the ensemble).
void runDemoLoad(const std::string& connectString, int sessions, int perSecond,
                 const std::atomic<bool>& stop);

} // namespace zoolab
