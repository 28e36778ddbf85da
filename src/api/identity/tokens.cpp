#include "api/identity/tokens.h"

#include "auth/caller_headers.h"
#include "common/util.h"
#include "core/error.h"

namespace dnsplane::identity {

namespace json = boost::json;

namespace {

core::Error malformed(const std::string& what) {
    return core::Error(core::ErrorKind::BadRequest, "validation_error", what);
}

core::Error unauthorized(const std::string& what) {
    return core::Error(core::ErrorKind::Unauthorized, "unauthorized", what);
}

const json::object& object_at(const json::object& o, const char* key, const std::string& where) {
    auto it = o.find(key);
    if (it == o.end())
        throw malformed("'" + std::string(key) + "' is a required property of " + where);
    if (!it->value().is_object())
        throw malformed("'" + std::string(key) + "' in " + where + " must be an object");
    return it->value().get_object();
}

std::optional<std::string> string_at(const json::object& o, const char* key,
                                     const std::string& where) {
    auto it = o.find(key);
    if (it == o.end() || it->value().is_null()) return std::nullopt;
    if (!it->value().is_string())
        throw malformed("'" + std::string(key) + "' in " + where + " must be a string");
    return std::string(it->value().get_string());
}

// Only the one domain dnsplane has: "default" / "Default".
void require_default_domain(const json::object& holder, const std::string& where) {
    auto it = holder.find("domain");
    if (it == holder.end()) return;
    if (!it->value().is_object()) throw malformed("'domain' in " + where + " must be an object");
    const auto& d = it->value().get_object();
    auto id = string_at(d, "id", where + ".domain");
    auto name = string_at(d, "name", where + ".domain");
    if ((id && *id != "default") || (name && *name != "Default"))
        throw unauthorized("The request you have made requires authentication.");
}

json::object domain() {
    return json::object{{"id", "default"}, {"name", "Default"}};
}

json::array implied_roles(const std::string& role) {
    std::vector<std::string> names;
    if (role == "admin")
        names = {"admin", "member", "reader"};
    else if (role == "member")
        names = {"member", "reader"};
    else
        names = {"reader"};
    json::array out;
    for (const auto& n : names) out.push_back(json::object{{"id", n}, {"name", n}});
    return out;
}

json::object service(const char* type, const char* name, const std::string& url,
                     const std::string& region) {
    json::array endpoints;
    for (const char* iface : {"public", "internal", "admin"})
        endpoints.push_back(json::object{{"id", std::string(type) + "-" + iface},
                                         {"interface", iface},
                                         {"region", region},
                                         {"region_id", region},
                                         {"url", url}});
    return json::object{
        {"id", type}, {"type", type}, {"name", name}, {"endpoints", std::move(endpoints)}};
}

}  // namespace

AuthRequest parse_auth_request(const json::object& body) {
    const auto& auth = object_at(body, "auth", "the body");
    const auto& identity = object_at(auth, "identity", "auth");
    auto mit = identity.find("methods");
    if (mit == identity.end() || !mit->value().is_array() || mit->value().get_array().empty())
        throw malformed("'methods' in auth.identity must be a non-empty list");
    AuthRequest out;
    for (const auto& m : mit->value().get_array()) {
        if (!m.is_string()) throw malformed("auth.identity.methods must hold strings");
        const std::string method(m.get_string());
        if (method == "password") {
            const auto& pw = object_at(identity, "password", "auth.identity");
            const auto& user = object_at(pw, "user", "auth.identity.password");
            out.user_id = string_at(user, "id", "auth.identity.password.user");
            out.user_name = string_at(user, "name", "auth.identity.password.user");
            out.password = string_at(user, "password", "auth.identity.password.user");
            if (!out.user_id && !out.user_name)
                throw malformed("auth.identity.password.user needs an 'id' or a 'name'");
            if (!out.password) throw malformed("'password' is a required property of user");
            if (!out.user_id) require_default_domain(user, "auth.identity.password.user");
        } else if (method == "token") {
            const auto& tok = object_at(identity, "token", "auth.identity");
            out.token = string_at(tok, "id", "auth.identity.token");
            if (!out.token) throw malformed("'id' is a required property of auth.identity.token");
        } else {
            throw unauthorized("Attempted to authenticate with an unsupported method.");
        }
    }
    auto sit = auth.find("scope");
    if (sit != auth.end() && !sit->value().is_null()) {
        if (sit->value().is_string() && sit->value().get_string() == "unscoped") return out;
        if (!sit->value().is_object()) throw malformed("'scope' in auth must be an object");
        const auto& scope = sit->value().get_object();
        if (auto p = scope.find("project"); p != scope.end()) {
            if (!p->value().is_object()) throw malformed("auth.scope.project must be an object");
            const auto& project = p->value().get_object();
            out.project_id = string_at(project, "id", "auth.scope.project");
            out.project_name = string_at(project, "name", "auth.scope.project");
            if (!out.project_id && !out.project_name)
                throw malformed("auth.scope.project needs an 'id' or a 'name'");
            if (!out.project_id) require_default_domain(project, "auth.scope.project");
        } else if (auto s = scope.find("system"); s != scope.end()) {
            out.system = true;
        } else {
            // Domain and trust scopes: dnsplane has neither.
            throw unauthorized("dnsplane issues project or system scoped tokens only");
        }
    }
    return out;
}

std::string iso_z(const std::string& stored) {
    return stored.empty() ? stored : stored + "Z";
}

json::array catalog(const std::string& base_url, const std::string& identity_url,
                    const std::string& region) {
    json::array out;
    out.push_back(service("dns", "designate", base_url, region));
    out.push_back(service("identity", "keystone", identity_url, region));
    return out;
}

json::object token_body(const TokenView& view, const std::string& base_url,
                        const std::string& identity_url, const std::string& region,
                        bool with_catalog) {
    const auto& t = view.token;
    json::array methods;
    for (const auto& m : view.methods) methods.push_back(json::string(m));
    json::object token{
        {"methods", std::move(methods)},
        {"user", json::object{{"id", view.user.id},
                              {"name", view.user.name},
                              {"domain", domain()},
                              {"password_expires_at", nullptr}}},
        {"audit_ids", json::array{json::string(t.id)}},
        {"issued_at", iso_z(t.created_at)},
        {"expires_at",
         t.expires_at.empty() ? json::value(nullptr) : json::value(iso_z(t.expires_at))},
        {"roles", implied_roles(t.role)},
    };
    if (t.project_id.empty()) {
        token["system"] = json::object{{"all", true}};
    } else {
        token["project"] = json::object{
            {"id", t.project_id},
            {"name", view.user.project_id == t.project_id ? view.user.project_name : t.project_id},
            {"domain", domain()}};
        token["is_domain"] = false;
    }
    if (with_catalog) token["catalog"] = catalog(base_url, identity_url, region);
    return json::object{{"token", std::move(token)}};
}

}  // namespace dnsplane::identity
