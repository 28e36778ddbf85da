// /v2/zones/{zone_id}/recordsets[/{recordset_id}] and /v2/recordsets[/{recordset_id}].
#include "api/designate/handlers.h"
#include "api/designate/json_codec.h"
#include "api/designate/pagination.h"
#include "api/designate/responses.h"

namespace dnsplane::designate::handlers {

namespace json = boost::json;

namespace {

const std::string& zone_id_param(const http::Request& req) {
    const std::string& id = req.param("zone_id");
    require_uuid(id, "zone_not_found", "Could not find Zone");
    return id;
}

const std::string& recordset_id_param(const http::Request& req) {
    const std::string& id = req.param("recordset_id");
    require_uuid(id, "recordset_not_found", "Could not find RecordSet");
    return id;
}

http::Response recordset_write_response(const core::RecordSet& rs, const http::Request& req,
                                        std::string_view action) {
    json::object body = recordset_to_json(rs, req.base_url);
    mark_pending(body, action);
    http::Response res = json_response(202, body);
    set_etag(res, rs.version);
    return res;
}

http::Response list_recordsets(ZoneService& svc, const http::Request& req, ListRequest list) {
    const store::Page<core::RecordSet> page = svc.list_recordsets(req.caller, list.query);
    json::array items;
    for (const auto& rs : page.items) items.push_back(recordset_to_json(rs, req.base_url));
    const std::string last_id = page.items.empty() ? std::string() : page.items.back().id;
    return json_response(200, collection_document("recordsets", std::move(items), req, list,
                                                  page.total_count, page.has_more, last_id));
}

}  // namespace

http::Response create_recordset(ZoneService& svc, const http::Request& req) {
    const std::string& zone_id = zone_id_param(req);
    const service::RecordSetCreate in = parse_recordset_create(read_body_object(req, "recordset"));
    const core::RecordSet rs = svc.create_recordset(req.caller, zone_id, in);
    http::Response res = recordset_write_response(rs, req, "CREATE");
    res.set_header("Location", recordset_url(req.base_url, rs.zone_id, rs.id));
    return res;
}

http::Response list_zone_recordsets(ZoneService& svc, const http::Request& req) {
    const std::string& zone_id = zone_id_param(req);
    ListRequest list = parse_list_request(req, recordset_collection());
    list.query.scope.zone_id = zone_id;
    return list_recordsets(svc, req, std::move(list));
}

http::Response list_all_recordsets(ZoneService& svc, const http::Request& req) {
    ListRequest list = parse_list_request(req, all_recordsets_collection());
    return list_recordsets(svc, req, std::move(list));
}

// /v2/recordsets/{id} has no home of its own: point at the zone-scoped URL.
http::Response redirect_recordset(ZoneService& svc, const http::Request& req) {
    const core::RecordSet rs = svc.find_recordset(req.caller, recordset_id_param(req));
    http::Response res;
    res.status = 301;
    res.set_header("Location", recordset_url(req.base_url, rs.zone_id, rs.id));
    return res;
}

http::Response get_recordset(ZoneService& svc, const http::Request& req) {
    const core::RecordSet rs =
        svc.get_recordset(req.caller, zone_id_param(req), recordset_id_param(req));
    http::Response res = json_response(200, recordset_to_json(rs, req.base_url));
    set_etag(res, rs.version);
    return res;
}

http::Response update_recordset(ZoneService& svc, const http::Request& req) {
    const std::string& zone_id = zone_id_param(req);
    const std::string& id = recordset_id_param(req);
    const auto if_match = parse_if_match(req);
    const service::RecordSetUpdate in =
        parse_recordset_update(read_body_object(req, "recordset"),
                               [&] { return svc.get_recordset(req.caller, zone_id, id).type; });
    const core::RecordSet rs = svc.update_recordset(req.caller, zone_id, id, in, if_match);
    return recordset_write_response(rs, req, "UPDATE");
}

http::Response delete_recordset(ZoneService& svc, const http::Request& req) {
    const std::string& zone_id = zone_id_param(req);
    const std::string& id = recordset_id_param(req);
    const auto if_match = parse_if_match(req);
    const core::RecordSet rs = svc.delete_recordset(req.caller, zone_id, id, if_match);
    return recordset_write_response(rs, req, "DELETE");
}

}  // namespace dnsplane::designate::handlers
