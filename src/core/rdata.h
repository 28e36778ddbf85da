// Record data types: presentation parsing, validation and canonical form.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace dnsplane::core {

// Types accepted from users (SOA is managed, not writable, but parseable).
// A AAAA CNAME MX NS PTR SPF SRV SSHFP TXT CAA NAPTR DS SOA
// Mnemonics are matched exactly: upper case only ("mx" is not supported).
bool is_supported_type(std::string_view type);
bool is_user_writable_type(std::string_view type);  // all supported but SOA
std::vector<std::string> supported_types();
std::optional<std::uint16_t> type_code(std::string_view type);  // "A" -> 1

// Parses one value of `type` in presentation form and returns its canonical
// presentation: names absolute and lower-cased, numbers without leading
// zeros, IPv6 in RFC 5952 form, TXT/SPF as one or more quoted strings
// (each <= 255 octets) separated by spaces, hex upper-cased where the type's
// RFC shows it so (SSHFP/DS fingerprints lower-case hex, like BIND prints).
// `origin` is used to complete relative names inside rdata when non-empty;
// when empty, relative names in rdata are rejected.
// Throws core::Error (invalid_object) with a message that names the problem.
std::string canonical_rdata(std::string_view type, std::string_view text,
                            std::string_view origin = {});

// Octets the value's rdata takes on the wire (its RDLENGTH), names written
// uncompressed. `canonical` is what canonical_rdata returned for `type`.
std::size_t rdata_wire_length(std::string_view type, std::string_view canonical);

// The 2013 draft's dict form. Field names per type, in presentation order:
// A/AAAA: address; CNAME: cname; MX: preference exchange; NS: nsdname;
// PTR: ptrdname; SOA: mname rname serial refresh retry expire minimum;
// SPF/TXT: text; SRV: priority weight port target; SSHFP: algorithm type
// fingerprint; CAA: flags tag value; NAPTR: order preference flags service
// regexp replacement; DS: key_tag algorithm digest_type digest.
struct RdataField {
    std::string name;
    bool is_integer = false;
};
const std::vector<RdataField>& rdata_fields(std::string_view type);

// Dict -> canonical presentation. Values arrive as text (integers as decimal);
// missing fields with a default (SSHFP type = 1, SRV port = 0: the draft's SRV
// example has no port) take it; missing required
// fields or unknown keys throw invalid_object naming the field.
// One field value as the client sent it: text, or a number (JSON integer,
// given here in decimal). A number is accepted only by an integer field; an
// integer field also reads decimal text. Every input form (a plain write, a
// JSON Patch result, the draft style) converts dicts through this one function.
struct RdataFieldValue {
    std::string text;
    bool is_number = false;
};
std::string rdata_from_field_values(
    std::string_view type, const std::vector<std::pair<std::string, RdataFieldValue>>& fields);
// The same with every value given as text.
std::string rdata_from_fields(std::string_view type,
                              const std::vector<std::pair<std::string, std::string>>& fields);

// Canonical presentation -> dict values, in rdata_fields() order (TXT/SPF
// `text` is the unquoted, concatenated string).
std::vector<std::pair<std::string, std::string>> rdata_to_fields(std::string_view type,
                                                                 std::string_view canonical);

// TTL bounds check (RFC 2181 8: 0..2^31-1), with configurable limits.
void validate_ttl(std::int64_t ttl, std::int64_t min_ttl = 0, std::int64_t max_ttl = 2147483647);

}  // namespace dnsplane::core
