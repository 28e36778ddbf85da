#include "http/error_mapping.h"

#include <boost/json.hpp>

namespace dnsplane::http {

unsigned status_for(core::ErrorKind kind) noexcept {
    using K = core::ErrorKind;
    switch (kind) {
        case K::BadRequest:
        case K::Invalid:
            return 400;
        case K::Unauthorized:
            return 401;
        case K::Forbidden:
            return 403;
        case K::NotFound:
            return 404;
        case K::MethodNotAllowed:
            return 405;
        case K::Conflict:
            return 409;
        case K::PreconditionFailed:
            return 412;
        case K::TooLarge:
            return 413;
        case K::UnsupportedMedia:
            return 415;
        case K::Internal:
            return 500;
        case K::Unavailable:
            return 503;
    }
    return 500;
}

Response default_error_response(const core::Error& e, const Request& req) {
    Response res;
    res.status = status_for(e.kind());
    boost::json::object body;
    body["code"] = res.status;
    body["type"] = e.type();
    body["message"] = e.what();
    body["request_id"] = req.request_id;
    res.body = boost::json::serialize(body);
    return res;
}

}  // namespace dnsplane::http
