// Effective configuration: defaults < TOML file < DNSPLANE_* environment <
// command-line flags. Every flag has a config key of the same name with
// '-' replaced by '_' and an environment variable DNSPLANE_<KEY upper-case>.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "service/settings.h"

namespace dnsplane::app {

struct Config {
    std::string database = "sqlite://./data/dnsplane.db";
    std::string api_listen = "127.0.0.1:9001";
    std::string auth = "none";  // none | token
    bool insecure = false;      // allow --auth none on a non-loopback address
    bool trust_forwarded = false;
    std::size_t body_limit = 1 << 20;
    std::string designate_style = "final";  // final | draft (issue 6)
    std::string log_level = "info";
    int threads = 2;

    // DNS server (issue 4)
    std::vector<std::string> dns_listen = {"127.0.0.1:5353"};
    std::uint16_t edns_udp_size = 1232;
    std::vector<std::string> axfr_allow = {"127.0.0.0/8", "::1/128"};

    service::ServiceSettings service;  // pool, quotas, TTL bounds
};

}  // namespace dnsplane::app
