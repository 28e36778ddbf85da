#include "auth/authenticator.h"

namespace dnsplane::auth {

http::Middleware middleware(Authenticator& auth,
                            std::function<bool(const http::Request&)> is_public) {
    return [&auth, is_public = std::move(is_public)](http::Request& req) {
        if (is_public && is_public(req)) {
            // Public documents carry no tenant data; give them the least.
            req.caller = service::Caller{};
            req.caller.project_id.clear();
            req.caller.role = service::Role::Reader;
            return;
        }
        req.caller = auth.authenticate(req);
    };
}

}  // namespace dnsplane::auth
