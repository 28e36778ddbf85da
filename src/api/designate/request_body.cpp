// Request bodies -> service inputs. Mirrors Designate's JSON schemas
// (additionalProperties false, typed fields) and reports every bad field at
// once as {"path": [...], "message": ..., "validator": ...}.
#include <algorithm>
#include <cctype>
#include <set>

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

std::string lower_trimmed_media_type(std::string_view content_type) {
    auto semi = content_type.find(';');
    std::string_view media = content_type.substr(0, semi);
    while (!media.empty() && std::isspace(static_cast<unsigned char>(media.front())))
        media.remove_prefix(1);
    while (!media.empty() && std::isspace(static_cast<unsigned char>(media.back())))
        media.remove_suffix(1);
    std::string out(media);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

const char* kind_name(const json::value& v) {
    switch (v.kind()) {
        case json::kind::null:
            return "null";
        case json::kind::bool_:
            return "a boolean";
        case json::kind::int64:
        case json::kind::uint64:
            return "an integer";
        case json::kind::double_:
            return "a number";
        case json::kind::string:
            return "a string";
        case json::kind::array:
            return "a list";
        case json::kind::object:
            return "an object";
    }
    return "a value";
}

// Collects field errors while reading one body object.
class FieldReader {
  public:
    explicit FieldReader(const json::object& obj) : obj_(obj) {}

    std::vector<FieldError>& errors() { return errors_; }

    // Rejects members outside `allowed`; read-only ones get their own message.
    void check_members(const std::set<std::string_view>& allowed,
                       const std::set<std::string_view>& read_only) {
        for (const auto& member : obj_) {
            std::string key(member.key());
            if (allowed.count(key)) continue;
            if (read_only.count(key))
                add({key}, "'" + key + "' is a read-only field and cannot be set", "readOnly");
            else
                add({key}, "Additional properties are not allowed ('" + key + "' was unexpected)",
                    "additionalProperties");
        }
        if (obj_.contains("description") && obj_.contains("notes"))
            add({"notes"}, "'notes' is an alias of 'description': give only one", "oneOf");
    }

    bool has(std::string_view key) const { return obj_.contains(key); }

    void require(std::string_view key) {
        if (!obj_.contains(key))
            add({std::string(key)}, "'" + std::string(key) + "' is a required property",
                "required");
    }

    // Absent: nullopt. Null is accepted only when `nullable` and reads as "".
    std::optional<std::string> text(std::string_view key, bool nullable) {
        const json::value* v = obj_.if_contains(key);
        if (!v) return std::nullopt;
        if (v->is_null() && nullable) return std::string();
        if (!v->is_string()) {
            type_error(key, v, nullable ? "a string or null" : "a string");
            return std::nullopt;
        }
        return std::string(v->get_string());
    }

    // Absent: nullopt. Present null (when `nullable`): an engaged inner nullopt.
    std::optional<std::optional<std::int64_t>> integer(std::string_view key, bool nullable) {
        const json::value* v = obj_.if_contains(key);
        if (!v) return std::nullopt;
        if (v->is_null() && nullable) return std::optional<std::int64_t>();
        if (v->is_int64()) return std::optional<std::int64_t>(v->get_int64());
        if (v->is_uint64()) {
            add({std::string(key)}, "'" + std::string(key) + "' is out of range", "maximum");
            return std::nullopt;
        }
        type_error(key, v, nullable ? "an integer or null" : "an integer");
        return std::nullopt;
    }

    // The description, read from `description` or its draft alias `notes`
    // (null clears it). Its length is a service rule.
    std::optional<std::string> description() {
        if (obj_.contains("description")) return text("description", true);
        if (obj_.contains("notes")) return text("notes", true);
        return std::nullopt;
    }

    void type_error(std::string_view key, const json::value* v, std::string_view expected) {
        add({std::string(key)},
            "'" + std::string(key) + "' must be " + std::string(expected) + ", not " +
                kind_name(*v),
            "type");
    }

    void add(std::vector<std::string> path, std::string message, std::string validator) {
        errors_.push_back({std::move(path), std::move(message), std::move(validator)});
    }

    // One error carrying every field problem; its message joins them so that
    // clients that print only `message` still say what is wrong.
    void throw_if_failed() const {
        if (errors_.empty()) return;
        std::string message;
        for (const auto& e : errors_) {
            if (!message.empty()) message += "; ";
            message += e.message;
        }
        throw core::Error(core::ErrorKind::Invalid, "invalid_object", message, errors_);
    }

  private:
    const json::object& obj_;
    std::vector<FieldError> errors_;
};

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
    // A missing Content-Type is tolerated (simple scripts omit it); a wrong one is not.
    if (auto ct = req.header("content-type")) {
        std::string media = lower_trimmed_media_type(*ct);
        if (!media.empty() && media != "application/json")
            throw core::Error(core::ErrorKind::UnsupportedMedia, "unsupported_media_type",
                              "Unsupported Content-Type '" + media +
                                  "': the request body must be application/json");
    }
    const bool blank = std::all_of(req.body.begin(), req.body.end(), [](char c) {
        return std::isspace(static_cast<unsigned char>(c));
    });
    if (blank) throw core::bad_request("bad_request", "The request body is empty");

    boost::system::error_code ec;
    json::value v = json::parse(req.body, ec);
    if (ec) throw core::bad_request("bad_request", "Malformed JSON body: " + ec.message());
    if (!v.is_object()) {
        std::string message =
            std::string("The request body must be a JSON object, not ") + kind_name(v);
        throw core::Error(core::ErrorKind::Invalid, "invalid_object", message,
                          {FieldError{{}, message, "type"}});
    }
    json::object& obj = v.get_object();
    if (obj.size() == 1 && obj.contains(wrapper)) {
        json::value& inner = obj.at(wrapper);
        if (!inner.is_object()) {
            std::string message =
                "'" + std::string(wrapper) + "' must be an object, not " + kind_name(inner);
            throw core::Error(core::ErrorKind::Invalid, "invalid_object", message,
                              {FieldError{{std::string(wrapper)}, message, "type"}});
        }
        return std::move(inner.get_object());
    }
    return std::move(obj);
}

std::vector<std::string> parse_records(const json::value& v, std::string_view type,
                                       std::vector<FieldError>& errors) {
    std::vector<std::string> out;
    if (!v.is_array()) {
        errors.push_back(
            {{"records"}, std::string("'records' must be a list, not ") + kind_name(v), "type"});
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
                                  "] must be a string or an object, not " + kind_name(item),
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
                                      " must be a string or an integer, not " + kind_name(fv),
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

service::ZoneCreate parse_zone_create(const json::object& body) {
    FieldReader r(body);
    r.check_members(
        {"name", "email", "ttl", "description", "notes", "type", "masters", "attributes"},
        kZoneReadOnly);
    r.require("name");
    service::ZoneCreate in;
    if (auto name = r.text("name", false)) in.name = *name;
    if (auto email = r.text("email", false)) in.email = *email;
    if (auto ttl = r.integer("ttl", true)) in.ttl = *ttl;  // null: the default TTL
    if (auto d = r.description()) in.description = *d;
    if (auto type = r.text("type", false)) in.type = upper(*type);
    if (const json::value* masters = body.if_contains("masters")) {
        if (!masters->is_array())
            r.type_error("masters", masters, "a list");
        else if (!masters->get_array().empty())
            r.add({"masters"}, "Secondary zones (masters) are not supported", "enum");
    }
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
    read_only.insert({"name", "type", "masters", "attributes"});
    r.check_members({"email", "ttl", "description", "notes"}, read_only);
    service::ZoneUpdate in;
    in.email = r.text("email", false);
    if (auto ttl = r.integer("ttl", true)) in.ttl = ttl->value_or(default_zone_ttl);
    in.description = r.description();
    r.throw_if_failed();
    return in;
}

service::RecordSetCreate parse_recordset_create(const json::object& body) {
    FieldReader r(body);
    r.check_members({"name", "type", "ttl", "description", "notes", "records"}, kRecordSetReadOnly);
    r.require("name");
    r.require("type");
    r.require("records");
    service::RecordSetCreate in;
    if (auto name = r.text("name", false)) in.name = *name;
    if (auto type = r.text("type", false)) in.type = upper(*type);
    if (auto ttl = r.integer("ttl", true)) in.ttl = *ttl;
    if (auto d = r.description()) in.description = *d;
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
    r.check_members({"ttl", "description", "notes", "records"}, read_only);
    service::RecordSetUpdate in;
    in.ttl = r.integer("ttl", true);  // inner nullopt: back to the zone's TTL
    in.description = r.description();
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
