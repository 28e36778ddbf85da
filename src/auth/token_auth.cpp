// --auth token: X-Auth-Token is a dnsplane secret; the store keeps only its
// SHA-256, which binds it to one project and one role.
#include "auth/authenticator.h"
#include "auth/caller_headers.h"
#include "auth/users.h"
#include "common/util.h"
#include "core/error.h"

namespace dnsplane::auth {

namespace {

core::Error unauthorized() {
    return core::Error(core::ErrorKind::Unauthorized, "unauthorized", "Authentication required");
}

class TokenAuth : public Authenticator {
  public:
    explicit TokenAuth(store::Store& store) : store_(store) {}

    service::Caller authenticate(const http::Request& req) override {
        auto secret = req.header("x-auth-token");
        if (!secret || secret->empty()) throw unauthorized();
        auto token = store_.read()->find_token(common::sha256_hex(*secret));
        if (!token || token_expired(*token, common::now_timestamp())) throw unauthorized();
        // System-scoped tokens (identity endpoint) name no project, and every
        // Designate resource belongs to one.
        if (token->project_id.empty())
            throw core::Error(core::ErrorKind::Forbidden, "forbidden",
                              "a system-scoped token cannot act on project resources");
        service::Caller caller;
        caller.project_id = token->project_id;
        // Stored roles were validated at creation; anything else gets the least.
        caller.role = parse_role(token->role).value_or(service::Role::Reader);
        apply_admin_headers(caller, req);
        return caller;
    }

  private:
    store::Store& store_;
};

}  // namespace

std::unique_ptr<Authenticator> make_token_auth(store::Store& store) {
    return std::make_unique<TokenAuth>(store);
}

std::string create_token(store::Store& store, const std::string& project_id,
                         const std::string& role) {
    auto parsed = parse_role(role);
    if (!parsed) throw core::invalid("role must be admin, member or reader", {"role"});
    if (project_id.empty()) throw core::invalid("project id must not be empty", {"project_id"});
    std::string secret = common::random_token();
    store::Token token;
    token.id = common::new_uuid();
    token.hash = common::sha256_hex(secret);
    token.project_id = project_id;
    token.role = role_name(*parsed);
    token.created_at = common::now_timestamp();
    auto txn = store.write();
    txn->insert_token(token);
    txn->commit();
    return secret;
}

}  // namespace dnsplane::auth
