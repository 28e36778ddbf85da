#include "app/token_command.h"

#include <iostream>

#include "app/logging.h"
#include "auth/authenticator.h"
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

}  // namespace dnsplane::app
