// /v2/zones and /v2/zones/{zone_id}.
#include "api/designate/handlers.h"
#include "api/designate/json_codec.h"
#include "api/designate/pagination.h"
#include "api/designate/responses.h"
#include "api/designate/style_responses.h"

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

http::Response zone_write(const Context& ctx, WriteKind kind, const core::Zone& z,
                          const http::Request& req) {
    return write_response(ctx.style, kind, "zone", zone_object(ctx.style, z, req.base_url),
                          z.version, zone_url(req.base_url, z.id));
}

}  // namespace

http::Response create_zone(const Context& ctx, const http::Request& req) {
    const service::ZoneCreate in = parse_zone_create(read_body_object(req, "zone"));
    const core::Zone z = ctx.svc.create_zone(req.caller, in);
    return zone_write(ctx, WriteKind::Create, z, req);
}

http::Response list_zones(const Context& ctx, const http::Request& req) {
    ListRequest list = parse_list_request(req, zone_collection());
    const store::Page<core::Zone> page = ctx.svc.list_zones(req.caller, list.query);
    json::array items;
    for (const auto& z : page.items) items.push_back(zone_object(ctx.style, z, req.base_url));
    const std::string last_id = page.items.empty() ? std::string() : page.items.back().id;
    return json_response(200, collection_document("zones", std::move(items), req, list,
                                                  page.total_count, page.has_more, last_id));
}

http::Response get_zone(const Context& ctx, const http::Request& req) {
    const core::Zone z = ctx.svc.get_zone(req.caller, zone_id_param(req));
    http::Response res = read_response(ctx.style, "zone", zone_object(ctx.style, z, req.base_url));
    set_etag(res, z.version);
    return res;
}

http::Response update_zone(const Context& ctx, const http::Request& req) {
    const std::string& id = zone_id_param(req);
    const auto if_match = parse_if_match(req);
    const service::ZoneUpdate in =
        parse_zone_update(read_body_object(req, "zone"), ctx.svc.settings().default_zone_ttl);
    const core::Zone z = ctx.svc.update_zone(req.caller, id, in, if_match);
    return zone_write(ctx, WriteKind::Update, z, req);
}

http::Response delete_zone(const Context& ctx, const http::Request& req) {
    const std::string& id = zone_id_param(req);
    const auto if_match = parse_if_match(req);
    // Shared zones go only with their shares (Designate's delete_shares).
    auto is_true = [](std::optional<std::string_view> v) { return v && http::iequals(*v, "true"); };
    const bool delete_shares = is_true(req.header("x-designate-delete-shares")) ||
                               is_true(req.query_param("delete_shares"));
    const core::Zone z = ctx.svc.delete_zone(req.caller, id, if_match, delete_shares);
    return zone_write(ctx, WriteKind::Delete, z, req);
}

}  // namespace dnsplane::designate::handlers
