// The catalog zone (RFC 9432, schema version 2): one zone listing every zone
// of the pool, so that standard secondaries (Knot `catalog-role: interpret`,
// BIND `catalog-zones`) provision themselves from it by zone transfer.
//
// It is an ordinary stored zone, owned by an internal project nobody else
// can act for, so AXFR, IXFR (from its change log), NOTIFY and the DNS
// snapshot need nothing of their own. Membership changes are written in the
// transaction of the zone's creation or deletion (ZoneService calls
// add_member / remove_member there), so the catalog and the zone set can
// never disagree in a committed state.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/model.h"
#include "store/store.h"

namespace dnsplane::service {

// The project that owns the catalog zone. Not a tenant: no token or
// identity maps to it.
inline constexpr const char* kCatalogProject = "dnsplane-catalog";

// Member owner names under `zones.<catalog>`: the zone's id without its
// hyphens (32 hex digits). Stable for the zone's life, unique, and never
// reused for another zone, as RFC 9432 4.1 asks.
std::string catalog_member_label(const core::Zone& member);

class CatalogZone {
  public:
    // `name`: the catalog zone's name (any form core::canonical_name takes).
    CatalogZone(std::string name, core::Pool pool);

    const std::string& name() const { return name_; }
    std::string member_owner(const core::Zone& member) const;

    // Inside a write transaction: the catalog's change adding/removing
    // `member`, with its serial advanced; nullopt when there is nothing to do
    // (the member is the catalog itself, already listed / not listed).
    std::optional<core::ZoneChange> add_member(store::WriteTxn& txn, const core::Zone& member,
                                               const std::string& now);
    std::optional<core::ZoneChange> remove_member(store::WriteTxn& txn, const core::Zone& member,
                                                  const std::string& now);

    // Start-up, inside a write transaction: creates the catalog zone (SOA,
    // NS "invalid.", version TXT "2") when it does not exist, then lists
    // every zone not yet listed and drops members whose zone is gone (zones
    // created before the catalog was configured). Returns the changes to
    // publish (none when already in step). Throws core::Error(Conflict) when
    // another project owns a zone of that name.
    std::vector<core::ZoneChange> reconcile(store::WriteTxn& txn, const std::string& now);

  private:
    core::Zone load(store::WriteTxn& txn) const;
    core::ZoneChange finish(store::WriteTxn& txn, core::Zone& catalog, const std::string& now,
                            std::vector<core::ResourceRecord> removed,
                            std::vector<core::ResourceRecord> added) const;

    std::string name_;
    core::Pool pool_;
};

// What reconcile() changes, as a pure function of the zone set and the
// current member owners (desired x current -> changes): owners to add (with
// their zone name) and owners to remove.
struct CatalogDiff {
    std::vector<std::pair<std::string, std::string>> add;  // owner, member zone name
    std::vector<std::string> remove;                       // owner
};
CatalogDiff catalog_diff(const std::string& catalog_name, const std::vector<core::Zone>& zones,
                         const std::vector<std::pair<std::string, std::string>>& current_members);

}  // namespace dnsplane::service
