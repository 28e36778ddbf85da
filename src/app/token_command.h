#pragma once

#include <string>

#include "app/cli.h"
#include "app/config.h"

namespace dnsplane::app {

// `dnsplane token create`: stores the hash, prints the secret alone on the
// last line of stdout. Returns the exit code (1 on any failure).
int run_token_create(const Config& config, const std::string& project_id, const std::string& role);

// `dnsplane user create`: stores a user of the identity endpoint with its
// password hashed; prints the user id on the last line of stdout.
int run_user_create(const Config& config, const UserCreateCommand& command);

}  // namespace dnsplane::app
