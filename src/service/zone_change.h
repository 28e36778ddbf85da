// Builds the core::ZoneChange of one commit from the record sets as they were
// before and after it (SOA excluded: the serials imply it).
#pragma once

#include <cstdint>
#include <vector>

#include "core/model.h"

namespace dnsplane::service {

// The wire view of a record set: one ResourceRecord per value, with the
// effective TTL (the set's own, or the zone's when null). SOA gives none.
std::vector<core::ResourceRecord> resource_records(const core::RecordSet& rs,
                                                   std::uint32_t zone_ttl);

// Same, for many record sets.
std::vector<core::ResourceRecord> resource_records(const std::vector<core::RecordSet>& sets,
                                                   std::uint32_t zone_ttl);

// An empty change of `zone` stamped with the commit time; serials as given.
core::ZoneChange begin_change(const core::Zone& zone, std::uint32_t old_serial,
                              std::uint32_t new_serial);

// Fills change.removed / change.added with what differs (a TTL change shows
// as the old record removed and the new one added). Order follows the input.
void add_difference(core::ZoneChange& change, const std::vector<core::ResourceRecord>& before,
                    const std::vector<core::ResourceRecord>& after);

// The same for one record set's edit (`before` / `after` null: created /
// deleted). Values both sides share are neither copied nor hashed one by one
// when they keep their order around the change (a value appended, removed or
// replaced in a big set), so one value's edit costs O(changed values) work
// beyond one comparison pass.
void add_set_difference(core::ZoneChange& change, const core::RecordSet* before,
                        const core::RecordSet* after, std::uint32_t zone_ttl);

// Folds `next` (a change that followed `into`, of the same zone) into
// `into`, so that `into` alone leads from the state before it to the state
// after `next`: removed = what was there before and is gone after, added =
// what was not there before and is there after (a record added by one and
// removed by the other cancels out). Both must be exact differences (removed
// records existed, added ones did not), as add_difference makes them. Order:
// `into`'s records first, then `next`'s. Serials, zone row and SOA are
// taken from `next`; `old_serial` stays.
void compose_changes(core::ZoneChange& into, const core::ZoneChange& next);

}  // namespace dnsplane::service
