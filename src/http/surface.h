// API surfaces side by side. A Surface is one API (Designate, a webhook
// receiver, ...): its own route table, its own error body (the router's
// ErrorRenderer) and its own authentication policy (router middleware, e.g.
// auth::middleware with the surface's public routes). A Server (one
// listener) serves one or more surfaces, each mounted under a path prefix;
// a process may run several Servers. See src/http/README.md.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "http/router.h"

namespace dnsplane::http {

struct Surface {
    std::string name;  // "designate"; for logs and the composition root
    Router router;
};

// `router` served under `prefix`: "/" (everything) or "/a/b" (whole raw
// segments, no trailing slash). The longest matching prefix wins; the
// router then sees Request::route_path(), the path below the prefix.
struct Mount {
    std::string prefix = "/";
    const Router* router = nullptr;  // not owned; outlives the Server
    // Counted in Server::in_flight() (graceful shutdown waits for these);
    // false for status routes that must keep answering while it drains.
    bool drained = true;
};

inline Mount mount(std::string prefix, const Surface& surface) {
    return Mount{std::move(prefix), &surface.router};
}

// Which mount serves `raw_path`, or nullptr; `mounts` in any order.
const Mount* select_mount(const std::vector<Mount>& mounts, std::string_view raw_path);

// Length of `m`'s prefix to strip from the path (0 for "/").
std::size_t mount_length(const Mount& m);

}  // namespace dnsplane::http
