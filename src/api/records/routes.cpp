// Routes and handlers of the record API (below /v1/domains).
#include <boost/json.hpp>

#include "api/common/error_body.h"
#include "api/common/json_body.h"
#include "api/common/project_gate.h"
#include "api/common/record_codec.h"
#include "api/common/responses.h"
#include "api/records/records_api.h"
#include "auth/authenticator.h"

namespace dnsplane::records {

namespace json = boost::json;

namespace {

using Ops = std::shared_ptr<service::RecordOps>;

core::Zone domain_of(service::RecordOps& ops, const http::Request& req) {
    return ops.domain(req.caller, req.param("domain"));
}

http::Response no_content() {
    http::Response res;
    res.status = 204;
    res.content_type.clear();
    return res;
}

http::Response get_domain(service::RecordOps& ops, const http::Request& req) {
    return api::json_response(200, api::domain_json(domain_of(ops, req)));
}

http::Response list_records(service::RecordOps& ops, const http::Request& req) {
    const auto zone = domain_of(ops, req);
    json::array out;
    for (const auto& r : ops.list(req.caller, zone, api::parse_filter(req)))
        out.push_back(api::record_json(r));
    return api::json_response(200, out);
}

http::Response get_record(service::RecordOps& ops, const http::Request& req) {
    const auto zone = domain_of(ops, req);
    return api::json_response(200,
                              api::record_json(ops.get(req.caller, zone, req.param("record_id"))));
}

http::Response create_record(service::RecordOps& ops, const http::Request& req) {
    const auto zone = domain_of(ops, req);
    const auto in = api::parse_create(api::read_json_object(req));
    const auto created = ops.create(req.caller, zone, in);
    return api::json_response(created.existed ? 200 : 201, api::record_json(created.record));
}

http::Response update_by_filter(service::RecordOps& ops, const http::Request& req) {
    const auto zone = domain_of(ops, req);
    const auto filter = api::parse_filter(req);
    const auto change = api::parse_change(api::read_json_object(req));
    return api::json_response(200, api::record_json(ops.update(req.caller, zone, filter, change)));
}

http::Response update_by_id(service::RecordOps& ops, const http::Request& req) {
    const auto zone = domain_of(ops, req);
    const auto change = api::parse_change(api::read_json_object(req));
    return api::json_response(
        200, api::record_json(ops.update(req.caller, zone, req.param("record_id"), change)));
}

http::Response delete_by_filter(service::RecordOps& ops, const http::Request& req) {
    const auto zone = domain_of(ops, req);
    ops.remove(req.caller, zone, api::parse_filter(req));
    return no_content();
}

http::Response delete_by_id(service::RecordOps& ops, const http::Request& req) {
    const auto zone = domain_of(ops, req);
    ops.remove(req.caller, zone, req.param("record_id"));
    return no_content();
}

http::Handler handler(const Ops& ops,
                      http::Response (*h)(service::RecordOps&, const http::Request&)) {
    return [ops, h](http::Request& req) { return h(*ops, req); };
}

}  // namespace

std::unique_ptr<http::Surface> make_surface(const api::SurfaceContext& ctx) {
    auto surface = std::make_unique<http::Surface>();
    surface->name = "records";
    auto ops = std::make_shared<service::RecordOps>(ctx.zones);
    auto& router = surface->router;
    router.add("GET", "/{domain}", handler(ops, get_domain));
    router.add("GET", "/{domain}/records", handler(ops, list_records));
    router.add("POST", "/{domain}/records", handler(ops, create_record));
    router.add("PATCH", "/{domain}/records", handler(ops, update_by_filter));
    router.add("DELETE", "/{domain}/records", handler(ops, delete_by_filter));
    router.add("GET", "/{domain}/records/{record_id}", handler(ops, get_record));
    router.add("PATCH", "/{domain}/records/{record_id}", handler(ops, update_by_id));
    router.add("DELETE", "/{domain}/records/{record_id}", handler(ops, delete_by_id));
    router.use(auth::middleware(ctx.authenticator, [](const http::Request&) { return false; }));
    router.use(api::refuse_retired_projects(ctx.zones));
    router.set_error_renderer(api::render_error_body);
    return surface;
}

}  // namespace dnsplane::records
