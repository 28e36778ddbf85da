// JSON shapes of Designate's zone tasks and grants (store::ZoneTask rows):
// imports, exports, transfer requests and accepts, shares; and their
// collections (filters on the listed attributes, limit + marker paging).
#pragma once

#include <boost/json.hpp>

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "http/message.h"
#include "store/store.h"

namespace dnsplane::designate {

boost::json::object import_to_json(const store::ZoneTask& t, std::string_view base_url);
boost::json::object export_to_json(const store::ZoneTask& t, std::string_view base_url);
// The key is shown to the zone's side only (`with_key`).
boost::json::object transfer_request_to_json(const store::ZoneTask& t, std::string_view base_url,
                                             bool with_key);
boost::json::object transfer_accept_to_json(const store::ZoneTask& t, std::string_view base_url);
boost::json::object share_to_json(const store::ZoneTask& t, std::string_view base_url);

// {"<key>": [...], "links": {"self"[, "next"]}, "metadata": {"total_count"}}
// of the rows matching the request's filters (exact match on each name in
// `filters`, read from the row's JSON), paged by `limit` (default 20, at most
// 1000) and `marker` (an id of the list; unknown: 400 invalid_marker).
http::Response task_collection(
    std::string_view key, const std::vector<store::ZoneTask>& rows, const http::Request& req,
    const std::function<boost::json::object(const store::ZoneTask&)>& shape,
    const std::vector<std::string>& filters);

}  // namespace dnsplane::designate
