// Change sets: an ordered list of record set edits keyed by owner name and
// type, with prerequisites, applied atomically by ZoneService::apply across
// one or several zones of the caller's project. Every write of a record set
// (Designate, JSON Patch, and later the ExternalDNS webhook, Lexicon and
// RFC 2136 UPDATE) is one ZoneEdit.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/model.h"

namespace dnsplane::service {

// Which record set (or owner name) an operation or prerequisite is about.
struct EditTarget {
    // The zone. Empty: the longest zone containing `name` that the caller may
    // write (404 zone_not_found when there is none).
    std::string zone_id;
    // Absolute owner name (trailing dot; any case). Ignored with recordset_id.
    std::string name;
    // Record type mnemonic (any case). Unused by name-level operations.
    std::string type;
    // Designate: the record set by id (name and type then come from the set;
    // a zone_id, when given, must be the set's zone, else 404).
    std::string recordset_id;
};

enum class EditOpKind {
    CreateSet,     // new set from records/ttl/description; present -> 409 duplicate_recordset
    AddValues,     // add `records` (present values are kept as they are); creates the set
                   // when absent; `ttl`, when given, becomes the set's TTL
    RemoveValues,  // remove `records` (absent values are ignored), or with `record_id` the
                   // member with that id; an emptied set is deleted
    ReplaceValue,  // the member `record_id` takes the one value in `records`, keeping its id
                   // (another member equal to the new value is dropped); `ttl` as ReplaceSet;
                   // no such member -> 404 record_not_found
    ReplaceSet,    // the given members replace the set's (records / ttl / description);
                   // by name and type an absent set is created (records needed), by id 404
    DeleteSet,     // the set; absent -> 404 recordset_not_found unless missing_ok
    DeleteName,    // every set at the name except the managed apex SOA/NS;
                   // nothing there -> 404 recordset_not_found unless missing_ok
};

struct EditOp {
    EditOpKind kind = EditOpKind::ReplaceSet;
    EditTarget target;
    // Values as presentation text; canonicalised (core::canonical_rdata).
    // CreateSet/ReplaceSet: the whole set (nullopt in ReplaceSet: unchanged).
    std::optional<std::vector<std::string>> records;
    // outer nullopt: unchanged (CreateSet: the zone's TTL); inner nullopt:
    // reset to the zone's TTL.
    std::optional<std::optional<std::int64_t>> ttl;
    std::optional<std::string> description;
    // Opaque metadata kept with the set (core::RecordSet::provider_meta);
    // nullopt: unchanged (CreateSet: empty). Set like `description`.
    std::optional<std::string> provider_meta;
    // DeleteSet, RemoveValues, DeleteName: an absent set / name / member is no error.
    bool missing_ok = false;
    // RemoveValues / ReplaceValue: one member of the set by its core::Record id.
    std::string record_id;
    // AddValues: `ttl` and `description` apply only when a value is added; when
    // every value is already present the operation changes nothing (Lexicon create).
    bool only_if_added = false;
    // ReplaceSet: when the set already holds exactly `records` (as a set of
    // values) with the given ttl/description/provider_meta, the operation
    // changes nothing (no version or serial bump; RFC 2136 replacing a CNAME
    // with itself).
    bool only_if_changed = false;
};

enum class PrerequisiteKind {
    NameExists,   // some set exists at target.name   else 412 prerequisite_name_absent
    NameAbsent,   // no set at target.name            else 412 prerequisite_name_exists
    SetExists,    // the set exists                   else 412 prerequisite_set_absent
    SetAbsent,    // the set does not exist           else 412 prerequisite_set_exists
    SetEquals,    // the set holds exactly `values`   else 412 prerequisite_set_differs
    ZoneVersion,  // the zone's version == version    else 412 precondition_failed
    SetVersion,   // the set's version == version     else 412 precondition_failed
                  // (an absent set: 404 recordset_not_found, as Designate's If-Match)
};

// Checked against the state before the edit's first operation, in order.
struct Prerequisite {
    PrerequisiteKind kind = PrerequisiteKind::SetExists;
    EditTarget target;                // ZoneVersion: zone_id, or a name inside the zone
    std::vector<std::string> values;  // SetEquals: compared as a set, canonicalised
    std::int64_t version = 0;         // ZoneVersion / SetVersion
};

// The SOA a zone transfer brought from a SECONDARY zone's master. An edit
// carrying it is that zone's transfer: the zone takes this serial (not ours
// + 1), SOA timers, MNAME/RNAME and the SOA TTL as its TTL, and
// transferred_at; a change of the SOA alone is a change too. A SECONDARY
// zone accepts no other edit (400 bad_request); only the DNS side's
// refresher builds these (dns/server/xfr_changes.h), never an API.
struct TransferredSoa {
    std::string zone_id;
    std::string mname;  // canonical
    std::string rname;  // canonical
    std::uint32_t serial = 0;
    std::uint32_t refresh = 0;
    std::uint32_t retry = 0;
    std::uint32_t expire = 0;
    std::uint32_t minimum = 0;
    std::uint32_t ttl = 0;
};

struct ZoneEdit {
    std::vector<Prerequisite> prerequisites;
    std::vector<EditOp> operations;
    std::optional<TransferredSoa> transfer;
    // Whether EditResult::operations is filled. Bulk doors that answer
    // without the sets (webhook, import, UPDATE, transfers) turn it off: two
    // copies of every touched set were a tenth of a 100,000-set import.
    bool want_operation_results = true;
};

// What one operation left behind once the whole edit was applied.
struct EditOpResult {
    std::optional<core::RecordSet> set;       // its set after the edit (none: deleted/absent)
    std::optional<core::RecordSet> previous;  // its set before the edit (none: created)
};

struct EditResult {
    std::vector<EditOpResult> operations;   // one per operation, in order (if wanted)
    std::vector<core::Zone> zones;          // every touched zone, after the change
    std::vector<core::ZoneChange> changes;  // one per changed zone, as published
};

// Error types of failed prerequisites (ErrorKind::PreconditionFailed).
inline constexpr const char* kPrerequisiteNameExists = "prerequisite_name_exists";
inline constexpr const char* kPrerequisiteNameAbsent = "prerequisite_name_absent";
inline constexpr const char* kPrerequisiteSetExists = "prerequisite_set_exists";
inline constexpr const char* kPrerequisiteSetAbsent = "prerequisite_set_absent";
inline constexpr const char* kPrerequisiteSetDiffers = "prerequisite_set_differs";

// Errors of an edit carry core::Error::operation(): the index of the failed
// operation, or of the prerequisite counted after the operations
// (operations.size() + i), so callers can tell them apart.

}  // namespace dnsplane::service
