// /v2/zones/{zone_id}/recordsets[/{recordset_id}] and /v2/recordsets[/{recordset_id}].
#include <cctype>

#include "api/designate/handlers.h"
#include "api/designate/json_codec.h"
#include "api/designate/pagination.h"
#include "api/designate/responses.h"
#include "api/designate/style_responses.h"

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

// Designate clients (tempest, PUT of a whole record set) send `name` and
// `type` back unchanged: drop them when they equal the stored ones, so only a
// real change is refused as read-only. Looks the record set up first, so an
// unknown id stays 404.
void drop_unchanged_identity(const Context& ctx, const http::Request& req,
                             const std::string& zone_id, const std::string& id,
                             json::object& body) {
    if (!body.contains("name") && !body.contains("type")) return;
    const core::RecordSet current = ctx.svc.get_recordset(req.caller, zone_id, id);
    if (const auto* name = body.if_contains("name"); name && name->is_string()) {
        std::string n(name->get_string());
        for (auto& c : n) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (!n.empty() && n.back() != '.') n += '.';
        if (n == current.name) body.erase("name");
    }
    if (const auto* type = body.if_contains("type");
        type && type->is_string() && http::iequals(type->get_string(), current.type))
        body.erase("type");
}

http::Response recordset_write(const Context& ctx, WriteKind kind, const core::RecordSet& rs,
                               const http::Request& req) {
    return write_response(ctx.style, kind, "recordset",
                          recordset_object(ctx.style, rs, req.base_url), rs.version,
                          recordset_url(req.base_url, rs.zone_id, rs.id));
}

http::Response list_recordsets(const Context& ctx, const http::Request& req, ListRequest list) {
    const store::Page<core::RecordSet> page = ctx.svc.list_recordsets(req.caller, list.query);
    json::array items;
    for (const auto& rs : page.items)
        items.push_back(recordset_object(ctx.style, rs, req.base_url, /*in_collection=*/true));
    const std::string last_id = page.items.empty() ? std::string() : page.items.back().id;
    return json_response(200, collection_document("recordsets", std::move(items), req, list,
                                                  page.total_count, page.has_more, last_id));
}

}  // namespace

http::Response create_recordset(const Context& ctx, const http::Request& req) {
    const std::string& zone_id = zone_id_param(req);
    const service::RecordSetCreate in = parse_recordset_create(read_body_object(req, "recordset"));
    const core::RecordSet rs = ctx.svc.create_recordset(req.caller, zone_id, in);
    return recordset_write(ctx, WriteKind::Create, rs, req);
}

http::Response list_zone_recordsets(const Context& ctx, const http::Request& req) {
    const std::string& zone_id = zone_id_param(req);
    ListRequest list = parse_list_request(req, recordset_collection());
    list.query.scope.zone_id = zone_id;
    return list_recordsets(ctx, req, std::move(list));
}

http::Response list_all_recordsets(const Context& ctx, const http::Request& req) {
    ListRequest list = parse_list_request(req, all_recordsets_collection());
    return list_recordsets(ctx, req, std::move(list));
}

// /v2/recordsets/{id} has no home of its own: point at the zone-scoped URL,
// with the record set as that URL shows it for clients that do not follow
// redirects (the body is JSON, as its Content-Type says).
http::Response redirect_recordset(const Context& ctx, const http::Request& req) {
    const core::RecordSet rs = ctx.svc.find_recordset(req.caller, recordset_id_param(req));
    http::Response res =
        read_response(ctx.style, "recordset", recordset_object(ctx.style, rs, req.base_url));
    res.status = 301;
    res.set_header("Location", recordset_url(req.base_url, rs.zone_id, rs.id));
    set_etag(res, rs.version);
    return res;
}

http::Response get_recordset(const Context& ctx, const http::Request& req) {
    const core::RecordSet rs =
        ctx.svc.get_recordset(req.caller, zone_id_param(req), recordset_id_param(req));
    http::Response res =
        read_response(ctx.style, "recordset", recordset_object(ctx.style, rs, req.base_url));
    set_etag(res, rs.version);
    return res;
}

http::Response update_recordset(const Context& ctx, const http::Request& req) {
    const std::string& zone_id = zone_id_param(req);
    const std::string& id = recordset_id_param(req);
    const auto if_match = parse_if_match(req);
    service::RecordSetUpdate in;
    try {
        json::object body = read_body_object(req, "recordset");
        drop_unchanged_identity(ctx, req, zone_id, id, body);
        in = parse_recordset_update(
            body, [&] { return ctx.svc.get_recordset(req.caller, zone_id, id).type; });
    } catch (const core::Error&) {
        // Designate refuses a set that cannot be replaced (SOA, apex NS) before
        // it reads the body: that answer wins over the body's.
        ctx.svc.check_replaceable(req.caller, zone_id, id);
        throw;
    }
    const core::RecordSet rs = ctx.svc.update_recordset(req.caller, zone_id, id, in, if_match);
    return recordset_write(ctx, WriteKind::Update, rs, req);
}

http::Response delete_recordset(const Context& ctx, const http::Request& req) {
    const std::string& zone_id = zone_id_param(req);
    const std::string& id = recordset_id_param(req);
    const auto if_match = parse_if_match(req);
    const core::RecordSet rs = ctx.svc.delete_recordset(req.caller, zone_id, id, if_match);
    return recordset_write(ctx, WriteKind::Delete, rs, req);
}

}  // namespace dnsplane::designate::handlers
