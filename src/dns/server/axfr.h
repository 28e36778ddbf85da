// Zone transfers from the in-memory snapshots: AXFR over TCP (RFC 5936) and
// IXFR (RFC 1995), both gated by an address ACL.
//  - AXFR: the apex SOA, every other RRset once, the SOA again, in as many
//    messages (<= 64 KiB each) as needed.
//  - IXFR: when the client's serial is in the store's change log, the
//    differences (SOA new, then per change: SOA old, removed records, SOA
//    next, added records; then SOA new); when the client is current, the SOA
//    alone; otherwise a full transfer in AXFR form (RFC 1995 4).
//  - IXFR over UDP is answer_query()'s job (the SOA only, RFC 1995 4); the
//    transport passes it acl().allows(client) as QueryLimits::transfer_allowed.
// TSIG (RFC 8945): with a key ring set, a signed request is verified (failures:
// NOTAUTH with the TSIG error), a client outside the ACL may still transfer a
// zone when the request is signed with a POOL key of the zone's pool (or a
// ZONE key of that zone), and every reply message of a signed request is
// signed (the first with the request MAC, the rest chained, RFC 8945 5.3.1).
// Refusals: REFUSED for clients outside the ACL, NOTAUTH for a name that is
// not the apex of a zone we serve, FORMERR for a malformed request.
#pragma once

#include <boost/asio/ip/address.hpp>

#include <cstdint>
#include <span>
#include <vector>

#include "dns/server/acl.h"
#include "dns/server/tsig.h"
#include "dns/stats.h"
#include "dns/zone_catalog.h"
#include "store/store.h"

namespace dnsplane::dns {

class TransferService {
  public:
    // `change_log` may be null: IXFR then always falls back to a full transfer.
    TransferService(const ZoneCatalog& catalog, Acl acl, store::Store* change_log,
                    QueryStats* stats);

    // An AXFR or IXFR request received over TCP: appends the reply messages
    // to `out`. Returns false (nothing appended) when the request must be
    // dropped (shorter than a header, or a response).
    bool answer_tcp(std::span<const std::uint8_t> query, const boost::asio::ip::address& client,
                    std::vector<std::vector<std::uint8_t>>& out) const;

    const Acl& acl() const { return acl_; }

    // Verifies signed requests with `ring` (not owned); `pool_id` is the pool
    // every zone belongs to (POOL keys name it). Set before serving.
    void set_tsig(TsigKeyring* ring, std::string pool_id) {
        ring_ = ring;
        pool_id_ = std::move(pool_id);
    }

  private:
    TsigKeyring* ring_ = nullptr;
    std::string pool_id_;
    const ZoneCatalog& catalog_;
    Acl acl_;
    store::Store* change_log_;
    QueryStats* stats_;
};

}  // namespace dnsplane::dns
