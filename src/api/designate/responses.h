// Small pieces every Designate handler shares: the JSON API helpers of
// api/common (JSON responses, ETag and If-Match, id checks) and the
// write-response status.
#pragma once

#include <boost/json.hpp>

#include <string_view>

#include "api/common/responses.h"

namespace dnsplane::designate {

using api::is_uuid;
using api::json_response;
using api::parse_if_match;
using api::require_uuid;
using api::set_etag;

// Designate answers writes with 202 and status PENDING plus the action taken;
// dnsplane has committed already, so a later GET shows ACTIVE / NONE.
void mark_pending(boost::json::object& resource, std::string_view action);

}  // namespace dnsplane::designate
