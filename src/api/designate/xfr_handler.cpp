// POST /v2/zones/{zone_id}/tasks/xfr (issue 16): asks the DNS side to check
// a SECONDARY zone's masters now (`openstack zone axfr`). 202 with an empty
// body, as Designate: the transfer itself runs in the background.
#include "api/designate/designate_api.h"
#include "api/designate/handlers.h"
#include "api/designate/responses.h"

namespace dnsplane::designate::handlers {

http::Response xfr_zone(const Context& ctx, const http::Request& req) {
    const std::string& id = req.param("zone_id");
    require_uuid(id, "zone_not_found", "Could not find Zone");
    ctx.svc.xfr_zone(req.caller, id);
    http::Response res;
    res.status = 202;
    res.content_type.clear();
    return res;
}

}  // namespace dnsplane::designate::handlers
