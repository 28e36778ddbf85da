// TSIG-signed queries (RFC 8945): the answer engine refuses a signed query
// with NOTAUTH since it cannot verify it; the server then verifies the
// signature here and, when it holds, answers the query again and signs the
// reply (certbot's dns-rfc2136 plugin signs its SOA lookups). A failed check
// keeps the NOTAUTH and adds the TSIG error (BADKEY/BADSIG unsigned, BADTIME
// signed). Only NOTAUTH answers come here, so unsigned queries pay nothing.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "dns/query_engine.h"
#include "dns/server/tsig.h"

namespace dnsplane::dns {

// `out` holds answer_query()'s reply to `query`. Returns true when it was
// replaced (or completed) because the query carries a TSIG RR.
bool answer_signed_query(const ZoneCatalog& catalog, TsigKeyring& ring,
                         std::span<const std::uint8_t> query, QueryLimits limits,
                         std::vector<std::uint8_t>& out);

// A cheap look: answer_query() said NOTAUTH.
inline bool is_notauth(const std::vector<std::uint8_t>& reply) {
    return reply.size() >= KNOT_WIRE_HEADER_SIZE &&
           knot_wire_get_rcode(reply.data()) == KNOT_RCODE_NOTAUTH;
}

}  // namespace dnsplane::dns
