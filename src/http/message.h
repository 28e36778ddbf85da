// Transport-neutral request/response seen by API handlers. The server
// (http/server) converts from and to Boost.Beast messages.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "service/caller.h"

namespace dnsplane::http {

// ASCII case-insensitive equality (header names, codings, tokens).
bool iequals(std::string_view a, std::string_view b);

struct Request {
    std::string method;  // "GET", "POST", ...
    std::string target;  // request target in origin-form, e.g. "/v2/zones?limit=2"
    // The path without the query, still percent-encoded as sent: routing
    // splits it on '/' first and decodes each segment after (so "%2F" never
    // separates segments). Route parameters in `params` are decoded.
    std::string path;
    // Length of the prefix of `path` under which the serving surface is
    // mounted (0 at "/"); route_path() is what the surface's router matches.
    std::size_t mount_length = 0;
    std::vector<std::pair<std::string, std::string>> query;    // decoded, in order
    std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
    std::string body;
    std::string request_id;  // "req-<uuid>"
    std::string base_url;    // "http://host:port" from Host / trusted X-Forwarded-*
    std::map<std::string, std::string> params;  // route parameters, e.g. {"zone_id": ...}
    service::Caller caller;                     // filled by the auth middleware

    // Case-insensitive header lookup.
    std::optional<std::string_view> header(std::string_view name) const;
    std::optional<std::string_view> query_param(std::string_view name) const;
    const std::string& param(const std::string& name) const { return params.at(name); }
    // `path` below the surface's mount prefix, e.g. "/v2/zones" for
    // "/designate/v2/zones" when mounted at "/designate"; "/" at the mount point.
    std::string_view route_path() const;
};

struct Response {
    unsigned status = 200;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    std::string content_type = "application/json";

    void set_header(std::string name, std::string value) {
        headers.emplace_back(std::move(name), std::move(value));
    }
};

}  // namespace dnsplane::http
