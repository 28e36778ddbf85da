#include "api/designate/admin_common.h"

#include <algorithm>
#include <cctype>

#include "api/designate/responses.h"
#include "core/error.h"

namespace dnsplane::designate {

namespace json = boost::json;

const std::string& uuid_param(const http::Request& req, const std::string& name) {
    const std::string& id = req.param(name);
    if (!is_uuid(id))
        throw core::Error(core::ErrorKind::BadRequest, "invalid_uuid",
                          "Invalid UUID " + name + ": " + id);
    return id;
}

namespace {

// Sort value of one member: strings as they are, numbers zero-padded, null first.
std::string sort_value(const json::object& o, const std::string& key) {
    const json::value* v = o.if_contains(key);
    if (!v || v->is_null()) return std::string();
    if (v->is_string()) return std::string(v->get_string());
    if (v->is_int64()) {
        std::string n = std::to_string(v->get_int64());
        return std::string(20 - std::min<std::size_t>(20, n.size()), '0') + n;
    }
    return json::serialize(*v);
}

// parse_list_request canonicalises a name filter as a zone name (lower case,
// trailing dot); TLD and pool names carry no trailing dot.
// Designate's filters take '*' as a wildcard (any run of characters).
bool glob_match(std::string_view text, std::string_view pattern) {
    std::size_t t = 0, p = 0, star = std::string_view::npos, mark = 0;
    while (t < text.size()) {
        if (p < pattern.size() && pattern[p] == '*') {
            star = p++;
            mark = t;
        } else if (p < pattern.size() && pattern[p] == text[t]) {
            ++p;
            ++t;
        } else if (star != std::string_view::npos) {
            p = star + 1;
            t = ++mark;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern[p] == '*') ++p;
    return p == pattern.size();
}

bool filter_matches(const std::string& attr, std::string_view have, const std::string& want) {
    if (attr != "name") return glob_match(have, want);
    std::string a(have), b(want);
    for (auto* s : {&a, &b}) {
        for (auto& c : *s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (!s->empty() && s->back() == '.') s->pop_back();
    }
    return glob_match(a, b);
}

}  // namespace

json::object small_collection(const http::Request& req, std::string_view key,
                              const CollectionSpec& spec, json::array items) {
    ListRequest list = parse_list_request(req, spec);
    const store::ListQuery& q = list.query;
    std::vector<json::object> rows;
    for (auto& item : items) {
        json::object& o = item.as_object();
        bool keep = true;
        for (const auto& [attr, value] : q.filters) {
            const json::value* v = o.if_contains(attr);
            keep = keep && v && v->is_string() && filter_matches(attr, v->get_string(), value);
        }
        if (keep) rows.push_back(std::move(o));
    }
    std::stable_sort(rows.begin(), rows.end(), [&](const json::object& a, const json::object& b) {
        auto ka = std::make_pair(sort_value(a, q.sort_key), sort_value(a, "id"));
        auto kb = std::make_pair(sort_value(b, q.sort_key), sort_value(b, "id"));
        return q.descending ? kb < ka : ka < kb;
    });
    std::size_t start = 0;
    if (q.offset) {
        start = std::min(*q.offset, rows.size());
    } else if (q.marker) {
        auto it = std::find_if(rows.begin(), rows.end(), [&](const json::object& o) {
            return sort_value(o, "id") == *q.marker;
        });
        if (it == rows.end())
            throw core::bad_request("invalid_marker", "Marker " + *q.marker + " is not valid");
        start = static_cast<std::size_t>(it - rows.begin()) + 1;
    }
    const std::size_t end = std::min(rows.size(), start + q.limit);
    json::array page;
    for (std::size_t i = start; i < end; ++i) page.push_back(std::move(rows[i]));
    std::string last_id;
    if (!page.empty()) last_id = sort_value(page.back().as_object(), "id");
    return collection_document(key, std::move(page), req, list, rows.size(), end < rows.size(),
                               last_id);
}

http::Response no_content() {
    http::Response res;
    res.status = 204;
    res.content_type.clear();
    return res;
}

}  // namespace dnsplane::designate
