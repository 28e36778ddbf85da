// Service-level settings (from the config file / flags).
#pragma once

#include <cstdint>
#include <string>

#include "core/model.h"

namespace dnsplane::service {

// The defaults of every project (config [quotas]); an admin may override
// them per project (PATCH /v2/quotas/{project_id}, service/quotas.h).
struct Quotas {
    std::size_t zones_per_project = 1000;
    std::size_t recordsets_per_zone = 10000;
    std::size_t records_per_recordset = 1000;
    std::size_t records_per_zone = 1000000;  // Designate's zone_records (SOA and NS values count)
    std::size_t api_export_size = 1000000;   // Designate's api_export_size (reported only)
};

struct ServiceSettings {
    core::Pool pool;  // the default pool; every zone belongs to it
    Quotas quotas;
    std::int64_t min_ttl = 0;
    std::int64_t max_ttl = 2147483647;
    std::uint32_t default_zone_ttl = 3600;
    bool allow_tld_zones = false;       // one-label zones
    bool allow_cross_project_nesting = false;  // disables illegal_child/illegal_parent
};

}  // namespace dnsplane::service
