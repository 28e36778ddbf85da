// Routes, handlers, error body and basic auth of the webhook surface.
#include <spdlog/spdlog.h>

#include <boost/json.hpp>

#include <chrono>

#include "api/common/json_body.h"
#include "api/webhook/endpoint.h"
#include "api/webhook/mapping.h"
#include "api/webhook/webhook_api.h"
#include "common/metrics.h"
#include "common/util.h"
#include "http/error_mapping.h"
#include "service/tenancy.h"

namespace dnsplane::webhook {

namespace json = boost::json;

namespace {

struct Context {
    service::ZoneService& zones;
    WebhookOptions opts;
    service::Caller caller;
};

http::Response json_text(unsigned status, std::string body) {
    http::Response res;
    res.status = status;
    res.content_type = kMediaType;
    res.body = std::move(body);
    return res;
}

// A failure on the provider's side: 5xx (soft for ExternalDNS), nothing applied.
core::Error provider_failure(const core::Error& e) {
    auto kind = (e.kind() == core::ErrorKind::Unavailable ||
                 e.kind() == core::ErrorKind::PreconditionFailed)
                    ? core::ErrorKind::Unavailable
                    : core::ErrorKind::Internal;
    core::Error out(kind, e.type(), e.what());
    if (e.operation()) out.set_operation(*e.operation());
    return out;
}

json::value body_json(const http::Request& req) {
    // Malformed JSON and an empty body are 400 (the upstream helper's cases);
    // no media type check: clients differ in what they send.
    return api::parse_json_body(req);
}

http::Response negotiate(const Context& ctx, const http::Request&) {
    std::vector<core::Zone> zones;
    if (ctx.opts.domain_filter.empty()) zones = ctx.zones.visible_zones(ctx.caller);
    auto res = json_text(200, domain_filter_json(ctx.opts.domain_filter, zones));
    res.set_header("Vary", "Content-Type");
    return res;
}

http::Response get_records(const Context& ctx, const http::Request&) {
    // Streamed from one read transaction straight into the body: no record
    // set or endpoint is built for the common case (one identity, no labels).
    std::string body;
    body.reserve(1 << 16);
    body += '[';
    bool first = true;
    ctx.zones.scan_zone_contents(
        ctx.caller, [&](const core::Zone& zone, const store::RecordSetView& rs) {
            if (rs.managed || !is_supported_type(rs.type)) return;
            if (rs.provider_meta.empty()) {
                if (!first) body += ',';
                first = false;
                append_plain_set_json(body, rs, zone.ttl);
                return;
            }
            for (const auto& e : set_endpoints(recordset_of(rs), zone.ttl)) {
                if (!first) body += ',';
                first = false;
                append_endpoint_json(body, e);
            }
        });
    body += ']';
    return json_text(200, std::move(body));
}

http::Response post_records(const Context& ctx, const http::Request& req) {
    Changes changes;
    {
        boost::system::error_code ec;
        if (req.body.find_first_not_of(" \t\r\n") == std::string::npos)
            throw core::bad_request("bad_request", "The request body is empty");
        changes = changes_from_json(body_json(req));
    }
    if (changes.empty()) return json_text(204, "");
    service::ZoneEdit edit;
    try {
        auto zones = ctx.zones.visible_zones(ctx.caller);
        if (ctx.opts.create_zones) {
            // Zones are created before the edit, each its own commit: when the
            // edit then fails, they stay (empty), and the retry finds them.
            for (const auto& name : zones_to_create(changes, zones)) {
                spdlog::info("webhook: creating zone {}{}", name,
                             ctx.opts.dry_run ? " (dry run: not created)" : "");
                if (ctx.opts.dry_run) continue;
                service::ZoneCreate zc;
                zc.name = name;
                zc.email = "hostmaster@" + endpoint_name(name);
                ctx.zones.create_zone(ctx.caller, zc);
            }
            if (!ctx.opts.dry_run) zones = ctx.zones.visible_zones(ctx.caller);
        }
        auto names = touched_names(changes, zones);
        auto current = ctx.zones.sets_at(ctx.caller, names);
        edit = plan_edit(changes, zones, current);
        spdlog::info(
            "webhook plan: create={} updateOld={} updateNew={} delete={} -> {} operations{}",
            changes.create.size(), changes.update_old.size(), changes.update_new.size(),
            changes.del.size(), edit.operations.size(),
            ctx.opts.dry_run ? " (dry run: not applied)" : "");
        if (!ctx.opts.dry_run && !edit.operations.empty()) ctx.zones.apply(ctx.caller, edit);
        common::metrics().inc("dnsplane_webhook_changes_total", {{"kind", "create"}},
                              changes.create.size(), "Endpoints received in webhook plans");
        common::metrics().inc("dnsplane_webhook_changes_total", {{"kind", "update"}},
                              changes.update_new.size());
        common::metrics().inc("dnsplane_webhook_changes_total", {{"kind", "delete"}},
                              changes.del.size());
    } catch (const PlanError& e) {
        throw core::Error(core::ErrorKind::Internal, e.type(), e.what());
    } catch (const core::Error& e) {
        core::Error out = provider_failure(e);
        // Name the record set the failed operation (or prerequisite) is about.
        if (e.operation()) {
            std::size_t i = *e.operation();
            const service::EditTarget* t = nullptr;
            if (i < edit.operations.size())
                t = &edit.operations[i].target;
            else if (i - edit.operations.size() < edit.prerequisites.size())
                t = &edit.prerequisites[i - edit.operations.size()].target;
            if (t)
                out = core::Error(
                    out.kind(), out.type(),
                    std::string(e.what()) + " [" + endpoint_name(t->name) + " " + t->type + "]");
        }
        throw out;
    }
    return json_text(204, "");
}

http::Response adjust(const Context& ctx, const http::Request& req) {
    auto eps = endpoints_from_json(body_json(req));
    std::vector<core::Zone> zones;
    try {
        zones = ctx.zones.visible_zones(ctx.caller);
    } catch (const core::Error& e) {
        throw provider_failure(e);
    }
    return json_text(200, endpoints_json(adjust_endpoints(std::move(eps), zones)));
}

http::Response property_values_equal(const Context&, const http::Request& req) {
    json::value v = body_json(req);
    const auto* o = v.if_object();
    if (!o) throw core::bad_request("bad_request", "expected {\"name\",\"previous\",\"current\"}");
    auto text = [&](const char* k) -> std::string {
        for (const auto& kv : *o) {
            std::string key(kv.key());
            for (auto& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            if (key == k) {
                if (kv.value().is_null()) return {};
                if (!kv.value().is_string())
                    throw core::bad_request("bad_request", std::string(k) + " must be a string");
                return std::string(kv.value().get_string());
            }
        }
        return {};
    };
    (void)text("name");
    bool equals = text("previous") == text("current");
    return json_text(200, equals ? "{\"equals\":true}" : "{\"equals\":false}");
}

using Fn = http::Response (*)(const Context&, const http::Request&);

http::Handler bind(std::shared_ptr<const Context> ctx, Fn fn) {
    return [ctx, fn](http::Request& req) { return fn(*ctx, req); };
}

}  // namespace

bool basic_auth_matches(std::string_view authorization, const std::string& expected) {
    if (authorization.size() < 6) return false;
    std::string scheme(authorization.substr(0, 6));
    for (auto& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (scheme != "basic ") return false;
    std::string_view b64 = authorization.substr(6);
    while (!b64.empty() && b64.front() == ' ') b64.remove_prefix(1);
    const auto decoded_or = common::base64_decode(b64);
    if (!decoded_or) return false;
    const std::string& decoded = *decoded_or;
    // Constant time in the length of the expected secret.
    unsigned diff = decoded.size() == expected.size() ? 0 : 1;
    for (std::size_t i = 0; i < expected.size(); ++i)
        diff |= static_cast<unsigned>(expected[i]) ^
                static_cast<unsigned>(i < decoded.size() ? decoded[i] : 0);
    return diff == 0;
}

http::Response render_error(const core::Error& e, const http::Request&) {
    using K = core::ErrorKind;
    unsigned status = 500;
    switch (e.kind()) {
        case K::BadRequest:
            status = 400;
            break;
        case K::MethodNotAllowed:
            status = 400;
            break;  // as the upstream helper
        case K::Unauthorized:
            status = 401;
            break;
        case K::Unavailable:
            // A store that cannot read or commit is a provider error: 500, as
            // the upstream helper answers every provider error (its cases 2,
            // 5, 10). 503 stays for transient states: starting or stopping, a
            // concurrent writer that won, a validate_change hook that is down.
            status = e.type() == "database_unavailable" || e.type() == "database_error" ? 500 : 503;
            break;
        case K::NotFound:
            status = e.type() == "not_found" ? 404 : 500;
            break;
        case K::TooLarge:
            status = e.type() == "request_too_large" ? 413 : 500;
            break;
        default:
            status = 500;
    }
    json::object body;
    body["error"] = e.type();
    body["message"] = e.what();
    http::Response res;
    res.status = status;
    res.content_type = "application/json";
    res.body = json::serialize(body);
    if (status == 401) res.set_header("WWW-Authenticate", "Basic realm=\"dnsplane-webhook\"");
    return res;
}

std::unique_ptr<http::Surface> make_surface(const api::SurfaceContext& sc, WebhookOptions opts) {
    auto surface = std::make_unique<http::Surface>();
    surface->name = "webhook";
    service::Caller caller;
    caller.project_id = opts.project;
    caller.role = service::Role::Member;
    // ExternalDNS's TXT registry names ("a-*.example.org." for the wildcard
    // "*.example.org."): '*' is an ordinary character outside a leftmost label.
    caller.owner_names = core::OwnerNames::Rfc4592;
    auto ctx = std::make_shared<const Context>(Context{sc.zones, opts, caller});
    auto& r = surface->router;
    r.add("GET", "/", bind(ctx, negotiate));
    r.add("GET", "/records", bind(ctx, get_records));
    r.add("POST", "/records", bind(ctx, post_records));
    r.add("POST", "/adjustendpoints", bind(ctx, adjust));
    r.add("POST", "/propertyvaluesequal", bind(ctx, property_values_equal));
    r.set_error_renderer(render_error);
    if (!opts.basic_auth.empty()) {
        std::string secret = opts.basic_auth;
        r.use([secret](http::Request& req) {
            auto h = req.header("authorization");
            if (!h || !basic_auth_matches(*h, secret))
                throw core::Error(core::ErrorKind::Unauthorized, "unauthorized",
                                  "Basic authentication required");
            req.caller = service::Caller{};
        });
    }
    // A retired project (tenant unbind): every route fails (500, soft for
    // ExternalDNS) with project_retired; its zones keep being served.
    r.use([&zones = sc.zones, project = opts.project](http::Request&) {
        service::require_active_project(zones.projects(), project);
    });
    return surface;
}

}  // namespace dnsplane::webhook
