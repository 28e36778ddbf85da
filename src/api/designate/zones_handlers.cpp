// /v2/zones and /v2/zones/{zone_id}.
#include "api/designate/handlers.h"
#include "api/designate/json_codec.h"
#include "api/designate/pagination.h"
#include "api/designate/responses.h"

namespace dnsplane::designate::handlers {

namespace json = boost::json;

namespace {

constexpr const char* kZoneNotFound = "zone_not_found";
constexpr const char* kZoneNotFoundMessage = "Could not find Zone";

const std::string& zone_id_param(const http::Request& req) {
    const std::string& id = req.param("zone_id");
    require_uuid(id, kZoneNotFound, kZoneNotFoundMessage);
    return id;
}

// A single zone as a write answers it: 202, PENDING + action, ETag.
http::Response zone_write_response(const core::Zone& z, const http::Request& req,
                                   std::string_view action) {
    json::object body = zone_to_json(z, req.base_url);
    mark_pending(body, action);
    http::Response res = json_response(202, body);
    set_etag(res, z.version);
    return res;
}

}  // namespace

http::Response create_zone(ZoneService& svc, const http::Request& req) {
    const service::ZoneCreate in = parse_zone_create(read_body_object(req, "zone"));
    const core::Zone z = svc.create_zone(req.caller, in);
    http::Response res = zone_write_response(z, req, "CREATE");
    res.set_header("Location", zone_url(req.base_url, z.id));
    return res;
}

http::Response list_zones(ZoneService& svc, const http::Request& req) {
    ListRequest list = parse_list_request(req, zone_collection());
    const store::Page<core::Zone> page = svc.list_zones(req.caller, list.query);
    json::array items;
    for (const auto& z : page.items) items.push_back(zone_to_json(z, req.base_url));
    const std::string last_id = page.items.empty() ? std::string() : page.items.back().id;
    return json_response(200, collection_document("zones", std::move(items), req, list,
                                                  page.total_count, page.has_more, last_id));
}

http::Response get_zone(ZoneService& svc, const http::Request& req) {
    const core::Zone z = svc.get_zone(req.caller, zone_id_param(req));
    http::Response res = json_response(200, zone_to_json(z, req.base_url));
    set_etag(res, z.version);
    return res;
}

http::Response update_zone(ZoneService& svc, const http::Request& req) {
    const std::string& id = zone_id_param(req);
    const auto if_match = parse_if_match(req);
    const service::ZoneUpdate in =
        parse_zone_update(read_body_object(req, "zone"), svc.settings().default_zone_ttl);
    const core::Zone z = svc.update_zone(req.caller, id, in, if_match);
    return zone_write_response(z, req, "UPDATE");
}

http::Response delete_zone(ZoneService& svc, const http::Request& req) {
    const std::string& id = zone_id_param(req);
    const auto if_match = parse_if_match(req);
    const core::Zone z = svc.delete_zone(req.caller, id, if_match);
    return zone_write_response(z, req, "DELETE");
}

}  // namespace dnsplane::designate::handlers
