// Turns request headers into a service::Caller (Designate's noauth headers or
// dnsplane tokens). Runs as router middleware.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "http/message.h"
#include "http/router.h"
#include "service/caller.h"
#include "store/store.h"

namespace dnsplane::auth {

class Authenticator {
  public:
    virtual ~Authenticator() = default;
    // Throws core::Error(Unauthorized, "unauthorized") for a missing/unknown
    // token; Forbidden for all-projects/sudo headers from a non-admin.
    virtual service::Caller authenticate(const http::Request& req) = 0;
};

// --auth none: X-Auth-Project-ID (default "default"), X-Roles (default "admin").
std::unique_ptr<Authenticator> make_noauth();
// --auth token: X-Auth-Token checked against stored SHA-256 hashes.
std::unique_ptr<Authenticator> make_token_auth(store::Store& store);

// Router middleware: requests for which `is_public` is true (the version
// documents) skip authentication and get an anonymous reader caller; every
// other request gets req.caller = auth.authenticate(req) or the error.
http::Middleware middleware(Authenticator& auth,
                            std::function<bool(const http::Request&)> is_public);

// Creates a token bound to project and role (admin|member|reader); returns the
// secret, which is stored only hashed.
std::string create_token(store::Store& store, const std::string& project_id,
                         const std::string& role);

}  // namespace dnsplane::auth
