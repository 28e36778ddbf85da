#include "app/health_surface.h"

#include "common/metrics.h"

namespace dnsplane::app {

std::unique_ptr<http::Surface> make_health_surface(const service::Lifecycle* life) {
    auto surface = std::make_unique<http::Surface>();
    surface->name = "health";
    surface->router.add("GET", "/healthz", [life](http::Request&) {
        http::Response res;
        res.content_type = "text/plain; charset=utf-8";
        res.body = "ok\n";
        if (life && life->state() == service::LifeState::Failed)
            res.body = "degraded: " + life->message() + "\n";
        return res;
    });
    surface->router.add("GET", "/metrics", [](http::Request&) {
        http::Response res;
        res.content_type = "text/plain; version=0.0.4; charset=utf-8";
        res.body = common::metrics().render();
        return res;
    });
    return surface;
}

}  // namespace dnsplane::app
