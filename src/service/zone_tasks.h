// Designate zone tasks (issue 16) as service inputs: a zone import (the
// zone file already parsed: dns/zone_file.h), transfer request fields.
// The operations are ZoneService members (zone_tasks.cpp, zone_transfers.cpp,
// zone_shares.cpp); the rows are store::ZoneTask.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace dnsplane::service {

inline constexpr const char* kTaskImport = "import";
inline constexpr const char* kTaskExport = "export";
inline constexpr const char* kTransferRequest = "transfer_request";
inline constexpr const char* kTransferAccept = "transfer_accept";
inline constexpr const char* kZoneShare = "share";

// One record set of an imported zone file.
struct ImportedSet {
    std::string name;  // absolute
    std::string type;
    std::optional<std::uint32_t> ttl;  // nullopt: the zone's TTL
    std::vector<std::string> records;  // presentation, absolute names
    std::uint64_t line = 0;            // zone file line of its first record
};

// A zone file's content: the zone (from the apex SOA) and its record sets
// (the apex SOA and NS excluded: dnsplane manages them).
struct ZoneImport {
    std::string name;  // the SOA owner as the file spells it (letter case kept)
    std::string email;
    std::uint32_t ttl = 3600;
    std::uint32_t refresh = 3500, retry = 600, expire = 86400, minimum = 3600;
    std::vector<ImportedSet> sets;
};

struct TransferRequestInput {
    std::string description;
    std::string target_project_id;  // empty: any project holding the key
};

struct TransferRequestUpdate {
    std::optional<std::string> description;
    std::optional<std::string> target_project_id;  // "" clears it
};

}  // namespace dnsplane::service
