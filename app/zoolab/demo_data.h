#pragma once
// A few sample znodes (config JSON, a gzip blob, locks, service registrations) for trying the
// studio and for its screenshots. Blocking; call from a worker thread.

#include <string>

namespace zoolab {

// Connects to connectString, creates the sample tree (existing nodes are left alone) and
// returns an empty string or a problem sentence.
std::string seedDemoData(const std::string& connectString);

} // namespace zoolab
