// Users of the built-in identity endpoint (/identity/v3) and the dnsplane
// tokens issued to them: a user belongs to one project with one role
// (admin | member | reader); its password is stored only as a PBKDF2 hash
// (auth/passwords.h). Issued tokens are ordinary dnsplane tokens (only the
// SHA-256 of the secret is stored) that also name the user and expire.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "store/store.h"

namespace dnsplane::auth {

struct UserSpec {
    std::string name;
    std::string password;
    std::string project_name;
    std::string project_id;  // empty: the project name
    std::string role;        // admin | member | reader
};

// Validates (400 invalid_object naming the field), hashes the password and
// stores the user; a taken name is 409 duplicate_user.
store::User create_user(store::Store& store, const UserSpec& spec);

// The user when `name` exists and `password` is its password; nullopt
// otherwise (the same work is done for an unknown name).
std::optional<store::User> check_password(store::Store& store, const std::string& name,
                                          const std::string& password);

struct IssuedToken {
    std::string secret;  // X-Subject-Token; never stored
    store::Token token;
};

// Stores a token for `user` valid for `ttl` (and drops expired ones): scoped
// to the user's project, or to no project at all when `system` (a
// system-scoped token, which the Designate API refuses with 403).
IssuedToken issue_token(store::Store& store, const store::User& user, std::chrono::seconds ttl,
                        bool system = false);

// A timestamp in the store's format `offset` from now (UTC).
std::string timestamp_in(std::chrono::seconds offset);

// True when the token has an expiry and `now` (store format) is past it.
bool token_expired(const store::Token& token, const std::string& now);

}  // namespace dnsplane::auth
