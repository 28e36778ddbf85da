// The one place where the final state of a record set written by a change
// set is validated (after every operation of the edit ran), before anything
// is written. Checks that look at one set alone belong here; rules across
// sets (CNAME exclusivity, quotas) live in edit_apply.cpp.
#pragma once

#include <vector>

#include "core/model.h"
#include "service/settings.h"
#include "store/store.h"

namespace dnsplane::service {

// `rs` is the set as the edit leaves it (non-empty); `is_new` when the edit
// creates it (it did not exist before, or was deleted and created again).
// `children`: the zones strictly below `zone` (any project; child_zones()),
// read once per zone of an edit rather than once per new set.
// Throws core::Error: owner rules for the type (CNAME at the apex, NS at a
// wildcard, SRV shape), child-zone placement (new sets), at most one CNAME
// value, the records-per-set quota (413 over_quota), and that the set fits in
// one DNS message (servable.h).
// `quotas` are the zone's project's (ZoneService::project_quotas); `children`
// the zones strictly below `zone` (read only for new sets).
void validate_final_set(const std::vector<core::Zone>& children, const Quotas& quotas,
                        const core::Zone& zone, const core::RecordSet& rs, bool is_new);

// The zones strictly below `zone`, any project (for validate_final_set).
std::vector<core::Zone> child_zones(store::ReadTxn& txn, const core::Zone& zone);

}  // namespace dnsplane::service
