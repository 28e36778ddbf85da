// What the composition root (app/serve.cpp) hands every API surface's
// make_surface(): the service it calls and the authenticator its policy uses.
// A surface folder under src/api/ exports
//   std::unique_ptr<http::Surface> make_surface(const api::SurfaceContext&, <its options>);
// and serve.cpp mounts it with one line.
#pragma once

#include "auth/authenticator.h"
#include "service/zone_service.h"

namespace dnsplane::api {

struct SurfaceContext {
    service::ZoneService& zones;
    auth::Authenticator& authenticator;
};

}  // namespace dnsplane::api
