#include <boost/json.hpp>

#include "api/common/json_body.h"
#include "api/common/responses.h"
#include "api/platform/platform_api.h"
#include "auth/authenticator.h"
#include "common/util.h"
#include "hooks/http_post.h"
#include "http/error_mapping.h"
#include "service/tenancy.h"

namespace dnsplane::platform {

namespace json = boost::json;

namespace {

core::Error bad(std::string message) {
    return core::Error(core::ErrorKind::BadRequest, "bad_request", std::move(message));
}

http::Response ok(json::object body = {}) {
    json::object out{{"ret", 0}, {"msg", "ok"}};
    for (auto& kv : body) out[kv.key()] = kv.value();
    return api::json_response(200, out);
}

bool is_public(const http::Request& req) {
    auto p = req.route_path();
    return p == "/identify" || p == "/status";
}

void require_admin(const http::Request& req) {
    if (!req.caller.is_admin())
        throw core::Error(core::ErrorKind::Forbidden, "forbidden",
                          "only an admin may register extension points or bind tenants");
}

std::string text_member(const json::object& o, const char* key, const char* where) {
    auto* v = o.if_contains(key);
    if (!v || !v->is_string() || v->as_string().empty())
        throw bad(std::string(where) + key + " must be a non-empty string");
    return std::string(v->as_string());
}

http::Response identify(const PlatformOptions& opts, const http::Request&) {
    json::array points;
    for (const auto& p : hooks::addons_points())
        points.push_back(json::object{{"addons_point", p.name}, {"desc", p.desc}});
    return ok({{"plugin_id", opts.plugin_id},
               {"version", opts.version},
               {"addons_points", std::move(points)},
               {"main_plugins", json::array{}}});
}

http::Response status(const service::Lifecycle& life, const http::Request&) {
    auto state = life.state();
    const bool active = state == service::LifeState::Active;
    json::object body{{"ret", active ? 0 : (state == service::LifeState::Failed ? -500 : -503)},
                      {"msg", life.message()},
                      {"status", service::life_state_name(state)}};
    auto res = api::json_response(active ? 200 : 503, body);
    res.set_header("Cache-Control", "no-store");
    return res;
}

http::Response addons_identify(const PlatformDeps& deps, const PlatformOptions& opts,
                               const http::Request& req) {
    require_admin(req);
    auto body = api::read_json_object(req);
    auto* plugin = body.if_contains("plugin");
    if (!plugin || !plugin->is_object()) throw bad("plugin must be an object {id, version}");
    std::string plugin_id = text_member(plugin->as_object(), "id", "plugin.");
    std::string plugin_version;
    if (auto* v = plugin->as_object().if_contains("version"); v && v->is_string())
        plugin_version = v->as_string().c_str();
    auto* endpoints = body.if_contains("endpoint");
    if (!endpoints || !endpoints->is_array() || endpoints->as_array().empty())
        throw bad("endpoint must be a non-empty list of {addons_point, endpoint}");

    // Check everything first: a rejected request binds nothing.
    std::vector<store::HookBinding> bindings;
    for (const auto& item : endpoints->as_array()) {
        if (!item.is_object()) throw bad("endpoint entries must be objects");
        std::string point = text_member(item.as_object(), "addons_point", "endpoint[].");
        std::string ep = text_member(item.as_object(), "endpoint", "endpoint[].");
        if (!hooks::is_addons_point(point))
            throw bad("unknown extension point '" + point +
                      "' (dnsplane offers change_committed, validate_change)");
        for (const auto& b : bindings)
            if (b.addons_point == point) throw bad("extension point '" + point + "' given twice");
        std::string url = resolve_endpoint(ep, opts.platform_url);
        if (url.empty())
            throw bad("endpoint '" + ep + "' is a path but no --platform-url is configured");
        if (!hooks::is_http_url(url)) throw bad("endpoint '" + ep + "' is not an http:// URL");
        bindings.push_back({point, plugin_id, plugin_version, url, common::now_timestamp()});
    }
    for (const auto& b : bindings) {
        auto res = hooks::http_get(b.endpoint, opts.check_timeout);
        if (!res.answered)
            throw core::Error(core::ErrorKind::Unavailable, "endpoint_unreachable",
                              "endpoint " + b.endpoint + " for " + b.addons_point +
                                  " does not answer: " + res.error);
    }
    for (const auto& b : bindings) deps.registry.bind(b);
    return ok();
}

http::Response tenant(store::Store& store, service::ProjectStatus& projects, bool bind,
                      const http::Request& req) {
    require_admin(req);
    auto body = api::read_json_object(req);
    std::string id = text_member(body, "tenant_id", "");
    if (id.size() > 255) throw bad("tenant_id is longer than 255 characters");
    auto txn = store.write();
    auto status = txn->tenant_status(id);
    if (!bind && status != "active")
        throw core::Error(core::ErrorKind::NotFound, "tenant_not_found",
                          "tenant " + id + " is not bound");
    txn->put_tenant(id, bind ? "active" : "retired", common::now_timestamp());
    txn->commit();
    // From now on every door refuses (unbind) or serves again (bind) the project.
    projects.set(id, !bind);
    return ok({{"tenant_id", id}, {"status", bind ? "active" : "retired"}});
}

}  // namespace

std::string resolve_endpoint(const std::string& endpoint, const std::string& platform_url) {
    if (endpoint.find("://") != std::string::npos) return endpoint;
    if (platform_url.empty()) return {};
    std::string base = platform_url;
    while (!base.empty() && base.back() == '/') base.pop_back();
    return base + (endpoint.front() == '/' ? "" : "/") + endpoint;
}

http::Response render_error(const core::Error& e, const http::Request& req) {
    unsigned code = http::status_for(e.kind());
    return api::json_response(
        code,
        json::object{{"ret", -static_cast<int>(code)}, {"msg", e.what()}, {"type", e.type()}});
}

std::unique_ptr<http::Surface> make_surface(const api::SurfaceContext& ctx, PlatformDeps deps,
                                            PlatformOptions opts) {
    auto surface = std::make_unique<http::Surface>();
    surface->name = "platform";
    auto& r = surface->router;
    r.add("GET", "/identify", [opts](http::Request& req) { return identify(opts, req); });
    r.add("POST", "/identify", [opts](http::Request& req) { return identify(opts, req); });
    r.add("GET", "/status", [deps](http::Request& req) { return status(deps.lifecycle, req); });
    r.add("POST", "/addons/identify",
          [deps, opts](http::Request& req) { return addons_identify(deps, opts, req); });
    auto& projects = ctx.zones.projects();
    r.add("POST", "/tenant/bind", [deps, &projects](http::Request& req) {
        return tenant(deps.store, projects, true, req);
    });
    r.add("POST", "/tenant/unbind", [deps, &projects](http::Request& req) {
        return tenant(deps.store, projects, false, req);
    });
    r.set_error_renderer(render_error);
    r.use(auth::middleware(ctx.authenticator, is_public));
    return surface;
}

}  // namespace dnsplane::platform
