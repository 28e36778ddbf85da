// The domain model: plain values, no I/O. Names are absolute, lower-case,
// with the trailing dot; record data is canonical presentation text.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace dnsplane::core {

// One value of a record set. The id is stable for the life of the value so that
// later APIs (Lexicon record ids, webhook targets, RFC 2136) can address it.
struct Record {
    std::string id;
    std::string data;  // canonical presentation form, e.g. "10 mx.example.org."
};

struct RecordSet {
    std::string id;
    std::string project_id;
    std::string zone_id;
    std::string zone_name;
    std::string name;  // absolute owner name, lower-case
    std::string type;  // upper-case mnemonic
    std::optional<std::uint32_t> ttl;  // nullopt: the zone's TTL applies
    std::string description;
    std::vector<Record> records;
    std::string status = "ACTIVE";
    std::string action = "NONE";
    std::int64_t version = 1;
    std::string created_at;                 // "2026-01-02T03:04:05.000000"
    std::optional<std::string> updated_at;  // null until the first update
    bool managed = false;  // SOA and apex NS: maintained by dnsplane itself
    // Opaque metadata an API stores with the set and returns unchanged (the
    // ExternalDNS webhook: labels and providerSpecific as compact JSON).
    // Empty when none. Not part of the DNS data.
    std::string provider_meta;
};

struct Zone {
    std::string id;
    std::string pool_id;
    std::string project_id;
    std::string name;  // canonical: what every lookup, comparison and DNS answer uses
    // The name as its creator spelled it, when that differs from `name` in
    // letter case only (RFC 4343: names are compared case-insensitively but
    // keep their case); empty otherwise. Shown in API answers, never
    // compared (migration 11).
    std::string spelled_name;
    std::string email;
    std::uint32_t ttl = 3600;
    std::uint32_t serial = 1;
    std::string status = "ACTIVE";
    std::string action = "NONE";
    std::string description;
    std::string type = "PRIMARY";
    std::vector<std::string> masters;
    std::optional<std::string> transferred_at;
    std::int64_t version = 1;
    std::string created_at;
    std::optional<std::string> updated_at;
    // SOA timers (RFC 1035 3.3.13); the serial lives above.
    std::uint32_t refresh = 3500;
    std::uint32_t retry = 600;
    std::uint32_t expire = 86400;
    std::uint32_t minimum = 3600;
    // The SOA MNAME / RNAME a SECONDARY zone took from its master's SOA
    // (migration 8); empty: ours (the pool's primary nameserver, the email).
    std::string soa_mname;
    std::string soa_rname;
    // Shared with other projects (Designate zone shares); not a stored
    // column: the service fills it on API reads.
    bool shared = false;

    // The name API answers show: the creator's spelling, else the canonical name.
    const std::string& shown_name() const { return spelled_name.empty() ? name : spelled_name; }
};

struct NameServer {
    std::string hostname;  // absolute
    int priority = 1;
};

struct Pool {
    std::string id;
    std::string name;
    std::string description;
    std::string project_id;
    std::vector<NameServer> ns_records;
    std::vector<std::string> also_notify;  // "host:port"
    std::string created_at;
    std::optional<std::string> updated_at;
    std::map<std::string, std::string> attributes;  // Designate pool attributes (opaque)
};

// A top-level domain an admin registered (Designate /v2/tlds): once any
// exists, every new zone must lie below one. `name` has no trailing dot.
struct Tld {
    std::string id;
    std::string name;  // lower-case, e.g. "com" or "co.uk"
    std::string description;
    std::string created_at;
    std::optional<std::string> updated_at;
};

// A regular expression (ECMAScript) a new zone's name must not match,
// unless an admin creates it (Designate /v2/blacklists).
struct Blacklist {
    std::string id;
    std::string pattern;
    std::string description;
    std::string created_at;
    std::optional<std::string> updated_at;
};

// One resource record as the wire and the change log see it.
struct ResourceRecord {
    std::string name;  // absolute owner
    std::string type;
    std::uint32_t ttl = 0;
    std::string data;  // canonical presentation
    bool operator==(const ResourceRecord&) const = default;
};

// What one committed transaction did to one zone; appended to the per-zone
// change log in the same transaction (IXFR, NOTIFY and the DNS zone swap read it).
struct ZoneChange {
    std::string zone_id;
    std::string zone_name;
    std::uint32_t old_serial = 0;
    std::uint32_t new_serial = 0;
    std::vector<ResourceRecord> removed;  // SOA excluded: implied by the serials
    std::vector<ResourceRecord> added;
    bool zone_created = false;
    bool zone_deleted = false;
    std::string committed_at;
    std::optional<Zone> zone;   // the zone row as this change left it (serial, ttl, email, SOA timers)
    std::string soa_data;       // the apex SOA rdata as stored after this change (empty when deleted)
};

}  // namespace dnsplane::core
