#include "api/designate/style_responses.h"

#include "api/designate/json_codec.h"
#include "api/designate/responses.h"

namespace dnsplane::designate {

namespace json = boost::json;

namespace {

std::string_view action_of(WriteKind kind) {
    switch (kind) {
        case WriteKind::Create:
            return "CREATE";
        case WriteKind::Update:
            return "UPDATE";
        case WriteKind::Delete:
            return "DELETE";
    }
    return "NONE";
}

json::object wrapped(std::string_view wrapper, json::object resource) {
    json::object doc;
    doc[wrapper] = std::move(resource);
    return doc;
}

// The draft: a synchronous create is 201, update 200, delete 204.
unsigned draft_status(WriteKind kind) {
    switch (kind) {
        case WriteKind::Create:
            return 201;
        case WriteKind::Update:
            return 200;
        case WriteKind::Delete:
            return 204;
    }
    return 200;
}

}  // namespace

json::object zone_object(ApiStyle style, const core::Zone& z, std::string_view base_url) {
    return style == ApiStyle::Draft ? draft::zone_to_json(z, base_url) : zone_to_json(z, base_url);
}

json::object recordset_object(ApiStyle style, const core::RecordSet& rs, std::string_view base_url,
                              bool in_collection) {
    if (style == ApiStyle::Draft) return draft::recordset_to_json(rs, base_url, !in_collection);
    return recordset_to_json(rs, base_url);
}

json::object pool_object(ApiStyle style, const core::Pool& p, std::string_view base_url) {
    return style == ApiStyle::Draft ? draft::pool_to_json(p, base_url) : pool_to_json(p, base_url);
}

http::Response read_response(ApiStyle style, std::string_view wrapper, json::object resource) {
    if (style == ApiStyle::Draft) return json_response(200, wrapped(wrapper, std::move(resource)));
    return json_response(200, resource);
}

http::Response write_response(ApiStyle style, WriteKind kind, std::string_view wrapper,
                              json::object resource, std::int64_t version,
                              const std::string& location) {
    http::Response res;
    if (style == ApiStyle::Draft) {
        if (kind == WriteKind::Delete) {
            res.status = 204;  // the resource is gone: no body, no ETag
            res.content_type.clear();
            return res;
        }
        res = json_response(draft_status(kind), wrapped(wrapper, std::move(resource)));
    } else {
        // Designate's clients expect 202 + PENDING; the change is committed
        // and live already, so a later GET shows ACTIVE / NONE.
        mark_pending(resource, action_of(kind));
        res = json_response(202, resource);
    }
    set_etag(res, version);
    if (kind == WriteKind::Create) res.set_header("Location", location);
    return res;
}

}  // namespace dnsplane::designate
