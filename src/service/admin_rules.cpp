#include "service/admin_rules.h"

#include <algorithm>
#include <cctype>
#include <regex>

#include "core/error.h"
#include "core/name.h"
#include "service/validation.h"

namespace dnsplane::service {

namespace {

core::Error invalid_zone_name(const std::string& message) {
    return core::Error(core::ErrorKind::Invalid, "invalid_zone_name", message,
                       {{{"name"}, message, "format"}});
}

bool tld_label_ok(std::string_view label) {
    if (label.empty() || label.size() > 63) return false;
    if (label.front() == '-' || label.back() == '-') return false;
    return std::all_of(label.begin(), label.end(),
                       [](unsigned char ch) { return std::isalnum(ch) || ch == '-' || ch == '_'; });
}

struct QuotaField {
    const char* name;
    std::size_t Quotas::*field;
};

constexpr QuotaField kQuotaFields[] = {
    {"zones", &Quotas::zones_per_project},
    {"zone_recordsets", &Quotas::recordsets_per_zone},
    {"zone_records", &Quotas::records_per_zone},
    {"recordset_records", &Quotas::records_per_recordset},
    {"api_export_size", &Quotas::api_export_size},
};

constexpr std::int64_t kMaxQuota = 2147483647;

}  // namespace

std::string validate_tld_name(const std::string& text) {
    auto bad = [&](const std::string& why) {
        return core::invalid("Invalid TLD name '" + text.substr(0, 64) + "': " + why, {"name"});
    };
    if (text.empty()) throw bad("it is empty");
    if (text.size() > 255) throw bad("it is longer than 255 characters");
    if (text.back() == '.') throw bad("a TLD is written without the trailing dot");
    std::string_view rest(text);
    while (true) {
        auto dot = rest.find('.');
        if (!tld_label_ok(rest.substr(0, dot)))
            throw bad(
                "labels are 1-63 letters, digits, '-' or '_', not starting or ending "
                "with '-'");
        if (dot == std::string_view::npos) break;
        rest.remove_prefix(dot + 1);
    }
    std::string out = text;
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
    return out;
}

void validate_blacklist_pattern(const std::string& pattern) {
    if (pattern.empty()) throw core::invalid("A blacklist pattern must not be empty", {"pattern"});
    if (pattern.size() > 255)
        throw core::invalid("A blacklist pattern is at most 255 characters", {"pattern"});
    try {
        std::regex re(pattern, std::regex::ECMAScript);
    } catch (const std::regex_error& e) {
        throw core::invalid("Invalid regular expression '" + pattern + "': " + e.what(),
                            {"pattern"});
    }
}

bool blacklist_matches(const std::string& pattern, const std::string& zone_name) {
    try {
        std::regex re(pattern, std::regex::ECMAScript);
        return std::regex_search(zone_name, re);
    } catch (const std::regex_error&) {
        return false;  // validated on write; a pattern the library rejects later blocks nothing
    }
}

void check_zone_under_tld(const std::vector<core::Tld>& tlds, const std::string& zone_name) {
    if (tlds.empty()) return;
    for (const auto& tld : tlds) {
        const std::string apex = tld.name + ".";
        if (zone_name == apex)
            throw invalid_zone_name("Zone '" + zone_name + "' is a TLD; create zones below it");
        if (core::is_subdomain(zone_name, apex)) return;
    }
    throw invalid_zone_name("Zone '" + zone_name + "' is not below any TLD this server accepts");
}

void check_zone_not_blacklisted(const std::vector<core::Blacklist>& blacklists,
                                const std::string& zone_name, bool is_admin) {
    if (is_admin) return;
    for (const auto& b : blacklists)
        if (blacklist_matches(b.pattern, zone_name))
            throw invalid_zone_name("Zone '" + zone_name + "' is blacklisted");
}

const std::vector<std::string>& quota_resources() {
    static const std::vector<std::string> names = [] {
        std::vector<std::string> out;
        for (const auto& f : kQuotaFields) out.emplace_back(f.name);
        return out;
    }();
    return names;
}

std::map<std::string, std::int64_t> quotas_to_map(const Quotas& q) {
    std::map<std::string, std::int64_t> out;
    for (const auto& f : kQuotaFields) out[f.name] = static_cast<std::int64_t>(q.*(f.field));
    return out;
}

Quotas apply_quota_overrides(Quotas q, const std::map<std::string, std::int64_t>& o) {
    for (const auto& f : kQuotaFields)
        if (auto it = o.find(f.name); it != o.end() && it->second >= 0)
            q.*(f.field) = static_cast<std::size_t>(it->second);
    return q;
}

void validate_quota_values(const std::map<std::string, std::int64_t>& values) {
    for (const auto& [name, value] : values) {
        bool known = std::any_of(std::begin(kQuotaFields), std::end(kQuotaFields),
                                 [&](const QuotaField& f) { return name == f.name; });
        if (!known)
            throw core::invalid("Unknown quota '" + name +
                                    "' (zones, zone_recordsets, zone_records, "
                                    "recordset_records, api_export_size)",
                                {name});
        if (value < 0 || value > kMaxQuota)
            throw core::invalid("Quota '" + name + "' must be between 0 and 2147483647", {name});
    }
}

void validate_pool(core::Pool& p) {
    if (p.name.empty() || p.name.size() > 160)
        throw core::invalid("A pool name is 1 to 160 characters", {"name"});
    validate_description(p.description);
    for (std::size_t i = 0; i < p.ns_records.size(); ++i) {
        auto& ns = p.ns_records[i];
        const std::string index = std::to_string(i);
        auto name = core::try_canonical_name(ns.hostname);
        if (ns.hostname.empty() || ns.hostname.back() != '.' || !name ||
            !core::is_valid_hostname(*name) || core::split_labels(*name).size() < 2)
            throw core::invalid("ns_records hostname '" + ns.hostname +
                                    "' must be a fully qualified host name, e.g. "
                                    "'ns1.example.org.'",
                                {"ns_records", index, "hostname"});
        ns.hostname = *name;
        if (ns.priority < 1 || ns.priority > 65535)
            throw core::invalid("ns_records priority must be between 1 and 65535",
                                {"ns_records", index, "priority"});
    }
}

}  // namespace dnsplane::service
