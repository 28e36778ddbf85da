// The record API in Lexicon's shape, mounted at /v1/domains on the API
// listener: authenticate, list, create, update and delete records (one per
// value of a record set) with the rules of service::RecordOps.
#pragma once

#include <memory>

#include "api/common/surface_context.h"
#include "http/surface.h"

namespace dnsplane::records {

// Mounted under this prefix (routes below are relative to it).
inline constexpr const char* kPrefix = "/v1/domains";

std::unique_ptr<http::Surface> make_surface(const api::SurfaceContext& ctx);

}  // namespace dnsplane::records
