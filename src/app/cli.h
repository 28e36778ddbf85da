// Command-line parsing (CLI11) into a command value; no side effects beyond
// printing help and usage errors.
#pragma once

#include <optional>
#include <string>
#include <variant>

#include "app/config.h"

namespace dnsplane::app {

// Inputs common to commands that read the configuration.
struct ConfigArgs {
    std::optional<std::string> config_file;  // --config
    SettingValues flags;                     // explicitly given flags, by config key
};

struct ServeCommand {
    ConfigArgs config;
};

struct TokenCreateCommand {
    ConfigArgs config;  // --database (or the config file / DNSPLANE_DATABASE)
    std::string project_id;
    std::string role;
};

// `user create`: a user of the built-in identity endpoint (/identity/v3).
struct UserCreateCommand {
    ConfigArgs config;
    std::string name;
    std::string password;       // --password, or read from --password-file
    std::string password_file;  // "-" for stdin
    std::string project;        // project name
    std::string project_id;     // empty: the project name
    std::string role;
};

struct VersionCommand {};

using Command = std::variant<ServeCommand, TokenCreateCommand, VersionCommand, UserCreateCommand>;

struct CliResult {
    std::optional<Command> command;  // nullopt: exit with exit_code (help, usage error)
    int exit_code = 0;
};

CliResult parse_cli(int argc, const char* const* argv);

}  // namespace dnsplane::app
