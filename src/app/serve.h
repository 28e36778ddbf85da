// `dnsplane serve`: the composition of store, service, API and DNS server.
#pragma once

#include "app/config.h"
#include "http/message.h"

namespace dnsplane::app {

// Runs until SIGTERM/SIGINT; returns the exit code (1 when the store or a
// listener cannot be opened, 0 after a graceful stop).
int run_serve(const Config& config);

// Requests that need no credentials: the version documents at / and /v2/.
bool is_public_request(const http::Request& req);

}  // namespace dnsplane::app
