// JSON of the record API: Lexicon records out, create/update bodies and
// filters in.
#pragma once

#include <boost/json.hpp>

#include "http/message.h"
#include "service/record_ops.h"

namespace dnsplane::records {

// {"id","type","name" (no trailing dot),"ttl","content","options":{["mx":{"priority"}]}}
boost::json::object record_json(const service::LexRecord& r);
// The JSON array of `records`, written directly (a 10,000-value list without
// building a DOM); same members as record_json.
std::string records_json(const std::vector<service::LexRecord>& records);
// {"id","name" (no trailing dot),"ttl"}
boost::json::object domain_json(const core::Zone& z);

// Query parameters type, name, content (anything else: 400 bad_request).
service::RecordFilter parse_filter(const http::Request& req);

// {"type","name","content",["ttl"],["options":{"mx":{"priority"}}]}
service::RecordCreate parse_create(const boost::json::object& body);
// Any of the create members; ttl 0 or null: the zone's default.
service::RecordChange parse_change(const boost::json::object& body);

}  // namespace dnsplane::records
