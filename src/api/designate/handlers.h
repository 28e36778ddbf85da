// Designate v2 request handlers. Each translates one HTTP request into one
// ZoneService call and the result into Designate's JSON; routes.cpp binds
// them to methods and paths.
#pragma once

#include "http/message.h"
#include "service/zone_service.h"

namespace dnsplane::designate::handlers {

using service::ZoneService;

// Version discovery (no authentication).
http::Response root_versions(const http::Request& req);
http::Response v2_versions(const http::Request& req);

// Zones.
http::Response create_zone(ZoneService& svc, const http::Request& req);
http::Response list_zones(ZoneService& svc, const http::Request& req);
http::Response get_zone(ZoneService& svc, const http::Request& req);
http::Response update_zone(ZoneService& svc, const http::Request& req);
http::Response delete_zone(ZoneService& svc, const http::Request& req);

// Record sets.
http::Response create_recordset(ZoneService& svc, const http::Request& req);
http::Response list_zone_recordsets(ZoneService& svc, const http::Request& req);
http::Response list_all_recordsets(ZoneService& svc, const http::Request& req);
http::Response redirect_recordset(ZoneService& svc, const http::Request& req);
http::Response get_recordset(ZoneService& svc, const http::Request& req);
http::Response update_recordset(ZoneService& svc, const http::Request& req);
http::Response delete_recordset(ZoneService& svc, const http::Request& req);

// Pools.
http::Response list_pools(ZoneService& svc, const http::Request& req);
http::Response get_pool(ZoneService& svc, const http::Request& req);

}  // namespace dnsplane::designate::handlers
