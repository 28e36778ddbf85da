// NOTIFY requests received (RFC 1996 3.7, issue 16): a master of one of our
// SECONDARY zones tells us the zone changed. The answer echoes the question
// with QR and AA set and the RCODE SecondaryZones::on_notify decides
// (NOERROR: a refresh is scheduled); a signed NOTIFY is verified and its
// answer signed (TSIG). Without secondaries, NOTIFY stays the
// engine's NOTIMP.
#pragma once

#include <boost/asio/ip/address.hpp>

#include <cstdint>
#include <span>
#include <vector>

namespace dnsplane::dns {

class SecondaryZones;

// False (nothing to send) when the message does not parse.
bool answer_notify(std::span<const std::uint8_t> query, const boost::asio::ip::address& source,
                   SecondaryZones& zones, std::vector<std::uint8_t>& out);

}  // namespace dnsplane::dns
