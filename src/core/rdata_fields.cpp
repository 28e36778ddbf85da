// The 2013 draft's dict form of rdata ({"preference":10,"exchange":"..."}),
// converted to and from the canonical presentation text.
#include <algorithm>

#include "core/error.h"
#include "core/rdata.h"
#include "core/rdata_types.h"

namespace dnsplane::core {

namespace {

using detail::RdataTypeInfo;

// Fields holding character-strings rather than single presentation tokens
// (NAPTR flags are a string, CAA flags an integer).
bool is_text_field(const RdataField& field) {
    if (field.is_integer) return false;
    const std::string& n = field.name;
    return n == "text" || n == "value" || n == "flags" || n == "service" || n == "regexp";
}

// Hex fields may be written in whitespace-separated groups.
bool allows_spaces(std::string_view name) {
    return name == "digest" || name == "fingerprint";
}

const RdataTypeInfo& type_info(std::string_view type) {
    const auto* info = detail::find_type(type);
    if (!info) throw invalid("unsupported record type '" + std::string(type) + "'");
    return *info;
}

std::string field_list(const RdataTypeInfo& info) {
    std::string out;
    for (const auto& f : info.fields) out += (out.empty() ? "" : ", ") + f.name;
    return out;
}

// Default of an optional field (the draft's SSHFP `type` = 1), or nullptr.
// The draft's own SRV example gives no port; a missing SRV port is 0.
const char* default_value(std::string_view type, std::string_view field) {
    if (type == "SSHFP" && field == "type") return "1";
    if (type == "SRV" && field == "port") return "0";
    return nullptr;
}

}  // namespace

const std::vector<RdataField>& rdata_fields(std::string_view type) {
    return type_info(type).fields;
}

std::string rdata_from_fields(std::string_view type,
                              const std::vector<std::pair<std::string, std::string>>& fields) {
    std::vector<std::pair<std::string, RdataFieldValue>> typed;
    typed.reserve(fields.size());
    for (const auto& [key, text] : fields) typed.push_back({key, RdataFieldValue{text, false}});
    return rdata_from_field_values(type, typed);
}

std::string rdata_from_field_values(
    std::string_view type, const std::vector<std::pair<std::string, RdataFieldValue>>& fields) {
    const RdataTypeInfo& info = type_info(type);
    std::string prefix = std::string(info.name) + " record: ";
    for (std::size_t i = 0; i < fields.size(); ++i) {
        const std::string& key = fields[i].first;
        auto spec = std::find_if(info.fields.begin(), info.fields.end(),
                                 [&](const RdataField& f) { return f.name == key; });
        bool known = spec != info.fields.end();
        if (known && fields[i].second.is_number && !spec->is_integer)
            throw invalid(prefix + "field '" + key + "' must be a string, not a number (" +
                              fields[i].second.text + ")",
                          {key});
        if (!known)
            throw invalid(
                prefix + "unknown field '" + key + "' (expected " + field_list(info) + ")", {key});
        for (std::size_t j = 0; j < i; ++j)
            if (fields[j].first == key)
                throw invalid(prefix + "field '" + key + "' is given twice", {key});
        // Dict values are raw text, not presentation: a control character
        // (TAB aside) is refused here as in every other input form.
        const std::string& value = fields[i].second.text;
        auto control = detail::find_control_character(value, /*line_breaks_ok=*/false);
        if (control != std::string::npos)
            throw invalid(prefix + "field '" + key + "' contains " +
                              detail::describe_control_character(value, control),
                          {key});
    }

    std::string text;
    for (const auto& field : info.fields) {
        auto given = std::find_if(fields.begin(), fields.end(),
                                  [&](const auto& kv) { return kv.first == field.name; });
        std::string value;
        if (given != fields.end()) {
            value = given->second.text;
        } else if (const char* fallback = default_value(info.name, field.name)) {
            value = fallback;
        } else {
            throw invalid(prefix + "missing field '" + field.name + "'", {field.name});
        }

        if (!text.empty()) text.push_back(' ');
        if (info.name == "TXT" || info.name == "SPF") {
            text += detail::join_text_strings(detail::chunk_text(value));
        } else if (is_text_field(field)) {
            text += detail::quote_string(value);
        } else {
            bool has_space = value.find_first_of(" \t\r\n") != std::string::npos;
            if (value.empty())
                throw invalid(prefix + "field '" + field.name + "' must not be empty",
                              {field.name});
            if (value.find('"') != std::string::npos || (has_space && !allows_spaces(field.name)))
                throw invalid(prefix + "field '" + field.name +
                                  "' must be a single value without spaces or quotes, got '" +
                                  detail::shorten(value) + "'",
                              {field.name});
            text += value;
        }
    }
    return canonical_rdata(info.name, text);
}

std::vector<std::pair<std::string, std::string>> rdata_to_fields(std::string_view type,
                                                                 std::string_view canonical) {
    const RdataTypeInfo& info = type_info(type);
    std::string text = canonical_rdata(info.name, canonical);
    std::vector<std::pair<std::string, std::string>> out;
    if (info.name == "TXT" || info.name == "SPF") {
        std::string joined;
        for (const auto& s : detail::parse_text_strings(text)) joined += s;
        out.emplace_back("text", std::move(joined));
        return out;
    }
    // Canonical text has exactly one token per field.
    auto tokens = detail::tokenize(text);
    for (std::size_t i = 0; i < info.fields.size() && i < tokens.size(); ++i) {
        const auto& token = tokens[i];
        std::string value = token.quoted ? detail::decode_escapes(token.raw, true) : token.raw;
        out.emplace_back(info.fields[i].name, std::move(value));
    }
    return out;
}

}  // namespace dnsplane::core
