// RFC 2136 UPDATE over UDP and TCP, signed with TSIG (RFC 8945): verifies
// the signature, finds the zone, checks that the key covers it (a POOL key
// every zone of its pool, a ZONE key its zone), applies the message as ONE
// ZoneService change set (so every REST rule, the serial bump, the DNS
// catalog, NOTIFY and the change hooks follow) and answers, signed.
//
//   unsigned                       -> REFUSED
//   unknown key / algorithm        -> NOTAUTH, TSIG error BADKEY (unsigned)
//   bad MAC                        -> NOTAUTH, BADSIG (unsigned)
//   time outside the fudge         -> NOTAUTH, BADTIME (signed)
//   zone we do not have            -> NOTAUTH
//   key not valid for the zone     -> NOTAUTH, BADKEY (as Knot's ACL refusal)
//   malformed                      -> FORMERR;  names outside the zone -> NOTZONE
//   prerequisites                  -> NXDOMAIN / YXDOMAIN / NXRRSET / YXRRSET
//   refused by a service rule      -> REFUSED;  store failure -> SERVFAIL
//
// One access-log line per UPDATE: client, key name, zone, result, counts
// (never the secret). apply() blocks until committed, so callers run this
// off the UDP receive threads (DnsServer hands it to its update workers).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "dns/server/tsig.h"
#include "service/zone_service.h"

namespace dnsplane::dns {

class UpdateProcessor {
  public:
    explicit UpdateProcessor(service::ZoneService& svc);

    // Writes the reply to `message` (an UPDATE request) into `out`; returns
    // false when nothing must be sent (not even a header to answer to).
    bool answer(std::span<const std::uint8_t> message, const std::string& client,
                std::vector<std::uint8_t>& out);

    TsigKeyring& keyring() { return keyring_; }

  private:
    service::ZoneService& svc_;
    TsigKeyring keyring_;
};

}  // namespace dnsplane::dns
