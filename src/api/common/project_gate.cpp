#include "api/common/project_gate.h"

#include "service/tenancy.h"

namespace dnsplane::api {

http::Middleware refuse_retired_projects(service::ZoneService& zones) {
    return [&zones](http::Request& req) {
        service::require_active_project(zones.projects(), req.caller.project_id);
    };
}

}  // namespace dnsplane::api
