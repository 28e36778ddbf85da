// The serving side's view of every zone: immutable snapshots, one per zone,
// swapped atomically when a write commits (readers never lock, never see a
// mix of old and new, never read the database on the query path).
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <string_view>

#include "dns/zone_snapshot.h"
#include "service/change_sink.h"
#include "store/store.h"

namespace dnsplane::dns {

class ZoneCatalog : public service::ChangeSink {
public:
    explicit ZoneCatalog(store::Store& store);
    ~ZoneCatalog() override;

    // Builds a snapshot of every zone in the store (start-up).
    void load_all();

    // ChangeSink: rebuilds/patches the changed zone and publishes the new
    // snapshot before returning (so the API's 2xx implies the DNS answer).
    void on_commit(const core::ZoneChange& change) override;

    // The zone with the longest name that is equal to or above `qname`
    // (canonical lower-case text or wire-format name), or null.
    std::shared_ptr<const ZoneSnapshot> find(std::string_view canonical_qname) const;
    std::shared_ptr<const ZoneSnapshot> find_wire(const std::uint8_t* wire_qname) const;
    std::shared_ptr<const ZoneSnapshot> get(std::string_view canonical_zone_name) const;
    std::size_t zone_count() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace dnsplane::dns
