#include "app/config_settings.h"

#include "core/name.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <limits>
#include <stdexcept>

namespace dnsplane::app {

namespace {

using Values = std::vector<std::string>;

const std::string& last(const Values& v) {
    if (v.empty()) throw std::invalid_argument("expected a value");
    return v.back();
}

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
}

bool parse_bool(const std::string& text) {
    auto v = lower(text);
    if (v == "true" || v == "1" || v == "yes" || v == "on") return true;
    if (v == "false" || v == "0" || v == "no" || v == "off") return false;
    throw std::invalid_argument("expected true or false");
}

std::int64_t parse_int(const std::string& text, std::int64_t min, std::int64_t max) {
    std::int64_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || value < min || value > max)
        throw std::invalid_argument("expected an integer from " + std::to_string(min) + " to " +
                                    std::to_string(max));
    return value;
}

std::string one_of(const std::string& text, std::initializer_list<const char*> allowed) {
    auto v = lower(text);
    std::string names;
    for (const char* a : allowed) {
        if (v == a) return v;
        names += names.empty() ? "" : ", ";
        names += a;
    }
    throw std::invalid_argument("expected one of " + names);
}

// "10" / "10s" (seconds) or "500ms" -> milliseconds within [min, max].
int parse_duration_ms(const std::string& text, std::int64_t min, std::int64_t max) {
    std::string digits = text;
    std::int64_t scale = 1000;
    if (digits.size() > 2 && digits.ends_with("ms")) {
        digits.resize(digits.size() - 2);
        scale = 1;
    } else if (digits.size() > 1 && digits.back() == 's') {
        digits.pop_back();
    }
    std::int64_t value = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (ec != std::errc() || end != digits.data() + digits.size() || value < 0 ||
        value > max / scale || value * scale < min)
        throw std::invalid_argument("expected a duration like 10s or 500ms, from " +
                                    std::to_string(min) + " ms to " + std::to_string(max) + " ms");
    return static_cast<int>(value * scale);
}

// Nameserver host names are stored absolute and lower-case.
std::string absolute_host(std::string host) {
    host = lower(std::move(host));
    if (host.empty()) throw std::invalid_argument("expected a host name");
    if (host.back() != '.') host += '.';
    return host;
}

// A domain name, stored canonical (lower case, trailing dot); empty: unset.
SettingSpec domain_name(std::string key, std::string example, std::string Config::*field) {
    return {std::move(key), false,
            [example = std::move(example), field](Config& c, const Values& v) {
                auto name = last(v);
                if (!name.empty()) {
                    auto canonical = core::try_canonical_name(name, nullptr, true);
                    if (!canonical)
                        throw std::invalid_argument("expected a domain name like " + example);
                    name = *canonical;
                    if (name.back() != '.') name += '.';
                }
                c.*field = name;
            }};
}

SettingSpec text(std::string key, std::string Config::*field) {
    return {std::move(key), false, [field](Config& c, const Values& v) { c.*field = last(v); }};
}

SettingSpec flag(std::string key, bool Config::*field) {
    return {std::move(key), false,
            [field](Config& c, const Values& v) { c.*field = parse_bool(last(v)); }};
}

SettingSpec list(std::string key, std::vector<std::string> Config::*field) {
    return {std::move(key), true, [field](Config& c, const Values& v) { c.*field = v; }};
}

template <class Setter>
SettingSpec number(std::string key, std::int64_t min, std::int64_t max, Setter set) {
    return {std::move(key), false,
            [min, max, set](Config& c, const Values& v) { set(c, parse_int(last(v), min, max)); }};
}

std::vector<SettingSpec> build_specs() {
    constexpr std::int64_t kMaxTtl = 2147483647;
    constexpr std::int64_t kMaxCount = std::numeric_limits<std::int32_t>::max();
    std::vector<SettingSpec> s;
    s.push_back(text("database", &Config::database));
    s.push_back(text("api_listen", &Config::api_listen));
    s.push_back({"auth", false, [](Config& c, const Values& v) {
                     c.auth = one_of(last(v), {"none", "token", "keystone"});
                 }});
    s.push_back(flag("insecure", &Config::insecure));
    s.push_back(flag("trust_forwarded", &Config::trust_forwarded));
    s.push_back(number("body_limit", 1024, std::int64_t{1} << 30, [](Config& c, std::int64_t n) {
        c.body_limit = static_cast<std::size_t>(n);
    }));
    s.push_back({"designate_style", false, [](Config& c, const Values& v) {
                     c.designate_style = one_of(last(v), {"final", "draft"});
                 }});
    s.push_back({"log_level", false, [](Config& c, const Values& v) {
                     c.log_level = one_of(last(v), {"trace", "debug", "info", "warn", "warning",
                                                    "error", "critical", "off"});
                 }});
    s.push_back(number("threads", 1, 256,
                       [](Config& c, std::int64_t n) { c.threads = static_cast<int>(n); }));
    s.push_back(number("http_workers", 1, 1024,
                       [](Config& c, std::int64_t n) { c.http_workers = static_cast<int>(n); }));
    s.push_back(list("dns_listen", &Config::dns_listen));
    s.push_back(number("edns_udp_size", 512, 65535, [](Config& c, std::int64_t n) {
        c.edns_udp_size = static_cast<std::uint16_t>(n);
    }));
    s.push_back(list("axfr_allow", &Config::axfr_allow));
    s.push_back(domain_name("catalog_zone", "catalog.invalid", &Config::catalog_zone));
    s.push_back(domain_name("notify_tsig_key", "notify-key.example", &Config::notify_tsig_key));

    // [webhook] (issue 11) and the health listener
    s.push_back(text("webhook_listen", &Config::webhook_listen));
    s.push_back(text("webhook_project", &Config::webhook_project));
    s.push_back(text("webhook_auth", &Config::webhook_auth));
    s.push_back(number(
        "webhook_max_body", 1024, std::int64_t{1} << 32,
        [](Config& c, std::int64_t n) { c.webhook_max_body = static_cast<std::size_t>(n); }));
    s.push_back(flag("webhook_dry_run", &Config::webhook_dry_run));
    s.push_back(flag("webhook_create_zones", &Config::webhook_create_zones));
    s.push_back(list("webhook_domain_filter", &Config::webhook_domain_filter));
    s.push_back(text("health_listen", &Config::health_listen));
    // --auth keystone (issue 16)
    s.push_back(text("keystone_url", &Config::keystone_url));
    s.push_back(text("keystone_user", &Config::keystone_user));
    s.push_back(text("keystone_password", &Config::keystone_password));
    s.push_back(text("keystone_project", &Config::keystone_project));
    s.push_back(text("keystone_user_domain", &Config::keystone_user_domain));
    s.push_back(text("keystone_project_domain", &Config::keystone_project_domain));
    s.push_back(number("keystone_cache_seconds", 0, 3600, [](Config& c, std::int64_t n) {
        c.keystone_cache_seconds = static_cast<int>(n);
    }));
    // plug-in platform (issue 13); durations in seconds (fractions allowed
    // as milliseconds keys would be: whole seconds keep the table simple)
    s.push_back({"plugin_id", false, [](Config& c, const Values& v) {
                     const auto& id = last(v);
                     bool ok = !id.empty() && id.size() <= 253 && id.front() != '.' &&
                               id.back() != '.' && id.find('.') != std::string::npos;
                     for (char ch : id)
                         ok = ok && (std::isalnum(static_cast<unsigned char>(ch)) || ch == '.' ||
                                     ch == '-' || ch == '_');
                     if (!ok)
                         throw std::invalid_argument(
                             "expected a reverse-domain id like io.dnsplane");
                     c.plugin_id = id;
                 }});
    s.push_back(text("platform_url", &Config::platform_url));
    s.push_back({"connector_prefix", false, [](Config& c, const Values& v) {
                     auto p = last(v);
                     while (p.size() > 1 && p.back() == '/') p.pop_back();
                     if (p.empty() || p.front() != '/' || p == "/" || p.find("//") != p.npos)
                         throw std::invalid_argument("expected a path prefix like /connector/v1");
                     c.connector_prefix = p;
                 }});
    s.push_back({"shutdown_timeout", false, [](Config& c, const Values& v) {
                     c.shutdown_timeout_ms = parse_duration_ms(last(v), 0, 3600000);
                 }});
    s.push_back({"hook_timeout", false, [](Config& c, const Values& v) {
                     c.hook_timeout_ms = parse_duration_ms(last(v), 10, 60000);
                 }});
    s.push_back(flag("validate_fail_open", &Config::validate_fail_open));
    s.push_back(number("store_probe_ms", 50, 3600000,
                       [](Config& c, std::int64_t n) { c.store_probe_ms = static_cast<int>(n); }));

    // [pool]
    s.push_back(
        {"pool_id", false, [](Config& c, const Values& v) { c.service.pool.id = lower(last(v)); }});
    s.push_back(
        {"pool_name", false, [](Config& c, const Values& v) { c.service.pool.name = last(v); }});
    s.push_back({"pool_description", false,
                 [](Config& c, const Values& v) { c.service.pool.description = last(v); }});
    s.push_back({"pool_nameservers", true, [](Config& c, const Values& v) {
                     c.service.pool.ns_records.clear();
                     int priority = 1;
                     for (const auto& host : v)
                         c.service.pool.ns_records.push_back({absolute_host(host), priority++});
                 }});
    s.push_back({"pool_also_notify", true,
                 [](Config& c, const Values& v) { c.service.pool.also_notify = v; }});
    s.push_back({"pool_poll_nameservers", true,
                 [](Config& c, const Values& v) { c.pool_poll_nameservers = v; }});
    s.push_back({"pool_poll_delay", false, [](Config& c, const Values& v) {
                     c.pool_poll_delay_ms = parse_duration_ms(last(v), 0, 3600000);
                 }});
    s.push_back({"pool_poll_retry_interval", false, [](Config& c, const Values& v) {
                     c.pool_poll_retry_interval_ms = parse_duration_ms(last(v), 10, 3600000);
                 }});
    s.push_back(number("pool_poll_max_retries", 0, 100000, [](Config& c, std::int64_t n) {
        c.pool_poll_max_retries = static_cast<int>(n);
    }));

    // [quotas]
    s.push_back(number("quotas_zones", 0, kMaxCount, [](Config& c, std::int64_t n) {
        c.service.quotas.zones_per_project = static_cast<std::size_t>(n);
    }));
    s.push_back(number("quotas_recordsets", 0, kMaxCount, [](Config& c, std::int64_t n) {
        c.service.quotas.recordsets_per_zone = static_cast<std::size_t>(n);
    }));
    s.push_back(number("quotas_records", 0, kMaxCount, [](Config& c, std::int64_t n) {
        c.service.quotas.records_per_recordset = static_cast<std::size_t>(n);
    }));
    // Designate's zone_records (enforced) / api_export_size (reported) defaults.
    s.push_back(number("quotas_zone_records", 0, kMaxCount, [](Config& c, std::int64_t n) {
        c.service.quotas.records_per_zone = static_cast<std::size_t>(n);
    }));
    s.push_back(number("quotas_api_export_size", 0, kMaxCount, [](Config& c, std::int64_t n) {
        c.service.quotas.api_export_size = static_cast<std::size_t>(n);
    }));

    // [limits] and zone defaults
    s.push_back(number("limits_min_ttl", 0, kMaxTtl,
                       [](Config& c, std::int64_t n) { c.service.min_ttl = n; }));
    s.push_back(number("limits_max_ttl", 0, kMaxTtl,
                       [](Config& c, std::int64_t n) { c.service.max_ttl = n; }));
    s.push_back(number("default_zone_ttl", 0, kMaxTtl, [](Config& c, std::int64_t n) {
        c.service.default_zone_ttl = static_cast<std::uint32_t>(n);
    }));
    s.push_back({"allow_tld_zones", false, [](Config& c, const Values& v) {
                     c.service.allow_tld_zones = parse_bool(last(v));
                 }});
    s.push_back({"allow_cross_project_nesting", false, [](Config& c, const Values& v) {
                     c.service.allow_cross_project_nesting = parse_bool(last(v));
                 }});
    return s;
}

}  // namespace

const std::vector<SettingSpec>& setting_specs() {
    static const std::vector<SettingSpec> specs = build_specs();
    return specs;
}

const SettingSpec* find_setting(std::string_view key) {
    for (const auto& spec : setting_specs())
        if (spec.key == key) return &spec;
    return nullptr;
}

}  // namespace dnsplane::app
