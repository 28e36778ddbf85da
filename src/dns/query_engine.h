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
    std::uint16_t max_udp_payload = 1232;  // cap on the client's EDNS size; our OPT payload
    // The client passes the transfer ACL. Only used for IXFR over UDP, which
    // is answered with the zone's SOA (RFC 1995 4) when allowed, else NOTAUTH.
    bool transfer_allowed = false;
    // The server verified the query's TSIG (dns/server/signed_query.h): answer
    // it, leaving `tsig_reserve` octets free for the TSIG RR the server adds.
    // Otherwise a signed query is NOTAUTH.
    bool tsig_verified = false;
    std::uint16_t tsig_reserve = 0;
};

class QueryStats;  // counters, see dns/stats.h

// What a message asks for, from a cheap look at its header and question, so
// the transport can route it before answering.
enum class MessageKind {
    Drop,    // not answerable: too short for a header, or QR=1
    Query,   // standard query, answer_query() handles it (incl. errors)
    Axfr,    // opcode QUERY, qtype AXFR
    Ixfr,    // opcode QUERY, qtype IXFR
    Notify,  // opcode NOTIFY (request)
    Update,  // opcode UPDATE
};
MessageKind classify(std::span<const std::uint8_t> message);

// Writes the response into `out` (cleared first). Returns false when the
// message must be dropped silently (it is itself a response, or too short to
// carry a header). As Knot 3.2 does: AXFR gets NOTIMP (transfers are the
// transport's job, over TCP); IXFR gets the SOA only (RFC 1995 4: "doesn't
// fit in UDP") or NOTAUTH/FORMERR; NOTIFY and UPDATE get NOTIMP unless the
// transport routes them elsewhere first. `stats` (optional) counts the
// query, its transport and the response rcode.
bool answer_query(const ZoneCatalog& catalog, std::span<const std::uint8_t> query,
                  const QueryLimits& limits, std::vector<std::uint8_t>& out,
                  QueryStats* stats = nullptr);

}  // namespace dnsplane::dns
