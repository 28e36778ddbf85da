// The health/metrics surface (--health-listen): GET /healthz and GET
// /metrics (Prometheus text format 0.0.4, from common::metrics()).
#pragma once

#include <memory>

#include "http/surface.h"
#include "service/lifecycle.h"

namespace dnsplane::app {

// With `life`, /healthz answers "degraded: <why>" (still 200: DNS keeps
// answering from memory) while the store cannot commit (FAILED).
std::unique_ptr<http::Surface> make_health_surface(const service::Lifecycle* life = nullptr);

}  // namespace dnsplane::app
