// The plug-in platform's registration and status protocol (issue 13):
// GET|POST /v1/identify, GET /v1/status, POST /v1/addons/identify,
// POST /v1/tenant/bind|unbind. Bodies are {"ret", "msg", ...}; see README.md.
// The surface's routes are relative to its mount point: serve.cpp mounts it
// at "/v1" (kMountPrefix).
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "api/common/surface_context.h"
#include "hooks/registry.h"
#include "http/surface.h"
#include "service/lifecycle.h"
#include "store/store.h"

namespace dnsplane::platform {

inline constexpr const char* kMountPrefix = "/v1";

struct PlatformOptions {
    std::string plugin_id = "io.dnsplane";          // --plugin-id
    std::string version;                            // the build version
    std::string platform_url;                       // --platform-url: base for relative endpoints
    std::chrono::milliseconds check_timeout{2000};  // endpoint check (--hook-timeout)
};

struct PlatformDeps {
    service::Lifecycle& lifecycle;
    hooks::Registry& registry;
    store::Store& store;
};

// identify and status are public (the platform polls them, they carry no
// tenant data); addons/identify and tenant bind/unbind need an admin caller.
std::unique_ptr<http::Surface> make_surface(const api::SurfaceContext& ctx, PlatformDeps deps,
                                            PlatformOptions opts);

// {"ret": -<status>, "msg": <message>} with the mapped HTTP status.
http::Response render_error(const core::Error& e, const http::Request& req);

// "https://p/x/" + "/hook" -> "https://p/x/hook"; absolute URLs unchanged;
// empty when a path has no base.
std::string resolve_endpoint(const std::string& endpoint, const std::string& platform_url);

}  // namespace dnsplane::platform
