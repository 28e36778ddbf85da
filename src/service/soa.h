// The record sets dnsplane maintains itself in every zone (SOA and apex NS)
// and the SOA serial arithmetic (RFC 1982).
#pragma once

#include <cstdint>
#include <string>

#include "core/model.h"
#include "store/store.h"

namespace dnsplane::service {

// The serial that follows `serial`: one more, wrapping at 2^32 (RFC 1982 3.1).
std::uint32_t next_serial(std::uint32_t serial);

// RFC 1982 3.2: true when `a` is "less than" `b` in sequence space.
bool serial_before(std::uint32_t a, std::uint32_t b);

// A new zone's first serial: the current unix time (a date-free counter).
std::uint32_t initial_serial();

// The SOA RNAME of a mailbox: "first.last@example.org" -> "first\.last.example.org."
// (dots in the local part escaped, RFC 1035 8). Throws invalid_object when
// the result is not a valid domain name.
std::string mailbox_to_rname(const std::string& email);

// The pool's primary nameserver (lowest priority value, first listed on a
// tie), canonical. Throws core::Error(Internal) when the pool has none.
std::string primary_nameserver(const core::Pool& pool);

// "mname rname serial refresh retry expire minimum" for the zone as it is now.
std::string soa_rdata(const core::Zone& zone, const core::Pool& pool);

// The managed record sets of a new zone; ttl is null (the zone's TTL applies).
core::RecordSet make_soa_recordset(const core::Zone& zone, const core::Pool& pool,
                                   const std::string& now);
core::RecordSet make_apex_ns_recordset(const core::Zone& zone, const core::Pool& pool,
                                       const std::string& now);

// Rewrites the stored SOA record set so its data shows the zone's current
// serial and rname; keeps the record's id, bumps the set's version.
void rewrite_soa(store::WriteTxn& txn, const core::Zone& zone, const core::Pool& pool,
                 const std::string& now);

// After a change of the zone's content: increments zone.serial and
// zone.version, sets updated_at, stores the zone and rewrites its SOA.
// Returns the serial before.
std::uint32_t advance_serial(store::WriteTxn& txn, core::Zone& zone, const core::Pool& pool,
                             const std::string& now);

}  // namespace dnsplane::service
