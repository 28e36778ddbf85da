// The /identity route table: version discovery, /v3/auth/tokens and /v3/projects.
#include <boost/json.hpp>

#include "api/common/json_body.h"
#include "api/common/responses.h"
#include "api/identity/identity_api.h"
#include "api/identity/tokens.h"
#include "auth/users.h"
#include "common/util.h"
#include "core/error.h"
#include "http/error_mapping.h"

namespace dnsplane::identity {

namespace json = boost::json;

namespace {

const char* title_for(unsigned status) {
    switch (status) {
        case 400:
            return "Bad Request";
        case 401:
            return "Unauthorized";
        case 403:
            return "Forbidden";
        case 404:
            return "Not Found";
        case 405:
            return "Method Not Allowed";
        case 409:
            return "Conflict";
        case 413:
            return "Request Entity Too Large";
        case 415:
            return "Unsupported Media Type";
        case 503:
            return "Service Unavailable";
        default:
            return "Internal Server Error";
    }
}

std::string identity_url(const http::Request& req) {
    return req.base_url + req.path.substr(0, req.mount_length) + "/v3";
}

http::Response render_error(const core::Error& e, const http::Request& req) {
    const unsigned status = http::status_for(e.kind());
    const std::string message =
        status == 500 ? std::string(
                            "An unexpected error prevented the server from fulfilling "
                            "your request.")
                      : std::string(e.what());
    auto res =
        api::json_response(status, json::object{{"error", json::object{{"code", status},
                                                                       {"title", title_for(status)},
                                                                       {"message", message}}}});
    if (status == 401)
        res.set_header("WWW-Authenticate", "Keystone uri=\"" + identity_url(req) + "\"");
    return res;
}

core::Error unauthorized() {
    return core::Error(core::ErrorKind::Unauthorized, "unauthorized",
                       "The request you have made requires authentication.");
}

json::object v3_entry(const http::Request& req) {
    json::array links;
    links.push_back(json::object{{"rel", "self"}, {"href", identity_url(req) + "/"}});
    json::array media;
    media.push_back(json::object{{"base", "application/json"},
                                 {"type", "application/vnd.openstack.identity-v3+json"}});
    return json::object{{"id", "v3.14"},
                        {"status", "stable"},
                        {"updated", "2020-04-07T00:00:00Z"},
                        {"links", std::move(links)},
                        {"media-types", std::move(media)}};
}

class Tokens {
  public:
    Tokens(store::Store& store, IdentityOptions opts) : store_(store), opts_(std::move(opts)) {}

    http::Response issue(const http::Request& req) const {
        auto ask = parse_auth_request(api::read_json_object(req));
        std::optional<store::User> user;
        std::vector<std::string> methods;
        if (ask.password) {
            methods.push_back("password");
            if (ask.user_id) {
                user = store_.read()->get_user(*ask.user_id);
                if (user && ask.user_name && *ask.user_name != user->name) user.reset();
                auto checked = user ? auth::check_password(store_, user->name, *ask.password)
                                    : auth::check_password(store_, "", *ask.password);
                user = checked;
            } else {
                user = auth::check_password(store_, *ask.user_name, *ask.password);
            }
            if (!user) throw unauthorized();
        }
        if (ask.token) {
            methods.push_back("token");
            auto held = valid_token(*ask.token);
            if (!held || held->user_id.empty()) throw unauthorized();
            auto owner = store_.read()->get_user(held->user_id);
            if (!owner || (user && owner->id != user->id)) throw unauthorized();
            user = owner;
        }
        if ((ask.project_id && *ask.project_id != user->project_id) ||
            (ask.project_name && *ask.project_name != user->project_name))
            throw unauthorized();
        auto issued = auth::issue_token(store_, *user, opts_.token_ttl, ask.system);
        auto res = api::json_response(201, token_body({issued.token, *user, methods}, req.base_url,
                                                      identity_url(req), opts_.region, true));
        res.set_header("X-Subject-Token", issued.secret);
        return res;
    }

    // GET / HEAD / DELETE /v3/auth/tokens on X-Subject-Token.
    http::Response subject(const http::Request& req) const {
        auto caller = authenticated(req);
        auto secret = req.header("x-subject-token");
        if (!secret || secret->empty())
            throw core::bad_request("validation_error", "X-Subject-Token header is required");
        auto subject = valid_token(std::string(*secret));
        if (!subject) throw core::not_found("token_not_found", "Could not find token.");
        if (subject->hash != caller.hash && caller.role != "admin")
            throw core::Error(core::ErrorKind::Forbidden, "forbidden",
                              "You are not authorized to perform the requested action.");
        if (req.method == "DELETE") {
            auto txn = store_.write();
            txn->delete_token(subject->hash);
            txn->commit();
            http::Response res;
            res.status = 204;
            res.content_type.clear();
            return res;
        }
        const bool nocatalog = req.query_param("nocatalog").has_value();
        auto res = api::json_response(
            200, token_body({*subject, owner_of(*subject), {"password"}}, req.base_url,
                            identity_url(req), opts_.region, !nocatalog));
        res.set_header("X-Subject-Token", std::string(*secret));
        if (req.method == "HEAD") res.body.clear();
        return res;
    }

    http::Response catalog(const http::Request& req) const {
        authenticated(req);
        return api::json_response(
            200, json::object{
                     {"catalog", identity::catalog(req.base_url, identity_url(req), opts_.region)},
                     {"links", json::object{{"self", identity_url(req) + "/auth/catalog"}}}});
    }

    http::Response projects(const http::Request& req) const {
        auto caller = authenticated(req);
        json::array projects;
        if (!caller.project_id.empty()) {
            auto user = owner_of(caller);
            projects.push_back(
                json::object{{"id", caller.project_id},
                             {"name", user.project_id == caller.project_id ? user.project_name
                                                                           : caller.project_id},
                             {"domain_id", "default"},
                             {"enabled", true},
                             {"is_domain", false},
                             {"parent_id", "default"},
                             {"description", ""},
                             {"links", json::object{}}});
        }
        return api::json_response(
            200,
            json::object{{"projects", std::move(projects)},
                         {"links", json::object{{"self", identity_url(req) + "/auth/projects"}}}});
    }

    // POST /v3/projects (admins). dnsplane keeps no project registry: a
    // project is any id that tokens, users and zones name, so creating one
    // mints a Keystone-style id (32 hex digits) for the name and stores
    // nothing; DELETE /v3/projects/{id} is then a no-op, as deleting a
    // Keystone project leaves its Designate zones in place.
    http::Response create_project(const http::Request& req) const {
        require_admin(req);
        auto body = api::read_json_object(req);
        const auto* project = body.if_contains("project");
        if (!project || !project->is_object())
            throw core::bad_request("validation_error", "'project' is a required property");
        const auto& p = project->as_object();
        const auto* name = p.if_contains("name");
        if (!name || !name->is_string() || name->as_string().empty() ||
            name->as_string().size() > 64)
            throw core::bad_request("validation_error",
                                    "'name' must be a string of 1 to 64 characters");
        auto text = [&](const char* key, const char* fallback) -> std::string {
            const auto* v = p.if_contains(key);
            if (!v || v->is_null()) return fallback;
            if (!v->is_string())
                throw core::bad_request("validation_error",
                                        std::string("'") + key + "' must be a string");
            return std::string(v->as_string());
        };
        const std::string domain = text("domain_id", "default");
        std::string id = common::new_uuid();
        std::erase(id, '-');
        json::object out{{"id", id},
                         {"name", name->as_string()},
                         {"domain_id", domain},
                         {"description", text("description", "")},
                         {"enabled", true},
                         {"is_domain", false},
                         {"parent_id", domain},
                         {"tags", json::array{}},
                         {"options", json::object{}},
                         {"links", json::object{{"self", identity_url(req) + "/projects/" + id}}}};
        return api::json_response(201, json::object{{"project", std::move(out)}});
    }

    http::Response delete_project(const http::Request& req) const {
        require_admin(req);
        http::Response res;
        res.status = 204;
        res.content_type.clear();
        return res;
    }

  private:
    void require_admin(const http::Request& req) const {
        if (authenticated(req).role != "admin")
            throw core::Error(core::ErrorKind::Forbidden, "forbidden",
                              "You are not authorized to perform the requested action.");
    }

    std::optional<store::Token> valid_token(const std::string& secret) const {
        auto token = store_.read()->find_token(common::sha256_hex(secret));
        if (!token || auth::token_expired(*token, common::now_timestamp())) return std::nullopt;
        return token;
    }

    store::Token authenticated(const http::Request& req) const {
        auto secret = req.header("x-auth-token");
        if (!secret || secret->empty()) throw unauthorized();
        auto token = valid_token(std::string(*secret));
        if (!token) throw unauthorized();
        return *token;
    }

    // The user a token names; `token create` tokens have none, so one is
    // made up from the token itself.
    store::User owner_of(const store::Token& t) const {
        if (!t.user_id.empty())
            if (auto user = store_.read()->get_user(t.user_id)) return *user;
        store::User u;
        u.id = t.user_id.empty() ? t.id : t.user_id;
        u.name = "token-" + t.id;
        u.project_id = t.project_id;
        u.project_name = t.project_id;
        u.role = t.role;
        return u;
    }

    store::Store& store_;
    IdentityOptions opts_;
};

}  // namespace

std::unique_ptr<http::Surface> make_surface(store::Store& store, IdentityOptions opts) {
    auto surface = std::make_unique<http::Surface>();
    surface->name = "identity";
    auto& r = surface->router;
    r.set_error_renderer(render_error);
    auto tokens = std::make_shared<Tokens>(store, std::move(opts));

    r.add("GET", "/", [](http::Request& req) {
        json::array values;
        values.push_back(v3_entry(req));
        return api::json_response(
            300, json::object{{"versions", json::object{{"values", std::move(values)}}}});
    });
    r.add("GET", "/v3", [](http::Request& req) {
        return api::json_response(200, json::object{{"version", v3_entry(req)}});
    });
    r.add("POST", "/v3/auth/tokens", [tokens](http::Request& req) { return tokens->issue(req); });
    for (const char* method : {"GET", "HEAD", "DELETE"})
        r.add(method, "/v3/auth/tokens",
              [tokens](http::Request& req) { return tokens->subject(req); });
    r.add("GET", "/v3/auth/catalog", [tokens](http::Request& req) { return tokens->catalog(req); });
    r.add("GET", "/v3/auth/projects",
          [tokens](http::Request& req) { return tokens->projects(req); });
    r.add("POST", "/v3/projects",
          [tokens](http::Request& req) { return tokens->create_project(req); });
    r.add("DELETE", "/v3/projects/{project_id}",
          [tokens](http::Request& req) { return tokens->delete_project(req); });
    return surface;
}

}  // namespace dnsplane::identity
