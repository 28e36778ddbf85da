#include "api/designate/pagination.h"

#include <algorithm>
#include <cctype>
#include <charconv>

#include "core/error.h"

namespace dnsplane::designate {

namespace json = boost::json;

namespace {

// Parameters that steer paging; never treated as filters.
bool is_paging_param(std::string_view key) {
    return key == "limit" || key == "marker" || key == "sort_key" || key == "sort_dir" ||
           key == "page" || key == "per_page";
}

// Digits only (no sign, no blanks); nullopt when not a plain non-negative integer.
std::optional<std::size_t> parse_count(std::string_view text) {
    if (text.empty() || text.size() > 18) return std::nullopt;
    if (!std::all_of(text.begin(), text.end(),
                     [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }))
        return std::nullopt;
    std::size_t value = 0;
    std::from_chars(text.data(), text.data() + text.size(), value);
    return value;
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

std::string upper(std::string_view s) {
    std::string out(s);
    for (auto& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

// Names are stored canonical (lower-case, trailing dot); accept the filter in
// any case and without the dot. A trailing '*' wildcard keeps its form.
std::string normalise_name_filter(std::string_view value) {
    std::string out = lower(value);
    if (!out.empty() && out.back() != '.' && out.back() != '*') out += '.';
    return out;
}

std::string normalise_filter(const std::string& key, std::string_view value) {
    if (key == "name") return normalise_name_filter(value);
    if (key == "type" || key == "status") return upper(value);
    if (key == "ttl" && !parse_count(value))
        throw core::bad_request("bad_request", "Invalid ttl filter '" + std::string(value) +
                                                   "': must be a non-negative integer");
    return std::string(value);
}

bool contains(const std::vector<std::string>& list, std::string_view item) {
    return std::find(list.begin(), list.end(), item) != list.end();
}

std::string join(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& i : items) {
        if (!out.empty()) out += ", ";
        out += i;
    }
    return out;
}

std::size_t parse_limit(std::string_view text, std::string_view param) {
    if (text == "max") return kMaxLimit;  // Designate accepts limit=max
    auto n = parse_count(text);
    if (!n || *n < 1)
        throw core::bad_request("invalid_limit", "Invalid " + std::string(param) + " '" +
                                                     std::string(text) +
                                                     "': must be an integer >= 1");
    return std::min(*n, kMaxLimit);
}

void parse_page_style(const http::Request& req, ListRequest& out) {
    if (req.query_param("limit") || req.query_param("marker"))
        throw core::bad_request("bad_request",
                                "page/per_page cannot be combined with limit/marker");
    out.page_mode = true;
    if (auto per_page = req.query_param("per_page")) {
        auto n = parse_count(*per_page);
        if (!n || *n < 1 || *n > kMaxLimit)
            throw core::bad_request("invalid_limit", "Invalid per_page '" + std::string(*per_page) +
                                                         "': must be an integer in 1..1000");
        out.per_page = *n;
    }
    if (auto page = req.query_param("page")) {
        auto n = parse_count(*page);
        if (!n || *n < 1)
            throw core::bad_request("bad_request", "Invalid page '" + std::string(*page) +
                                                       "': must be an integer >= 1");
        out.page = *n;
    }
    out.query.limit = out.per_page;
    out.query.offset = (out.page - 1) * out.per_page;
}

bool is_unreserved(unsigned char c) {
    return std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '*';
}

void append_encoded(std::string& out, std::string_view s) {
    static const char* hex = "0123456789ABCDEF";
    for (unsigned char c : s) {
        if (is_unreserved(c)) {
            out.push_back(static_cast<char>(c));
        } else {
            out.push_back('%');
            out.push_back(hex[c >> 4]);
            out.push_back(hex[c & 15]);
        }
    }
}

std::string collection_url(const http::Request& req,
                           std::vector<std::pair<std::string, std::string>> params) {
    std::string url = req.base_url + req.path;
    if (!params.empty()) url += "?" + encode_query(params);
    return url;
}

}  // namespace

const CollectionSpec& zone_collection() {
    static const CollectionSpec spec{{"name", "email", "ttl", "status", "description", "type"},
                                     {"created_at", "id", "name", "type", "ttl", "status", "serial",
                                      "email", "description", "updated_at", "version"}};
    return spec;
}

const CollectionSpec& recordset_collection() {
    static const CollectionSpec spec{{"name", "type", "ttl", "data", "status", "description"},
                                     {"created_at", "id", "name", "type", "ttl", "status",
                                      "zone_id", "description", "updated_at", "version"}};
    return spec;
}

const CollectionSpec& all_recordsets_collection() {
    static const CollectionSpec spec = [] {
        CollectionSpec s = recordset_collection();
        s.filters.push_back("zone_id");
        return s;
    }();
    return spec;
}

ListRequest parse_list_request(const http::Request& req, const CollectionSpec& spec) {
    ListRequest out;
    for (const auto& [key, value] : req.query) {
        if (is_paging_param(key) || !contains(spec.filters, key)) continue;
        out.carried.emplace_back(key, value);
        if (key == "zone_id")
            out.query.scope.zone_id = value;
        else
            out.query.filters.emplace_back(key, normalise_filter(key, value));
    }

    if (auto key = req.query_param("sort_key")) {
        if (!contains(spec.sort_keys, *key))
            throw core::bad_request("invalid_sort_key", "Invalid sort_key '" + std::string(*key) +
                                                            "': must be one of " +
                                                            join(spec.sort_keys));
        out.query.sort_key = std::string(*key);
        out.carried.emplace_back("sort_key", *key);
    }
    if (auto dir = req.query_param("sort_dir")) {
        if (*dir != "asc" && *dir != "desc")
            throw core::bad_request("invalid_sort_dir", "Invalid sort_dir '" + std::string(*dir) +
                                                            "': must be 'asc' or 'desc'");
        out.query.descending = *dir == "desc";
        out.carried.emplace_back("sort_dir", *dir);
    }

    if (req.query_param("page") || req.query_param("per_page")) {
        parse_page_style(req, out);
        return out;
    }
    out.query.limit = kDefaultLimit;
    if (auto limit = req.query_param("limit")) out.query.limit = parse_limit(*limit, "limit");
    if (auto marker = req.query_param("marker"); marker && !marker->empty())
        out.query.marker = std::string(*marker);
    return out;
}

json::object collection_links(const http::Request& req, const ListRequest& list, bool has_more,
                              std::string_view last_id) {
    json::object links;
    links["self"] = req.base_url + req.target;
    auto params = list.carried;
    if (list.page_mode) {
        params.emplace_back("per_page", std::to_string(list.per_page));
        if (has_more) {
            auto next = params;
            next.emplace_back("page", std::to_string(list.page + 1));
            links["next"] = collection_url(req, next);
        }
        if (list.page > 1) {
            auto previous = params;
            previous.emplace_back("page", std::to_string(list.page - 1));
            links["previous"] = collection_url(req, previous);
        }
        return links;
    }
    if (has_more && !last_id.empty()) {
        params.emplace_back("limit", std::to_string(list.query.limit));
        params.emplace_back("marker", std::string(last_id));
        links["next"] = collection_url(req, params);
    }
    return links;
}

json::object collection_document(std::string_view key, json::array items, const http::Request& req,
                                 const ListRequest& list, std::size_t total_count, bool has_more,
                                 std::string_view last_id) {
    json::object doc;
    doc[key] = std::move(items);
    doc["links"] = collection_links(req, list, has_more, last_id);
    doc["metadata"] = json::object{{"total_count", total_count}};
    return doc;
}

std::string encode_query(const std::vector<std::pair<std::string, std::string>>& params) {
    std::string out;
    for (const auto& [key, value] : params) {
        if (!out.empty()) out.push_back('&');
        append_encoded(out, key);
        out.push_back('=');
        append_encoded(out, value);
    }
    return out;
}

}  // namespace dnsplane::designate
