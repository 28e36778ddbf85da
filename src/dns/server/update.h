// RFC 2136 UPDATE -> one change set. The pure half (no I/O): the prerequisite
// and update sections of a parsed UPDATE message become a service::ZoneEdit,
// and the error of ZoneService::apply becomes the RCODE. update_server.h
// does the I/O around it (TSIG, zone lookup, apply, reply).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/error.h"
#include "dns/wire_libknot.h"
#include "service/zone_edit.h"

namespace dnsplane::dns {

struct UpdateTranslation {
    // Not NOERROR: the message is refused before any change (FORMERR, NOTZONE).
    std::uint8_t rcode = KNOT_RCODE_NOERROR;
    std::string error;  // why (for the log)
    service::ZoneEdit edit;
    // The RCODE when prerequisite i fails (NXDOMAIN, YXDOMAIN, NXRRSET, YXRRSET).
    std::vector<std::uint8_t> prerequisite_rcodes;
    // Updates of the managed apex SOA and NS sets, left out silently
    // (RFC 2136 3.4.2 lets a server ignore them).
    std::size_t ignored = 0;
};

// `pkt` is a parsed UPDATE (zone section = one SOA question), `zone_id` and
// `zone_name` (canonical, trailing dot) the zone it names. Section 2 (answer)
// holds prerequisites, section 3 (authority) updates (RFC 2136 2.4, 2.5,
// 3.2, 3.4):
//  prerequisites: ANY/ANY -> NameExists, ANY/T -> SetExists, NONE/ANY ->
//    NameAbsent, NONE/T -> SetAbsent, IN/T rdata -> SetEquals of every value
//    given for that name and type (value-dependent RRset equality);
//  updates: IN/T rdata -> AddValues (TTL becomes the set's; a CNAME
//    replaces the CNAME there: ReplaceSet, RFC 2136 3.4.2.2), ANY/ANY ->
//    DeleteName, ANY/T -> DeleteSet, NONE/T rdata -> RemoveValues, all
//    missing_ok, in message order.
// Names outside the zone -> NOTZONE; TTL != 0 or data where none belongs,
// meta types, other classes -> FORMERR.
UpdateTranslation translate_update(const knot_pkt_t* pkt, const std::string& zone_id,
                                   const std::string& zone_name);

// The RCODE for a failed ZoneService::apply of `t.edit`: a failed
// prerequisite -> its RCODE; every other refusal of the service's rules
// (CNAME exclusivity, quotas, TTL limits, bad values, ...) -> REFUSED;
// Unavailable/Internal -> SERVFAIL.
std::uint8_t update_rcode(const core::Error& e, const UpdateTranslation& t);

}  // namespace dnsplane::dns
