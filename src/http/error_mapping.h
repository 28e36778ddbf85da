// The one place that maps a core::ErrorKind to an HTTP status, plus a plain
// JSON error body for surfaces (and tests) without their own renderer.
#pragma once

#include "core/error.h"
#include "http/message.h"

namespace dnsplane::http {

unsigned status_for(core::ErrorKind kind) noexcept;

// {"code": <status>, "type": ..., "message": ..., "request_id": ...}
Response default_error_response(const core::Error& e, const Request& req);

}  // namespace dnsplane::http
