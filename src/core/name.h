// DNS domain names in presentation form (RFC 1035 2.3.1, 5.1; RFC 4343 case rules).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dnsplane::core {

// Parses a presentation-format name (\DDD and \X escapes allowed) and returns
// its canonical form: absolute (trailing dot), ASCII lower-cased, escapes
// normalised. Throws core::Error (invalid) when a label exceeds 63 octets, the
// name exceeds 255 octets on the wire, a label is empty, or `relative_ok` is
// false and the name lacks the trailing dot. With `relative_ok` a relative
// input stays relative: the result is canonical but has no trailing dot (the
// caller completes it with its origin).
std::string canonical_name(std::string_view text, bool relative_ok = false);

// canonical_name with the letters' case kept (RFC 4343: names compare
// case-insensitively but are case-preserving): equal to canonical_name(text)
// but for the case of letters. Throws like canonical_name.
std::string case_preserved_name(std::string_view text, bool relative_ok = false);

// Non-throwing canonical_name: nullopt when invalid; `why` receives the reason.
std::optional<std::string> try_canonical_name(std::string_view text, std::string* why = nullptr,
                                              bool relative_ok = false);

// Octets the name takes uncompressed on the wire (labels with their length
// octets, and the root label): "example.org." -> 13, "." -> 1. Relative
// names count as if absolute. Throws like canonical_name for invalid text.
std::size_t name_wire_length(std::string_view text);

// Labels of a canonical absolute name, leftmost first ("www.example.org." ->
// {"www","example","org"}); "." has none.
std::vector<std::string> split_labels(std::string_view canonical);

// True when `name` equals `zone` or lies below it (both canonical).
bool is_subdomain(std::string_view name, std::string_view zone);

// Hostname rules (RFC 952/1123 as relaxed by RFC 2181): letters, digits,
// hyphen, underscore allowed in labels; used for MX/NS/SRV/CNAME targets.
bool is_valid_hostname(std::string_view canonical);

// Which owner names a door accepts (the one rule, with a per-door policy).
// Hostname: letters, digits, '-' and '_' in every label, and '*' only as the
// whole leftmost label (a wildcard owner); Designate's rule. Rfc4592: also
// '*' as an ordinary character anywhere else (RFC 4592 4.1: only a whole
// leftmost "*" label is a wildcard), as ExternalDNS's TXT registry names the
// record of "*.example.org." "a-*.example.org."; the webhook's rule.
enum class OwnerNames { Hostname, Rfc4592 };

// Owner-name variant of is_valid_hostname: the leftmost label may also be "*"
// (wildcard owners are allowed, wildcard targets are not); with Rfc4592 any
// label may also hold '*' characters.
bool is_valid_owner_name(std::string_view canonical, OwnerNames rule = OwnerNames::Hostname);

// "*.example.org." style wildcard owner.
bool is_wildcard(std::string_view canonical);

}  // namespace dnsplane::core
