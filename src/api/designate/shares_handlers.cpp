// /v2/zones/{zone_id}/shares[/{share_id}]: zone shares.
#include "api/common/field_reader.h"
#include "api/designate/handlers.h"
#include "api/designate/json_codec.h"
#include "api/designate/responses.h"
#include "api/designate/task_json.h"

namespace dnsplane::designate::handlers {

namespace json = boost::json;

namespace {

const std::string& zone_id_param(const http::Request& req) {
    const std::string& id = req.param("zone_id");
    require_uuid(id, "zone_not_found", "Could not find Zone");
    return id;
}

const std::string& share_id_param(const http::Request& req) {
    const std::string& id = req.param("share_id");
    require_uuid(id, "shared_zone_not_found", "Could not find SharedZone");
    return id;
}

}  // namespace

http::Response create_share(const Context& ctx, const http::Request& req) {
    const std::string& zone_id = zone_id_param(req);
    json::object body = read_body_object(req, "shared_zone");
    api::FieldReader r(body);
    r.check_members({"target_project_id"},
                    {"id", "zone_id", "project_id", "created_at", "updated_at", "links"});
    r.require("target_project_id");
    auto target = r.text("target_project_id", false);
    r.throw_if_failed();
    const auto t = ctx.svc.share_zone(req.caller, zone_id, *target);
    http::Response res = json_response(201, share_to_json(t, req.base_url));
    res.set_header("Location", zone_url(req.base_url, zone_id) + "/shares/" + t.id);
    return res;
}

http::Response list_shares(const Context& ctx, const http::Request& req) {
    const auto rows = ctx.svc.list_shares(req.caller, zone_id_param(req));
    return task_collection("shared_zones", rows, req,
                           [&](const store::ZoneTask& t) { return share_to_json(t, req.base_url); },
                           {"target_project_id"});
}

http::Response get_share(const Context& ctx, const http::Request& req) {
    const auto t = ctx.svc.get_share(req.caller, zone_id_param(req), share_id_param(req));
    return json_response(200, share_to_json(t, req.base_url));
}

http::Response delete_share(const Context& ctx, const http::Request& req) {
    ctx.svc.unshare_zone(req.caller, zone_id_param(req), share_id_param(req));
    http::Response res;
    res.status = 204;
    res.content_type.clear();
    return res;
}

}  // namespace dnsplane::designate::handlers
