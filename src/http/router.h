// One route table per API surface. Patterns are literal segments and
// `{name}` parameters: "/v2/zones/{zone_id}/recordsets/{recordset_id}".
// Handlers throw core::Error; the surface's ErrorRenderer turns it into a
// response (exactly one place per surface).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/error.h"
#include "http/message.h"

namespace dnsplane::http {

using Handler = std::function<Response(Request&)>;
// Renders a typed error for this surface (Designate body, Kubernetes Status, ...).
using ErrorRenderer = std::function<Response(const core::Error&, const Request&)>;
// Runs before routing (authentication, ...); may throw core::Error.
using Middleware = std::function<void(Request&)>;

class Router {
  public:
    void add(std::string method, std::string pattern, Handler h);

    // Matches req.route_path(): splits the raw path on '/', then decodes each
    // segment; literal segments compare decoded, req.params get the decoded
    // values. A segment decoding to '/' or NUL: Error(NotFound); a malformed
    // %-escape: Error(BadRequest). No route for
    // the path: Error(NotFound, "not_found"); route exists with other
    // methods: Error(MethodNotAllowed, "method_not_allowed") (the Allow header
    // is added by handle()). A trailing slash is ignored except for "/".
    Response dispatch(Request& req) const;

    // Middleware + dispatch + error rendering; never throws. Unexpected
    // exceptions become a 500 "internal" error without leaking details.
    Response handle(Request& req) const;

    void use(Middleware m) { middleware_.push_back(std::move(m)); }
    void set_error_renderer(ErrorRenderer r) { render_ = std::move(r); }

    // Renders `e` with this surface's renderer (the default JSON body when none
    // is set). The server uses it for errors found before routing (413, 400).
    Response render_error(const core::Error& e, const Request& req) const;

    // Methods registered for a path, sorted; empty when no route matches it.
    std::vector<std::string> allowed_methods(std::string_view path) const;

  private:
    struct Route {
        std::string method;
        std::vector<std::string> segments;
        Handler handler;
    };
    std::vector<Route> routes_;
    std::vector<Middleware> middleware_;
    ErrorRenderer render_;
};

}  // namespace dnsplane::http
