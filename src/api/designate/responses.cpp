#include "api/designate/responses.h"

namespace dnsplane::designate {

void mark_pending(boost::json::object& resource, std::string_view action) {
    resource["status"] = "PENDING";
    resource["action"] = action;
}

}  // namespace dnsplane::designate
