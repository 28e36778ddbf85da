// /v2/pools and /v2/pools/{pool_id}: the configured pool(s), read-only.
#include <optional>

#include "api/designate/handlers.h"
#include "api/designate/json_codec.h"
#include "api/designate/responses.h"
#include "api/designate/style_responses.h"
#include "common/util.h"

namespace dnsplane::designate::handlers {

namespace json = boost::json;

http::Response list_pools(const Context& ctx, const http::Request& req) {
    const std::vector<core::Pool> pools = ctx.svc.list_pools(req.caller);
    json::array items;
    for (const auto& p : pools) items.push_back(pool_object(ctx.style, p, req.base_url));
    json::object doc;
    doc["pools"] = std::move(items);
    doc["links"] = json::object{{"self", req.base_url + req.target}};
    doc["metadata"] = json::object{{"total_count", pools.size()}};
    return json_response(200, doc);
}

http::Response get_pool(const Context& ctx, const http::Request& req) {
    const std::string& id = req.param("pool_id");
    // A configured pool id need not be a UUID; any other id that is not one
    // is Designate's 400 invalid_uuid.
    std::optional<core::Pool> pool;
    try {
        pool = ctx.svc.get_pool(req.caller, id);
    } catch (const core::Error& e) {
        if (e.kind() == core::ErrorKind::NotFound) require_uuid(id, "pool_not_found", "");
        throw;
    }
    http::Response res =
        read_response(ctx.style, "pool", pool_object(ctx.style, *pool, req.base_url));
    // Pools carry no version; their content identifies their state.
    res.set_header("ETag", "\"" + common::sha256_hex(res.body).substr(0, 16) + "\"");
    return res;
}

}  // namespace dnsplane::designate::handlers
