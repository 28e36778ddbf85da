// Version discovery documents. openstacksdk reads GET / and follows the
// CURRENT version's self link; the CURRENT id must carry a minor version.
#include <boost/json.hpp>

#include "api/designate/handlers.h"
#include "api/designate/responses.h"

namespace dnsplane::designate::handlers {

namespace json = boost::json;

namespace {

json::object version_entry(const http::Request& req, const char* id, const char* status) {
    json::array links;
    links.push_back(json::object{{"href", req.base_url + "/v2"}, {"rel", "self"}});
    return json::object{{"id", id}, {"status", status}, {"links", std::move(links)}};
}

json::object versions_document(const http::Request& req) {
    json::array versions;
    versions.push_back(version_entry(req, "v2.1", "CURRENT"));
    versions.push_back(version_entry(req, "v2.0", "SUPPORTED"));
    return json::object{{"versions", std::move(versions)}};
}

}  // namespace

http::Response root_versions(const http::Request& req) {
    return json_response(200, versions_document(req));
}

// Every version dnsplane serves is a v2 version, so /v2/ lists the same ones.
http::Response v2_versions(const http::Request& req) {
    return json_response(200, versions_document(req));
}

}  // namespace dnsplane::designate::handlers
