// Runs a parsed command: loads the configuration, then serve / token create /
// version. Returns the process exit code; errors go to stderr.
#pragma once

#include <map>
#include <string>

#include "app/cli.h"

namespace dnsplane::app {

int run_command(const Command& command, const std::map<std::string, std::string>& env);

}  // namespace dnsplane::app
