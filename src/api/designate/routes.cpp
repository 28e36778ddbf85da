// The Designate v2 route table.
#include <functional>

#include "api/common/project_gate.h"
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
    surface->router.use(api::refuse_retired_projects(ctx.zones));
    return surface;
}

void register_routes(http::Router& router, service::ZoneService& svc, DesignateOptions opts) {
    namespace h = handlers;
    const h::Context ctx{svc, parse_api_style(opts.style), opts.body_limit, opts.lifecycle};
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
    router.add("POST", "/v2/pools", bind(ctx, h::create_pool));
    router.add("PATCH", "/v2/pools/{pool_id}", bind(ctx, h::update_pool));
    router.add("DELETE", "/v2/pools/{pool_id}", bind(ctx, h::delete_pool));
    router.add("GET", "/v2/zones/{zone_id}/nameservers", bind(ctx, h::get_zone_nameservers));

    // Admin resources (issue 16).
    router.add("POST", "/v2/tlds", bind(ctx, h::create_tld));
    router.add("GET", "/v2/tlds", bind(ctx, h::list_tlds));
    router.add("GET", "/v2/tlds/{tld_id}", bind(ctx, h::get_tld));
    router.add("PATCH", "/v2/tlds/{tld_id}", bind(ctx, h::update_tld));
    router.add("DELETE", "/v2/tlds/{tld_id}", bind(ctx, h::delete_tld));
    router.add("POST", "/v2/blacklists", bind(ctx, h::create_blacklist));
    router.add("GET", "/v2/blacklists", bind(ctx, h::list_blacklists));
    router.add("GET", "/v2/blacklists/{blacklist_id}", bind(ctx, h::get_blacklist));
    router.add("PATCH", "/v2/blacklists/{blacklist_id}", bind(ctx, h::update_blacklist));
    router.add("DELETE", "/v2/blacklists/{blacklist_id}", bind(ctx, h::delete_blacklist));
    router.add("GET", "/v2/quotas", bind(ctx, h::get_own_quotas));
    router.add("GET", "/v2/quotas/{project_id}", bind(ctx, h::get_quotas));
    router.add("PATCH", "/v2/quotas/{project_id}", bind(ctx, h::set_quotas));
    router.add("DELETE", "/v2/quotas/{project_id}", bind(ctx, h::reset_quotas));
    router.add("GET", "/v2/limits", bind(ctx, h::get_limits));
    router.add("GET", "/v2/service_statuses", bind(ctx, h::list_service_statuses));
    router.add("GET", "/v2/service_statuses/{service_status_id}", bind(ctx, h::get_service_status));

    // Zone tasks (issue 16): imports, exports, abandon, transfers.
    const std::string imports = "/v2/zones/tasks/imports";
    router.add("POST", imports, bind(ctx, h::create_zone_import));
    router.add("GET", imports, bind(ctx, h::list_zone_imports));
    router.add("GET", imports + "/{task_id}", bind(ctx, h::get_zone_import));
    router.add("DELETE", imports + "/{task_id}", bind(ctx, h::delete_zone_import));
    const std::string exports = "/v2/zones/tasks/exports";
    router.add("POST", "/v2/zones/{zone_id}/tasks/export", bind(ctx, h::create_zone_export));
    router.add("GET", exports, bind(ctx, h::list_zone_exports));
    router.add("GET", exports + "/{task_id}", bind(ctx, h::get_zone_export));
    router.add("DELETE", exports + "/{task_id}", bind(ctx, h::delete_zone_export));
    router.add("GET", exports + "/{task_id}/export", bind(ctx, h::get_zone_export_file));
    router.add("POST", "/v2/zones/{zone_id}/tasks/abandon", bind(ctx, h::abandon_zone));
    router.add("POST", "/v2/zones/{zone_id}/tasks/xfr", bind(ctx, h::xfr_zone));
    const std::string requests = "/v2/zones/tasks/transfer_requests";
    router.add("POST", "/v2/zones/{zone_id}/tasks/transfer_requests",
               bind(ctx, h::create_transfer_request));
    router.add("GET", requests, bind(ctx, h::list_transfer_requests));
    router.add("GET", requests + "/{task_id}", bind(ctx, h::get_transfer_request));
    router.add("PATCH", requests + "/{task_id}", bind(ctx, h::update_transfer_request));
    router.add("DELETE", requests + "/{task_id}", bind(ctx, h::delete_transfer_request));
    const std::string accepts = "/v2/zones/tasks/transfer_accepts";
    router.add("POST", accepts, bind(ctx, h::create_transfer_accept));
    router.add("GET", accepts, bind(ctx, h::list_transfer_accepts));
    router.add("GET", accepts + "/{task_id}", bind(ctx, h::get_transfer_accept));

    const std::string shares = "/v2/zones/{zone_id}/shares";
    router.add("POST", shares, bind(ctx, h::create_share));
    router.add("GET", shares, bind(ctx, h::list_shares));
    router.add("GET", shares + "/{share_id}", bind(ctx, h::get_share));
    router.add("DELETE", shares + "/{share_id}", bind(ctx, h::delete_share));

    router.add("POST", "/v2/tsigkeys", bind(ctx, h::create_tsigkey));
    router.add("GET", "/v2/tsigkeys", bind(ctx, h::list_tsigkeys));
    router.add("GET", "/v2/tsigkeys/{tsigkey_id}", bind(ctx, h::get_tsigkey));
    router.add("PATCH", "/v2/tsigkeys/{tsigkey_id}", bind(ctx, h::update_tsigkey));
    router.add("DELETE", "/v2/tsigkeys/{tsigkey_id}", bind(ctx, h::delete_tsigkey));

    router.set_error_renderer(render_error);
}

}  // namespace dnsplane::designate
