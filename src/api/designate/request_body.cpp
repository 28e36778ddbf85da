// Request bodies -> service inputs. Mirrors Designate's JSON schemas
// (additionalProperties false, typed fields) and reports every bad field at
// once as {"path": [...], "message": ..., "validator": ...}.
#include <algorithm>
#include <cctype>
#include <set>

#include "api/common/field_reader.h"
#include "api/common/json_body.h"
#include "api/designate/json_codec.h"
#include "core/error.h"
#include "core/rdata.h"

namespace dnsplane::designate {

namespace json = boost::json;
using core::FieldError;

namespace {

std::string upper(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
}

using api::FieldReader;

// Rejects members outside `allowed` (read-only ones with their own message)
// and a body giving both `description` and its draft alias `notes`.
void check_members(FieldReader& r, const json::object& obj,
                   const std::set<std::string_view>& allowed,
                   const std::set<std::string_view>& read_only) {
    r.check_members(allowed, read_only);
    if (obj.contains("description") && obj.contains("notes"))
        r.add({"notes"}, "'notes' is an alias of 'description': give only one", "oneOf");
}

// The description, read from `description` or its draft alias `notes`
// (null clears it). Its length is a service rule.
std::optional<std::string> read_description(FieldReader& r) {
    if (r.has("description")) return r.text("description", true);
    if (r.has("notes")) return r.text("notes", true);
    return std::nullopt;
}

// Read-only fields of each resource, echoed back by some clients.
const std::set<std::string_view> kZoneReadOnly = {
    "id",      "pool_id",    "project_id", "serial",         "status", "action",
    "version", "created_at", "updated_at", "transferred_at", "links",  "shared"};
const std::set<std::string_view> kRecordSetReadOnly = {
    "id",     "project_id", "zone_id",    "zone_name",  "status",
    "action", "version",    "created_at", "updated_at", "links"};

// A dict member as core::rdata_from_field_values reads it; which fields take a
// number is core's rule, the same for every write path.
core::RdataFieldValue dict_value(const json::value& v) {
    if (v.is_string()) return {std::string(v.get_string()), false};
    if (v.is_int64()) return {std::to_string(v.get_int64()), true};
    return {std::to_string(v.get_uint64()), true};
}

}  // namespace

json::object read_body_object(const http::Request& req, std::string_view wrapper) {
    json::object obj = api::read_json_object(req);
    if (obj.size() == 1 && obj.contains(wrapper)) {
        json::value& inner = obj.at(wrapper);
        if (!inner.is_object()) {
            std::string message = "'" + std::string(wrapper) + "' must be an object, not " +
                                  api::json_kind_name(inner);
            throw core::Error(core::ErrorKind::Invalid, "invalid_object", message,
                              {FieldError{{std::string(wrapper)}, message, "type"}});
        }
        return std::move(inner.get_object());
    }
    return obj;
}

std::vector<std::string> parse_records(const json::value& v, std::string_view type,
                                       std::vector<FieldError>& errors) {
    std::vector<std::string> out;
    if (!v.is_array()) {
        errors.push_back({{"records"},
                          std::string("'records' must be a list, not ") + api::json_kind_name(v),
                          "type"});
        return out;
    }
    const auto& items = v.get_array();
    for (std::size_t i = 0; i < items.size(); ++i) {
        const json::value& item = items[i];
        const std::string index = std::to_string(i);
        if (item.is_string()) {
            out.emplace_back(item.get_string());
            continue;
        }
        if (!item.is_object()) {
            errors.push_back({{"records", index},
                              std::string("records[") + index +
                                  "] must be a string or an object, not " +
                                  api::json_kind_name(item),
                              "type"});
            continue;
        }
        // The 2013 draft's dict form, e.g. {"preference": 10, "exchange": "mx.example.org."}.
        std::vector<std::pair<std::string, core::RdataFieldValue>> fields;
        bool ok = true;
        for (const auto& member : item.get_object()) {
            const json::value& fv = member.value();
            std::string key(member.key());
            if (fv.is_string() || fv.is_int64() || fv.is_uint64()) {
                fields.emplace_back(key, dict_value(fv));
            } else {
                ok = false;
                errors.push_back({{"records", index, key},
                                  "records[" + index + "]." + key +
                                      " must be a string or an integer, not " +
                                      api::json_kind_name(fv),
                                  "type"});
            }
        }
        if (!ok || type.empty()) continue;
        try {
            out.push_back(core::rdata_from_field_values(type, fields));
        } catch (const core::Error& e) {
            if (e.fields().empty()) {
                errors.push_back({{"records", index}, e.what(), "format"});
            } else {
                for (const auto& f : e.fields()) {
                    std::vector<std::string> path = {"records", index};
                    path.insert(path.end(), f.path.begin(), f.path.end());
                    errors.push_back({std::move(path), f.message, f.validator});
                }
            }
        }
    }
    return out;
}

namespace {
// "masters": a list of "host[:port]" strings (their syntax is the service's
// rule); nullopt when absent.
std::optional<std::vector<std::string>> read_masters(FieldReader& r, const json::object& body) {
    const json::value* masters = body.if_contains("masters");
    if (!masters) return std::nullopt;
    std::vector<std::string> out;
    if (!masters->is_array()) {
        r.type_error("masters", masters, "a list");
        return out;
    }
    const auto& list = masters->get_array();
    for (std::size_t i = 0; i < list.size(); ++i) {
        if (list[i].is_string())
            out.emplace_back(list[i].get_string());
        else
            r.add({"masters", std::to_string(i)}, "A master must be a string", "type");
    }
    return out;
}
}  // namespace

service::ZoneCreate parse_zone_create(const json::object& body) {
    FieldReader r(body);
    check_members(r, body,
                  {"name", "email", "ttl", "description", "notes", "type", "masters", "attributes"},
                  kZoneReadOnly);
    r.require("name");
    service::ZoneCreate in;
    if (auto name = r.text("name", false)) in.name = *name;
    if (auto email = r.text("email", false)) in.email = *email;
    if (auto ttl = r.integer("ttl", true)) in.ttl = *ttl;  // null: the default TTL
    if (auto d = read_description(r)) in.description = *d;
    if (auto type = r.text("type", false)) in.type = upper(*type);
    if (auto masters = read_masters(r, body)) in.masters = std::move(*masters);
    if (const json::value* attrs = body.if_contains("attributes")) {
        // Designate uses attributes to choose a pool; dnsplane has one pool.
        if (!attrs->is_object()) r.type_error("attributes", attrs, "an object");
    }
    r.throw_if_failed();
    return in;
}

service::ZoneUpdate parse_zone_update(const json::object& body, std::uint32_t default_zone_ttl) {
    FieldReader r(body);
    std::set<std::string_view> read_only = kZoneReadOnly;
    read_only.insert({"name", "type", "attributes"});
    check_members(r, body, {"email", "ttl", "description", "notes", "masters"}, read_only);
    service::ZoneUpdate in;
    in.email = r.text("email", false);
    if (auto ttl = r.integer("ttl", true)) in.ttl = ttl->value_or(default_zone_ttl);
    in.description = read_description(r);
    in.masters = read_masters(r, body);  // SECONDARY zones only: the service's rule
    r.throw_if_failed();
    return in;
}

service::RecordSetCreate parse_recordset_create(const json::object& body) {
    FieldReader r(body);
    check_members(r, body, {"name", "type", "ttl", "description", "notes", "records"},
                  kRecordSetReadOnly);
    r.require("name");
    r.require("type");
    r.require("records");
    service::RecordSetCreate in;
    if (auto name = r.text("name", false)) in.name = *name;
    if (auto type = r.text("type", false)) in.type = upper(*type);
    if (auto ttl = r.integer("ttl", true)) in.ttl = *ttl;
    if (auto d = read_description(r)) in.description = *d;
    if (const json::value* records = body.if_contains("records"))
        in.records = parse_records(*records, in.type, r.errors());
    r.throw_if_failed();
    return in;
}

service::RecordSetUpdate parse_recordset_update(const json::object& body,
                                                const std::function<std::string()>& type_of) {
    FieldReader r(body);
    std::set<std::string_view> read_only = kRecordSetReadOnly;
    read_only.insert({"name", "type"});
    check_members(r, body, {"ttl", "description", "notes", "records"}, read_only);
    service::RecordSetUpdate in;
    in.ttl = r.integer("ttl", true);  // inner nullopt: back to the zone's TTL
    in.description = read_description(r);
    if (const json::value* records = body.if_contains("records")) {
        bool has_dicts = records->is_array() &&
                         std::any_of(records->get_array().begin(), records->get_array().end(),
                                     [](const json::value& x) { return x.is_object(); });
        // Only dicts need the type; asking for it may cost a store read.
        std::string type = has_dicts && r.errors().empty() ? type_of() : std::string();
        in.records = parse_records(*records, type, r.errors());
    }
    r.throw_if_failed();
    return in;
}

}  // namespace dnsplane::designate
