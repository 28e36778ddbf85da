#include "store/row_codec.h"

#include <boost/json.hpp>

namespace dnsplane::store {
namespace json = boost::json;

namespace {

[[noreturn]] void corrupt(std::string_view what) {
    throw core::Error(core::ErrorKind::Internal, "database_error",
                      "malformed " + std::string(what) + " in the database");
}

json::value parse_json(std::string_view text, std::string_view what) {
    boost::system::error_code ec;
    json::value v = json::parse(text, ec);
    if (ec) corrupt(what);
    return v;
}

}  // namespace

std::string ns_records_to_json(const std::vector<core::NameServer>& ns) {
    json::array a;
    for (const auto& n : ns) a.push_back(json::array{json::string(n.hostname), n.priority});
    return json::serialize(a);
}

std::vector<core::NameServer> ns_records_from_json(std::string_view text) {
    json::value ns = parse_json(text, "pool ns_records");
    if (!ns.is_array()) corrupt("pool ns_records");
    std::vector<core::NameServer> out;
    for (const auto& e : ns.get_array()) {
        const auto* pair = e.if_array();
        if (!pair || pair->size() != 2 || !(*pair)[0].is_string() || !(*pair)[1].is_int64())
            corrupt("pool ns_records");
        out.push_back(
            {std::string((*pair)[0].get_string()), static_cast<int>((*pair)[1].get_int64())});
    }
    return out;
}

std::string attributes_to_json(const std::map<std::string, std::string>& attributes) {
    json::object o;
    for (const auto& [k, v] : attributes) o[k] = v;
    return json::serialize(o);
}

std::map<std::string, std::string> attributes_from_json(std::string_view text) {
    json::value attrs = parse_json(text, "pool attributes");
    if (!attrs.is_object()) corrupt("pool attributes");
    std::map<std::string, std::string> out;
    for (const auto& [k, v] : attrs.get_object()) {
        if (!v.is_string()) corrupt("pool attributes");
        out[std::string(k)] = std::string(v.get_string());
    }
    return out;
}

std::string strings_to_json(const std::vector<std::string>& values) {
    json::array a;
    a.reserve(values.size());
    for (const auto& v : values) a.emplace_back(v);
    return json::serialize(a);
}

std::vector<std::string> strings_from_json(std::string_view text) {
    json::value v = parse_json(text, "string list");
    if (!v.is_array()) corrupt("string list");
    std::vector<std::string> out;
    for (const auto& e : v.get_array()) {
        if (!e.is_string()) corrupt("string list");
        out.emplace_back(e.get_string());
    }
    return out;
}

std::string rrs_to_json(const std::vector<core::ResourceRecord>& rrs) {
    json::array a;
    a.reserve(rrs.size());
    for (const auto& rr : rrs)
        a.emplace_back(json::array{json::string(rr.name), json::string(rr.type),
                                   std::uint64_t{rr.ttl}, json::string(rr.data)});
    return json::serialize(a);
}

std::vector<core::ResourceRecord> rrs_from_json(std::string_view text) {
    json::value v = parse_json(text, "change log entry");
    if (!v.is_array()) corrupt("change log entry");
    std::vector<core::ResourceRecord> out;
    for (const auto& e : v.get_array()) {
        const auto* row = e.if_array();
        if (!row || row->size() != 4 || !(*row)[0].is_string() || !(*row)[1].is_string() ||
            !(*row)[3].is_string())
            corrupt("change log entry");
        boost::system::error_code ec;
        auto ttl = (*row)[2].to_number<std::uint32_t>(ec);
        if (ec) corrupt("change log entry");
        out.push_back(core::ResourceRecord{std::string((*row)[0].get_string()),
                                           std::string((*row)[1].get_string()), ttl,
                                           std::string((*row)[3].get_string())});
    }
    return out;
}

// Keys are the zones table's column names; `shared` is not stored.
std::string zone_to_json(const core::Zone& z) {
    json::object o;
    o["id"] = z.id;
    o["pool_id"] = z.pool_id;
    o["project_id"] = z.project_id;
    o["name"] = z.name;
    o["spelled_name"] = z.spelled_name;
    o["email"] = z.email;
    o["ttl"] = z.ttl;
    o["serial"] = z.serial;
    o["status"] = z.status;
    o["action"] = z.action;
    o["description"] = z.description;
    o["type"] = z.type;
    json::array masters;
    for (const auto& m : z.masters) masters.emplace_back(m);
    o["masters"] = std::move(masters);
    if (z.transferred_at) o["transferred_at"] = *z.transferred_at;
    o["version"] = z.version;
    o["created_at"] = z.created_at;
    if (z.updated_at) o["updated_at"] = *z.updated_at;
    o["refresh"] = z.refresh;
    o["retry"] = z.retry;
    o["expire"] = z.expire;
    o["minimum"] = z.minimum;
    o["soa_mname"] = z.soa_mname;
    o["soa_rname"] = z.soa_rname;
    return json::serialize(o);
}

std::optional<core::Zone> zone_from_json(std::string_view text) try {
    json::value v = parse_json(text, "change log zone row");
    const json::object* o = v.if_object();
    if (!o) corrupt("change log zone row");
    auto str = [&](std::string_view key) -> std::string {
        const json::value* f = o->if_contains(key);
        if (!f) return {};
        if (!f->is_string()) corrupt("change log zone row");
        return std::string(f->get_string());
    };
    auto opt = [&](std::string_view key) -> std::optional<std::string> {
        if (!o->contains(key)) return std::nullopt;
        return str(key);
    };
    auto num = [&]<class T>(std::string_view key, T fallback) -> T {
        const json::value* f = o->if_contains(key);
        if (!f) return fallback;
        boost::system::error_code ec;
        T n = f->to_number<T>(ec);
        if (ec) corrupt("change log zone row");
        return n;
    };
    core::Zone z;
    z.id = str("id");
    z.pool_id = str("pool_id");
    z.project_id = str("project_id");
    z.name = str("name");
    z.spelled_name = str("spelled_name");
    z.email = str("email");
    z.ttl = num("ttl", z.ttl);
    z.serial = num("serial", z.serial);
    z.status = str("status");
    z.action = str("action");
    z.description = str("description");
    z.type = str("type");
    if (const json::value* m = o->if_contains("masters")) {
        if (!m->is_array()) corrupt("change log zone row");
        for (const auto& e : m->get_array()) {
            if (!e.is_string()) corrupt("change log zone row");
            z.masters.emplace_back(e.get_string());
        }
    }
    z.transferred_at = opt("transferred_at");
    z.version = num("version", z.version);
    z.created_at = str("created_at");
    z.updated_at = opt("updated_at");
    z.refresh = num("refresh", z.refresh);
    z.retry = num("retry", z.retry);
    z.expire = num("expire", z.expire);
    z.minimum = num("minimum", z.minimum);
    z.soa_mname = str("soa_mname");
    z.soa_rname = str("soa_rname");
    if (z.id.empty() || z.name.empty()) corrupt("change log zone row");
    return z;
} catch (const core::Error&) {
    return std::nullopt;
}

std::string reversed(std::string_view name) {
    return std::string(name.rbegin(), name.rend());
}

}  // namespace dnsplane::store
