// The Designate v2 route table.
#include <functional>

#include "api/designate/designate_api.h"
#include "api/designate/handlers.h"
#include "api/designate/tsigkeys_handlers.h"
#include "auth/authenticator.h"

namespace dnsplane::designate {

namespace {

using ContextHandler = http::Response (*)(const handlers::Context&, const http::Request&);

// Every Designate response varies by Accept (the draft style answers other
// media types later); errors get the header from render_error.
http::Response with_vary(http::Response res) {
    res.set_header("Vary", "Accept");
    return res;
}

http::Handler bind(const handlers::Context& ctx, ContextHandler h) {
    return [ctx, h](http::Request& req) { return with_vary(h(ctx, req)); };
}

http::Handler bind(http::Response (*h)(const http::Request&)) {
    return [h](http::Request& req) { return with_vary(h(req)); };
}

bool is_version_path(std::string_view path) {
    return path == "/" || path == "/v2" || path == "/v2/";
}

}  // namespace

bool is_public_route(const http::Request& req) {
    return (req.method == "GET" || req.method == "HEAD") && is_version_path(req.route_path());
}

std::unique_ptr<http::Surface> make_surface(const api::SurfaceContext& ctx, DesignateOptions opts) {
    auto surface = std::make_unique<http::Surface>();
    surface->name = "designate";
    register_routes(surface->router, ctx.zones, std::move(opts));
    surface->router.use(auth::middleware(ctx.authenticator, is_public_route));
    return surface;
}

void register_routes(http::Router& router, service::ZoneService& svc, DesignateOptions opts) {
    namespace h = handlers;
    const h::Context ctx{svc, parse_api_style(opts.style), opts.body_limit};
    router.add("GET", "/", bind(h::root_versions));
    router.add("GET", "/v2", bind(h::v2_versions));

    // PATCH: JSON Patch or a partial object by Content-Type; POST to a
    // resource's own URL is the 2013 draft's update (same as PATCH/PUT).
    router.add("POST", "/v2/zones", bind(ctx, h::create_zone));
    router.add("GET", "/v2/zones", bind(ctx, h::list_zones));
    router.add("GET", "/v2/zones/{zone_id}", bind(ctx, h::get_zone));
    router.add("PATCH", "/v2/zones/{zone_id}", bind(ctx, h::patch_zone));
    router.add("POST", "/v2/zones/{zone_id}", bind(ctx, h::update_zone));
    router.add("DELETE", "/v2/zones/{zone_id}", bind(ctx, h::delete_zone));

    const std::string recordset = "/v2/zones/{zone_id}/recordsets/{recordset_id}";
    router.add("POST", "/v2/zones/{zone_id}/recordsets", bind(ctx, h::create_recordset));
    router.add("GET", "/v2/zones/{zone_id}/recordsets", bind(ctx, h::list_zone_recordsets));
    router.add("GET", recordset, bind(ctx, h::get_recordset));
    router.add("PUT", recordset, bind(ctx, h::update_recordset));
    router.add("PATCH", recordset, bind(ctx, h::patch_recordset));
    router.add("POST", recordset, bind(ctx, h::update_recordset));
    router.add("DELETE", recordset, bind(ctx, h::delete_recordset));
    router.add("GET", "/v2/recordsets", bind(ctx, h::list_all_recordsets));
    router.add("GET", "/v2/recordsets/{recordset_id}", bind(ctx, h::redirect_recordset));

    router.add("GET", "/v2/pools", bind(ctx, h::list_pools));
    router.add("GET", "/v2/pools/{pool_id}", bind(ctx, h::get_pool));

    router.add("POST", "/v2/tsigkeys", bind(ctx, h::create_tsigkey));
    router.add("GET", "/v2/tsigkeys", bind(ctx, h::list_tsigkeys));
    router.add("GET", "/v2/tsigkeys/{tsigkey_id}", bind(ctx, h::get_tsigkey));
    router.add("PATCH", "/v2/tsigkeys/{tsigkey_id}", bind(ctx, h::update_tsigkey));
    router.add("DELETE", "/v2/tsigkeys/{tsigkey_id}", bind(ctx, h::delete_tsigkey));

    router.set_error_renderer(render_error);
}

}  // namespace dnsplane::designate
