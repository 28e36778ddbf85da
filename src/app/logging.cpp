#include "app/logging.h"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace dnsplane::app {

void init_logging(const std::string& level) {
    auto logger = spdlog::get("dnsplane");
    if (!logger) logger = spdlog::stderr_logger_mt("dnsplane");
    logger->set_pattern("%Y-%m-%dT%H:%M:%S.%fZ %l %v", spdlog::pattern_time_type::utc);
    logger->set_level(spdlog::level::from_str(level == "warning" ? "warn" : level));
    logger->flush_on(spdlog::level::info);
    spdlog::set_default_logger(logger);
}

}  // namespace dnsplane::app
