// RFC 1035 zone files (Designate's `text/dns`): parse one into a zone import
// with libzscanner, and write a zone with its record sets as one.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/model.h"
#include "service/zone_tasks.h"

namespace dnsplane::dns {

// Parses a whole zone file (class IN; $ORIGIN, $TTL, relative names,
// parentheses and comments as RFC 1035 5.1 has them; $INCLUDE refused). The
// zone is the owner of its one SOA record: its TTL becomes the zone's TTL,
// its RNAME the e-mail, its timers the zone's; the apex SOA and NS are left
// out (dnsplane manages them). Records are grouped by owner and type in the
// order first seen (duplicates merged, the first TTL kept; a TTL equal to the
// zone's becomes "the zone's"). Values are canonicalised.
// Throws core::Error(Invalid, "invalid_zone_file") whose message starts with
// "line N: " for the first problem.
service::ZoneImport parse_zone_file(std::string_view text);

// The zone as a zone file: $ORIGIN (the zone's name as shown, its creator's
// spelling, as are the apex owners: a re-import keeps it) and $TTL, the SOA first, then the apex
// and every other name in DNS order (RFC 4034 6.1), every record with its
// absolute owner, its set's own TTL (none when the zone's $TTL applies) and
// class IN. `sets` holds every set of the zone (SOA and apex NS included).
std::string render_zone_file(const core::Zone& zone, const std::vector<core::RecordSet>& sets);

}  // namespace dnsplane::dns
