#include "service/propagation.h"

#include "service/soa.h"

namespace dnsplane::service {

namespace {

// `serial` is at or past `wanted` in RFC 1982 sequence space.
bool reached(std::uint32_t serial, std::uint32_t wanted) {
    return !serial_before(serial, wanted);
}

}  // namespace

void Propagation::ignore_zone(const std::string& zone_name) {
    std::lock_guard lock(mutex_);
    ignored_zone_ = zone_name;
}

bool Propagation::wants_poll(const core::ZoneChange& change) const {
    if (!enabled_ || change.zone_deleted) return false;
    std::lock_guard lock(mutex_);
    return change.zone_name != ignored_zone_;
}

void Propagation::on_commit(const core::ZoneChange& change) {
    if (!enabled_) return;
    std::lock_guard lock(mutex_);
    if (change.zone_name == ignored_zone_) return;
    if (change.zone_deleted) {
        zones_.erase(change.zone_id);
        return;
    }
    ZoneState& st = zones_[change.zone_id];
    st.serial = change.new_serial;
    st.failed = false;  // a new change is pending again, as in Designate
    st.created = st.created || change.zone_created;
    for (const auto* rrs : {&change.added, &change.removed})
        for (const auto& rr : *rrs) st.sets[{rr.name, rr.type}] = change.new_serial;
}

void Propagation::confirmed(const std::string& zone_id, std::uint32_t serial) {
    std::lock_guard lock(mutex_);
    auto it = zones_.find(zone_id);
    if (it == zones_.end()) return;
    ZoneState& st = it->second;
    if (reached(serial, st.serial)) {
        zones_.erase(it);
        return;
    }
    // A later change is still on its way; what this serial carried is done.
    st.created = false;
    for (auto s = st.sets.begin(); s != st.sets.end();)
        s = reached(serial, s->second) ? st.sets.erase(s) : std::next(s);
}

void Propagation::failed(const std::string& zone_id, std::uint32_t serial) {
    std::lock_guard lock(mutex_);
    auto it = zones_.find(zone_id);
    // Only the newest serial's poll decides: an older one's is superseded.
    if (it != zones_.end() && it->second.serial == serial) it->second.failed = true;
}

void Propagation::show(core::Zone& zone) const {
    if (!enabled_) return;
    std::lock_guard lock(mutex_);
    auto it = zones_.find(zone.id);
    if (it == zones_.end()) return;
    zone.status = it->second.failed ? "ERROR" : "PENDING";
    zone.action = it->second.created ? "CREATE" : "UPDATE";
}

void Propagation::show(core::RecordSet& set) const {
    if (!enabled_) return;
    std::lock_guard lock(mutex_);
    auto it = zones_.find(set.zone_id);
    if (it == zones_.end()) return;
    const ZoneState& st = it->second;
    // The SOA changes with every serial; a new zone's sets all came with it.
    const bool pending = st.created || (set.type == "SOA" && set.name == set.zone_name) ||
                         st.sets.count({set.name, set.type}) != 0;
    if (!pending) return;
    set.status = st.failed ? "ERROR" : "PENDING";
    set.action = set.updated_at ? "UPDATE" : "CREATE";
}

std::size_t Propagation::zones_tracked() const {
    std::lock_guard lock(mutex_);
    return zones_.size();
}

}  // namespace dnsplane::service
