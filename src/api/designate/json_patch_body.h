// JSON Patch (RFC 6902) requests on Designate resources, the 2013 draft's
// answer to concurrent modification:
//   PATCH /v2/zones/{id}   Content-Type: application/json-patch+json
//   [{"op":"test","path":"/zone/version","value":1},
//    {"op":"replace","path":"/zone/ttl","value":3600}]
// The patch applies to {"zone": <the resource as GET shows it>} (or
// {"recordset": ...}). This file turns a patch into the partial update body
// that a plain PATCH would have carried, so both go through one validation.
#pragma once

#include <boost/json.hpp>

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "common/json_patch.h"
#include "http/message.h"

namespace dnsplane::designate {

inline constexpr std::string_view kJsonPatchMediaType = "application/json-patch+json";

// True when the request's Content-Type is application/json-patch+json.
bool is_json_patch_request(const http::Request& req);

// Which members of a resource a patch may change.
struct PatchTarget {
    std::string wrapper;             // "zone" or "recordset"
    std::set<std::string> writable;  // e.g. email, ttl, description, notes
};
PatchTarget zone_patch_target();       // email, ttl, description, notes
PatchTarget recordset_patch_target();  // records, ttl, description, notes

// Parses the body as a patch and checks every operation's pointers: each
// "path" (and a move's "from") that changes the document must lie inside a
// writable member, /<wrapper>/<member>[/...]; a "test" may read anything.
// Malformed JSON: 400 bad_request. A malformed patch, an unknown or a
// read-only member: 400 invalid_object with one error per operation. More
// operations than limits.max_operations: 413 patch_too_large.
std::vector<common::PatchOperation> read_json_patch(const http::Request& req,
                                                    const PatchTarget& target,
                                                    const common::PatchLimits& limits = {});

// The limits of a patch on a resource: the document may grow to the request
// body limit (what a plain write of the result could carry), and a patch holds
// at most 1000 operations (common::PatchLimits explains both).
common::PatchLimits patch_limits(std::size_t body_limit);

// Applies `ops` to {<wrapper>: resource} and returns the writable members
// whose value changed, as a partial update body ({"ttl": 3600}); a member
// the patch removed is null. Empty when the patch changes nothing.
// A failed "test": core::Error(Conflict, "patch_test_failed"); a pointer the
// document does not hold: 400 invalid_object; an operation that would take
// the document over `limits`: 413 patch_too_large, before it does the work.
boost::json::object patched_members(const boost::json::object& resource, const PatchTarget& target,
                                    const std::vector<common::PatchOperation>& ops,
                                    const common::PatchLimits& limits = {});

}  // namespace dnsplane::designate
