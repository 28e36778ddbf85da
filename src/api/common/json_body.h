// Reading JSON request bodies, the same way on every JSON API surface.
// (The size limit is enforced by the server before a handler runs: 413.)
#pragma once

#include <boost/json.hpp>

#include <string>
#include <string_view>

#include "http/message.h"

namespace dnsplane::api {

// Deepest nesting a JSON body may have; deeper is 400 bad_request.
inline constexpr std::size_t kMaxJsonDepth = 32;

// "Application/JSON; charset=utf-8" -> "application/json" (lower case,
// parameters and blanks removed).
std::string media_type(std::string_view content_type);

// A missing Content-Type is tolerated (simple scripts omit it); any media
// type other than `expected` is 415 unsupported_media_type.
void require_media_type(const http::Request& req, std::string_view expected = "application/json");

// Parses the body: blank -> 400 bad_request "The request body is empty",
// malformed or too deep -> 400 bad_request "Malformed JSON body: ...".
boost::json::value parse_json_body(const http::Request& req);

// require_media_type + parse_json_body + the value must be an object
// (else 400 invalid_object).
boost::json::object read_json_object(const http::Request& req);

// "null", "a boolean", "an integer", "a number", "a string", "a list", "an object".
const char* json_kind_name(const boost::json::value& v);

}  // namespace dnsplane::api
