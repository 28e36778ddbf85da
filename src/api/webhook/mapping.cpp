#include "api/webhook/mapping.h"

#include <boost/json.hpp>

#include <algorithm>
#include <charconv>
#include <map>
#include <set>

#include "core/error.h"
#include "core/name.h"
#include "core/rdata.h"
#include "core/rdata_syntax.h"

namespace dnsplane::webhook {

namespace json = boost::json;

namespace {

bool is_text(std::string_view type) {
    return type == "TXT" || type == "SPF";
}

// Types whose whole value (CNAME...) or last field (MX) is a host name the
// client writes without the trailing dot.
bool strips_dot(std::string_view type) {
    return type == "CNAME" || type == "NS" || type == "PTR" || type == "DNAME" || type == "MX";
}

}  // namespace

bool is_supported_type(std::string_view type) {
    static const std::set<std::string, std::less<>> types = {
        "A", "AAAA", "CNAME", "TXT", "SRV", "NS", "PTR", "MX", "NAPTR", "DNAME", "CAA", "SPF"};
    return types.count(type) > 0 && core::is_supported_type(type);
}

std::string target_to_rdata(const std::string& type, const std::string& target) {
    if (is_text(type)) return core::detail::join_text_strings(core::detail::chunk_text(target));
    return target;
}

std::string rdata_to_target(const std::string& type, const std::string& canonical) {
    if (is_text(type)) {
        std::string out;
        for (const auto& s : core::detail::parse_text_strings(canonical)) out += s;
        return out;
    }
    if (strips_dot(type) && canonical.size() > 1 && canonical.back() == '.')
        return canonical.substr(0, canonical.size() - 1);
    return canonical;
}

std::string normalise_target(const std::string& type, const std::string& target) {
    // Relative names inside rdata are completed with the root: the client
    // sends "mail.example.com" for "mail.example.com.".
    return rdata_to_target(type, core::canonical_rdata(type, target_to_rdata(type, target), "."));
}

std::string canonical_owner(const std::string& dns_name) {
    std::string why;
    std::string text = dns_name;
    if (text.empty()) throw core::invalid("dnsName must not be empty", {"dnsName"});
    if (text.back() != '.') text += '.';
    auto name = core::try_canonical_name(text, &why);
    if (!name)
        throw core::invalid("dnsName '" + dns_name + "' is not a valid name: " + why, {"dnsName"});
    return *name;
}

std::string endpoint_name(const std::string& canonical) {
    if (canonical.size() > 1 && canonical.back() == '.')
        return canonical.substr(0, canonical.size() - 1);
    return canonical;
}

std::string encode_meta(const std::vector<Identity>& ids) {
    if (ids.empty() || (ids.size() == 1 && ids[0].set_identifier.empty() && ids[0].labels.empty() &&
                        ids[0].provider_specific.empty()))
        return {};
    json::array a;
    for (const auto& id : ids) {
        json::object o;
        o["s"] = id.set_identifier;
        json::array t;
        for (const auto& x : id.targets) t.emplace_back(x);
        o["t"] = std::move(t);
        json::object l;
        for (const auto& [k, v] : id.labels) l[k] = v;
        o["l"] = std::move(l);
        json::array p;
        for (const auto& ps : id.provider_specific)
            p.emplace_back(json::array{json::string(ps.name), json::string(ps.value)});
        o["p"] = std::move(p);
        a.emplace_back(std::move(o));
    }
    return json::serialize(a);
}

std::vector<Identity> decode_meta(std::string_view text) {
    std::vector<Identity> out;
    if (text.empty()) return out;
    boost::system::error_code ec;
    json::value v = json::parse(text, ec);
    if (ec || !v.is_array()) return {};
    for (const auto& e : v.get_array()) {
        const auto* o = e.if_object();
        if (!o) return {};
        Identity id;
        if (auto* s = o->if_contains("s"); s && s->is_string()) id.set_identifier = s->get_string();
        if (auto* t = o->if_contains("t"); t && t->is_array())
            for (const auto& x : t->get_array())
                if (x.is_string()) id.targets.emplace_back(x.get_string());
        if (auto* l = o->if_contains("l"); l && l->is_object())
            for (const auto& kv : l->get_object())
                if (kv.value().is_string())
                    id.labels[std::string(kv.key())] = kv.value().get_string();
        if (auto* p = o->if_contains("p"); p && p->is_array())
            for (const auto& x : p->get_array()) {
                const auto* pair = x.if_array();
                if (pair && pair->size() == 2 && (*pair)[0].is_string() && (*pair)[1].is_string())
                    id.provider_specific.push_back({std::string((*pair)[0].get_string()),
                                                    std::string((*pair)[1].get_string())});
            }
        out.push_back(std::move(id));
    }
    return out;
}

std::vector<Identity> identities_of(const core::RecordSet& rs) {
    std::vector<std::string> values;
    values.reserve(rs.records.size());
    for (const auto& r : rs.records) values.push_back(rdata_to_target(rs.type, r.data));
    std::vector<Identity> ids = decode_meta(rs.provider_meta);
    if (ids.empty()) {
        ids.push_back({});
        ids[0].targets = std::move(values);
        return ids;
    }
    std::set<std::string> held(values.begin(), values.end());
    std::set<std::string> named;
    for (auto& id : ids) {
        std::vector<std::string> kept;
        for (auto& t : id.targets)
            if (held.count(t)) {
                named.insert(t);
                kept.push_back(std::move(t));
            }
        id.targets = std::move(kept);
    }
    std::vector<std::string> rest;
    for (const auto& v : values)
        if (!named.count(v)) rest.push_back(v);
    if (!rest.empty()) {
        auto it = std::find_if(ids.begin(), ids.end(),
                               [](const Identity& i) { return i.set_identifier.empty(); });
        if (it == ids.end()) it = ids.insert(ids.end(), Identity{});
        for (auto& v : rest) it->targets.push_back(std::move(v));
    }
    ids.erase(
        std::remove_if(ids.begin(), ids.end(), [](const Identity& i) { return i.targets.empty(); }),
        ids.end());
    return ids;
}

std::vector<Endpoint> set_endpoints(const core::RecordSet& rs, std::uint32_t zone_ttl) {
    std::vector<Endpoint> out;
    if (rs.managed || !is_supported_type(rs.type)) return out;
    const std::string name = endpoint_name(rs.name);
    const std::int64_t ttl = rs.ttl ? *rs.ttl : zone_ttl;
    for (auto& id : identities_of(rs)) {
        Endpoint e;
        e.dns_name = name;
        e.targets = std::move(id.targets);
        e.record_type = rs.type;
        e.set_identifier = std::move(id.set_identifier);
        e.record_ttl = ttl;
        e.labels = std::move(id.labels);
        e.provider_specific = std::move(id.provider_specific);
        out.push_back(std::move(e));
    }
    return out;
}

namespace {

// rdata_to_target, appended as a JSON string without a temporary for the
// common types (their target is the stored text, or it without the dot).
void append_target_json(std::string& out, std::string_view type, const std::string& canonical) {
    if (is_text(type)) {
        append_json_string(out, rdata_to_target(std::string(type), canonical));
        return;
    }
    std::string_view v = canonical;
    if (strips_dot(type) && v.size() > 1 && v.back() == '.') v.remove_suffix(1);
    append_json_string(out, v);
}

void append_plain_json(std::string& out, std::string_view name, std::string_view type,
                       std::optional<std::uint32_t> set_ttl, std::span<const std::string> values,
                       std::uint32_t zone_ttl) {
    out += "{\"dnsName\":";
    if (name.size() > 1 && name.back() == '.') name.remove_suffix(1);
    append_json_string(out, name);
    if (!values.empty()) {
        out += ",\"targets\":[";
        for (std::size_t i = 0; i < values.size(); ++i) {
            if (i) out += ',';
            append_target_json(out, type, values[i]);
        }
        out += ']';
    }
    out += ",\"recordType\":";
    append_json_string(out, type);
    const std::int64_t ttl = set_ttl ? *set_ttl : zone_ttl;
    if (ttl != 0) {
        char buf[24];
        auto end = std::to_chars(buf, buf + sizeof buf, ttl).ptr;
        out += ",\"recordTTL\":";
        out.append(buf, end);
    }
    out += '}';
}

}  // namespace

void append_plain_set_json(std::string& out, const core::RecordSet& rs, std::uint32_t zone_ttl) {
    std::vector<std::string> values;
    values.reserve(rs.records.size());
    for (const auto& r : rs.records) values.push_back(r.data);
    append_plain_json(out, rs.name, rs.type, rs.ttl, values, zone_ttl);
}

void append_plain_set_json(std::string& out, const store::RecordSetView& rs,
                           std::uint32_t zone_ttl) {
    append_plain_json(out, rs.name, rs.type, rs.ttl, rs.data, zone_ttl);
}

core::RecordSet recordset_of(const store::RecordSetView& v) {
    core::RecordSet rs;
    rs.id = v.id;
    rs.name = v.name;
    rs.type = v.type;
    rs.ttl = v.ttl;
    rs.managed = v.managed;
    rs.provider_meta = v.provider_meta;
    rs.records.reserve(v.data.size());
    for (const auto& d : v.data) rs.records.push_back({{}, d});
    return rs;
}

const core::Zone* zone_of(const std::vector<core::Zone>& zones, const std::string& canonical) {
    const core::Zone* best = nullptr;
    for (const auto& z : zones)
        if (core::is_subdomain(canonical, z.name) && (!best || z.name.size() > best->name.size()))
            best = &z;
    return best;
}

std::vector<Endpoint> adjust_endpoints(std::vector<Endpoint> eps,
                                       const std::vector<core::Zone>& zones) {
    std::vector<Endpoint> out;
    out.reserve(eps.size());
    for (auto& e : eps) {
        if (!is_supported_type(e.record_type)) continue;
        const core::Zone* zone = nullptr;
        std::string owner;
        try {
            owner = canonical_owner(e.dns_name);
            zone = zone_of(zones, owner);
        } catch (const core::Error&) {
        }
        // The apex NS set is managed by dnsplane (GET /records never lists
        // it): wanting it would plan a create that can never apply.
        if (zone && e.record_type == "NS" && owner == zone->name) continue;
        if (e.record_ttl == 0 && zone) e.record_ttl = zone->ttl;
        std::vector<std::string> targets;
        std::set<std::string> seen;
        for (auto& t : e.targets) {
            std::string n;
            try {
                n = normalise_target(e.record_type, t);
            } catch (const core::Error&) {
                n = t;
            }
            if (seen.insert(n).second) targets.push_back(std::move(n));
        }
        e.targets = std::move(targets);
        out.push_back(std::move(e));
    }
    return out;
}

std::string domain_filter_json(const std::vector<std::string>& configured,
                               const std::vector<core::Zone>& zones) {
    std::vector<std::string> names;
    if (!configured.empty()) {
        for (const auto& c : configured)
            if (!c.empty()) names.push_back(c);
    } else {
        for (const auto& z : zones) names.push_back(endpoint_name(z.name));
    }
    std::sort(names.begin(), names.end());
    names.erase(std::unique(names.begin(), names.end()), names.end());
    if (names.empty()) return "{}";
    std::string out = "{\"include\":[";
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (i) out += ',';
        append_json_string(out, names[i]);
    }
    return out + "]}";
}

namespace {

struct Located {
    const core::Zone* zone;
    std::string name;  // canonical
};

Located locate(const Endpoint& e, const std::vector<core::Zone>& zones) {
    if (!is_supported_type(e.record_type))
        throw PlanError("unsupported_type", "record type '" + e.record_type + "' of '" +
                                                e.dns_name + "' is not supported");
    std::string name;
    try {
        name = canonical_owner(e.dns_name);
    } catch (const core::Error& err) {
        throw PlanError("invalid_endpoint", err.what());
    }
    const core::Zone* z = zone_of(zones, name);
    if (!z)
        throw PlanError("no_zone", "'" + e.dns_name +
                                       "' is in no zone of the webhook's project; nothing applied");
    return {z, std::move(name)};
}

template <class Fn>
void each_endpoint(const Changes& c, Fn&& fn) {
    for (const auto* list : {&c.del, &c.update_old, &c.update_new, &c.create})
        for (const auto& e : *list) fn(e);
}

struct Working {
    const core::Zone* zone = nullptr;
    std::string name, type;
    const core::RecordSet* current = nullptr;
    std::vector<Identity> ids;
    std::optional<std::optional<std::int64_t>> ttl;  // outer nullopt: unchanged
};

}  // namespace

std::vector<std::pair<std::string, std::string>> touched_names(
    const Changes& changes, const std::vector<core::Zone>& zones) {
    std::vector<std::pair<std::string, std::string>> out;
    std::set<std::pair<std::string, std::string>> seen;
    each_endpoint(changes, [&](const Endpoint& e) {
        Located l = locate(e, zones);
        std::pair<std::string, std::string> key{l.zone->id, l.name};
        if (seen.insert(key).second) out.push_back(std::move(key));
    });
    return out;
}

std::vector<std::string> zones_to_create(const Changes& changes,
                                         const std::vector<core::Zone>& zones) {
    std::set<std::string> out;
    each_endpoint(changes, [&](const Endpoint& e) {
        std::string name;
        try {
            name = canonical_owner(e.dns_name);
        } catch (const core::Error&) {
            return;  // reported by touched_names
        }
        if (zone_of(zones, name)) return;
        auto labels = core::split_labels(name);
        std::string zone = name;
        if (labels.size() > 2) zone = name.substr(name.find('.') + 1);
        if (zone.rfind("*.", 0) == 0) zone = zone.substr(2);
        out.insert(zone);
    });
    // A parent created here also covers its own children.
    std::vector<std::string> result;
    for (const auto& z : out) {
        bool covered = false;
        for (const auto& other : out)
            if (other != z && core::is_subdomain(z, other)) covered = true;
        if (!covered) result.push_back(z);
    }
    return result;
}

service::ZoneEdit plan_edit(const Changes& changes, const std::vector<core::Zone>& zones,
                            const std::vector<core::RecordSet>& current) {
    std::map<std::tuple<std::string, std::string, std::string>, const core::RecordSet*> stored;
    for (const auto& rs : current) stored[{rs.zone_id, rs.name, rs.type}] = &rs;

    std::map<std::tuple<std::string, std::string, std::string>, Working> work;
    std::vector<Working*> order;
    auto working = [&](const Endpoint& e) -> Working& {
        Located l = locate(e, zones);
        auto key = std::make_tuple(l.zone->id, l.name, e.record_type);
        auto it = work.find(key);
        if (it != work.end()) return it->second;
        Working& w = work[key];
        w.zone = l.zone;
        w.name = l.name;
        w.type = e.record_type;
        auto s = stored.find(key);
        if (s != stored.end()) {
            w.current = s->second;
            w.ids = identities_of(*w.current);
        }
        order.push_back(&w);
        return w;
    };
    auto remove = [&](const Endpoint& e) {
        Working& w = working(e);
        w.ids.erase(
            std::remove_if(w.ids.begin(), w.ids.end(),
                           [&](const Identity& i) { return i.set_identifier == e.set_identifier; }),
            w.ids.end());
    };
    auto put = [&](const Endpoint& e) {
        Working& w = working(e);
        Identity id;
        id.set_identifier = e.set_identifier;
        id.labels = e.labels;
        id.provider_specific = e.provider_specific;
        std::set<std::string> seen;
        for (const auto& t : e.targets) {
            std::string n;
            try {
                n = normalise_target(e.record_type, t);
            } catch (const core::Error& err) {
                throw PlanError("invalid_endpoint",
                                "'" + e.dns_name + "' " + e.record_type + ": " + err.what());
            }
            if (seen.insert(n).second) id.targets.push_back(std::move(n));
        }
        auto it = std::find_if(w.ids.begin(), w.ids.end(), [&](const Identity& i) {
            return i.set_identifier == e.set_identifier;
        });
        // An endpoint without targets describes an empty set: nothing to keep.
        if (id.targets.empty()) {
            if (it != w.ids.end()) w.ids.erase(it);
        } else if (it != w.ids.end()) {
            *it = std::move(id);
        } else {
            w.ids.push_back(std::move(id));
        }
        w.ttl = e.record_ttl > 0 ? std::optional<std::int64_t>(e.record_ttl) : std::nullopt;
    };
    for (const auto& e : changes.del) remove(e);
    for (const auto& e : changes.update_old) remove(e);
    for (const auto& e : changes.update_new) put(e);
    for (const auto& e : changes.create) put(e);

    service::ZoneEdit edit;
    edit.want_operation_results = false;  // POST /records answers 204
    for (Working* w : order) {
        service::EditTarget target;
        target.zone_id = w->zone->id;
        target.name = w->name;
        target.type = w->type;
        service::Prerequisite guard;
        guard.target = target;
        if (w->current) {
            guard.kind = service::PrerequisiteKind::SetVersion;
            guard.version = w->current->version;
        } else {
            guard.kind = service::PrerequisiteKind::SetAbsent;
        }
        service::EditOp op;
        op.target = target;
        if (w->ids.empty()) {
            if (!w->current) continue;  // nothing there, nothing wanted
            op.kind = service::EditOpKind::DeleteSet;
            op.missing_ok = true;
        } else {
            op.kind = service::EditOpKind::ReplaceSet;
            std::vector<std::string> values;
            std::set<std::string> seen;
            for (const auto& id : w->ids)
                for (const auto& t : id.targets) {
                    std::string r =
                        core::canonical_rdata(w->type, target_to_rdata(w->type, t), ".");
                    if (seen.insert(r).second) values.push_back(std::move(r));
                }
            op.records = std::move(values);
            op.ttl = w->ttl;
            op.provider_meta = encode_meta(w->ids);
        }
        edit.prerequisites.push_back(std::move(guard));
        edit.operations.push_back(std::move(op));
    }
    return edit;
}

}  // namespace dnsplane::webhook
