// JSON of Lexicon-shaped records (service::RecordOps): records out,
// create/update bodies and filters in. Shared by the record API
// (/v1/domains, api/records) and the connector's zones/{zone}/records.
#pragma once

#include <boost/json.hpp>

#include <set>
#include <string_view>

#include "http/message.h"
#include "service/record_ops.h"

namespace dnsplane::api {

// {"id","type","name" (no trailing dot),"ttl","content","options":{["mx":{"priority"}]}}
boost::json::object record_json(const service::LexRecord& r);
// The JSON array of `records`, written directly (a 10,000-value list without
// building a DOM); same members as record_json.
std::string records_json(const std::vector<service::LexRecord>& records);
// {"id","name" (no trailing dot),"ttl"}
boost::json::object domain_json(const core::Zone& z);

// Query parameters type, name, content; any other key is 400 invalid_filter
// unless it is one of `other_keys` (a surface's own parameters, e.g. paging).
service::RecordFilter parse_filter(const http::Request& req,
                                   const std::set<std::string_view>& other_keys = {});

// {"type","name","content",["ttl"],["options":{"mx":{"priority"}}]}
service::RecordCreate parse_create(const boost::json::object& body);
// Any of the create members; ttl 0 or null: the zone's default.
service::RecordChange parse_change(const boost::json::object& body);

}  // namespace dnsplane::api
