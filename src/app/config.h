// Effective configuration: defaults < TOML file < DNSPLANE_* environment <
// command-line flags. Every flag has a config key of the same name with
// '-' replaced by '_' and an environment variable DNSPLANE_<KEY upper-case>.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "service/settings.h"

namespace dnsplane::app {

struct Config {
    std::string database = "sqlite://./data/dnsplane.db";
    std::string api_listen = "127.0.0.1:9001";
    std::string auth = "none";  // none | token | keystone
    bool insecure = false;      // allow --auth none on a non-loopback address
    bool trust_forwarded = false;
    std::size_t body_limit = 1 << 20;
    std::string designate_style = "final";  // final | draft (issue 6)
    std::string log_level = "info";
    int threads = 2;        // I/O threads (HTTP and DNS sockets)
    int http_workers = 16;  // HTTP connection threads (http/io_pool.h); handlers run there

    // DNS server (issue 4)
    std::vector<std::string> dns_listen = {"127.0.0.1:5353"};
    std::uint16_t edns_udp_size = 1232;
    std::vector<std::string> axfr_allow = {"127.0.0.0/8", "::1/128"};

    // Plug-in platform (issue 13)
    std::string plugin_id = "io.dnsplane";
    std::string platform_url;                        // base of relative extension point endpoints
    std::string connector_prefix = "/connector/v1";  // ConnectorClass resources
    int shutdown_timeout_ms = 10000;                 // drain deadline after SIGTERM
    int hook_timeout_ms = 2000;       // validate_change / change_committed / endpoint check
    bool validate_fail_open = false;  // a silent validate_change hook allows the change
    int store_probe_ms = 1000;        // status write probe period

    service::ServiceSettings service;  // pool, quotas, TTL bounds
    std::string catalog_zone;          // issue 14: RFC 9432 catalog name; empty: none
    std::string notify_tsig_key;       // issue 15: stored TSIG key signing NOTIFY; empty: none
    // Designate's pool nameservers: polled for each change's serial before
    // the change shows ACTIVE (dns/server/serial_poll.h); empty: no polling.
    std::vector<std::string> pool_poll_nameservers;
    int pool_poll_delay_ms = 500;
    int pool_poll_retry_interval_ms = 1000;
    int pool_poll_max_retries = 30;

    // ExternalDNS webhook (issue 11) and the health/metrics listener
    std::string webhook_listen = "127.0.0.1:8888";  // empty: no webhook listener
    std::string webhook_project = "default";
    std::string webhook_auth;  // "user:password" for basic auth; empty: none (loopback only)
    std::size_t webhook_max_body = std::size_t{32} << 20;
    bool webhook_dry_run = false;
    bool webhook_create_zones = false;
    std::vector<std::string> webhook_domain_filter;  // empty: the project's zone names
    std::string health_listen = "127.0.0.1:8080";    // empty: no health listener

    // --auth keystone (issue 16): the Keystone that validates X-Auth-Token
    // and the service credentials dnsplane validates with.
    std::string keystone_url;  // http://host:port[/prefix] (without /v3)
    std::string keystone_user;
    std::string keystone_password;
    std::string keystone_project;
    std::string keystone_user_domain = "Default";
    std::string keystone_project_domain = "Default";
    int keystone_cache_seconds = 60;  // how long a validated token is trusted
};

// Config keys and the values given for them; list keys (dns_listen,
// pool_nameservers, ...) may carry several, scalar keys use the last one.
using SettingValues = std::map<std::string, std::vector<std::string>>;

// Everything the effective configuration is computed from. Kept free of
// process state so that tests can pass their own environment.
struct ConfigSources {
    std::optional<std::string> file;         // --config; else DNSPLANE_CONFIG
    std::map<std::string, std::string> env;  // the process environment
    SettingValues flags;                     // flags given on the command line
};

// Bad file, unknown key, bad value or an unsafe combination; the message
// names the key and where the value came from.
class ConfigError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// Defaults, including the default pool (id 794ccc2c-..., "default",
// nameservers ["ns1.dnsplane.test."]).
Config default_config();

// defaults < TOML file < DNSPLANE_* environment < flags, then validate_config().
// TOML tables flatten into keys: [pool] name -> pool_name, [quotas] zones ->
// quotas_zones, [limits] min_ttl -> limits_min_ttl. List values in the
// environment are comma-separated.
Config load_config(const ConfigSources& sources);

// Cross-field rules, e.g. --auth none on a non-loopback address needs --insecure.
void validate_config(const Config& c);

// Every key load_config understands.
std::vector<std::string> config_keys();

// "NAME=value" entries (as in `environ`) to a map.
std::map<std::string, std::string> environment_map(char** envp);

}  // namespace dnsplane::app
