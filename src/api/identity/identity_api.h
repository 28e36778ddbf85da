// A minimal OpenStack Identity (Keystone) v3 endpoint on the API listener, so
// that Keystone-speaking clients (openstack CLI, keystoneauth1, tempest) work
// against dnsplane without a Keystone: password authentication of dnsplane
// users (auth/users.h) issues dnsplane tokens with a service catalog naming
// this dnsplane as service type `dns`. Not an identity service: no user or
// role administration (users come from `dnsplane user create`); project
// create/delete only mint ids (there is no project registry).
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "api/common/surface_context.h"
#include "http/surface.h"
#include "store/store.h"

namespace dnsplane::identity {

// Mounted under this prefix on the API listener.
inline constexpr const char* kPrefix = "/identity";

struct IdentityOptions {
    std::chrono::seconds token_ttl{3600};
    std::string region = "RegionOne";  // region of the catalog's endpoints
};

std::unique_ptr<http::Surface> make_surface(store::Store& store, IdentityOptions opts = {});

}  // namespace dnsplane::identity
