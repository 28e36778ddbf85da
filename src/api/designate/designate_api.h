// The OpenStack Designate v2-compatible REST API (routes on an http::Router).
#pragma once

#include <memory>
#include <string>

#include "api/common/surface_context.h"
#include "core/error.h"
#include "http/message.h"
#include "http/router.h"
#include "http/surface.h"
#include "service/lifecycle.h"
#include "service/zone_service.h"

namespace dnsplane::designate {

struct DesignateOptions {
    std::string style = "final";  // final | draft (issue 6)
    // The HTTP server's request body limit (--body-limit): a JSON Patch may
    // not grow a resource past what a plain write could carry.
    std::size_t body_limit = 1 << 20;
    // The process's lifecycle: component heartbeats for /v2/service_statuses
    // (issue 16). Null: the list is empty. Must outlive the surface.
    const service::Lifecycle* lifecycle = nullptr;
};

// Adds every Designate route (/, /v2/, zones, recordsets, pools) to `router`
// and sets its error renderer. `svc` must outlive the router.
void register_routes(http::Router& router, service::ZoneService& svc, DesignateOptions opts = {});

// The Designate surface: every route, the Designate error body, and
// authentication through ctx.authenticator except for is_public_route.
std::unique_ptr<http::Surface> make_surface(const api::SurfaceContext& ctx,
                                            DesignateOptions opts = {});

// {"code","type","message","request_id"[,"errors"]} with the mapped status.
http::Response render_error(const core::Error& e, const http::Request& req);

// True for the routes that need no authentication (version discovery: GET /,
// GET /v2, GET /v2/). The auth middleware skips these.
bool is_public_route(const http::Request& req);

}  // namespace dnsplane::designate
