// Model values -> Designate v2 response objects.
#include "api/designate/json_codec.h"

namespace dnsplane::designate {

namespace json = boost::json;

json::value text_or_null(const std::string& s) {
    if (s.empty()) return nullptr;
    return json::value(s);
}

json::value optional_text(const std::optional<std::string>& s) {
    if (!s) return nullptr;
    return json::value(*s);
}

json::value optional_ttl(const std::optional<std::uint32_t>& ttl) {
    if (!ttl) return nullptr;
    return json::value(*ttl);
}

void put_zone_identity(json::object& o, const core::Zone& z) {
    o.insert({{"id", z.id},
              {"pool_id", z.pool_id},
              {"project_id", z.project_id},
              {"name", z.shown_name()},
              {"email", z.email},
              {"ttl", z.ttl},
              {"serial", z.serial}});
}

void put_times(json::object& o, const std::string& created_at,
               const std::optional<std::string>& updated_at) {
    o["created_at"] = created_at;
    o["updated_at"] = optional_text(updated_at);
}

std::string zone_url(std::string_view base_url, std::string_view zone_id) {
    std::string out(base_url);
    out += "/v2/zones/";
    out += zone_id;
    return out;
}

std::string recordset_url(std::string_view base_url, std::string_view zone_id,
                          std::string_view recordset_id) {
    std::string out = zone_url(base_url, zone_id);
    out += "/recordsets/";
    out += recordset_id;
    return out;
}

std::string pool_url(std::string_view base_url, std::string_view pool_id) {
    std::string out(base_url);
    out += "/v2/pools/";
    out += pool_id;
    return out;
}

json::object zone_to_json(const core::Zone& z, std::string_view base_url) {
    json::object o;
    o.reserve(20);  // every key below: no rehash while filling (pages hold 1,000)
    put_zone_identity(o, z);
    o["status"] = z.status;
    o["action"] = z.action;
    o["description"] = text_or_null(z.description);
    json::array masters;
    for (const auto& m : z.masters) masters.emplace_back(m);
    o["masters"] = std::move(masters);
    o["type"] = z.type;
    o["transferred_at"] = optional_text(z.transferred_at);
    o["version"] = z.version;
    put_times(o, z.created_at, z.updated_at);
    o["attributes"] = json::object();
    o["shared"] = z.shared;
    const std::string self = zone_url(base_url, z.id);
    o["links"] = json::object{{"self", self}, {"recordsets", self + "/recordsets"}};
    return o;
}

json::object recordset_to_json(const core::RecordSet& rs, std::string_view base_url) {
    json::object o;
    o.reserve(15);  // every key below: no rehash while filling (pages hold 1,000)
    o["id"] = rs.id;
    o["project_id"] = rs.project_id;
    o["zone_id"] = rs.zone_id;
    o["zone_name"] = rs.zone_name;
    o["name"] = rs.name;
    o["type"] = rs.type;
    json::array records;
    for (const auto& r : rs.records) records.emplace_back(r.data);
    o["records"] = std::move(records);
    o["ttl"] = optional_ttl(rs.ttl);
    o["description"] = text_or_null(rs.description);
    o["status"] = rs.status;
    o["action"] = rs.action;
    o["version"] = rs.version;
    put_times(o, rs.created_at, rs.updated_at);
    o["links"] = json::object{{"self", recordset_url(base_url, rs.zone_id, rs.id)}};
    return o;
}

json::object pool_to_json(const core::Pool& p, std::string_view base_url) {
    json::object o;
    o["id"] = p.id;
    o["name"] = p.name;
    o["description"] = text_or_null(p.description);
    o["project_id"] = text_or_null(p.project_id);
    json::object attributes;
    for (const auto& [k, v] : p.attributes) attributes[k] = v;
    o["attributes"] = std::move(attributes);
    json::array ns;
    for (const auto& n : p.ns_records)
        ns.push_back(json::object{{"hostname", n.hostname}, {"priority", n.priority}});
    o["ns_records"] = std::move(ns);
    put_times(o, p.created_at, p.updated_at);
    o["links"] = json::object{{"self", pool_url(base_url, p.id)}};
    return o;
}

}  // namespace dnsplane::designate
