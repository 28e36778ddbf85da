// Model values -> the 2013 draft's resource objects.
#include "api/designate/draft_style.h"

#include <algorithm>
#include <charconv>

#include "api/designate/json_codec.h"
#include "core/error.h"
#include "core/rdata.h"

namespace dnsplane::designate {

namespace json = boost::json;

ApiStyle parse_api_style(std::string_view text) {
    if (text == "final") return ApiStyle::Final;
    if (text == "draft") return ApiStyle::Draft;
    throw core::invalid("designate style must be 'final' or 'draft', not '" + std::string(text) +
                        "'");
}

namespace draft {

namespace {

// The draft's "None" defaults are JSON null.
json::value text_or_null(const std::string& s) {
    if (s.empty()) return nullptr;
    return json::value(s);
}

json::value optional_text(const std::optional<std::string>& s) {
    if (!s) return nullptr;
    return json::value(*s);
}

// Integer rdata fields are JSON numbers; text that is not a plain decimal
// (never expected from canonical rdata) stays a string rather than lose data.
json::value integer_value(const std::string& text) {
    std::uint64_t n = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (ec != std::errc() || end != text.data() + text.size()) return json::value(text);
    return json::value(n);
}

}  // namespace

json::object record_to_dict(std::string_view type, std::string_view canonical) {
    const auto& fields = core::rdata_fields(type);
    json::object dict;
    for (auto& [name, value] : core::rdata_to_fields(type, canonical)) {
        auto field = std::find_if(fields.begin(), fields.end(),
                                  [&](const core::RdataField& f) { return f.name == name; });
        bool is_integer = field != fields.end() && field->is_integer;
        dict[name] = is_integer ? integer_value(value) : json::value(value);
    }
    return dict;
}

json::object zone_to_json(const core::Zone& z, std::string_view base_url) {
    json::object o;
    o["id"] = z.id;
    o["pool_id"] = z.pool_id;
    o["project_id"] = z.project_id;
    o["name"] = z.name;
    o["email"] = z.email;
    o["ttl"] = z.ttl;
    o["serial"] = z.serial;
    o["notes"] = text_or_null(z.description);
    o["status"] = "ACTIVE";
    o["version"] = z.version;
    o["created_at"] = z.created_at;
    o["updated_at"] = optional_text(z.updated_at);
    o["links"] = json::object{{"self", zone_url(base_url, z.id)}};
    return o;
}

json::object recordset_to_json(const core::RecordSet& rs, std::string_view base_url,
                               bool with_records) {
    json::object o;
    o["id"] = rs.id;
    o["zone_id"] = rs.zone_id;
    o["name"] = rs.name;
    o["type"] = rs.type;
    if (rs.ttl)
        o["ttl"] = *rs.ttl;
    else
        o["ttl"] = nullptr;
    if (with_records) {
        json::array records;
        for (const auto& r : rs.records) records.push_back(record_to_dict(rs.type, r.data));
        o["records"] = std::move(records);
    }
    o["notes"] = text_or_null(rs.description);
    o["status"] = "ACTIVE";
    o["version"] = rs.version;
    o["created_at"] = rs.created_at;
    o["updated_at"] = optional_text(rs.updated_at);
    o["links"] = json::object{{"self", recordset_url(base_url, rs.zone_id, rs.id)}};
    return o;
}

json::object pool_to_json(const core::Pool& p, std::string_view base_url) {
    json::object o;
    o["id"] = p.id;
    o["project_id"] = text_or_null(p.project_id);
    o["name"] = p.name;
    o["flavor_id"] = nullptr;
    o["public"] = p.project_id.empty();
    std::vector<core::NameServer> ns = p.ns_records;
    std::stable_sort(ns.begin(), ns.end(),
                     [](const auto& a, const auto& b) { return a.priority < b.priority; });
    json::array nameservers;
    for (const auto& n : ns) nameservers.emplace_back(n.hostname);
    o["nameservers"] = std::move(nameservers);
    o["notes"] = text_or_null(p.description);
    o["status"] = "ACTIVE";
    o["version"] = 1;
    o["created_at"] = p.created_at;
    o["updated_at"] = optional_text(p.updated_at);
    o["links"] = json::object{{"self", pool_url(base_url, p.id)}};
    return o;
}

}  // namespace draft
}  // namespace dnsplane::designate
