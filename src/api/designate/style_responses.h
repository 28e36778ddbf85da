// Everything that differs between the two response styles (--designate-style):
// resource shapes, the status code of a write and whether bodies are wrapped.
//   final: today's Designate: 202 + status PENDING + action on writes,
//          bodies unwrapped, records as strings.
//   draft: the 2013 draft's synchronous answers: 201 + Location, 200, 204
//          with no body; {"zone": {...}} bodies, status ACTIVE, dict records.
// Both styles send Location on every create and ETag: "<version>".
#pragma once

#include <boost/json.hpp>

#include <cstdint>
#include <string>
#include <string_view>

#include "api/designate/draft_style.h"
#include "core/model.h"
#include "http/message.h"

namespace dnsplane::designate {

enum class WriteKind { Create, Update, Delete };

// One resource, unwrapped, as the style shows it. In a collection a draft
// record set leaves its records out.
boost::json::object zone_object(ApiStyle style, const core::Zone& z, std::string_view base_url);
boost::json::object recordset_object(ApiStyle style, const core::RecordSet& rs,
                                     std::string_view base_url, bool in_collection = false);
boost::json::object pool_object(ApiStyle style, const core::Pool& p, std::string_view base_url);

// 200 with one resource: unwrapped (final) or {"<wrapper>": resource} (draft).
http::Response read_response(ApiStyle style, std::string_view wrapper,
                             boost::json::object resource);

// The answer to a committed write of `resource` (already shaped by the
// style). `location` is the resource's URL, sent on creates.
http::Response write_response(ApiStyle style, WriteKind kind, std::string_view wrapper,
                              boost::json::object resource, std::int64_t version,
                              const std::string& location);

}  // namespace dnsplane::designate
