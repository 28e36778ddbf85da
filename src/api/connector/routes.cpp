#include <boost/json.hpp>
#include <boost/url/parse.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>

#include "api/common/responses.h"
#include "api/connector/connector_api.h"
#include "auth/authenticator.h"
#include "http/error_mapping.h"

namespace dnsplane::connector {

namespace json = boost::json;

namespace {

core::Error bad(std::string message) {
    return core::Error(core::ErrorKind::BadRequest, "bad_request", std::move(message));
}

const char* reason_for(unsigned code) {
    switch (code) {
        case 400:
            return "BadRequest";
        case 401:
            return "Unauthorized";
        case 403:
            return "Forbidden";
        case 404:
            return "NotFound";
        case 405:
            return "MethodNotAllowed";
        case 409:
            return "Conflict";
        case 412:
            return "Conflict";
        case 413:
            return "RequestEntityTooLarge";
        case 415:
            return "UnsupportedMediaType";
        case 503:
            return "ServiceUnavailable";
        default:
            return "InternalError";
    }
}

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
}

// scheme://host:port of a URL, default ports made explicit; "" when not a URL.
std::string origin(std::string_view url) {
    auto u = boost::urls::parse_absolute_uri(url);
    if (!u || u->host().empty()) return {};
    std::string scheme = lower(std::string(u->scheme()));
    std::string port = u->has_port() ? std::string(u->port()) : (scheme == "https" ? "443" : "80");
    return scheme + "://" + lower(std::string(u->encoded_host())) + ":" + port;
}

void check_base_url(const std::string& base_url, const http::Request& req) {
    const std::string mine = origin(req.base_url);
    if (origin(base_url).empty() || origin(base_url) != mine)
        throw bad("X-Plugin-Meta: baseURL '" + base_url + "' does not name this dnsplane (" +
                  req.base_url + ")");
}

http::Middleware credentials(auth::Authenticator& auth) {
    return [&auth](http::Request& req) {
        auto creds = parse_plugin_headers(req);
        if (!creds) {
            req.caller = auth.authenticate(req);
            return;
        }
        if (creds->base_url) check_base_url(*creds->base_url, req);
        // The secret's token decides project and role exactly as X-Auth-Token.
        http::Request as_token;
        as_token.method = req.method;
        as_token.path = req.path;
        for (const auto& [name, value] : req.headers)
            if (name != "x-auth-token" && name != "x-auth-project-id")
                as_token.headers.emplace_back(name, value);
        as_token.headers.emplace_back("x-auth-token", creds->token);
        if (creds->username) as_token.headers.emplace_back("x-auth-project-id", *creds->username);
        req.caller = auth.authenticate(as_token);
        if (creds->username && req.caller.project_id != *creds->username)
            throw core::Error(core::ErrorKind::Unauthorized, "unauthorized",
                              "the password is not a token of project '" + *creds->username + "'");
    };
}

std::size_t positive(const http::Request& req, const char* key, std::size_t fallback,
                     std::size_t max) {
    auto v = req.query_param(key);
    if (!v) return fallback;
    std::size_t n = 0;
    auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
    if (ec != std::errc() || end != v->data() + v->size() || n < 1 || n > max)
        throw bad(std::string(key) + " must be an integer from 1 to " + std::to_string(max));
    return n;
}

struct Paging {
    std::size_t page = 1;
    std::size_t per_page = 20;
};

// page, itemsPerPage, sortBy ("asc,name" pairs; the first pair sorts),
// searchValue (a substring of the name).
Paging read_paging(const http::Request& req, store::ListQuery& q) {
    Paging p;
    p.page = positive(req, "page", 1, 1'000'000);
    p.per_page = positive(req, "itemsPerPage", 20, kMaxItemsPerPage);
    q.limit = p.per_page;
    q.offset = (p.page - 1) * p.per_page;
    q.sort_key = "name";
    if (auto sort = req.query_param("sortBy"); sort && !sort->empty()) {
        std::vector<std::string> parts;
        std::string cur;
        for (char c : *sort) {
            if (c == ',') {
                parts.push_back(cur);
                cur.clear();
            } else {
                cur += c;
            }
        }
        parts.push_back(cur);
        if (parts.size() % 2 != 0) throw bad("sortBy must be order,field pairs such as asc,name");
        for (std::size_t i = 0; i < parts.size(); i += 2) {
            const auto& order = parts[i];
            const auto& field = parts[i + 1];
            if (order != "asc" && order != "desc")
                throw bad("sortBy: order '" + order + "' must be asc or desc");
            std::string key = field == "name"          ? "name"
                              : field == "createdTime" ? "created_at"
                              : field == "updatedTime" ? "updated_at"
                                                       : "";
            if (key.empty())
                throw bad("sortBy: field '" + field + "' must be name, createdTime or updatedTime");
            if (i == 0) {
                q.sort_key = key;
                q.descending = order == "desc";
            }
        }
    }
    if (auto search = req.query_param("searchValue"); search && !search->empty())
        q.filters.emplace_back("name", "*" + lower(std::string(*search)) + "*");
    return p;
}

template <class T>
http::Response list_response(const store::Page<T>& page, const Paging& p, json::array items) {
    const std::size_t pages = (page.total_count + p.per_page - 1) / p.per_page;
    json::object meta{{"totalItems", page.total_count},
                      {"page", p.page},
                      {"itemsPerPage", p.per_page},
                      {"totalPages", pages}};
    return api::json_response(200, json::object{{"listMeta", meta}, {"items", std::move(items)}});
}

json::value optional_text(const std::optional<std::string>& s) {
    return s ? json::value(*s) : json::value(nullptr);
}

json::object zone_json(const core::Zone& z) {
    return {{"id", z.id},
            {"name", z.name},
            {"email", z.email},
            {"ttl", z.ttl},
            {"serial", z.serial},
            {"status", z.status},
            {"type", z.type},
            {"description", z.description},
            {"project", z.project_id},
            {"createdTime", z.created_at},
            {"updatedTime", optional_text(z.updated_at)}};
}

json::object recordset_json(const core::RecordSet& rs) {
    json::array records;
    for (const auto& r : rs.records) records.emplace_back(r.data);
    return {{"id", rs.id},
            {"zoneId", rs.zone_id},
            {"zoneName", rs.zone_name},
            {"name", rs.name},
            {"type", rs.type},
            {"ttl", rs.ttl ? json::value(*rs.ttl) : json::value(nullptr)},
            {"records", std::move(records)},
            {"status", rs.status},
            {"createdTime", rs.created_at},
            {"updatedTime", optional_text(rs.updated_at)}};
}

http::Response list_zones(service::ZoneService& svc, const http::Request& req) {
    store::ListQuery q;
    auto p = read_paging(req, q);
    auto page = svc.list_zones(req.caller, q);
    json::array items;
    for (const auto& z : page.items) items.push_back(zone_json(z));
    return list_response(page, p, std::move(items));
}

// {zone}: a zone id or a zone name (trailing dot optional).
core::Zone find_zone(service::ZoneService& svc, const http::Request& req) {
    const std::string& key = req.param("zone");
    if (api::is_uuid(key)) return svc.get_zone(req.caller, key);
    std::string name = lower(key);
    if (name.empty() || name.back() != '.') name += '.';
    auto z = svc.zone_for_name(req.caller, name);
    if (!z || z->name != name)
        throw core::not_found("zone_not_found", "zone " + key + " not found");
    return *z;
}

http::Response list_recordsets(service::ZoneService& svc, const http::Request& req) {
    auto zone = find_zone(svc, req);
    store::ListQuery q;
    q.scope.zone_id = zone.id;
    auto p = read_paging(req, q);
    auto page = svc.list_recordsets(req.caller, q);
    json::array items;
    for (const auto& rs : page.items) items.push_back(recordset_json(rs));
    return list_response(page, p, std::move(items));
}

http::Response auth_probe(const http::Request& req) {
    const char* role = req.caller.role == service::Role::Admin    ? "admin"
                       : req.caller.role == service::Role::Member ? "member"
                                                                  : "reader";
    return api::json_response(
        200,
        json::object{{"authenticated", true}, {"project", req.caller.project_id}, {"role", role}});
}

}  // namespace

http::Response render_error(const core::Error& e, const http::Request&) {
    const unsigned code = http::status_for(e.kind());
    json::object body{{"kind", "Status"},    {"apiVersion", "v1"},  {"metadata", json::object{}},
                      {"status", "Failure"}, {"message", e.what()}, {"reason", reason_for(code)},
                      {"code", code},        {"details", nullptr}};
    return api::json_response(code, body);
}

std::unique_ptr<http::Surface> make_surface(const api::SurfaceContext& ctx) {
    auto surface = std::make_unique<http::Surface>();
    surface->name = "connector";
    auto& svc = ctx.zones;
    auto& r = surface->router;
    r.add("GET", "/zones", [&svc](http::Request& req) { return list_zones(svc, req); });
    r.add("GET", "/zones/{zone}/recordsets",
          [&svc](http::Request& req) { return list_recordsets(svc, req); });
    r.add("GET", "/auth", [](http::Request& req) { return auth_probe(req); });
    r.set_error_renderer(render_error);
    r.use(credentials(ctx.authenticator));
    return surface;
}

}  // namespace dnsplane::connector
