// --auth keystone: every X-Auth-Token is validated against a real Keystone
// v3 (GET /v3/auth/tokens with X-Subject-Token, authenticated by a service
// token obtained with the service credentials below). Answers are cached
// for a short time, never past the token's expires_at; the Keystone roles
// admin/member/reader map to dnsplane's roles (the highest wins), the token's
// project is the caller's project.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "auth/authenticator.h"

namespace dnsplane::auth {

struct KeystoneOptions {
    std::string url;  // http://host:port[/prefix]; /v3/... is appended
    std::string user;
    std::string password;
    std::string project;  // service project name
    std::string user_domain = "Default";
    std::string project_domain = "Default";
    std::chrono::seconds cache{60};
    std::chrono::milliseconds timeout{15000};  // Keystone on a busy host is slow
};

std::unique_ptr<Authenticator> make_keystone_auth(KeystoneOptions opts);

}  // namespace dnsplane::auth
