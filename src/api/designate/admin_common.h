// Helpers of the admin resources (issue 16: tlds, blacklists, quotas, pools,
// service statuses): ids that must be UUIDs (400 invalid_uuid, as Designate
// answers for these collections) and small collections paged in memory.
#pragma once

#include <boost/json.hpp>

#include <string>
#include <string_view>

#include "api/designate/pagination.h"
#include "http/message.h"

namespace dnsplane::designate {

// The route parameter `name` ("tld_id"); not a UUID -> 400 invalid_uuid
// "Invalid UUID tld_id: <value>".
const std::string& uuid_param(const http::Request& req, const std::string& name);

// A collection read whole (a few rows): exact filters on `spec.filters`,
// sort_key / sort_dir, limit / marker (or page / per_page), links and
// metadata.total_count as for zones. Each item must carry an "id".
boost::json::object small_collection(const http::Request& req, std::string_view key,
                                     const CollectionSpec& spec, boost::json::array items);

// 204 with no body (admin resource deletes, quota reset).
http::Response no_content();

}  // namespace dnsplane::designate
