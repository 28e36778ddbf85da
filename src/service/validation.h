// Input checks of zones and record sets that need no store access. Each
// throws core::Error(invalid_object) with the failing field's path.
#pragma once

#include "core/name.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/model.h"
#include "service/settings.h"

namespace dnsplane::service {

// Canonical zone name: fully qualified, a valid hostname, two labels or more
// unless `allow_tld`.
std::string validate_zone_name(const std::string& text, bool allow_tld);

// local@domain with a plain (unquoted) local part; returns it with the
// domain lower-cased.
std::string validate_email(const std::string& text);

// A TTL within the configured bounds (and RFC 2181 8's 0..2^31-1).
std::uint32_t validate_ttl(std::int64_t ttl, const ServiceSettings& s);

// Descriptions are at most 160 characters, as in Designate.
void validate_description(const std::string& text);

// Upper-cased record type that users may write; SOA -> "managed" error.
std::string validate_recordset_type(const std::string& text);

// Canonical owner name of a record set in `zone_name`: fully qualified,
// inside the zone, a hostname with an optional leading "*" label.
std::string validate_recordset_name(const std::string& text, const std::string& zone_name,
                                    core::OwnerNames rule = core::OwnerNames::Hostname);

// Rules tying the owner name to the type: no CNAME at the apex, no NS at a
// wildcard, SRV owners shaped _service._proto.name.
void validate_owner_for_type(const std::string& type, const std::string& name,
                             const std::string& zone_name);

// Canonical values (core::canonical_rdata), non-empty, repeated values merged,
// at most one for CNAME, at most `max_records` given (else 413 over_quota).
std::vector<std::string> canonical_records(const std::string& type,
                                           const std::vector<std::string>& texts,
                                           std::size_t max_records);

// RFC 1034 3.6.2 / RFC 2181 10.1: a CNAME owns its name alone. `existing`
// are the record sets already at the name (any type).
void check_cname_exclusive(const std::string& type, const std::string& name,
                           const std::vector<core::RecordSet>& existing);

// If-Match: a stale expected version -> 412 precondition_failed.
void check_if_match(std::optional<std::int64_t> if_match, std::int64_t version);

}  // namespace dnsplane::service
