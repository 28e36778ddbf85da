#include "app/config.h"

#include "service/secondary.h"

#include <toml++/toml.h>

#include <algorithm>
#include <cctype>
#include <sstream>

#include "app/config_settings.h"
#include "common/util.h"
#include "http/listen_address.h"

namespace dnsplane::app {

namespace {

constexpr const char* kDefaultPoolId = "794ccc2c-d751-44fe-b57f-8894c9f5c842";

std::string join(const std::vector<std::string>& v) {
    std::string out;
    for (const auto& s : v) out += (out.empty() ? "" : ",") + s;
    return out;
}

std::string env_name(const std::string& key) {
    std::string out = "DNSPLANE_" + key;
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return std::toupper(c); });
    return out;
}

std::string flag_name(std::string key) {
    std::replace(key.begin(), key.end(), '_', '-');
    return "--" + key;
}

std::vector<std::string> split_list(const std::string& text) {
    std::vector<std::string> out;
    std::stringstream in(text);
    std::string item;
    while (std::getline(in, item, ',')) {
        auto first = item.find_first_not_of(" \t");
        if (first == std::string::npos) continue;
        auto last = item.find_last_not_of(" \t");
        out.push_back(item.substr(first, last - first + 1));
    }
    return out;
}

void apply(Config& c, const std::string& key, const std::vector<std::string>& values,
           const std::string& source) {
    const SettingSpec* spec = find_setting(key);
    if (!spec) throw ConfigError("unknown config key '" + key + "' in " + source);
    try {
        spec->apply(c, values);
    } catch (const std::invalid_argument& e) {
        throw ConfigError("invalid value '" + join(values) + "' for " + key + " (from " + source +
                          "): " + e.what());
    }
}

std::string scalar_text(const toml::node& node, const std::string& key, const std::string& path) {
    if (auto s = node.as_string()) return s->get();
    if (auto i = node.as_integer()) return std::to_string(i->get());
    if (auto b = node.as_boolean()) return b->get() ? "true" : "false";
    throw ConfigError("config file " + path + ": " + key +
                      " must be a string, an integer or a boolean");
}

std::vector<std::string> node_values(const toml::node& node, const std::string& key,
                                     const std::string& path) {
    std::vector<std::string> out;
    if (auto arr = node.as_array()) {
        for (const auto& item : *arr) out.push_back(scalar_text(item, key, path));
    } else {
        out.push_back(scalar_text(node, key, path));
    }
    return out;
}

void apply_file(Config& c, const std::string& path) {
    toml::table root;
    try {
        root = toml::parse_file(path);
    } catch (const toml::parse_error& e) {
        std::ostringstream msg;
        msg << "config file " << path << ": " << e.description();
        if (e.source().begin.line) msg << " (line " << e.source().begin.line << ")";
        throw ConfigError(msg.str());
    }
    const std::string source = "config file " + path;
    for (const auto& [k, node] : root) {
        const std::string key(k.str());
        if (auto section = node.as_table()) {
            // [pool] name = ... -> pool_name
            for (const auto& [k2, inner] : *section) {
                const std::string flat = key + "_" + std::string(k2.str());
                if (inner.is_table())
                    throw ConfigError(source + ": nested table " + flat + " is not supported");
                apply(c, flat, node_values(inner, flat, path), source);
            }
        } else {
            apply(c, key, node_values(node, key, path), source);
        }
    }
}

void apply_env(Config& c, const std::map<std::string, std::string>& env) {
    for (const auto& spec : setting_specs()) {
        const auto name = env_name(spec.key);
        auto it = env.find(name);
        if (it == env.end()) continue;
        auto values = spec.list ? split_list(it->second) : std::vector<std::string>{it->second};
        apply(c, spec.key, values, name);
    }
}

http::ListenAddress checked_address(const std::string& key, const std::string& text) {
    try {
        return http::parse_listen_address(text);
    } catch (const std::invalid_argument& e) {
        throw ConfigError(key + ": " + e.what());
    }
}

}  // namespace

Config default_config() {
    Config c;
    auto& pool = c.service.pool;
    pool.id = kDefaultPoolId;
    pool.name = "default";
    pool.description = "Default pool";
    pool.ns_records = {{"ns1.dnsplane.test.", 1}};
    // The pool lives in the configuration, not the store: it comes into
    // being when the configuration is loaded.
    pool.created_at = common::now_timestamp();
    return c;
}

Config load_config(const ConfigSources& sources) {
    Config c = default_config();
    std::optional<std::string> file = sources.file;
    if (!file) {
        auto it = sources.env.find("DNSPLANE_CONFIG");
        if (it != sources.env.end() && !it->second.empty()) file = it->second;
    }
    if (file) apply_file(c, *file);
    apply_env(c, sources.env);
    for (const auto& [key, values] : sources.flags) apply(c, key, values, flag_name(key));
    validate_config(c);
    return c;
}

void validate_config(const Config& c) {
    const auto api = checked_address("api_listen", c.api_listen);
    for (const auto& dns : c.dns_listen) checked_address("dns_listen", dns);
    for (const auto& target : c.service.pool.also_notify)
        checked_address("pool_also_notify", target);
    for (const auto& ns : c.pool_poll_nameservers)
        if (!service::parse_master(ns))
            throw ConfigError("pool_poll_nameservers: '" + ns +
                              "' is not HOST, HOST:PORT or [V6]:PORT");
    if (c.auth == "none" && !c.insecure && !http::is_loopback_host(api.host))
        throw ConfigError(
            "refusing to serve the API without authentication on non-loopback "
            "address " +
            c.api_listen + ": use --auth token, listen on 127.0.0.1, or pass --insecure");
    if (!c.webhook_listen.empty()) {
        const auto hook = checked_address("webhook_listen", c.webhook_listen);
        if (c.webhook_auth.empty() && !http::is_loopback_host(hook.host))
            throw ConfigError(
                "refusing to serve the webhook without authentication on "
                "non-loopback address " +
                c.webhook_listen + ": set --webhook-auth user:password");
        if (!c.webhook_auth.empty() && c.webhook_auth.find(':') == std::string::npos)
            throw ConfigError("webhook_auth must be user:password");
    }
    if (!c.health_listen.empty()) checked_address("health_listen", c.health_listen);
    if (c.webhook_project.empty()) throw ConfigError("webhook_project must not be empty");
    if (c.service.min_ttl > c.service.max_ttl)
        throw ConfigError("limits_min_ttl (" + std::to_string(c.service.min_ttl) +
                          ") is above limits_max_ttl (" + std::to_string(c.service.max_ttl) + ")");
    if (c.service.pool.id.empty()) throw ConfigError("pool_id must not be empty");
    if (c.service.pool.ns_records.empty())
        throw ConfigError("pool_nameservers must name at least one nameserver");
    if (c.database.empty()) throw ConfigError("database must not be empty");
    if (c.auth == "keystone" && (c.keystone_url.empty() || c.keystone_user.empty() ||
                                 c.keystone_password.empty() || c.keystone_project.empty()))
        throw ConfigError(
            "--auth keystone needs keystone_url, keystone_user, keystone_password and "
            "keystone_project (the service credentials that validate tokens)");
}

std::vector<std::string> config_keys() {
    std::vector<std::string> keys;
    for (const auto& spec : setting_specs()) keys.push_back(spec.key);
    return keys;
}

std::map<std::string, std::string> environment_map(char** envp) {
    std::map<std::string, std::string> env;
    for (; envp && *envp; ++envp) {
        std::string entry(*envp);
        auto eq = entry.find('=');
        if (eq == std::string::npos) continue;
        env.emplace(entry.substr(0, eq), entry.substr(eq + 1));
    }
    return env;
}

}  // namespace dnsplane::app
