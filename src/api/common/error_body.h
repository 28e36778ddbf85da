// The REST API's error body, shared by JSON surfaces that render errors as
// Designate does: {"code","type","message","request_id"[,"errors":{"errors":[...]}]}.
#pragma once

#include "core/error.h"
#include "http/message.h"

namespace dnsplane::api {

http::Response render_error_body(const core::Error& e, const http::Request& req);

}  // namespace dnsplane::api
