// --auth none: the caller is whatever the request headers claim, the way
// Designate's noauth middleware reads them. Only safe on loopback (the app
// refuses other addresses without --insecure).
#include "auth/authenticator.h"
#include "auth/caller_headers.h"

namespace dnsplane::auth {

namespace {

class NoAuth : public Authenticator {
  public:
    service::Caller authenticate(const http::Request& req) override {
        service::Caller caller;
        auto project = req.header("x-auth-project-id");
        caller.project_id = project && !project->empty() ? std::string(*project) : "default";
        auto roles = req.header("x-roles");
        caller.role = roles ? role_from_list(*roles) : service::Role::Admin;
        apply_admin_headers(caller, req);
        return caller;
    }
};

}  // namespace

std::unique_ptr<Authenticator> make_noauth() {
    return std::make_unique<NoAuth>();
}

}  // namespace dnsplane::auth
