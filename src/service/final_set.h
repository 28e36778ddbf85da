// The one place where the final state of a record set written by a change
// set is validated (after every operation of the edit ran), before anything
// is written. Checks that look at one set alone belong here; rules across
// sets (CNAME exclusivity, quotas) live in edit_apply.cpp.
#pragma once

#include "core/model.h"
#include "service/settings.h"
#include "store/store.h"

namespace dnsplane::service {

// `rs` is the set as the edit leaves it (non-empty); `is_new` when the edit
// creates it (it did not exist before, or was deleted and created again).
// Throws core::Error: owner rules for the type (CNAME at the apex, NS at a
// wildcard, SRV shape), child-zone placement (new sets), at most one CNAME
// value, the records-per-set quota (413 over_quota), and that the set fits in
// one DNS message (servable.h).
// `quotas` are the zone's project's (ZoneService::project_quotas).
void validate_final_set(store::ReadTxn& txn, const Quotas& quotas, const core::Zone& zone,
                        const core::RecordSet& rs, bool is_new);

}  // namespace dnsplane::service
