// Process-wide logging: one plain-text logger on stderr (stdout stays free for
// command output such as `token create`).
#pragma once

#include <string>

namespace dnsplane::app {

// `level`: trace|debug|info|warn|warning|error|critical|off. Info and lower
// lines are buffered (written at least once a second and at exit); warnings
// and errors are written at once.
void init_logging(const std::string& level);

// Writes out buffered lines now (e.g. before the process exits or stops).
void flush_logging();

}  // namespace dnsplane::app
