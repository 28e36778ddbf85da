// /v2/tsigkeys. Shapes as Designate's TsigKeyView: id, name, algorithm,
// secret, scope, resource_id, created_at, updated_at, links. Create answers
// 201, update 200, delete 204 (Designate's tsigkeys controller). The secret is
// shown to admins only and never logged.
#include "api/designate/tsigkeys_handlers.h"

#include <set>

#include "api/common/field_reader.h"
#include "api/common/json_body.h"
#include "api/common/responses.h"
#include "api/designate/admin_common.h"
#include "api/designate/json_codec.h"
#include "core/error.h"

namespace dnsplane::designate::handlers {

namespace json = boost::json;

namespace {

const std::set<std::string_view> kMembers = {"name", "algorithm", "secret", "scope", "resource_id"};
const std::set<std::string_view> kReadOnly = {"id", "created_at", "updated_at", "links"};

json::object tsigkey_object(const store::TsigKey& k, bool with_secret,
                            const std::string& base_url) {
    json::object o;
    o["id"] = k.id;
    o["name"] = k.name;
    o["algorithm"] = k.algorithm;
    if (with_secret) o["secret"] = k.secret;
    o["scope"] = k.scope;
    o["resource_id"] = k.resource_id;
    o["created_at"] = k.created_at;
    o["updated_at"] = k.updated_at ? json::value(*k.updated_at) : json::value(nullptr);
    o["links"] = json::object{{"self", base_url + "/v2/tsigkeys/" + k.id}};
    return o;
}

service::TsigKeyInput parse_input(const http::Request& req, bool create) {
    const json::object obj = read_body_object(req, "tsigkey");
    api::FieldReader r(obj);
    r.check_members(kMembers, kReadOnly);
    if (create) {
        for (const char* f : {"name", "secret", "scope", "resource_id"}) r.require(f);
    }
    service::TsigKeyInput in;
    in.name = r.text("name", false);
    in.algorithm = r.text("algorithm", false);
    in.secret = r.text("secret", false);
    in.scope = r.text("scope", false);
    in.resource_id = r.text("resource_id", false);
    r.throw_if_failed();
    return in;
}

const std::string& key_id(const http::Request& req) {
    const std::string& id = req.param("tsigkey_id");
    api::require_uuid(id, "tsigkey_not_found", "Could not find TsigKey");
    return id;
}

}  // namespace

http::Response create_tsigkey(const Context& ctx, const http::Request& req) {
    service::TsigKeys::require_admin(req.caller);
    const service::TsigKeyInput in = parse_input(req, true);
    const store::TsigKey k = ctx.svc.tsig_keys().create(req.caller, in);
    http::Response res = api::json_response(201, tsigkey_object(k, true, req.base_url));
    res.set_header("Location", req.base_url + "/v2/tsigkeys/" + k.id);
    return res;
}

http::Response list_tsigkeys(const Context& ctx, const http::Request& req) {
    static const CollectionSpec spec{
        {"name", "algorithm", "scope", "resource_id"},
        {"created_at", "id", "name", "algorithm", "scope", "resource_id", "updated_at"}};
    json::array items;
    for (const auto& k : ctx.svc.tsig_keys().list(req.caller))
        items.push_back(tsigkey_object(k, req.caller.is_admin(), req.base_url));
    return api::json_response(200, small_collection(req, "tsigkeys", spec, std::move(items)));
}

http::Response get_tsigkey(const Context& ctx, const http::Request& req) {
    const store::TsigKey k = ctx.svc.tsig_keys().get(req.caller, key_id(req));
    return api::json_response(200, tsigkey_object(k, req.caller.is_admin(), req.base_url));
}

http::Response update_tsigkey(const Context& ctx, const http::Request& req) {
    service::TsigKeys::require_admin(req.caller);
    const std::string& id = key_id(req);
    const service::TsigKeyInput in = parse_input(req, false);
    const store::TsigKey k = ctx.svc.tsig_keys().update(req.caller, id, in);
    return api::json_response(200, tsigkey_object(k, true, req.base_url));
}

http::Response delete_tsigkey(const Context& ctx, const http::Request& req) {
    ctx.svc.tsig_keys().remove(req.caller, key_id(req));
    http::Response res;
    res.status = 204;
    return res;
}

}  // namespace dnsplane::designate::handlers
