// Rules of Designate's admin resources (issue 16) that need no store: TLD
// names, blacklist patterns, quota documents, pool inputs, and the checks a
// new zone's name must pass against the TLDs and blacklists an admin set.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/model.h"
#include "service/settings.h"

namespace dnsplane::service {

// A TLD name as Designate takes it: labels of letters, digits, '-' and '_'
// (no label starting or ending with '-'), no trailing dot, at most 255
// characters; returned lower-case. Else 400 invalid_object on "name".
std::string validate_tld_name(const std::string& text);

// A blacklist pattern: 1..255 characters and a valid ECMAScript regular
// expression. Else 400 invalid_object on "pattern".
void validate_blacklist_pattern(const std::string& pattern);

// True when `zone_name` (canonical, trailing dot) matches `pattern` anywhere
// (a search, as Designate does); a pattern that no longer compiles matches
// nothing.
bool blacklist_matches(const std::string& pattern, const std::string& zone_name);

// When `tlds` is not empty, a zone must lie strictly below one of them:
// else 400 invalid_zone_name ("is a TLD" / "is not below any TLD").
void check_zone_under_tld(const std::vector<core::Tld>& tlds, const std::string& zone_name);

// 400 invalid_zone_name when a pattern matches the zone's name; admins may
// create blacklisted zones (Designate's use_blacklisted_zone rule).
void check_zone_not_blacklisted(const std::vector<core::Blacklist>& blacklists,
                                const std::string& zone_name, bool is_admin);

// Quotas, by Designate's resource names: zones, zone_recordsets,
// zone_records, recordset_records, api_export_size.
const std::vector<std::string>& quota_resources();
std::map<std::string, std::int64_t> quotas_to_map(const Quotas& q);
// `defaults` with each known override applied (unknown names are ignored).
Quotas apply_quota_overrides(Quotas defaults, const std::map<std::string, std::int64_t>& o);
// Each resource must be a known name with a limit in 0..2147483647, else 400
// invalid_object naming it.
void validate_quota_values(const std::map<std::string, std::int64_t>& values);

// Pools: name 1..160 characters, description <= 160, ns_records hostnames
// fully qualified domain names (returned canonical) with priority 1..65535.
void validate_pool(core::Pool& p);

}  // namespace dnsplane::service
