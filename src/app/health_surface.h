// The health/metrics surface (--health-listen): GET /healthz and GET
// /metrics (Prometheus text format 0.0.4, from common::metrics()).
#pragma once

#include <memory>

#include "http/surface.h"

namespace dnsplane::app {

std::unique_ptr<http::Surface> make_health_surface();

}  // namespace dnsplane::app
