// Zone catalog: an immutable map (zone wire name -> snapshot) published
// through an atomic shared_ptr. Writers copy the map, change one entry and
// publish the copy (copy-on-write, serialised by a mutex). Readers on the
// query path keep a thread-local reference to the map version they last read
// and only re-read the atomic pointer when the generation counter moved, so
// steady-state queries touch no shared reference count.
#include "dns/zone_catalog.h"

#include <spdlog/spdlog.h>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <unordered_map>
#include <vector>

#include "dns/wire.h"

namespace dnsplane::dns {

namespace {

struct NameHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept {
        return std::hash<std::string_view>{}(s);
    }
};

struct ZoneMap {
    std::unordered_map<std::string, ZoneSnapshotPtr, NameHash, std::equal_to<>> by_name;
    std::size_t max_labels = 0;  // deepest zone: bounds the suffix walk
};
using ZoneMapPtr = std::shared_ptr<const ZoneMap>;

std::atomic<std::uint64_t> next_catalog_id{1};

// Longest zone at or above `lower_wire` (lower-case wire name).
const ZoneSnapshotPtr* find_in(const ZoneMap& map, const std::uint8_t* lower_wire) {
    if (map.by_name.empty()) return nullptr;
    const knot_dname_t* p = lower_wire;
    std::size_t labels = knot_dname_labels(p, nullptr);
    // Skip labels that no zone can be that deep.
    while (labels > map.max_labels) {
        p = knot_wire_next_label(p, nullptr);
        --labels;
    }
    while (true) {
        auto it = map.by_name.find(wire::name_bytes(p));
        if (it != map.by_name.end()) return &it->second;
        if (*p == 0) return nullptr;
        p = knot_wire_next_label(p, nullptr);
    }
}

bool servable(const core::Zone& z) {
    return z.status != "DELETED" && z.status != "ERROR";
}

}  // namespace

struct ZoneCatalog::Impl {
    store::Store* store = nullptr;
    const std::uint64_t id = next_catalog_id.fetch_add(1);
    std::mutex write_mutex;
    std::atomic<std::shared_ptr<const ZoneMap>> current{std::make_shared<const ZoneMap>()};
    std::atomic<std::uint64_t> generation{1};
    std::atomic<std::uint64_t> patched{0};
    std::atomic<std::uint64_t> rebuilt{0};
    // Zones answered SERVFAIL (set_serving; wire names), under write_mutex.
    std::set<std::string> unserved;

    ZoneMapPtr load() const { return current.load(std::memory_order_acquire); }

    // Caller holds write_mutex.
    void publish_map(std::shared_ptr<ZoneMap> map) {
        map->max_labels = 0;
        for (auto& [name, snap] : map->by_name) {
            snap->set_unserved(unserved.contains(name));
            map->max_labels =
                std::max(map->max_labels, knot_dname_labels(snap->apex_name(), nullptr));
        }
        current.store(std::move(map), std::memory_order_release);
        generation.fetch_add(1, std::memory_order_release);
    }

    // `only_if_newer`: commits may report out of order (two writers finishing
    // their ChangeSink calls in the other order); never replace a version of
    // the same zone by an older one (RFC 1982 serial comparison).
    // `predecessor`: the serial the change started from; a snapshot that
    // directly follows the published one is always taken (a SECONDARY
    // zone's first transfer may jump to a master serial "before" ours).
    void put(ZoneSnapshotPtr snap, bool only_if_newer = false,
             std::optional<std::uint32_t> predecessor = std::nullopt) {
        std::lock_guard lock(write_mutex);
        auto old = load();
        std::string key(wire::name_bytes(snap->apex_name()));
        if (only_if_newer) {
            auto it = old->by_name.find(key);
            if (it != old->by_name.end() && it->second->zone_id() == snap->zone_id() &&
                it->second->serial() != predecessor &&
                static_cast<std::int32_t>(snap->serial() - it->second->serial()) < 0) {
                return;
            }
        }
        auto map = std::make_shared<ZoneMap>(*old);
        map->by_name[key] = std::move(snap);
        publish_map(std::move(map));
    }

    void erase(const std::string& wire_name) {
        std::lock_guard lock(write_mutex);
        auto old = load();
        if (!old->by_name.contains(wire_name)) return;
        auto map = std::make_shared<ZoneMap>(*old);
        map->by_name.erase(wire_name);
        publish_map(std::move(map));
    }
};

ZoneCatalog::ZoneCatalog(store::Store& store) : impl_(std::make_unique<Impl>()) {
    impl_->store = &store;
}

ZoneCatalog::ZoneCatalog() : impl_(std::make_unique<Impl>()) {}

ZoneCatalog::~ZoneCatalog() = default;

void ZoneCatalog::load_all() {
    if (!impl_->store) return;
    auto started = std::chrono::steady_clock::now();
    std::vector<core::Zone> zones;
    for (core::Zone& zone : impl_->store->read()->all_zones())
        if (servable(zone)) zones.push_back(std::move(zone));

    // Zones are independent: several threads read and build them (each with
    // its own read transaction; start-up runs before the API takes writes),
    // which is most of the start-up time of a big store.
    std::vector<ZoneSnapshotPtr> built(zones.size());
    std::atomic<std::size_t> next{0};
    auto worker = [&] {
        auto txn = impl_->store->read();
        for (std::size_t i; (i = next.fetch_add(1)) < zones.size();) {
            try {
                built[i] = build_snapshot(zones[i], txn->zone_recordsets(zones[i].id));
            } catch (const std::exception& e) {
                spdlog::error("dns: cannot load zone {}: {}", zones[i].name, e.what());
            }
        }
    };
    const std::size_t threads =
        std::min<std::size_t>(zones.size(), std::max(1u, std::thread::hardware_concurrency()));
    std::vector<std::thread> pool;
    for (std::size_t t = 1; t < threads; ++t) pool.emplace_back(worker);
    worker();
    for (auto& t : pool) t.join();

    auto map = std::make_shared<ZoneMap>();
    std::size_t records = 0;
    for (auto& snap : built) {
        if (!snap) continue;
        records += snap->record_count();
        map->by_name[std::string(wire::name_bytes(snap->apex_name()))] = std::move(snap);
    }
    std::size_t zone_count = map->by_name.size();
    {
        std::lock_guard lock(impl_->write_mutex);
        impl_->publish_map(std::move(map));
    }
#if defined(__GLIBC__)
    // The store rows read for the build are gone: hand their pages back, so
    // that the resident size is what the snapshots hold.
    malloc_trim(0);
#endif
    auto ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started);
    spdlog::info("dns: loaded {} zones ({} records) in {:.1f} ms", zone_count, records, ms.count());
}

namespace {

// The record sets a zone_created change announces, plus the SOA it carries.
std::vector<core::RecordSet> sets_from_change(const core::ZoneChange& change,
                                              const core::RecordSet* soa) {
    std::map<std::pair<std::string, std::string>, core::RecordSet> sets;
    for (const core::ResourceRecord& rr : change.added) {
        core::RecordSet& rs = sets[{rr.name, rr.type}];
        rs.name = rr.name;
        rs.type = rr.type;
        rs.ttl = rr.ttl;
        rs.records.push_back(core::Record{{}, rr.data});
    }
    std::vector<core::RecordSet> out;
    out.reserve(sets.size() + 1);
    for (auto& [key, rs] : sets) out.push_back(std::move(rs));
    if (soa) out.push_back(*soa);
    return out;
}

}  // namespace

void ZoneCatalog::on_commit(const core::ZoneChange& change) {
    if (change.zone_deleted) {
        remove(change.zone_name);
        return;
    }
    // Preferred: everything from the change itself (zone row and SOA as this
    // change left them). Within a group commit the store is already ahead of
    // an earlier change, so the store is only read when the change lacks
    // them (older callers) or cannot be applied (then the store's current
    // state is built; a later change of the batch brings the zone forward).
    if (change.zone) {
        const core::Zone& zone = *change.zone;
        if (!servable(zone)) {
            remove(zone.name);
            return;
        }
        std::optional<core::RecordSet> soa;
        if (!change.soa_data.empty()) {
            soa.emplace();
            soa->name = zone.name;
            soa->type = "SOA";
            soa->records.push_back(core::Record{{}, change.soa_data});
        }
        ZoneSnapshotPtr snap;
        if (change.zone_created) {
            snap = build_snapshot(zone, sets_from_change(change, soa ? &*soa : nullptr));
        } else if (ZoneSnapshotPtr base = get(zone.name)) {
            // A zone TTL change re-announces every record it affects.
            snap = patch_snapshot(*base, zone, soa ? &*soa : nullptr, change,
                                  /*ttl_change_announced=*/true);
        }
        if (snap) {
            if (!change.zone_created) impl_->patched.fetch_add(1, std::memory_order_relaxed);
            impl_->put(std::move(snap), /*only_if_newer=*/true, change.old_serial);
            return;
        }
    }
    if (spdlog::should_log(spdlog::level::debug)) {
        auto published = get(change.zone_name);
        spdlog::debug(
            "dns: zone {}: change {} -> {} does not apply to the published version ({}); "
            "reading the store",
            change.zone_name, change.old_serial, change.new_serial,
            published ? std::to_string(published->serial()) : "none");
    }
    if (!impl_->store) return;
    auto txn = impl_->store->read();
    auto zone = txn->get_zone(change.zone_id);
    if (!zone || !servable(*zone)) {
        remove(change.zone_name);
        return;
    }
    // Patch the published snapshot with the change (no full read of the
    // zone); any doubt (serial gap, TTL change, new zone) rebuilds from one
    // read transaction. See src/dns/README.md for timings.
    // The store may already be past this change (another node's commits
    // followed later, or a later change of this batch): patching the base
    // with this change alone while taking the store's newer serial would
    // publish a version missing the changes in between, so only patch when
    // the store stands exactly where this change left the zone.
    ZoneSnapshotPtr snap;
    ZoneSnapshotPtr base = zone->serial == change.new_serial ? get(zone->name) : nullptr;
    if (base) {
        auto soa = txn->find_recordset(zone->id, zone->name, "SOA");
        snap = patch_snapshot(*base, *zone, soa ? &*soa : nullptr, change);
    }
    if (snap) {
        impl_->patched.fetch_add(1, std::memory_order_relaxed);
    } else {
        snap = build_snapshot(*zone, txn->zone_recordsets(zone->id));
        impl_->rebuilt.fetch_add(1, std::memory_order_relaxed);
    }
    impl_->put(std::move(snap), /*only_if_newer=*/true);
}

void ZoneCatalog::publish(ZoneSnapshotPtr snapshot) {
    if (snapshot) impl_->put(std::move(snapshot));
}

void ZoneCatalog::remove(std::string_view canonical_zone_name) {
    auto name = wire::name_to_wire(canonical_zone_name);
    if (name) impl_->erase(*name);
}

void ZoneCatalog::set_serving(std::string_view canonical_zone_name, bool serving) {
    auto name = wire::name_to_wire(canonical_zone_name);
    if (!name) return;
    std::lock_guard lock(impl_->write_mutex);
    if (serving)
        impl_->unserved.erase(*name);
    else
        impl_->unserved.insert(*name);
    auto map = impl_->load();
    if (auto it = map->by_name.find(*name); it != map->by_name.end())
        it->second->set_unserved(!serving);
}

ZoneSnapshotPtr ZoneCatalog::find(std::string_view canonical_qname) const {
    auto name = wire::name_to_wire(canonical_qname);
    if (!name) return nullptr;
    return find_wire(reinterpret_cast<const std::uint8_t*>(name->data()));
}

ZoneSnapshotPtr ZoneCatalog::find_wire(const std::uint8_t* wire_qname) const {
    knot_dname_storage_t lower;
    knot_dname_copy_lower(lower, wire_qname);
    auto map = impl_->load();
    const ZoneSnapshotPtr* hit = find_in(*map, lower);
    return hit ? *hit : nullptr;
}

ZoneSnapshotPtr ZoneCatalog::get(std::string_view canonical_zone_name) const {
    auto name = wire::name_to_wire(canonical_zone_name);
    if (!name) return nullptr;
    auto map = impl_->load();
    auto it = map->by_name.find(*name);
    return it == map->by_name.end() ? nullptr : it->second;
}

std::vector<ZoneSnapshotPtr> ZoneCatalog::all() const {
    auto map = impl_->load();
    std::vector<ZoneSnapshotPtr> out;
    out.reserve(map->by_name.size());
    for (auto& [name, snap] : map->by_name) out.push_back(snap);
    return out;
}

std::size_t ZoneCatalog::zone_count() const {
    return impl_->load()->by_name.size();
}

ZoneCatalog::UpdateCounts ZoneCatalog::update_counts() const {
    return {impl_->patched.load(std::memory_order_relaxed),
            impl_->rebuilt.load(std::memory_order_relaxed)};
}

std::uint64_t ZoneCatalog::generation() const {
    return impl_->generation.load(std::memory_order_acquire);
}

const ZoneSnapshot* ZoneCatalog::find_fast(const std::uint8_t* lower_wire_qname) const {
    // One cached map per thread; refreshed when this catalog published a new
    // version or a different catalog is asked (tests use several).
    struct Cache {
        std::uint64_t catalog_id = 0;
        std::uint64_t generation = 0;
        ZoneMapPtr map;
    };
    thread_local Cache cache;
    std::uint64_t gen = impl_->generation.load(std::memory_order_acquire);
    if (cache.catalog_id != impl_->id || cache.generation != gen || !cache.map) {
        cache.map = impl_->load();
        cache.catalog_id = impl_->id;
        cache.generation = gen;
    }
    const ZoneSnapshotPtr* hit = find_in(*cache.map, lower_wire_qname);
    return hit ? hit->get() : nullptr;
}

}  // namespace dnsplane::dns
