// /v2/tlds and /v2/tlds/{tld_id} (admin only): create 201, update 200,
// delete 204; zone creation checks them (service/admin_rules.h).
#include "api/common/field_reader.h"
#include "api/designate/admin_common.h"
#include "api/designate/handlers.h"
#include "api/designate/json_codec.h"
#include "api/designate/responses.h"

namespace dnsplane::designate::handlers {

namespace json = boost::json;

namespace {

const CollectionSpec& tld_collection() {
    static const CollectionSpec spec{{"name"}, {"created_at", "id", "name", "updated_at"}};
    return spec;
}

std::string tld_url(const http::Request& req, const std::string& id) {
    return req.base_url + "/v2/tlds/" + id;
}

json::object tld_object(const core::Tld& t, const http::Request& req) {
    json::object o;
    o["id"] = t.id;
    o["name"] = t.name;
    o["description"] = text_or_null(t.description);
    put_times(o, t.created_at, t.updated_at);
    o["links"] = json::object{{"self", tld_url(req, t.id)}};
    return o;
}

service::TldInput parse_tld(const json::object& body) {
    api::FieldReader r(body);
    r.check_members({"name", "description"}, {"id", "created_at", "updated_at", "links"});
    service::TldInput in;
    in.name = r.text("name", false);
    in.description = r.text("description", true);
    r.throw_if_failed();
    return in;
}

}  // namespace

http::Response create_tld(const Context& ctx, const http::Request& req) {
    const core::Tld t = ctx.svc.create_tld(req.caller, parse_tld(read_body_object(req, "tld")));
    http::Response res = json_response(201, tld_object(t, req));
    res.set_header("Location", tld_url(req, t.id));
    return res;
}

http::Response list_tlds(const Context& ctx, const http::Request& req) {
    json::array items;
    for (const auto& t : ctx.svc.list_tlds(req.caller)) items.push_back(tld_object(t, req));
    return json_response(200, small_collection(req, "tlds", tld_collection(), std::move(items)));
}

http::Response get_tld(const Context& ctx, const http::Request& req) {
    const std::string& id = uuid_param(req, "tld_id");
    return json_response(200, tld_object(ctx.svc.get_tld(req.caller, id), req));
}

http::Response update_tld(const Context& ctx, const http::Request& req) {
    const std::string& id = uuid_param(req, "tld_id");
    const core::Tld t = ctx.svc.update_tld(req.caller, id, parse_tld(read_body_object(req, "tld")));
    return json_response(200, tld_object(t, req));
}

http::Response delete_tld(const Context& ctx, const http::Request& req) {
    ctx.svc.delete_tld(req.caller, uuid_param(req, "tld_id"));
    return no_content();
}

}  // namespace dnsplane::designate::handlers
