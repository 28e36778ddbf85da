// Internal to the query engine: RFC 1034 4.3.2 lookup of one question in
// one zone snapshot, writing ANSWER, AUTHORITY and ADDITIONAL into a
// knot_pkt_t. Behaviour follows Knot DNS 3.2 where the RFCs leave a choice
// (see src/dns/README.md).
#pragma once

#include "dns/wire_libknot.h"

#include <cstdint>

#include "dns/zone_snapshot.h"

namespace dnsplane::dns {

struct ZoneAnswer {
    std::uint16_t rcode = KNOT_RCODE_NOERROR;
    bool failed = false;  // internal error: the caller answers SERVFAIL
};

// `lower_qname` is the question name in lower case and inside `zone`; the
// packet is initialised as a response with its question. `udp` selects the
// truncation policy (TC=1 when an answer RRset does not fit).
ZoneAnswer answer_from_zone(const ZoneSnapshot& zone, knot_pkt_t* pkt,
                            const knot_dname_t* lower_qname, std::uint16_t qtype, bool udp);

}  // namespace dnsplane::dns
