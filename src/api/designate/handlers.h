// Designate v2 request handlers. Each translates one HTTP request into one
// ZoneService call and the result into Designate's JSON; routes.cpp binds
// them to methods and paths.
#pragma once

#include "api/designate/draft_style.h"
#include "http/message.h"
#include "service/lifecycle.h"
#include "service/zone_service.h"

namespace dnsplane::designate::handlers {

using service::ZoneService;

// What every resource handler works with: the service, and the response
// style chosen with --designate-style (see style_responses.h).
struct Context {
    ZoneService& svc;
    ApiStyle style = ApiStyle::Final;
    std::size_t body_limit = 1 << 20;  // the HTTP server's; bounds JSON-Patch results
    // Component heartbeats for /v2/service_statuses; null: none are reported.
    const service::Lifecycle* lifecycle = nullptr;
};

// Version discovery (no authentication).
http::Response root_versions(const http::Request& req);
http::Response v2_versions(const http::Request& req);

// Zones. update_zone serves PATCH and the draft's POST to the zone's URL.
http::Response create_zone(const Context& ctx, const http::Request& req);
http::Response list_zones(const Context& ctx, const http::Request& req);
http::Response get_zone(const Context& ctx, const http::Request& req);
http::Response update_zone(const Context& ctx, const http::Request& req);
http::Response delete_zone(const Context& ctx, const http::Request& req);

// Record sets. update_recordset serves PUT, a plain-JSON PATCH and the
// draft's POST to the record set's URL.
http::Response create_recordset(const Context& ctx, const http::Request& req);
http::Response list_zone_recordsets(const Context& ctx, const http::Request& req);
http::Response list_all_recordsets(const Context& ctx, const http::Request& req);
http::Response redirect_recordset(const Context& ctx, const http::Request& req);
http::Response get_recordset(const Context& ctx, const http::Request& req);
http::Response update_recordset(const Context& ctx, const http::Request& req);
http::Response delete_recordset(const Context& ctx, const http::Request& req);

// PATCH: application/json-patch+json bodies are RFC 6902 patches
// (json_patch_handlers.cpp); any other body goes to update_zone /
// update_recordset (merge semantics).
http::Response patch_zone(const Context& ctx, const http::Request& req);
http::Response patch_recordset(const Context& ctx, const http::Request& req);

// Pools (admin only; pools_handlers.cpp) and a zone's name servers.
http::Response list_pools(const Context& ctx, const http::Request& req);
http::Response get_pool(const Context& ctx, const http::Request& req);
http::Response create_pool(const Context& ctx, const http::Request& req);
http::Response update_pool(const Context& ctx, const http::Request& req);
http::Response delete_pool(const Context& ctx, const http::Request& req);
http::Response get_zone_nameservers(const Context& ctx, const http::Request& req);

// Admin resources (issue 16): TLDs, blacklists, quotas, limits, service
// statuses; one file each (*_handlers.cpp).
http::Response create_tld(const Context& ctx, const http::Request& req);
http::Response list_tlds(const Context& ctx, const http::Request& req);
http::Response get_tld(const Context& ctx, const http::Request& req);
http::Response update_tld(const Context& ctx, const http::Request& req);
http::Response delete_tld(const Context& ctx, const http::Request& req);
http::Response create_blacklist(const Context& ctx, const http::Request& req);
http::Response list_blacklists(const Context& ctx, const http::Request& req);
http::Response get_blacklist(const Context& ctx, const http::Request& req);
http::Response update_blacklist(const Context& ctx, const http::Request& req);
http::Response delete_blacklist(const Context& ctx, const http::Request& req);
http::Response get_own_quotas(const Context& ctx, const http::Request& req);
http::Response get_quotas(const Context& ctx, const http::Request& req);
http::Response set_quotas(const Context& ctx, const http::Request& req);
http::Response reset_quotas(const Context& ctx, const http::Request& req);
http::Response get_limits(const Context& ctx, const http::Request& req);
http::Response list_service_statuses(const Context& ctx, const http::Request& req);
http::Response get_service_status(const Context& ctx, const http::Request& req);

// Zone tasks (issue 16; tasks_handlers.cpp): imports, exports, abandon.
http::Response create_zone_import(const Context& ctx, const http::Request& req);
http::Response list_zone_imports(const Context& ctx, const http::Request& req);
http::Response get_zone_import(const Context& ctx, const http::Request& req);
http::Response delete_zone_import(const Context& ctx, const http::Request& req);
http::Response create_zone_export(const Context& ctx, const http::Request& req);
http::Response list_zone_exports(const Context& ctx, const http::Request& req);
http::Response get_zone_export(const Context& ctx, const http::Request& req);
http::Response delete_zone_export(const Context& ctx, const http::Request& req);
http::Response get_zone_export_file(const Context& ctx, const http::Request& req);
http::Response abandon_zone(const Context& ctx, const http::Request& req);
// SECONDARY zones: transfer now (xfr_handler.cpp).
http::Response xfr_zone(const Context& ctx, const http::Request& req);

// Zone transfers between projects (transfers_handlers.cpp).
http::Response create_transfer_request(const Context& ctx, const http::Request& req);
http::Response list_transfer_requests(const Context& ctx, const http::Request& req);
http::Response get_transfer_request(const Context& ctx, const http::Request& req);
http::Response update_transfer_request(const Context& ctx, const http::Request& req);
http::Response delete_transfer_request(const Context& ctx, const http::Request& req);
http::Response create_transfer_accept(const Context& ctx, const http::Request& req);
http::Response list_transfer_accepts(const Context& ctx, const http::Request& req);
http::Response get_transfer_accept(const Context& ctx, const http::Request& req);

// Zone shares (shares_handlers.cpp).
http::Response create_share(const Context& ctx, const http::Request& req);
http::Response list_shares(const Context& ctx, const http::Request& req);
http::Response get_share(const Context& ctx, const http::Request& req);
http::Response delete_share(const Context& ctx, const http::Request& req);

}  // namespace dnsplane::designate::handlers
