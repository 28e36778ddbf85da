// The Designate v2 route table.
#include <functional>

#include "api/designate/designate_api.h"
#include "api/designate/handlers.h"

namespace dnsplane::designate {

namespace {

using ServiceHandler = http::Response (*)(service::ZoneService&, const http::Request&);

// Every Designate response varies by Accept (the draft style answers other
// media types later); errors get the header from render_error.
http::Response with_vary(http::Response res) {
    res.set_header("Vary", "Accept");
    return res;
}

http::Handler bind(service::ZoneService& svc, ServiceHandler h) {
    return [&svc, h](http::Request& req) { return with_vary(h(svc, req)); };
}

http::Handler bind(http::Response (*h)(const http::Request&)) {
    return [h](http::Request& req) { return with_vary(h(req)); };
}

bool is_version_path(std::string_view path) {
    return path == "/" || path == "/v2" || path == "/v2/";
}

}  // namespace

bool is_public_route(const http::Request& req) {
    return req.method == "GET" && is_version_path(req.path);
}

void register_routes(http::Router& router, service::ZoneService& svc, DesignateOptions opts) {
    namespace h = handlers;
    router.add("GET", "/", bind(h::root_versions));
    router.add("GET", "/v2", bind(h::v2_versions));

    router.add("POST", "/v2/zones", bind(svc, h::create_zone));
    router.add("GET", "/v2/zones", bind(svc, h::list_zones));
    router.add("GET", "/v2/zones/{zone_id}", bind(svc, h::get_zone));
    router.add("PATCH", "/v2/zones/{zone_id}", bind(svc, h::update_zone));
    router.add("DELETE", "/v2/zones/{zone_id}", bind(svc, h::delete_zone));

    router.add("POST", "/v2/zones/{zone_id}/recordsets", bind(svc, h::create_recordset));
    router.add("GET", "/v2/zones/{zone_id}/recordsets", bind(svc, h::list_zone_recordsets));
    router.add("GET", "/v2/zones/{zone_id}/recordsets/{recordset_id}", bind(svc, h::get_recordset));
    router.add("PUT", "/v2/zones/{zone_id}/recordsets/{recordset_id}",
               bind(svc, h::update_recordset));
    router.add("DELETE", "/v2/zones/{zone_id}/recordsets/{recordset_id}",
               bind(svc, h::delete_recordset));
    router.add("GET", "/v2/recordsets", bind(svc, h::list_all_recordsets));
    router.add("GET", "/v2/recordsets/{recordset_id}", bind(svc, h::redirect_recordset));

    router.add("GET", "/v2/pools", bind(svc, h::list_pools));
    router.add("GET", "/v2/pools/{pool_id}", bind(svc, h::get_pool));

    router.set_error_renderer(render_error);
    (void)opts;  // the draft style (issue 6) adds its routes here
}

}  // namespace dnsplane::designate
