// Process-wide logging: one plain-text logger on stderr (stdout stays free for
// command output such as `token create`).
#pragma once

#include <string>

namespace dnsplane::app {

// `level`: trace|debug|info|warn|warning|error|critical|off.
void init_logging(const std::string& level);

}  // namespace dnsplane::app
