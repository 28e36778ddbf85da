// The ExternalDNS webhook provider surface (issue 11): GET /, GET|POST
// /records, POST /adjustendpoints, POST /propertyvaluesequal, on its own
// listener (--webhook-listen). See README.md in this folder.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "api/common/surface_context.h"
#include "core/error.h"
#include "http/message.h"
#include "http/surface.h"

namespace dnsplane::webhook {

inline constexpr const char* kMediaType = "application/external.dns.webhook+json;version=1";

struct WebhookOptions {
    std::string project = "default";         // the project whose zones the webhook serves
    std::string basic_auth;                  // "user:password"; empty: no authentication
    bool dry_run = false;                    // validate and log plans, write nothing
    bool create_zones = false;               // reserved: see README (not implemented)
    std::vector<std::string> domain_filter;  // empty: the project's zone names
};

std::unique_ptr<http::Surface> make_surface(const api::SurfaceContext& ctx, WebhookOptions opts);

// The webhook's statuses: malformed JSON 400, oversized body 413, other
// methods on a webhook route 400 (as the upstream helper), unknown path 404,
// missing/wrong basic auth 401; every provider-side failure 500, a store
// that cannot read or commit included (503 when a concurrent write won, while
// starting/stopping, or when a validate_change hook is down), never another 4xx.
// Body: {"error":type,"message":...}.
http::Response render_error(const core::Error& e, const http::Request& req);

// "Basic <base64(user:password)>" matches `expected` ("user:password"),
// compared in constant time.
bool basic_auth_matches(std::string_view authorization, const std::string& expected);

}  // namespace dnsplane::webhook
