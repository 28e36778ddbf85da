// Internal to the service: a change set run inside a write transaction that
// is already open (ZoneService::apply and the zone import, which creates the
// zone and its record sets in one transaction). Not for API code.
#pragma once

#include "service/caller.h"
#include "service/settings.h"
#include "service/zone_edit.h"
#include "store/store.h"

namespace dnsplane::service {

// Checks, runs and writes `edit` in `txn` (pure input checks included);
// errors carry core::Error::operation() as ZoneService::apply's do. With
// `log_changes` false the ZoneChanges are returned but not appended to the
// change log (the caller merges and appends them).
EditResult apply_edit_in(store::WriteTxn& txn, const Caller& c, const ServiceSettings& s,
                         const ZoneEdit& edit, bool log_changes);

}  // namespace dnsplane::service
