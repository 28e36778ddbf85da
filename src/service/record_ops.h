// Lexicon record semantics: one flat record per value of a record set, with
// a stable opaque id (the value's core::Record id), and five operations
// (authenticate, create, list, update, delete) with Lexicon's rules. Every
// write is one ZoneEdit through ZoneService::apply. Independent of HTTP: the
// record API, the webhook and RFC 2136 UPDATE call this module.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/model.h"
#include "service/caller.h"
#include "service/zone_service.h"

namespace dnsplane::service {

// One Lexicon record. `name` is absolute (trailing dot, lower case); the
// record API prints it without the dot. `content` is unescaped: TXT/SPF as
// the plain text, names (CNAME/NS/PTR, MX exchange) without the trailing
// dot, MX without its priority (in `mx_priority`), anything else canonical.
struct LexRecord {
    std::string id;
    std::string type;
    std::string name;
    std::uint32_t ttl = 0;
    std::string content;
    std::optional<std::int64_t> mx_priority;
};

// Names may be relative ("www", "@" or "" for the apex), full
// ("www.example.org") or absolute ("www.example.org."); any case.
struct RecordFilter {
    std::optional<std::string> type;
    std::optional<std::string> name;
    std::optional<std::string> content;
};

struct RecordCreate {
    std::string type;
    std::string name;
    std::string content;
    std::optional<std::int64_t> ttl;          // absent or 0: the zone's default
    std::optional<std::int64_t> mx_priority;  // MX only; absent: 10 (or "N host" content)
};

// Absent members are unchanged; ttl 0 resets to the zone's default.
struct RecordChange {
    std::optional<std::string> type;
    std::optional<std::string> name;
    std::optional<std::string> content;
    std::optional<std::int64_t> ttl;
    std::optional<std::int64_t> mx_priority;
};

struct CreateResult {
    LexRecord record;
    bool existed = false;  // the value was already there: nothing changed
};

class RecordOps {
  public:
    explicit RecordOps(ZoneService& zones) : zones_(zones) {}

    // The caller's zone named exactly `domain` (with or without the trailing
    // dot); 404 zone_not_found when unknown or another project's.
    core::Zone domain(const Caller& c, const std::string& domain);

    // Every value of the zone (SOA and apex NS included) matching the filter,
    // ordered by name, type, then value order in the set.
    std::vector<LexRecord> list(const Caller& c, const core::Zone& zone, const RecordFilter& f);

    // One value by its id (404 record_not_found when the zone lacks it).
    LexRecord get(const Caller& c, const core::Zone& zone, const std::string& id);

    CreateResult create(const Caller& c, const core::Zone& zone, const RecordCreate& in);

    // One member of a set: by id, or by type + name (+ content) of the current
    // value. 404 record_not_found when nothing matches; 409 ambiguous_filter
    // when the filter matches several values. Other members are untouched; a
    // changed name or type moves only this member (it gets a new id).
    LexRecord update(const Caller& c, const core::Zone& zone, const std::string& id,
                     const RecordChange& change);
    LexRecord update(const Caller& c, const core::Zone& zone, const RecordFilter& f,
                     const RecordChange& change);

    // By id (absent: no-op), or by type + name (+ content): without content
    // the whole set goes; an emptied set disappears; no match is a no-op.
    // Returns how many values were removed.
    std::size_t remove(const Caller& c, const core::Zone& zone, const std::string& id);
    std::size_t remove(const Caller& c, const core::Zone& zone, const RecordFilter& f);

  private:
    struct Located {
        core::RecordSet set;
        core::Record value;
    };
    std::optional<Located> find_id(const Caller& c, const core::Zone& zone, const std::string& id);
    LexRecord change_value(const Caller& c, const core::Zone& zone, const Located& at,
                           const RecordChange& change);

    ZoneService& zones_;
};

// Helpers shared with other doors (pure).
// Owner name as given (relative, full or absolute) -> absolute, lower case.
std::string lexicon_absolute_name(const std::string& name, const std::string& zone_name);
// Lexicon content (+ MX priority) -> canonical presentation of `type`.
std::string lexicon_to_rdata(const std::string& type, const std::string& content,
                             std::optional<std::int64_t> mx_priority, const std::string& zone_name);
// One value of a set -> a Lexicon record.
LexRecord lexicon_record(const core::RecordSet& rs, const core::Record& value,
                         std::uint32_t zone_ttl);

}  // namespace dnsplane::service
