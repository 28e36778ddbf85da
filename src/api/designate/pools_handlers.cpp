// /v2/pools and /v2/pools/{pool_id} (admin only): the configured default
// pool (read-only) and pools admins create (201), update (202) and delete
// (204); /v2/zones/{zone_id}/nameservers.
#include "api/common/field_reader.h"
#include "api/designate/admin_common.h"
#include "api/designate/handlers.h"
#include "api/designate/json_codec.h"
#include "api/designate/responses.h"
#include "api/designate/style_responses.h"
#include "common/util.h"

namespace dnsplane::designate::handlers {

namespace json = boost::json;

namespace {

// ns_records: [{"hostname": "ns1.example.org.", "priority": 1}, ...];
// attributes: {"key": "value"}. Problems go to `r`.
std::vector<core::NameServer> parse_ns_records(api::FieldReader& r, const json::value& v) {
    std::vector<core::NameServer> out;
    if (!v.is_array()) {
        r.type_error("ns_records", &v, "a list");
        return out;
    }
    const auto& items = v.get_array();
    for (std::size_t i = 0; i < items.size(); ++i) {
        const std::string index = std::to_string(i);
        const json::object* o = items[i].if_object();
        const json::value* host = o ? o->if_contains("hostname") : nullptr;
        const json::value* prio = o ? o->if_contains("priority") : nullptr;
        if (!host || !host->is_string()) {
            r.add({"ns_records", index, "hostname"}, "'hostname' must be a string", "type");
            continue;
        }
        if (!prio || !prio->is_int64()) {
            r.add({"ns_records", index, "priority"}, "'priority' must be an integer", "type");
            continue;
        }
        const std::int64_t p = prio->get_int64();
        out.push_back(
            {std::string(host->get_string()), p < 0 || p > 65535 ? -1 : static_cast<int>(p)});
    }
    return out;
}

service::PoolInput parse_pool(const json::object& body) {
    api::FieldReader r(body);
    r.check_members({"name", "description", "project_id", "ns_records", "attributes", "tenant_id"},
                    {"id", "created_at", "updated_at", "links"});
    service::PoolInput in;
    in.name = r.text("name", false);
    in.description = r.text("description", true);
    in.project_id = r.text("project_id", true);
    if (!in.project_id) in.project_id = r.text("tenant_id", true);
    if (const json::value* ns = body.if_contains("ns_records"))
        in.ns_records = parse_ns_records(r, *ns);
    if (const json::value* attrs = body.if_contains("attributes")) {
        if (!attrs->is_object()) {
            r.type_error("attributes", attrs, "an object");
        } else {
            std::map<std::string, std::string> out;
            for (const auto& [k, v] : attrs->get_object()) {
                if (v.is_string())
                    out[std::string(k)] = std::string(v.get_string());
                else
                    out[std::string(k)] = json::serialize(v);
            }
            in.attributes = std::move(out);
        }
    }
    r.throw_if_failed();
    return in;
}

const CollectionSpec& pool_collection() {
    static const CollectionSpec spec{{"name"}, {"created_at", "id", "name", "updated_at"}};
    return spec;
}

}  // namespace

http::Response list_pools(const Context& ctx, const http::Request& req) {
    json::array items;
    for (const auto& p : ctx.svc.list_pools(req.caller))
        items.push_back(pool_object(ctx.style, p, req.base_url));
    return json_response(200, small_collection(req, "pools", pool_collection(), std::move(items)));
}

http::Response get_pool(const Context& ctx, const http::Request& req) {
    const std::string& id = uuid_param(req, "pool_id");
    const core::Pool pool = ctx.svc.get_pool(req.caller, id);
    http::Response res =
        read_response(ctx.style, "pool", pool_object(ctx.style, pool, req.base_url));
    // Pools carry no version; their content identifies their state.
    res.set_header("ETag", "\"" + common::sha256_hex(res.body).substr(0, 16) + "\"");
    return res;
}

http::Response create_pool(const Context& ctx, const http::Request& req) {
    const core::Pool p = ctx.svc.create_pool(req.caller, parse_pool(read_body_object(req, "pool")));
    http::Response res = json_response(201, pool_object(ctx.style, p, req.base_url));
    res.set_header("Location", pool_url(req.base_url, p.id));
    return res;
}

http::Response update_pool(const Context& ctx, const http::Request& req) {
    const std::string& id = uuid_param(req, "pool_id");
    const core::Pool p =
        ctx.svc.update_pool(req.caller, id, parse_pool(read_body_object(req, "pool")));
    return json_response(202, pool_object(ctx.style, p, req.base_url));
}

http::Response delete_pool(const Context& ctx, const http::Request& req) {
    ctx.svc.delete_pool(req.caller, uuid_param(req, "pool_id"));
    return no_content();
}

http::Response get_zone_nameservers(const Context& ctx, const http::Request& req) {
    const std::string& zone_id = req.param("zone_id");
    require_uuid(zone_id, "zone_not_found", "Could not find Zone");
    json::array ns;
    for (const auto& n : ctx.svc.zone_nameservers(req.caller, zone_id))
        ns.push_back(json::object{{"hostname", n.hostname}, {"priority", n.priority}});
    return json_response(200, json::object{{"nameservers", std::move(ns)}});
}

}  // namespace dnsplane::designate::handlers
