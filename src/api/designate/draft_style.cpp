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

// Every draft resource closes alike: ACTIVE, since dnsplane applies a change
// before it answers (the draft's synchronous case), then version and times.
void put_active_revision(json::object& o, std::int64_t version, const std::string& created_at,
                         const std::optional<std::string>& updated_at) {
    o["status"] = "ACTIVE";
    o["version"] = version;
    put_times(o, created_at, updated_at);
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
    put_zone_identity(o, z);
    o["notes"] = text_or_null(z.description);
    put_active_revision(o, z.version, z.created_at, z.updated_at);
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
    o["ttl"] = optional_ttl(rs.ttl);
    if (with_records) {
        json::array records;
        for (const auto& r : rs.records) records.push_back(record_to_dict(rs.type, r.data));
        o["records"] = std::move(records);
    }
    o["notes"] = text_or_null(rs.description);
    put_active_revision(o, rs.version, rs.created_at, rs.updated_at);
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
    put_active_revision(o, 1, p.created_at, p.updated_at);  // config pools never change
    o["links"] = json::object{{"self", pool_url(base_url, p.id)}};
    return o;
}

}  // namespace draft
}  // namespace dnsplane::designate
