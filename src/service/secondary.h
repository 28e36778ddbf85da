// SECONDARY zones (issue 16): the rules of their masters and the door from
// the API to the DNS side's refresher. The zone's data comes only from zone
// transfers, applied as change sets carrying ZoneEdit::transfer.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/model.h"

namespace dnsplane::service {

// One master of a SECONDARY zone: "192.0.2.1", "192.0.2.1:5353",
// "[2001:db8::1]:53", "2001:db8::1", "ns1.example.org." or "ns1.example.org:53".
struct MasterAddress {
    std::string host;  // an IP address or a host name (without a trailing dot)
    std::uint16_t port = 53;
};

// nullopt when `text` is not one of the forms above.
std::optional<MasterAddress> parse_master(const std::string& text);
// "host:port" ("[v6]:port" for IPv6), the form masters are stored and shown in.
std::string master_text(const MasterAddress& m);

// The masters of a new SECONDARY zone, normalised; 400 invalid_object
// (path masters[/i]) when there is none or one does not parse.
std::vector<std::string> validate_masters(const std::vector<std::string>& masters);

// 400 bad_request: record sets of a SECONDARY zone come from its masters.
core::Error secondary_zone_read_only(const core::Zone& zone);

// Implemented by the DNS side (dns/server/secondary_zones.h): asked to check
// a SECONDARY zone's masters now (Designate's tasks/xfr). Must not block.
class SecondaryRefresh {
  public:
    virtual ~SecondaryRefresh() = default;
    virtual void refresh_now(const core::Zone& zone) = 0;
    // The zone's masters were changed through the API: their copy of the
    // zone replaces ours (a full transfer from the new masters), now.
    virtual void masters_changed(const core::Zone& zone) = 0;
};

}  // namespace dnsplane::service
