// /v2/zones/{zone_id}/tasks/transfer_requests, /v2/zones/tasks/transfer_requests[/{id}]
// and /v2/zones/tasks/transfer_accepts[/{id}].
#include <algorithm>
#include <cctype>
#include <string_view>

#include "api/common/field_reader.h"
#include "api/common/json_body.h"
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

// Transfer ids that cannot be ids are a 400 invalid_uuid, as Designate says.
const std::string& transfer_id_param(const http::Request& req) {
    const std::string& id = req.param("task_id");
    if (!is_uuid(id)) throw core::bad_request("invalid_uuid", "Invalid UUID '" + id + "'");
    return id;
}

// A body that may be empty (an empty request creates a plain request).
// No body, or JSON null (what a client serialising "no data" sends, as
// designate-tempest-plugin's empty-body request does), asks for no options.
json::object optional_body(const http::Request& req) {
    std::string_view text = req.body;
    auto space = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
    while (!text.empty() && space(text.front())) text.remove_prefix(1);
    while (!text.empty() && space(text.back())) text.remove_suffix(1);
    if (text.empty() || text == "null") return {};
    return read_body_object(req, "transfer_request");
}

http::Response no_content() {
    http::Response res;
    res.status = 204;
    res.content_type.clear();
    return res;
}

}  // namespace

http::Response create_transfer_request(const Context& ctx, const http::Request& req) {
    const std::string& zone_id = zone_id_param(req);
    json::object body = optional_body(req);
    api::FieldReader r(body);
    r.check_members({"description", "target_project_id"},
                    {"id", "key", "zone_id", "zone_name", "project_id", "status", "created_at",
                     "updated_at", "links"});
    service::TransferRequestInput in;
    if (auto d = r.text("description", true)) in.description = *d;
    if (auto t = r.text("target_project_id", true)) in.target_project_id = *t;
    r.throw_if_failed();
    const auto t = ctx.svc.create_transfer_request(req.caller, zone_id, in);
    http::Response res = json_response(201, transfer_request_to_json(t, req.base_url, true));
    res.set_header("Location", req.base_url + "/v2/zones/tasks/transfer_requests/" + t.id);
    return res;
}

http::Response list_transfer_requests(const Context& ctx, const http::Request& req) {
    const auto rows = ctx.svc.list_transfer_requests(req.caller);
    return task_collection(
        "transfer_requests", rows, req,
        [&](const store::ZoneTask& t) {
            return transfer_request_to_json(
                t, req.base_url, t.project_id == req.caller.project_id || req.caller.all_projects);
        },
        {"status", "zone_id", "target_project_id"});
}

http::Response get_transfer_request(const Context& ctx, const http::Request& req) {
    bool with_key = false;
    const auto t = ctx.svc.get_transfer_request(req.caller, transfer_id_param(req), &with_key);
    return json_response(200, transfer_request_to_json(t, req.base_url, with_key));
}

http::Response update_transfer_request(const Context& ctx, const http::Request& req) {
    const std::string& id = transfer_id_param(req);
    json::object body = read_body_object(req, "transfer_request");
    api::FieldReader r(body);
    r.check_members({"description", "target_project_id"},
                    {"id", "key", "zone_id", "zone_name", "project_id", "status", "created_at",
                     "updated_at", "links"});
    service::TransferRequestUpdate in;
    in.description = r.text("description", true);
    in.target_project_id = r.text("target_project_id", true);
    r.throw_if_failed();
    const auto t = ctx.svc.update_transfer_request(req.caller, id, in);
    return json_response(200, transfer_request_to_json(t, req.base_url, true));
}

http::Response delete_transfer_request(const Context& ctx, const http::Request& req) {
    ctx.svc.delete_transfer_request(req.caller, transfer_id_param(req));
    return no_content();
}

http::Response create_transfer_accept(const Context& ctx, const http::Request& req) {
    json::object body = read_body_object(req, "transfer_accept");
    api::FieldReader r(body);
    r.check_members({"key", "zone_transfer_request_id"},
                    {"id", "status", "zone_id", "project_id", "created_at", "updated_at", "links"});
    r.require("key");
    r.require("zone_transfer_request_id");
    auto key = r.text("key", false);
    auto request_id = r.text("zone_transfer_request_id", false);
    if (request_id && !is_uuid(*request_id))
        r.add({"zone_transfer_request_id"}, "'" + *request_id + "' is not a 'uuid'", "format");
    r.throw_if_failed();
    const auto t = ctx.svc.accept_transfer(req.caller, *request_id, *key);
    http::Response res = json_response(201, transfer_accept_to_json(t, req.base_url));
    res.set_header("Location", req.base_url + "/v2/zones/tasks/transfer_accepts/" + t.id);
    return res;
}

http::Response list_transfer_accepts(const Context& ctx, const http::Request& req) {
    const auto rows = ctx.svc.list_transfer_accepts(req.caller);
    return task_collection(
        "transfer_accepts", rows, req,
        [&](const store::ZoneTask& t) { return transfer_accept_to_json(t, req.base_url); },
        {"status", "zone_id"});
}

http::Response get_transfer_accept(const Context& ctx, const http::Request& req) {
    const std::string& id = req.param("task_id");
    require_uuid(id, "zone_transfer_accept_not_found", "Could not find ZoneTransferAccept");
    const auto t = ctx.svc.get_transfer_accept(req.caller, id);
    return json_response(200, transfer_accept_to_json(t, req.base_url));
}

}  // namespace dnsplane::designate::handlers
