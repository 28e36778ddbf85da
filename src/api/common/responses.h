// Response pieces every JSON API surface shares: JSON responses, ETag and
// If-Match, id checks.
#pragma once

#include <boost/json.hpp>

#include <cstdint>
#include <optional>
#include <string_view>

#include "http/message.h"

namespace dnsplane::api {

http::Response json_response(unsigned status, const boost::json::value& body);

// ETag: "<version>" (quoted, strong).
void set_etag(http::Response& res, std::int64_t version);

// If-Match: "<version>" -> that version; "*" or absent -> nullopt (any).
// Anything else (weak tags, lists, unquoted text) -> 400 bad_request.
std::optional<std::int64_t> parse_if_match(const http::Request& req);

// Lower-case hyphenated UUID text.
bool is_uuid(std::string_view id);

// Throws 400 invalid_uuid when `id` cannot be an id at all, as Designate does
// (`type`/`message`, the resource's not-found error, are no longer used).
void require_uuid(std::string_view id, const char* type, const char* message);

}  // namespace dnsplane::api
