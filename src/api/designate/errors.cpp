// The one place that renders a Designate error body: the REST APIs' shared
// body (api/common/error_body), which Designate defined, plus Vary: Accept.
#include "api/common/error_body.h"
#include "api/designate/designate_api.h"

namespace dnsplane::designate {

http::Response render_error(const core::Error& e, const http::Request& req) {
    http::Response res = api::render_error_body(e, req);
    res.set_header("Vary", "Accept");
    return res;
}

}  // namespace dnsplane::designate
