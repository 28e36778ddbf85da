// Keystone v3 token requests and token bodies.
#pragma once

#include <boost/json.hpp>

#include <optional>
#include <string>

#include "store/store.h"

namespace dnsplane::identity {

// What a POST /v3/auth/tokens body asks for.
struct AuthRequest {
    // password method
    std::optional<std::string> user_name, user_id, password;
    // token method (re-scoping): the secret of an existing token
    std::optional<std::string> token;
    // scope: none (the user's project), a project by id or name, or system
    std::optional<std::string> project_id, project_name;
    bool system = false;
};

// Parses the body; a malformed body is 400 (validation_error), an
// unsupported method or scope (domain, trust, ...) 401.
AuthRequest parse_auth_request(const boost::json::object& body);

struct TokenView {
    store::Token token;
    store::User user;  // synthesised for `token create` tokens
    std::vector<std::string> methods;
};

// {"token": {...}} as Keystone answers it; `catalog` under `base_url`
// (this API) and `identity_url` (…/identity/v3) when `with_catalog`.
boost::json::object token_body(const TokenView& view, const std::string& base_url,
                               const std::string& identity_url, const std::string& region,
                               bool with_catalog);

boost::json::array catalog(const std::string& base_url, const std::string& identity_url,
                           const std::string& region);

// "2026-01-02T03:04:05.000000" -> "2026-01-02T03:04:05.000000Z"
std::string iso_z(const std::string& stored);

}  // namespace dnsplane::identity
