// What Designate's `status` / `action` fields report: whether a change has
// reached the pool's polled nameservers yet (Designate's worker polls the
// pool's nameservers for the zone's serial before it marks a change ACTIVE).
//
// With no polled nameservers dnsplane's own server is the only one, and it
// serves every change before the API answers: everything is ACTIVE / NONE.
// With some (the `pool_poll_nameservers` setting), each committed change of a
// zone leaves the zone, and the record sets the change touched, PENDING until
// the poller (dns/server/serial_poll.h) reports that every polled nameserver
// serves the change's serial or a later one; ERROR when it gave up.
//
// Kept in memory: a restarted node shows ACTIVE for changes made before it
// started (it polls only what it commits or follows afterwards). No I/O here.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

#include "core/model.h"
#include "service/change_sink.h"

namespace dnsplane::service {

class Propagation : public ChangeSink {
  public:
    // `enabled`: the pool has polled nameservers. Disabled, every call is a
    // no-op and nothing is ever PENDING.
    explicit Propagation(bool enabled) : enabled_(enabled) {}

    // Called for every committed change, before the API answers (a sink).
    void on_commit(const core::ZoneChange& change) override;
    // The catalog zone (issue 14) is interpreted, not served, by secondaries:
    // its changes are never pending. Set before serving.
    void ignore_zone(const std::string& zone_name);
    // Whether the poller should confirm this change (enabled, not ignored,
    // not a deletion).
    bool wants_poll(const core::ZoneChange& change) const;

    // Every polled nameserver serves `serial` of the zone (or a later one).
    void confirmed(const std::string& zone_id, std::uint32_t serial);
    // The poller gave up on `serial`: the zone and what is pending in it
    // show ERROR until a later serial is confirmed.
    void failed(const std::string& zone_id, std::uint32_t serial);

    // Overlay the propagation state on a zone / record set read from the
    // store (status and action), in place.
    void show(core::Zone& zone) const;
    void show(core::RecordSet& set) const;

    // Zones with something pending or failed (tests, metrics).
    std::size_t zones_tracked() const;

  private:
    struct ZoneState {
        std::uint32_t serial = 0;  // the newest committed serial not yet confirmed
        bool created = false;      // the zone itself was created in this window
        bool failed = false;
        // (owner, type) -> serial of the set's last change still unconfirmed.
        std::map<std::pair<std::string, std::string>, std::uint32_t> sets;
    };
    const bool enabled_;
    mutable std::mutex mutex_;
    std::map<std::string, ZoneState> zones_;  // zone id -> state
    std::string ignored_zone_;
};

}  // namespace dnsplane::service
