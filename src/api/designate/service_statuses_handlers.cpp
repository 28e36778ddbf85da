// /v2/service_statuses[/{id}] (admin only): the process's components with
// the heartbeats of the status probe (service::Lifecycle). Designate's
// service names say which role each component plays.
#include <unistd.h>

#include "api/designate/admin_common.h"
#include "api/designate/handlers.h"
#include "api/designate/json_codec.h"
#include "api/designate/responses.h"
#include "core/error.h"

namespace dnsplane::designate::handlers {

namespace json = boost::json;

namespace {

void require_admin(const http::Request& req) {
    if (!req.caller.is_admin())
        throw core::Error(core::ErrorKind::Forbidden, "forbidden",
                          "Service statuses require the admin role");
}

std::string host_name() {
    char buf[256] = {};
    if (gethostname(buf, sizeof buf - 1) != 0) return "localhost";
    return buf;
}

json::object status_object(const service::ComponentStatus& c, const http::Request& req) {
    json::object o;
    o["id"] = c.id;
    o["hostname"] = host_name();
    o["service_name"] = c.service_name;
    o["status"] = c.status;
    json::object stats;
    for (const auto& [k, v] : c.stats) stats[k] = v;
    o["stats"] = std::move(stats);
    o["capabilities"] = json::object{{"component", c.component}, {"detail", c.detail}};
    o["heartbeated_at"] = optional_text(c.heartbeated_at);
    put_times(o, c.created_at, c.updated_at);
    o["links"] = json::object{{"self", req.base_url + "/v2/service_statuses/" + c.id}};
    return o;
}

std::vector<service::ComponentStatus> components(const Context& ctx) {
    if (!ctx.lifecycle) return {};
    return ctx.lifecycle->components();
}

const CollectionSpec& status_collection() {
    static const CollectionSpec spec{{"service_name", "hostname", "status"},
                                     {"created_at", "id", "service_name", "status"}};
    return spec;
}

}  // namespace

http::Response list_service_statuses(const Context& ctx, const http::Request& req) {
    require_admin(req);
    json::array items;
    for (const auto& c : components(ctx)) items.push_back(status_object(c, req));
    return json_response(
        200, small_collection(req, "service_statuses", status_collection(), std::move(items)));
}

http::Response get_service_status(const Context& ctx, const http::Request& req) {
    require_admin(req);
    const std::string& id = uuid_param(req, "service_status_id");
    for (const auto& c : components(ctx))
        if (c.id == id) return json_response(200, status_object(c, req));
    throw core::not_found("service_status_not_found", "Could not find ServiceStatus");
}

}  // namespace dnsplane::designate::handlers
