// An immutable, read-optimised copy of one zone for the query path: owner
// names in wire form in a sorted/hash index, record sets pre-encoded where
// useful, wildcard and delegation lookups, and canonical-order iteration for
// AXFR. Built from store rows; never mutated after publication.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/model.h"

namespace dnsplane::dns {

class ZoneSnapshot;
using ZoneSnapshotPtr = std::shared_ptr<const ZoneSnapshot>;

// Builds a snapshot from a zone and all its record sets (SOA and NS included).
// Effective TTL of a set = its ttl or the zone's ttl.
ZoneSnapshotPtr build_snapshot(const core::Zone& zone, const std::vector<core::RecordSet>& sets);

}  // namespace dnsplane::dns
