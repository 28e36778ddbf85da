// /v2/zones/tasks/imports[/{id}], /v2/zones/{zone_id}/tasks/export,
// /v2/zones/tasks/exports[/{id}[/export]] and /v2/zones/{zone_id}/tasks/abandon.
#include "api/common/json_body.h"
#include "api/designate/designate_api.h"
#include "api/designate/handlers.h"
#include "api/designate/json_codec.h"
#include "api/designate/responses.h"
#include "api/designate/task_json.h"
#include "dns/zone_file.h"

namespace dnsplane::designate::handlers {

namespace json = boost::json;

namespace {

const std::string& zone_id_param(const http::Request& req) {
    const std::string& id = req.param("zone_id");
    require_uuid(id, "zone_not_found", "Could not find Zone");
    return id;
}

const std::string& task_id_param(const http::Request& req, const char* type, const char* message) {
    const std::string& id = req.param("task_id");
    require_uuid(id, type, message);
    return id;
}

const std::string& import_id(const http::Request& req) {
    return task_id_param(req, "zone_import_not_found", "Could not find ZoneImport");
}

const std::string& export_id(const http::Request& req) {
    return task_id_param(req, "zone_export_not_found", "Could not find ZoneExport");
}

// A created task is answered as Designate answers it before its worker ran:
// 202, status PENDING, no result yet (no export location or link, no imported
// zone, no message). The client polls the task; here a GET already shows it
// COMPLETE or ERROR.
http::Response pending(json::object o) {
    o["status"] = "PENDING";
    if (o.contains("location")) o["location"] = nullptr;
    if (o.contains("message")) o["message"] = nullptr;
    if (auto* links = o["links"].if_object()) {
        links->erase("export");
        links->erase("zone");
    }
    return json_response(202, o);
}

http::Response no_content() {
    http::Response res;
    res.status = 204;
    res.content_type.clear();
    return res;
}

// Accept of the zone file: text/dns, or anything that allows it.
bool accepts_zone_file(const http::Request& req) {
    auto accept = req.header("accept");
    if (!accept) return true;
    std::string_view rest = *accept;
    while (!rest.empty()) {
        auto comma = rest.find(',');
        std::string media = api::media_type(rest.substr(0, comma));
        if (media.empty() || media == "text/dns" || media == "*/*" || media == "text/*")
            return true;
        if (comma == std::string_view::npos) break;
        rest.remove_prefix(comma + 1);
    }
    return false;
}

}  // namespace

http::Response create_zone_import(const Context& ctx, const http::Request& req) {
    auto ct = req.header("content-type");
    if (!ct || api::media_type(*ct) != "text/dns")
        throw core::Error(core::ErrorKind::UnsupportedMedia, "unsupported_content_type",
                          "A zone import needs Content-Type: text/dns");
    store::ZoneTask task;
    std::optional<service::ZoneImport> parsed;
    try {
        parsed = dns::parse_zone_file(req.body);
    } catch (const core::Error& e) {
        if (e.type() != "invalid_zone_file") throw;
        task = ctx.svc.failed_import(req.caller, e.what());
    }
    if (parsed) task = ctx.svc.import_zone(req.caller, *parsed);
    auto o = import_to_json(task, req.base_url);
    o["zone_id"] = nullptr;  // not imported yet, as far as the answer tells
    return pending(std::move(o));
}

http::Response list_zone_imports(const Context& ctx, const http::Request& req) {
    const auto rows = ctx.svc.list_tasks(req.caller, service::kTaskImport);
    return task_collection(
        "imports", rows, req,
        [&](const store::ZoneTask& t) { return import_to_json(t, req.base_url); },
        {"status", "message", "zone_id"});
}

http::Response get_zone_import(const Context& ctx, const http::Request& req) {
    const auto t = ctx.svc.get_task(req.caller, service::kTaskImport, import_id(req));
    return json_response(200, import_to_json(t, req.base_url));
}

http::Response delete_zone_import(const Context& ctx, const http::Request& req) {
    ctx.svc.delete_task(req.caller, service::kTaskImport, import_id(req));
    return no_content();
}

http::Response create_zone_export(const Context& ctx, const http::Request& req) {
    const auto t = ctx.svc.create_export(req.caller, zone_id_param(req));
    return pending(export_to_json(t, req.base_url));
}

http::Response list_zone_exports(const Context& ctx, const http::Request& req) {
    const auto rows = ctx.svc.list_tasks(req.caller, service::kTaskExport);
    return task_collection(
        "exports", rows, req,
        [&](const store::ZoneTask& t) { return export_to_json(t, req.base_url); },
        {"status", "message", "zone_id"});
}

http::Response get_zone_export(const Context& ctx, const http::Request& req) {
    const auto t = ctx.svc.get_task(req.caller, service::kTaskExport, export_id(req));
    return json_response(200, export_to_json(t, req.base_url));
}

http::Response delete_zone_export(const Context& ctx, const http::Request& req) {
    ctx.svc.delete_task(req.caller, service::kTaskExport, export_id(req));
    return no_content();
}

http::Response get_zone_export_file(const Context& ctx, const http::Request& req) {
    const std::string& id = export_id(req);
    const service::ZoneContents z = ctx.svc.export_contents(req.caller, id);
    if (!accepts_zone_file(req)) {
        http::Response res = render_error(
            core::bad_request("not_acceptable", "A zone export is served as text/dns only"), req);
        res.status = 406;
        json::value body = json::parse(res.body);
        body.as_object()["code"] = 406;
        res.body = json::serialize(body);
        return res;
    }
    http::Response res;
    res.status = 200;
    res.content_type = "text/dns";
    res.body = dns::render_zone_file(z.zone, z.sets);
    return res;
}

http::Response abandon_zone(const Context& ctx, const http::Request& req) {
    ctx.svc.abandon_zone(req.caller, zone_id_param(req));
    return no_content();
}

}  // namespace dnsplane::designate::handlers
