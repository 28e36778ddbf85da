#include "api/designate/task_json.h"

#include <algorithm>
#include <charconv>

#include "api/designate/json_codec.h"
#include "api/designate/pagination.h"
#include "api/designate/responses.h"
#include "core/error.h"

namespace dnsplane::designate {

namespace json = boost::json;

namespace {

std::string url(std::string_view base_url, std::string_view path, std::string_view id) {
    std::string out(base_url);
    out += path;
    out += '/';
    out += id;
    return out;
}

json::value text_or_null_(const std::string& s) {
    return text_or_null(s);
}

}  // namespace

json::object import_to_json(const store::ZoneTask& t, std::string_view base_url) {
    json::object o;
    o["id"] = t.id;
    o["status"] = t.status;
    o["message"] = text_or_null_(t.message);
    o["zone_id"] = text_or_null_(t.zone_id);
    o["project_id"] = t.project_id;
    o["version"] = t.version;
    put_times(o, t.created_at, t.updated_at);
    json::object links{{"self", url(base_url, "/v2/zones/tasks/imports", t.id)}};
    // Designate links a completed import to its zone as links.zone.
    if (!t.zone_id.empty()) links["zone"] = zone_url(base_url, t.zone_id);
    o["links"] = std::move(links);
    return o;
}

json::object export_to_json(const store::ZoneTask& t, std::string_view base_url) {
    json::object o;
    o["id"] = t.id;
    o["status"] = t.status;
    o["message"] = text_or_null_(t.message);
    o["zone_id"] = t.zone_id;
    o["project_id"] = t.project_id;
    o["location"] = "designate://v2/zones/tasks/exports/" + t.id + "/export";
    o["version"] = t.version;
    put_times(o, t.created_at, t.updated_at);
    const std::string self = url(base_url, "/v2/zones/tasks/exports", t.id);
    o["links"] = json::object{{"self", self}, {"export", self + "/export"}};
    return o;
}

json::object transfer_request_to_json(const store::ZoneTask& t, std::string_view base_url,
                                      bool with_key) {
    json::object o;
    o["id"] = t.id;
    if (with_key) o["key"] = t.key;
    o["zone_id"] = t.zone_id;
    o["zone_name"] = t.zone_name;
    o["project_id"] = t.project_id;
    o["target_project_id"] = text_or_null_(t.target_project_id);
    o["description"] = text_or_null_(t.description);
    o["status"] = t.status;
    put_times(o, t.created_at, t.updated_at);
    o["links"] = json::object{{"self", url(base_url, "/v2/zones/tasks/transfer_requests", t.id)}};
    return o;
}

json::object transfer_accept_to_json(const store::ZoneTask& t, std::string_view base_url) {
    json::object o;
    o["id"] = t.id;
    o["status"] = t.status;
    o["zone_id"] = t.zone_id;
    o["zone_transfer_request_id"] = t.request_id;
    o["project_id"] = t.project_id;
    put_times(o, t.created_at, t.updated_at);
    o["links"] = json::object{{"self", url(base_url, "/v2/zones/tasks/transfer_accepts", t.id)},
                              {"zone", zone_url(base_url, t.zone_id)}};
    return o;
}

json::object share_to_json(const store::ZoneTask& t, std::string_view base_url) {
    json::object o;
    o["id"] = t.id;
    o["zone_id"] = t.zone_id;
    o["project_id"] = t.project_id;
    o["target_project_id"] = t.target_project_id;
    put_times(o, t.created_at, t.updated_at);
    o["links"] = json::object{{"self", zone_url(base_url, t.zone_id) + "/shares/" + t.id},
                              {"zone", zone_url(base_url, t.zone_id)}};
    return o;
}

namespace {

std::size_t parse_limit(const http::Request& req) {
    auto v = req.query_param("limit");
    if (!v) return kDefaultLimit;
    std::size_t n = 0;
    auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
    if (ec != std::errc() || p != v->data() + v->size() || n < 1)
        throw core::bad_request("invalid_limit", "limit must be a positive integer");
    return std::min(n, kMaxLimit);
}

bool matches(const json::object& o, std::string_view name, std::string_view want) {
    const json::value* v = o.if_contains(name);
    if (!v || v->is_null()) return want.empty();
    if (v->is_string()) return v->get_string() == want;
    return json::serialize(*v) == want;
}

}  // namespace

http::Response task_collection(std::string_view key, const std::vector<store::ZoneTask>& rows,
                               const http::Request& req,
                               const std::function<json::object(const store::ZoneTask&)>& shape,
                               const std::vector<std::string>& filters) {
    const std::size_t limit = parse_limit(req);
    std::vector<json::object> all;
    std::vector<std::pair<std::string, std::string>> carried;
    for (const auto& f : filters)
        if (auto v = req.query_param(f)) carried.emplace_back(f, std::string(*v));
    for (const auto& row : rows) {
        json::object o = shape(row);
        bool keep = true;
        for (const auto& [name, want] : carried) keep = keep && matches(o, name, want);
        if (keep) all.push_back(std::move(o));
    }
    std::size_t start = 0;
    if (auto marker = req.query_param("marker")) {
        std::size_t i = 0;
        while (i < all.size() && all[i].at("id").as_string() != *marker) ++i;
        if (i == all.size())
            throw core::bad_request("invalid_marker",
                                    "Marker " + std::string(*marker) + " could not be found");
        start = i + 1;
    }
    json::array items;
    std::size_t end = std::min(all.size(), start + limit);
    for (std::size_t i = start; i < end; ++i) items.push_back(all[i]);
    std::string self = req.base_url + std::string(req.path);
    json::object links{{"self", self}};
    if (end < all.size()) {
        auto params = carried;
        params.emplace_back("limit", std::to_string(limit));
        params.emplace_back("marker", std::string(all[end - 1].at("id").as_string()));
        links["next"] = self + "?" + encode_query(params);
    }
    json::object doc;
    doc[key] = std::move(items);
    doc["links"] = std::move(links);
    doc["metadata"] = json::object{{"total_count", all.size()}};
    return json_response(200, doc);
}

}  // namespace dnsplane::designate
