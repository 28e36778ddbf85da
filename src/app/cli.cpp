#include "app/cli.h"

#include <CLI/CLI.hpp>

#include <map>

namespace dnsplane::app {

namespace {

// Storage for options whose values become config flags; keyed by config key.
struct FlagStore {
    std::map<std::string, std::vector<std::string>> values;
    std::map<std::string, bool> switches;
    std::map<std::string, CLI::Option*> options;

    void value(CLI::App& app, const std::string& key, const std::string& help,
               bool repeatable = false, const std::string& flag = {}) {
        auto* opt =
            app.add_option(flag.empty() ? flag_for(key) : flag, values[key], help)->expected(1);
        if (repeatable)
            opt->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
        else
            opt->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
        options[key] = opt;
    }
    void toggle(CLI::App& app, const std::string& key, const std::string& help) {
        options[key] = app.add_flag(flag_for(key), switches[key], help);
    }
    // Only flags that were actually given override file and environment.
    SettingValues given() const {
        SettingValues out;
        for (const auto& [key, opt] : options) {
            if (opt->count() == 0) continue;
            if (auto it = values.find(key); it != values.end())
                out[key] = it->second;
            else
                out[key] = {switches.at(key) ? "true" : "false"};
        }
        return out;
    }
    static std::string flag_for(std::string key) {
        for (auto& ch : key)
            if (ch == '_') ch = '-';
        return "--" + key;
    }
};

}  // namespace

CliResult parse_cli(int argc, const char* const* argv) {
    CLI::App app{"dnsplane: DNS control plane and authoritative DNS server", "dnsplane"};
    app.require_subcommand(1);

    std::string serve_config, token_config;
    FlagStore serve_flags, token_flags;

    auto* serve = app.add_subcommand("serve", "Run the API and DNS servers");
    serve->add_option("--config", serve_config, "TOML configuration file");
    serve_flags.value(*serve, "database", "Store URL, e.g. sqlite:///var/lib/dnsplane/db.sqlite");
    serve_flags.value(*serve, "api_listen", "API address HOST:PORT (default 127.0.0.1:9001)");
    serve_flags.value(*serve, "auth", "none | token | keystone");
    serve_flags.value(*serve, "keystone_url", "Keystone for --auth keystone (http://host:port)");
    serve_flags.value(*serve, "keystone_user", "Service user that validates tokens");
    serve_flags.value(*serve, "keystone_password", "Its password (prefer the environment)");
    serve_flags.value(*serve, "keystone_project", "Its project name");
    serve_flags.value(*serve, "keystone_user_domain", "Its user domain (Default)");
    serve_flags.value(*serve, "keystone_project_domain", "Its project domain (Default)");
    serve_flags.value(*serve, "keystone_cache_seconds", "Validated token cache lifetime (60)");
    serve_flags.toggle(*serve, "insecure", "Allow --auth none on a non-loopback address");
    serve_flags.toggle(*serve, "trust_forwarded", "Honour X-Forwarded-Proto/Host");
    serve_flags.value(*serve, "body_limit", "Largest accepted request body in bytes");
    serve_flags.value(*serve, "dns_listen", "DNS address ADDR:PORT (repeatable)", true);
    serve_flags.value(*serve, "edns_udp_size", "Largest UDP DNS response");
    serve_flags.value(*serve, "axfr_allow", "Networks allowed to transfer zones (repeatable)",
                      true);
    serve_flags.value(*serve, "designate_style", "final | draft");
    serve_flags.value(*serve, "log_level", "trace | debug | info | warn | error | off");
    serve_flags.value(*serve, "threads", "I/O threads");
    serve_flags.value(*serve, "http_workers",
                      "HTTP connection threads (a connection and its handlers stay on one)");
    serve_flags.value(*serve, "webhook_listen",
                      "ExternalDNS webhook HOST:PORT (default 127.0.0.1:8888)");
    serve_flags.value(*serve, "webhook_project", "Project the webhook acts for (default: default)");
    serve_flags.value(*serve, "webhook_auth", "Webhook basic auth user:password");
    serve_flags.value(*serve, "webhook_max_body", "Largest webhook request body in bytes");
    serve_flags.toggle(*serve, "webhook_dry_run", "Validate and log webhook plans, write nothing");
    serve_flags.toggle(*serve, "webhook_create_zones",
                       "Create missing zones for webhook endpoints");
    serve_flags.value(*serve, "webhook_domain_filter",
                      "Domain filter sent at negotiation (repeatable)", true);
    serve_flags.value(*serve, "health_listen",
                      "GET /healthz and /metrics HOST:PORT (default 127.0.0.1:8080)");
    serve_flags.value(*serve, "plugin_id", "Plug-in id for /v1/identify (default io.dnsplane)");
    serve_flags.value(*serve, "platform_url", "Base URL of relative extension point endpoints");
    serve_flags.value(*serve, "connector_prefix", "Path of the ConnectorClass resources");
    serve_flags.value(*serve, "shutdown_timeout", "Drain deadline after SIGTERM: 10s, 500ms");
    serve_flags.value(*serve, "hook_timeout", "Extension point call deadline: 2s, 500ms");
    serve_flags.toggle(*serve, "validate_fail_open",
                       "Allow changes when validate_change is silent");
    serve_flags.value(*serve, "store_probe_ms", "Status write probe period in ms (1000)");
    serve_flags.value(*serve, "catalog_zone", "Serve an RFC 9432 catalog of every zone as NAME");
    serve_flags.value(*serve, "notify_tsig_key",
                      "Sign NOTIFY with this TSIG key (a /v2/tsigkeys name)");
    serve_flags.value(*serve, "pool_also_notify",
                      "Secondary ADDR:PORT to NOTIFY of every zone change (repeatable)", true,
                      "--also-notify");
    serve_flags.value(*serve, "pool_poll_nameservers",
                      "Nameserver HOST:PORT polled for each change's serial before it shows "
                      "ACTIVE (repeatable)",
                      true, "--poll-nameserver");
    serve_flags.value(*serve, "pool_poll_delay", "Wait before the first serial poll: 500ms");
    serve_flags.value(*serve, "pool_poll_retry_interval", "Wait between serial polls: 1s");
    serve_flags.value(*serve, "pool_poll_max_retries",
                      "Serial polls after the first before a change is ERROR (30)");

    auto* token = app.add_subcommand("token", "Manage API tokens");
    token->require_subcommand(1);
    auto* create = token->add_subcommand("create", "Create a token; prints the secret last");
    create->add_option("--config", token_config, "TOML configuration file");
    token_flags.value(*create, "database", "Store URL");
    std::string project, role;
    create->add_option("--project", project, "Project id the token acts for")->required();
    create->add_option("--role", role, "admin | member | reader")->required();

    auto* user = app.add_subcommand("user", "Manage users of the built-in identity endpoint");
    user->require_subcommand(1);
    auto* user_create = user->add_subcommand("create", "Create a user (password stored hashed)");
    std::string user_config;
    FlagStore user_flags;
    UserCreateCommand uc;
    user_create->add_option("--config", user_config, "TOML configuration file");
    user_flags.value(*user_create, "database", "Store URL");
    user_create->add_option("--name", uc.name, "User name (unique)")->required();
    auto* pw = user_create->add_option("--password", uc.password, "Password (visible to ps)");
    user_create
        ->add_option("--password-file", uc.password_file,
                     "Read the password from this file's first line (- for stdin)")
        ->excludes(pw);
    user_create->add_option("--project", uc.project, "Project name")->required();
    user_create->add_option("--project-id", uc.project_id, "Project id (default: the name)");
    user_create->add_option("--role", uc.role, "admin | member | reader")->required();

    auto* version = app.add_subcommand("version", "Print the version");

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return {std::nullopt, app.exit(e)};
    }

    auto config_args = [](const std::string& file, const FlagStore& flags) {
        ConfigArgs args;
        if (!file.empty()) args.config_file = file;
        args.flags = flags.given();
        return args;
    };
    if (serve->parsed()) return {ServeCommand{config_args(serve_config, serve_flags)}, 0};
    if (create->parsed())
        return {TokenCreateCommand{config_args(token_config, token_flags), project, role}, 0};
    if (user_create->parsed()) {
        uc.config = config_args(user_config, user_flags);
        return {uc, 0};
    }
    if (version->parsed()) return {VersionCommand{}, 0};
    return {std::nullopt, 2};
}

}  // namespace dnsplane::app
