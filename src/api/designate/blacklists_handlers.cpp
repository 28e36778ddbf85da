// /v2/blacklists and /v2/blacklists/{blacklist_id} (admin only): regular
// expressions a new zone's name must not match (admins may still create
// such zones). Create 201, update 200, delete 204.
#include "api/common/field_reader.h"
#include "api/designate/admin_common.h"
#include "api/designate/handlers.h"
#include "api/designate/json_codec.h"
#include "api/designate/responses.h"

namespace dnsplane::designate::handlers {

namespace json = boost::json;

namespace {

const CollectionSpec& blacklist_collection() {
    static const CollectionSpec spec{{"pattern"}, {"created_at", "id", "pattern", "updated_at"}};
    return spec;
}

std::string blacklist_url(const http::Request& req, const std::string& id) {
    return req.base_url + "/v2/blacklists/" + id;
}

json::object blacklist_object(const core::Blacklist& b, const http::Request& req) {
    json::object o;
    o["id"] = b.id;
    o["pattern"] = b.pattern;
    o["description"] = text_or_null(b.description);
    put_times(o, b.created_at, b.updated_at);
    o["links"] = json::object{{"self", blacklist_url(req, b.id)}};
    return o;
}

service::BlacklistInput parse_blacklist(const json::object& body) {
    api::FieldReader r(body);
    r.check_members({"pattern", "description"}, {"id", "created_at", "updated_at", "links"});
    service::BlacklistInput in;
    in.pattern = r.text("pattern", false);
    in.description = r.text("description", true);
    r.throw_if_failed();
    return in;
}

}  // namespace

http::Response create_blacklist(const Context& ctx, const http::Request& req) {
    const core::Blacklist b =
        ctx.svc.create_blacklist(req.caller, parse_blacklist(read_body_object(req, "blacklist")));
    http::Response res = json_response(201, blacklist_object(b, req));
    res.set_header("Location", blacklist_url(req, b.id));
    return res;
}

http::Response list_blacklists(const Context& ctx, const http::Request& req) {
    json::array items;
    for (const auto& b : ctx.svc.list_blacklists(req.caller))
        items.push_back(blacklist_object(b, req));
    return json_response(
        200, small_collection(req, "blacklists", blacklist_collection(), std::move(items)));
}

http::Response get_blacklist(const Context& ctx, const http::Request& req) {
    const std::string& id = uuid_param(req, "blacklist_id");
    return json_response(200, blacklist_object(ctx.svc.get_blacklist(req.caller, id), req));
}

http::Response update_blacklist(const Context& ctx, const http::Request& req) {
    const std::string& id = uuid_param(req, "blacklist_id");
    const core::Blacklist b = ctx.svc.update_blacklist(
        req.caller, id, parse_blacklist(read_body_object(req, "blacklist")));
    return json_response(200, blacklist_object(b, req));
}

http::Response delete_blacklist(const Context& ctx, const http::Request& req) {
    ctx.svc.delete_blacklist(req.caller, uuid_param(req, "blacklist_id"));
    return no_content();
}

}  // namespace dnsplane::designate::handlers
