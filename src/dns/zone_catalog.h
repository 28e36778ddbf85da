// The serving side's view of every zone: immutable snapshots, one per zone,
// swapped atomically when a write commits (readers never lock, never see a
// mix of old and new, never read the database on the query path).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "dns/zone_snapshot.h"
#include "service/change_sink.h"
#include "store/store.h"

namespace dnsplane::dns {

class ZoneCatalog : public service::ChangeSink {
  public:
    // A catalog fed by the store (load_all at start-up, on_commit after writes).
    explicit ZoneCatalog(store::Store& store);
    // A store-less catalog, filled with publish() (unit tests, fuzzing).
    ZoneCatalog();
    ~ZoneCatalog() override;
    ZoneCatalog(const ZoneCatalog&) = delete;
    ZoneCatalog& operator=(const ZoneCatalog&) = delete;

    // Builds a snapshot of every ACTIVE zone in the store (start-up) and
    // publishes them all at once.
    void load_all();

    // ChangeSink: rebuilds the changed zone from one read transaction and
    // publishes the new snapshot before returning (so the API's 2xx implies
    // the DNS answer). zone_deleted removes it; zone_created adds it.
    void on_commit(const core::ZoneChange& change) override;

    // Adds or replaces the zone (by name) / removes it. Writers serialise on
    // a mutex; readers are unaffected.
    void publish(ZoneSnapshotPtr snapshot);
    void remove(std::string_view canonical_zone_name);

    // A zone not served answers SERVFAIL (snapshot->unserved()): a SECONDARY
    // zone before its first transfer or past its SOA expire (issue 16). The
    // mark is by name and outlives publications of the zone.
    void set_serving(std::string_view canonical_zone_name, bool serving);

    // The zone with the longest name that is equal to or above `qname`
    // (canonical text, any case, or wire-format name), or null.
    ZoneSnapshotPtr find(std::string_view canonical_qname) const;
    ZoneSnapshotPtr find_wire(const std::uint8_t* wire_qname) const;
    ZoneSnapshotPtr get(std::string_view canonical_zone_name) const;
    std::vector<ZoneSnapshotPtr> all() const;
    std::size_t zone_count() const;

    // Query-path variant of find_wire() for a lower-case wire name: no
    // reference counting. The pointer stays valid until this thread's next
    // call of find_fast() (the thread keeps the catalog version it read).
    const ZoneSnapshot* find_fast(const std::uint8_t* lower_wire_qname) const;

    // Bumped on every publish/remove (tests, metrics).
    std::uint64_t generation() const;

    // How on_commit brought zones up to date: patched from the change alone,
    // or rebuilt from a full read of the zone (a change that could not be
    // applied to the published version, e.g. one heard out of turn).
    struct UpdateCounts {
        std::uint64_t patched = 0;
        std::uint64_t rebuilt = 0;
    };
    UpdateCounts update_counts() const;

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace dnsplane::dns
