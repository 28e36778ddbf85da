// What the DNS server can serve: checks every write path runs on a record
// set's final values before storing them, so that nothing accepted is later
// left out of an answer or a zone transfer.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace dnsplane::service {

// The largest DNS message (RFC 1035 4.2.2: a TCP message has a 16-bit length).
inline constexpr std::size_t kMaxDnsMessage = 65535;

// Room for one RRset in an answer: the message minus the header (12), the
// longest question (a 255-octet name, type and class: 259; a query may be
// longer than the owner when it is a wildcard's or follows a CNAME) and an
// OPT record without options (11).
inline constexpr std::size_t kMaxRRsetWire = kMaxDnsMessage - 12 - 259 - 11;

// Octets the RRset takes in an answer: the owner written in full once, then
// a 2-octet compression pointer for every further record, each record's
// type, class, TTL and RDLENGTH (10) and its rdata (names uncompressed).
// `canonical_records` are core::canonical_rdata values of `type`.
std::size_t rrset_wire_size(const std::string& owner, const std::string& type,
                            const std::vector<std::string>& canonical_records);

// Throws core::invalid (400, path ["records"]) naming the limit when the
// RRset does not fit in one DNS message over TCP (kMaxRRsetWire). Per-value
// limits (255-octet TXT strings, 65535-octet rdata) are core::canonical_rdata's.
void check_servable(const std::string& owner, const std::string& type,
                    const std::vector<std::string>& canonical_records);

}  // namespace dnsplane::service
