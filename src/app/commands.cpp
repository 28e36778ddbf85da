#include "app/commands.h"

#include <iostream>

#include "app/serve.h"
#include "app/token_command.h"
#include "app/version.h"

namespace dnsplane::app {

namespace {

// Exit code 2 for configuration errors, like CLI usage errors.
std::optional<Config> load(const ConfigArgs& args, const std::map<std::string, std::string>& env) {
    try {
        return load_config(ConfigSources{args.config_file, env, args.flags});
    } catch (const ConfigError& e) {
        std::cerr << "dnsplane: " << e.what() << "\n";
        return std::nullopt;
    }
}

}  // namespace

int run_command(const Command& command, const std::map<std::string, std::string>& env) {
    if (std::holds_alternative<VersionCommand>(command)) {
        std::cout << "dnsplane " << kVersion << "\n";
        return 0;
    }
    if (auto* serve = std::get_if<ServeCommand>(&command)) {
        auto config = load(serve->config, env);
        return config ? run_serve(*config) : 2;
    }
    if (auto* user = std::get_if<UserCreateCommand>(&command)) {
        auto config = load(user->config, env);
        return config ? run_user_create(*config, *user) : 2;
    }
    const auto& token = std::get<TokenCreateCommand>(command);
    auto config = load(token.config, env);
    return config ? run_token_create(*config, token.project_id, token.role) : 2;
}

}  // namespace dnsplane::app
