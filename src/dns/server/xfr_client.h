// The transfer client of SECONDARY zones (issue 16): asks a master, over TCP
// (RFC 7766 framing), for the zone's SOA serial or for the zone itself (AXFR,
// RFC 5936; IXFR, RFC 1995, from the serial we hold). Blocking, with one
// deadline per call: it runs on the refresher's own thread
// (secondary_zones.h), never on the server's io threads. What the answers
// mean is xfr_changes.h's job.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "dns/server/tsig.h"
#include "dns/server/xfr_changes.h"
#include "service/secondary.h"

namespace dnsplane::dns {

// With a `signer` (the zone's TSIG key, Designate's tsigkey of scope ZONE)
// the request is signed and every answer must verify with that key, else the
// call fails naming the key (never its secret).

// The master's SOA serial for `zone` (canonical); nullopt and `error` when
// it cannot be had (no answer in time, refused, not authoritative, ...).
std::optional<std::uint32_t> query_master_serial(const service::MasterAddress& master,
                                                 const std::string& zone,
                                                 std::chrono::milliseconds timeout,
                                                 TsigClient* signer, std::string* error);

// Runs the transfer `stream` was made for (IXFR when it has a serial, else
// AXFR) and feeds it every answer record until it is complete. False and
// `error` on a network failure, an error RCODE, a timeout or a stream the
// XfrStream refuses.
bool transfer_from_master(const service::MasterAddress& master, const std::string& zone,
                          std::optional<std::uint32_t> ixfr_serial, XfrStream& stream,
                          std::chrono::milliseconds timeout, TsigClient* signer,
                          std::string* error);

}  // namespace dnsplane::dns
