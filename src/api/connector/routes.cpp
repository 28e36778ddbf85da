#include <boost/json.hpp>
#include <boost/url/parse.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <memory>
#include <set>
#include <string_view>
#include <vector>

#include "api/common/json_body.h"
#include "api/common/project_gate.h"
#include "api/common/record_codec.h"
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
    std::string sort_field = "name";  // one of the resource's sortable fields
    bool descending = false;
    std::string search;  // searchValue, lower case; empty: none
};

// page, itemsPerPage, sortBy ("asc,name" pairs; the first pair sorts; every
// field must be one of `fields`), searchValue.
Paging read_paging(const http::Request& req, const std::vector<std::string>& fields) {
    Paging p;
    p.page = positive(req, "page", 1, 1'000'000);
    p.per_page = positive(req, "itemsPerPage", 20, kMaxItemsPerPage);
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
        std::string known;
        for (const auto& f : fields) known += (known.empty() ? "" : ", ") + f;
        for (std::size_t i = 0; i < parts.size(); i += 2) {
            const auto& order = parts[i];
            const auto& field = parts[i + 1];
            if (order != "asc" && order != "desc")
                throw bad("sortBy: order '" + order + "' must be asc or desc");
            if (std::find(fields.begin(), fields.end(), field) == fields.end())
                throw bad("sortBy: field '" + field + "' must be one of " + known);
            if (i == 0) {
                p.sort_field = field;
                p.descending = order == "desc";
            }
        }
    }
    if (auto search = req.query_param("searchValue"); search && !search->empty())
        p.search = lower(std::string(*search));
    return p;
}

// The store-paged resources (zones, record sets): sorted and filtered by the store.
const std::vector<std::string> kStoreSortFields = {"name", "createdTime", "updatedTime"};

Paging read_store_paging(const http::Request& req, store::ListQuery& q) {
    Paging p = read_paging(req, kStoreSortFields);
    q.limit = p.per_page;
    q.offset = (p.page - 1) * p.per_page;
    q.sort_key = p.sort_field == "createdTime"   ? "created_at"
                 : p.sort_field == "updatedTime" ? "updated_at"
                                                 : "name";
    q.descending = p.descending;
    if (!p.search.empty()) q.filters.emplace_back("name", "*" + p.search + "*");
    return p;
}

http::Response list_json(std::size_t total, const Paging& p, json::array items) {
    const std::size_t pages = (total + p.per_page - 1) / p.per_page;
    json::object meta{{"totalItems", total},
                      {"page", p.page},
                      {"itemsPerPage", p.per_page},
                      {"totalPages", pages}};
    return api::json_response(200, json::object{{"listMeta", meta}, {"items", std::move(items)}});
}

template <class T>
http::Response list_response(const store::Page<T>& page, const Paging& p, json::array items) {
    return list_json(page.total_count, p, std::move(items));
}

json::value optional_text(const std::optional<std::string>& s) {
    return s ? json::value(*s) : json::value(nullptr);
}

json::object zone_json(const core::Zone& z) {
    return {{"id", z.id},
            {"name", z.shown_name()},
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
    auto p = read_store_paging(req, q);
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
    auto p = read_store_paging(req, q);
    auto page = svc.list_recordsets(req.caller, q);
    json::array items;
    for (const auto& rs : page.items) items.push_back(recordset_json(rs));
    return list_response(page, p, std::move(items));
}

// --- zones/{zone}/records: Lexicon-shaped records (service::RecordOps, the
// same semantics and JSON as the record API under /v1/domains).
using Ops = std::shared_ptr<service::RecordOps>;

// Query keys of a record list besides the record filters (type, name, content).
const std::set<std::string_view> kPagingKeys = {"page", "itemsPerPage", "sortBy", "searchValue"};
const std::vector<std::string> kRecordSortFields = {"name", "type", "content", "ttl"};

bool record_less(const service::LexRecord& a, const service::LexRecord& b,
                 const std::string& field) {
    if (field == "type") return a.type < b.type;
    if (field == "content") return a.content < b.content;
    if (field == "ttl") return a.ttl < b.ttl;
    return a.name < b.name;
}

http::Response list_records(service::ZoneService& svc, service::RecordOps& ops,
                            const http::Request& req) {
    const auto zone = find_zone(svc, req);
    const auto filter = api::parse_filter(req, kPagingKeys);
    const auto p = read_paging(req, kRecordSortFields);
    auto records = ops.list(req.caller, zone, filter);
    if (!p.search.empty())
        std::erase_if(records, [&](const service::LexRecord& r) {
            return lower(r.name).find(p.search) == std::string::npos &&
                   lower(r.content).find(p.search) == std::string::npos;
        });
    // ops.list orders by name, type, then value order; a stable sort keeps
    // that order among equal keys.
    std::stable_sort(records.begin(), records.end(), [&](const auto& a, const auto& b) {
        return p.descending ? record_less(b, a, p.sort_field) : record_less(a, b, p.sort_field);
    });
    json::array items;
    const std::size_t first = (p.page - 1) * p.per_page;
    for (std::size_t i = first; i < records.size() && i < first + p.per_page; ++i)
        items.push_back(api::record_json(records[i]));
    return list_json(records.size(), p, std::move(items));
}

http::Response get_record(service::ZoneService& svc, service::RecordOps& ops,
                          const http::Request& req) {
    const auto zone = find_zone(svc, req);
    return api::json_response(200,
                              api::record_json(ops.get(req.caller, zone, req.param("record_id"))));
}

http::Response create_record(service::ZoneService& svc, service::RecordOps& ops,
                             const http::Request& req) {
    const auto zone = find_zone(svc, req);
    const auto in = api::parse_create(api::read_json_object(req));
    const auto created = ops.create(req.caller, zone, in);
    return api::json_response(created.existed ? 200 : 201, api::record_json(created.record));
}

http::Response update_record(service::ZoneService& svc, service::RecordOps& ops,
                             const http::Request& req) {
    const auto zone = find_zone(svc, req);
    const auto change = api::parse_change(api::read_json_object(req));
    return api::json_response(
        200, api::record_json(ops.update(req.caller, zone, req.param("record_id"), change)));
}

http::Response delete_record(service::ZoneService& svc, service::RecordOps& ops,
                             const http::Request& req) {
    const auto zone = find_zone(svc, req);
    ops.remove(req.caller, zone, req.param("record_id"));
    http::Response res;
    res.status = 204;
    res.content_type.clear();
    return res;
}

using RecordHandler = http::Response (*)(service::ZoneService&, service::RecordOps&,
                                         const http::Request&);

http::Handler record_route(service::ZoneService& svc, const Ops& ops, RecordHandler h) {
    return [&svc, ops, h](http::Request& req) { return h(svc, *ops, req); };
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
    json::value details = nullptr;
    if (!e.fields().empty()) {
        // Kubernetes StatusDetails.causes: one per failed field.
        json::array causes;
        for (const auto& f : e.fields()) {
            std::string field;
            for (const auto& part : f.path) field += (field.empty() ? "" : ".") + part;
            causes.push_back(
                json::object{{"field", field}, {"message", f.message}, {"reason", f.validator}});
        }
        details = json::object{{"causes", std::move(causes)}};
    }
    const char* reason = e.kind() == core::ErrorKind::Invalid ? "Invalid" : reason_for(code);
    json::object body{
        {"kind", "Status"},    {"apiVersion", "v1"},           {"metadata", json::object{}},
        {"status", "Failure"}, {"message", e.what()},          {"reason", reason},
        {"code", code},        {"details", std::move(details)}};
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
    auto ops = std::make_shared<service::RecordOps>(svc);
    r.add("GET", "/zones/{zone}/records", record_route(svc, ops, list_records));
    r.add("POST", "/zones/{zone}/records", record_route(svc, ops, create_record));
    r.add("GET", "/zones/{zone}/records/{record_id}", record_route(svc, ops, get_record));
    r.add("PATCH", "/zones/{zone}/records/{record_id}", record_route(svc, ops, update_record));
    r.add("DELETE", "/zones/{zone}/records/{record_id}", record_route(svc, ops, delete_record));
    r.add("GET", "/auth", [](http::Request& req) { return auth_probe(req); });
    r.set_error_renderer(render_error);
    r.use(credentials(ctx.authenticator));
    r.use(api::refuse_retired_projects(ctx.zones));
    return surface;
}

}  // namespace dnsplane::connector
