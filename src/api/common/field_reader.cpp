#include "api/common/field_reader.h"

#include "api/common/json_body.h"

namespace dnsplane::api {

namespace json = boost::json;

void FieldReader::check_members(const std::set<std::string_view>& allowed,
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
}

void FieldReader::require(std::string_view key) {
    if (!obj_.contains(key))
        add({std::string(key)}, "'" + std::string(key) + "' is a required property", "required");
}

std::optional<std::string> FieldReader::text(std::string_view key, bool nullable) {
    const json::value* v = obj_.if_contains(key);
    if (!v) return std::nullopt;
    if (v->is_null() && nullable) return std::string();
    if (!v->is_string()) {
        type_error(key, v, nullable ? "a string or null" : "a string");
        return std::nullopt;
    }
    return std::string(v->get_string());
}

std::optional<std::optional<std::int64_t>> FieldReader::integer(std::string_view key,
                                                                bool nullable) {
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

void FieldReader::type_error(std::string_view key, const json::value* v,
                             std::string_view expected) {
    add({std::string(key)},
        "'" + std::string(key) + "' must be " + std::string(expected) + ", not " +
            json_kind_name(*v),
        "type");
}

void FieldReader::add(std::vector<std::string> path, std::string message, std::string validator) {
    errors_.push_back({std::move(path), std::move(message), std::move(validator)});
}

void FieldReader::throw_if_failed() const {
    if (errors_.empty()) return;
    std::string message;
    for (const auto& e : errors_) {
        if (!message.empty()) message += "; ";
        message += e.message;
    }
    throw core::Error(core::ErrorKind::Invalid, "invalid_object", message, errors_);
}

}  // namespace dnsplane::api
