// `dnsplane serve`: the composition of store, service, API and DNS server.
#pragma once

#include "app/config.h"

namespace dnsplane::app {

// Runs until SIGTERM/SIGINT; returns the exit code (1 when the store or a
// listener cannot be opened, 0 after a graceful stop).
int run_serve(const Config& config);

}  // namespace dnsplane::app
