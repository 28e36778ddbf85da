// /v2/quotas[/{project_id}] (show: own project or admin; set 200 and reset
// 204: admin) and /v2/limits (the caller's project's effective limits).
#include "api/designate/admin_common.h"
#include "api/designate/handlers.h"
#include "api/designate/json_codec.h"
#include "api/designate/responses.h"
#include "core/error.h"

namespace dnsplane::designate::handlers {

namespace json = boost::json;

namespace {

json::object quota_object(const std::map<std::string, std::int64_t>& quotas) {
    json::object o;
    for (const auto& [resource, limit] : quotas) o[resource] = limit;
    return o;
}

// {"zones": 10, ...}: integers only (a string, float or bool is refused, as
// in Designate's schema); names are checked by the service.
std::map<std::string, std::int64_t> parse_quotas(const json::object& body) {
    std::map<std::string, std::int64_t> out;
    std::vector<core::FieldError> errors;
    for (const auto& [key, value] : body) {
        const std::string name(key);
        if (value.is_int64()) {
            out[name] = value.get_int64();
        } else if (value.is_uint64()) {
            out[name] = -1;  // out of range: refused by the service's bounds
        } else {
            errors.push_back({{name}, "'" + name + "' must be an integer", "type"});
        }
    }
    if (!errors.empty()) {
        std::string message = errors.front().message;
        throw core::Error(core::ErrorKind::Invalid, "invalid_object", message, std::move(errors));
    }
    return out;
}

}  // namespace

http::Response get_own_quotas(const Context& ctx, const http::Request& req) {
    return json_response(200, quota_object(ctx.svc.get_quotas(req.caller, req.caller.project_id)));
}

http::Response get_quotas(const Context& ctx, const http::Request& req) {
    return json_response(200,
                         quota_object(ctx.svc.get_quotas(req.caller, req.param("project_id"))));
}

http::Response set_quotas(const Context& ctx, const http::Request& req) {
    const auto values = parse_quotas(read_body_object(req, "quota"));
    return json_response(
        200, quota_object(ctx.svc.set_quotas(req.caller, req.param("project_id"), values)));
}

http::Response reset_quotas(const Context& ctx, const http::Request& req) {
    ctx.svc.reset_quotas(req.caller, req.param("project_id"));
    return no_content();
}

http::Response get_limits(const Context& ctx, const http::Request& req) {
    const service::Limits l = ctx.svc.limits(req.caller);
    json::object o;
    o["max_page_limit"] = l.max_page_limit;
    o["max_recordset_name_length"] = l.max_recordset_name_length;
    o["max_recordset_records"] = l.max_recordset_records;
    o["max_zone_name_length"] = l.max_zone_name_length;
    o["max_zone_records"] = l.max_zone_records;
    o["max_zone_recordsets"] = l.max_zone_recordsets;
    o["max_zones"] = l.max_zones;
    o["min_ttl"] = l.min_ttl;
    return json_response(200, o);
}

}  // namespace dnsplane::designate::handlers
