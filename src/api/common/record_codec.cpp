#include "api/common/record_codec.h"

#include "api/common/field_reader.h"
#include "core/error.h"

namespace dnsplane::api {

namespace json = boost::json;

namespace {

std::string without_dot(std::string name) {
    if (name.size() > 1 && name.back() == '.') name.pop_back();
    return name;
}

const std::set<std::string_view> kMembers = {"type", "name", "content", "ttl", "options"};
const std::set<std::string_view> kReadOnly = {"id"};

std::optional<std::int64_t> read_ttl(api::FieldReader& r) {
    auto ttl = r.integer("ttl", /*nullable=*/true);
    if (!ttl) return std::nullopt;
    return ttl->value_or(0);  // null: the zone's default, as 0
}

std::optional<std::int64_t> read_priority(const json::object& body, api::FieldReader& r) {
    const json::value* options = body.if_contains("options");
    if (!options || options->is_null()) return std::nullopt;
    if (!options->is_object()) {
        r.type_error("options", options, "an object");
        return std::nullopt;
    }
    const json::value* mx = options->as_object().if_contains("mx");
    if (!mx || mx->is_null()) return std::nullopt;
    const json::value* prio = mx->is_object() ? mx->as_object().if_contains("priority") : nullptr;
    if (!prio) {
        r.add({"options", "mx", "priority"}, "options.mx needs an integer 'priority'", "required");
        return std::nullopt;
    }
    if (prio->is_int64() && prio->as_int64() >= 0 && prio->as_int64() <= 65535)
        return prio->as_int64();
    if (prio->is_uint64() && prio->as_uint64() <= 65535)
        return static_cast<std::int64_t>(prio->as_uint64());
    r.add({"options", "mx", "priority"}, "options.mx.priority must be an integer 0..65535", "type");
    return std::nullopt;
}

}  // namespace

json::object record_json(const service::LexRecord& r) {
    json::object options;
    if (r.mx_priority) options["mx"] = json::object{{"priority", *r.mx_priority}};
    return json::object{{"id", r.id},   {"type", r.type},       {"name", without_dot(r.name)},
                        {"ttl", r.ttl}, {"content", r.content}, {"options", std::move(options)}};
}

namespace {

void append_string(std::string& out, std::string_view s) {
    static constexpr char kHex[] = "0123456789abcdef";
    out.push_back('"');
    for (char ch : s) {
        auto c = static_cast<unsigned char>(ch);
        if (c == '"' || c == '\\') {
            out.push_back('\\');
            out.push_back(ch);
        } else if (c < 0x20) {
            out += "\\u00";
            out.push_back(kHex[c >> 4]);
            out.push_back(kHex[c & 15]);
        } else {
            out.push_back(ch);
        }
    }
    out.push_back('"');
}

}  // namespace

std::string records_json(const std::vector<service::LexRecord>& records) {
    std::string out;
    out.reserve(records.size() * 160 + 2);
    out.push_back('[');
    bool first = true;
    for (const auto& r : records) {
        if (!first) out.push_back(',');
        first = false;
        out += "{\"id\":";
        append_string(out, r.id);
        out += ",\"type\":";
        append_string(out, r.type);
        out += ",\"name\":";
        std::string_view name = r.name;
        if (name.size() > 1 && name.back() == '.') name.remove_suffix(1);
        append_string(out, name);
        out += ",\"ttl\":";
        out += std::to_string(r.ttl);
        out += ",\"content\":";
        append_string(out, r.content);
        out += ",\"options\":{";
        if (r.mx_priority) out += "\"mx\":{\"priority\":" + std::to_string(*r.mx_priority) + "}";
        out += "}}";
    }
    out.push_back(']');
    return out;
}

json::object domain_json(const core::Zone& z) {
    return json::object{{"id", z.id}, {"name", without_dot(z.shown_name())}, {"ttl", z.ttl}};
}

service::RecordFilter parse_filter(const http::Request& req,
                                   const std::set<std::string_view>& other_keys) {
    service::RecordFilter f;
    for (const auto& [key, value] : req.query) {
        if (key == "type")
            f.type = value;
        else if (key == "name")
            f.name = value;
        else if (key == "content")
            f.content = value;
        else if (!other_keys.count(key))
            throw core::bad_request("invalid_filter", "Unknown query parameter '" + key +
                                                          "' (filters: type, name, content)");
    }
    return f;
}

service::RecordCreate parse_create(const json::object& body) {
    api::FieldReader r(body);
    r.check_members(kMembers, kReadOnly);
    r.require("type");
    r.require("name");
    r.require("content");
    service::RecordCreate in;
    in.type = r.text("type", false).value_or("");
    in.name = r.text("name", false).value_or("");
    in.content = r.text("content", false).value_or("");
    in.ttl = read_ttl(r);
    in.mx_priority = read_priority(body, r);
    r.throw_if_failed();
    return in;
}

service::RecordChange parse_change(const json::object& body) {
    api::FieldReader r(body);
    r.check_members(kMembers, kReadOnly);
    service::RecordChange in;
    in.type = r.text("type", false);
    in.name = r.text("name", false);
    in.content = r.text("content", false);
    in.ttl = read_ttl(r);
    in.mx_priority = read_priority(body, r);
    r.throw_if_failed();
    return in;
}

}  // namespace dnsplane::api
