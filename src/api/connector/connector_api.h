// ConnectorClass resources (issue 13): dnsplane's zones and record sets in
// the shape a Connectors system forwards to a ConnectorClass API, with the
// caller's credentials in X-Plugin-Secret / X-Plugin-Auth / X-Plugin-Meta
// and every non-2xx answered as a Kubernetes Status. See README.md.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "api/common/surface_context.h"
#include "core/error.h"
#include "http/message.h"
#include "http/surface.h"

namespace dnsplane::connector {

inline constexpr std::size_t kMaxItemsPerPage = 100;

// The surface: GET zones, zones/{zone}/recordsets and the auth probe
// `auth`; routes are relative to the mount prefix (--connector-prefix).
std::unique_ptr<http::Surface> make_surface(const api::SurfaceContext& ctx);

// {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure",
//  "message","reason","code","details":null}.
http::Response render_error(const core::Error& e, const http::Request& req);

// The credentials of a forwarded request, decoded and checked for shape.
struct PluginCredentials {
    std::string type;   // "Opaque" | "kubernetes.io/basic-auth"
    std::string token;  // the dnsplane token (Opaque: token; basic-auth: password)
    std::optional<std::string> username;  // basic-auth: the project id
    std::optional<std::string> base_url;  // X-Plugin-Meta baseURL
};

// nullopt when the request carries no X-Plugin-Secret; 400 BadRequest for
// anything malformed (bad base64, not JSON, unknown secret type, missing keys).
std::optional<PluginCredentials> parse_plugin_headers(const http::Request& req);

}  // namespace dnsplane::connector
