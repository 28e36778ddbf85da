// Collection queries: limit/marker/sort (final API) or page/per_page (2013
// draft) plus attribute filters, and the links that page through results.
#pragma once

#include <boost/json.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "http/message.h"
#include "store/store.h"

namespace dnsplane::designate {

// What one collection accepts.
struct CollectionSpec {
    std::vector<std::string> filters;    // attribute filters, e.g. name, type
    std::vector<std::string> sort_keys;  // sort_key whitelist
};

const CollectionSpec& zone_collection();
const CollectionSpec& recordset_collection();       // /v2/zones/{id}/recordsets
const CollectionSpec& all_recordsets_collection();  // /v2/recordsets (adds zone_id)

constexpr std::size_t kDefaultLimit = 20;
constexpr std::size_t kMaxLimit = 1000;

struct ListRequest {
    store::ListQuery query;
    bool page_mode = false;  // page/per_page style: offset paging
    std::size_t page = 1;
    std::size_t per_page = kDefaultLimit;
    // Filters and sort parameters as the client sent them, repeated in links.
    std::vector<std::pair<std::string, std::string>> carried;
};

// Parses the query string. Throws core::Error: 400 invalid_limit (limit not
// an integer or < 1, per_page outside 1..1000), invalid_sort_key,
// invalid_sort_dir, bad_request (page < 1, or page style mixed with
// limit/marker). limit > 1000 is clamped. A `zone_id` filter (all-recordsets
// collection) goes into the query's scope. Unknown parameters are ignored.
ListRequest parse_list_request(const http::Request& req, const CollectionSpec& spec);

// {"self": ..., "next": ...[, "previous": ...]}: next only when `has_more`;
// marker mode ends next with marker=<last_id>, page mode uses page numbers.
boost::json::object collection_links(const http::Request& req, const ListRequest& list,
                                     bool has_more, std::string_view last_id);

// {"<key>": items, "links": ..., "metadata": {"total_count": N}}.
boost::json::object collection_document(std::string_view key, boost::json::array items,
                                        const http::Request& req, const ListRequest& list,
                                        std::size_t total_count, bool has_more,
                                        std::string_view last_id);

// application/x-www-form-urlencoded style query string (RFC 3986 unreserved
// characters and '*' kept as they are).
std::string encode_query(const std::vector<std::pair<std::string, std::string>>& params);

}  // namespace dnsplane::designate
