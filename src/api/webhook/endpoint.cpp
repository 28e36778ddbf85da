#include "api/webhook/endpoint.h"

#include <boost/json.hpp>

#include <cctype>

#include "core/error.h"

namespace dnsplane::webhook {

namespace json = boost::json;

namespace {

[[noreturn]] void malformed(const std::string& what) {
    throw core::bad_request("bad_request", "Malformed changes: " + what);
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

std::string string_of(const json::value& v, const char* field) {
    if (v.is_null()) return {};
    if (!v.is_string()) malformed(std::string(field) + " must be a string");
    return std::string(v.get_string());
}

std::int64_t ttl_of(const json::value& v) {
    if (v.is_null()) return 0;
    if (v.is_int64()) return v.get_int64();
    if (v.is_uint64() && v.get_uint64() <= static_cast<std::uint64_t>(INT64_MAX))
        return static_cast<std::int64_t>(v.get_uint64());
    malformed("recordTTL must be an integer");
}

}  // namespace

Endpoint endpoint_from_json(const json::value& v) {
    if (!v.is_object()) malformed("an endpoint must be an object");
    Endpoint e;
    for (const auto& kv : v.get_object()) {
        const std::string key = lower(kv.key());
        const json::value& x = kv.value();
        if (key == "dnsname") {
            e.dns_name = string_of(x, "dnsName");
        } else if (key == "recordtype") {
            e.record_type = string_of(x, "recordType");
        } else if (key == "setidentifier") {
            e.set_identifier = string_of(x, "setIdentifier");
        } else if (key == "recordttl") {
            e.record_ttl = ttl_of(x);
        } else if (key == "targets") {
            e.targets.clear();
            if (x.is_null()) continue;
            if (!x.is_array()) malformed("targets must be a list of strings");
            for (const auto& t : x.get_array()) e.targets.push_back(string_of(t, "targets"));
        } else if (key == "labels") {
            e.labels.clear();
            if (x.is_null()) continue;
            if (!x.is_object()) malformed("labels must be an object of strings");
            for (const auto& l : x.get_object())
                e.labels[std::string(l.key())] = string_of(l.value(), "labels");
        } else if (key == "providerspecific") {
            e.provider_specific.clear();
            if (x.is_null()) continue;
            if (!x.is_array()) malformed("providerSpecific must be a list");
            for (const auto& p : x.get_array()) {
                if (!p.is_object()) malformed("providerSpecific entries must be objects");
                ProviderSpecific ps;
                for (const auto& f : p.get_object()) {
                    auto k = lower(f.key());
                    if (k == "name") ps.name = string_of(f.value(), "providerSpecific name");
                    if (k == "value") ps.value = string_of(f.value(), "providerSpecific value");
                }
                e.provider_specific.push_back(std::move(ps));
            }
        }
    }
    return e;
}

std::vector<Endpoint> endpoints_from_json(const json::value& v) {
    std::vector<Endpoint> out;
    if (v.is_null()) return out;
    if (!v.is_array()) malformed("expected a list of endpoints");
    out.reserve(v.get_array().size());
    for (const auto& e : v.get_array()) out.push_back(endpoint_from_json(e));
    return out;
}

Changes changes_from_json(const json::value& v) {
    Changes c;
    if (v.is_null()) return c;
    if (!v.is_object()) malformed("expected an object with create/updateOld/updateNew/delete");
    for (const auto& kv : v.get_object()) {
        const std::string key = lower(kv.key());
        if (key == "create")
            c.create = endpoints_from_json(kv.value());
        else if (key == "updateold")
            c.update_old = endpoints_from_json(kv.value());
        else if (key == "updatenew")
            c.update_new = endpoints_from_json(kv.value());
        else if (key == "delete")
            c.del = endpoints_from_json(kv.value());
    }
    return c;
}

namespace {
// Bytes append_json_string writes as they are (most of every body).
constexpr bool plain_json_byte(unsigned char c) {
    return c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' && c != 0x7f &&
           c != 0xe2;
}
}  // namespace

void append_json_string(std::string& out, std::string_view s) {
    static const char* hex = "0123456789abcdef";
    out += '"';
    for (std::size_t i = 0; i < s.size(); ++i) {
        // Runs of plain bytes in one append.
        std::size_t run = i;
        while (run < s.size() && plain_json_byte(static_cast<unsigned char>(s[run]))) ++run;
        if (run > i) {
            out.append(s.data() + i, run - i);
            i = run;
            if (i == s.size()) break;
        }
        unsigned char c = static_cast<unsigned char>(s[i]);
        switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            case '\t':
                out += "\\t";
                break;
            case '<':
            case '>':
            case '&':
                out += "\\u00";
                out += hex[c >> 4];
                out += hex[c & 15];
                break;
            default:
                if (c < 0x20 || c == 0x7f) {
                    out += "\\u00";
                    out += hex[c >> 4];
                    out += hex[c & 15];
                } else if (c == 0xe2 && i + 2 < s.size() &&
                           static_cast<unsigned char>(s[i + 1]) == 0x80 &&
                           (static_cast<unsigned char>(s[i + 2]) & 0xfe) == 0xa8) {
                    // U+2028 / U+2029: valid JSON, but escaped as Go does.
                    out += (static_cast<unsigned char>(s[i + 2]) == 0xa8) ? "\\u2028" : "\\u2029";
                    i += 2;
                } else {
                    out += static_cast<char>(c);
                }
        }
    }
    out += '"';
}

void append_endpoint_json(std::string& out, const Endpoint& e) {
    out += '{';
    bool first = true;
    auto key = [&](const char* k) {
        if (!first) out += ',';
        first = false;
        out += '"';
        out += k;
        out += "\":";
    };
    if (!e.dns_name.empty()) {
        key("dnsName");
        append_json_string(out, e.dns_name);
    }
    if (!e.targets.empty()) {
        key("targets");
        out += '[';
        for (std::size_t i = 0; i < e.targets.size(); ++i) {
            if (i) out += ',';
            append_json_string(out, e.targets[i]);
        }
        out += ']';
    }
    if (!e.record_type.empty()) {
        key("recordType");
        append_json_string(out, e.record_type);
    }
    if (!e.set_identifier.empty()) {
        key("setIdentifier");
        append_json_string(out, e.set_identifier);
    }
    if (e.record_ttl != 0) {
        key("recordTTL");
        out += std::to_string(e.record_ttl);
    }
    if (!e.labels.empty()) {
        key("labels");
        out += '{';
        bool f = true;
        for (const auto& [k, v] : e.labels) {
            if (!f) out += ',';
            f = false;
            append_json_string(out, k);
            out += ':';
            append_json_string(out, v);
        }
        out += '}';
    }
    if (!e.provider_specific.empty()) {
        key("providerSpecific");
        out += '[';
        for (std::size_t i = 0; i < e.provider_specific.size(); ++i) {
            if (i) out += ',';
            out += "{\"name\":";
            append_json_string(out, e.provider_specific[i].name);
            if (!e.provider_specific[i].value.empty()) {
                out += ",\"value\":";
                append_json_string(out, e.provider_specific[i].value);
            }
            out += '}';
        }
        out += ']';
    }
    out += '}';
}

std::string endpoints_json(const std::vector<Endpoint>& eps) {
    std::string out;
    out.reserve(eps.size() * 96 + 2);
    out += '[';
    for (std::size_t i = 0; i < eps.size(); ++i) {
        if (i) out += ',';
        append_endpoint_json(out, eps[i]);
    }
    out += ']';
    return out;
}

}  // namespace dnsplane::webhook
