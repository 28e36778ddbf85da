// Conversion between Boost.Beast messages and the transport-neutral
// http::Request / http::Response the routers see.
#pragma once

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <string>

#include "http/framing.h"
#include "http/message.h"

namespace dnsplane::http {

using BeastRequest = boost::beast::http::request<boost::beast::http::string_body>;
using BeastResponse = boost::beast::http::response<boost::beast::http::string_body>;

struct ConversionContext {
    bool trust_forwarded = false;  // honour X-Forwarded-Proto / X-Forwarded-Host
    std::string local_address;     // "127.0.0.1:9001": base URL when Host is absent
};

// The head as Beast parsed it, for decide_framing (views into `msg`).
RequestHead head_of(const BeastRequest& msg, bool obs_fold);

// Applies an accepted framing decision: an absolute-form target becomes its
// origin-form and its authority replaces Host (RFC 9112 3.2.2).
void apply_framing(BeastRequest& msg, const Framing& framing);

// Method, raw target, lower-cased headers, body, a fresh request id and the
// base URL. Path and query are left empty: decode_target() fills them.
Request from_beast(BeastRequest&& msg, const ConversionContext& ctx);

// Parses the origin-form target into the path (still percent-encoded: the
// router decodes it segment by segment) and the decoded query parameters;
// throws core::Error(BadRequest) for a malformed target.
void decode_target(Request& req);

// Adds X-Openstack-Request-Id, Content-Type (except for bodiless 204/304)
// and Content-Length.
BeastResponse to_beast(Response&& res, const std::string& request_id, unsigned version,
                       bool keep_alive);

}  // namespace dnsplane::http
