// Router middleware shared by the API surfaces that authenticate callers
// (Designate, the record API, the connector): a caller whose project the
// plug-in platform retired (POST /v1/tenant/unbind) is refused, reads and
// writes alike, with 403 project_retired in the surface's own error shape.
// Runs after the surface's authentication middleware.
#pragma once

#include "http/router.h"
#include "service/zone_service.h"

namespace dnsplane::api {

http::Middleware refuse_retired_projects(service::ZoneService& zones);

}  // namespace dnsplane::api
