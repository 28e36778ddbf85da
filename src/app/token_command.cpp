#include "app/token_command.h"

#include <fstream>
#include <iostream>

#include "app/logging.h"
#include "auth/authenticator.h"
#include "auth/users.h"
#include "store/store.h"

namespace dnsplane::app {

int run_token_create(const Config& config, const std::string& project_id, const std::string& role) {
    init_logging(config.log_level == "info" ? "warn" : config.log_level);
    try {
        auto store = store::open_store(config.database);
        auto secret = auth::create_token(*store, project_id, role);
        std::cerr << "created " << role << " token for project " << project_id << "\n";
        std::cout << secret << std::endl;
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "dnsplane: cannot create token: " << e.what() << "\n";
        return 1;
    }
}

int run_user_create(const Config& config, const UserCreateCommand& command) {
    init_logging(config.log_level == "info" ? "warn" : config.log_level);
    try {
        auth::UserSpec spec{command.name, command.password, command.project, command.project_id,
                            command.role};
        if (!command.password_file.empty()) {
            std::ifstream file;
            std::istream* in = &std::cin;
            if (command.password_file != "-") {
                file.open(command.password_file);
                if (!file) throw std::runtime_error("cannot read " + command.password_file);
                in = &file;
            }
            std::getline(*in, spec.password);
            if (!spec.password.empty() && spec.password.back() == '\r') spec.password.pop_back();
        }
        auto store = store::open_store(config.database);
        auto user = auth::create_user(*store, spec);
        std::cerr << "created " << user.role << " user " << user.name << " in project "
                  << user.project_name << " (" << user.project_id << ")\n";
        std::cout << user.id << std::endl;
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "dnsplane: cannot create user: " << e.what() << "\n";
        return 1;
    }
}

}  // namespace dnsplane::app
