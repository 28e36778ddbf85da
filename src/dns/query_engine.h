// Answers one DNS query message: pure function of (catalog, query bytes,
// transport limits) -> response bytes. No sockets here, so the fuzz target
// and unit tests drive it directly.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "dns/zone_catalog.h"

namespace dnsplane::dns {

enum class Transport { Udp, Tcp };

struct QueryLimits {
    Transport transport = Transport::Udp;
    std::uint16_t max_udp_payload = 1232;  // cap on the client's EDNS size
};

struct QueryStats;  // counters, see dns/stats.h

// Writes the response into `out` (cleared first). Returns false when the
// message must be dropped silently (e.g. it is itself a response, or too
// short to carry an ID). AXFR/IXFR/NOTIFY/UPDATE are not handled here:
// `classify()` lets the transport route those.
bool answer_query(const ZoneCatalog& catalog, std::span<const std::uint8_t> query,
                  const QueryLimits& limits, std::vector<std::uint8_t>& out);

}  // namespace dnsplane::dns
