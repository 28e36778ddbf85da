// ZoneService: construction, change publication, zones and pools. Record set
// operations live in recordset_service.cpp.
#include "service/zone_service.h"

#include <exception>
#include <optional>
#include <vector>

#include "common/util.h"
#include "core/error.h"
#include "core/name.h"
#include "service/soa.h"
#include "service/tenancy.h"
#include "service/validation.h"
#include "service/zone_change.h"

namespace dnsplane::service {

namespace {

// 409 / 403 checks of a new zone's name against the zones already stored;
// `related` are the zones equal to, above or below it (txn.related_zones).
void check_zone_placement(store::WriteTxn& txn, const std::vector<core::Zone>& related,
                          const std::string& name, const std::string& project_id,
                          bool allow_cross_project) {
    if (txn.find_zone_by_name(name))
        throw core::Error(core::ErrorKind::Conflict, "duplicate_zone",
                          "Zone '" + name + "' already exists");
    if (allow_cross_project) return;
    for (const auto& other : related) {
        if (other.project_id == project_id || other.name == name) continue;
        // The other project's zone is neither named nor described: the
        // caller learns only that this name is not available to it.
        if (core::is_subdomain(name, other.name))
            throw core::Error(core::ErrorKind::Forbidden, "illegal_child",
                              "Zone '" + name + "' cannot be created in this project");
        if (core::is_subdomain(other.name, name))
            throw core::Error(core::ErrorKind::Forbidden, "illegal_parent",
                              "Zone '" + name + "' cannot be created in this project");
    }
}

// Record sets of the enclosing zone (same project) whose names now lie in the
// new zone `child`: they move into it, as Designate does, so that the API and
// DNS agree on who answers for them. The delegation NS and DS at the new
// apex stay in the parent, where they belong; a CNAME there cannot move to an
// apex (RFC 1034 3.6.2), so the zone is refused instead.
struct ParentMove {
    core::Zone parent;
    std::vector<core::RecordSet> sets;
};

std::optional<ParentMove> sets_moving_into(store::WriteTxn& txn,
                                           const std::vector<core::Zone>& related,
                                           const core::Zone& child) {
    std::optional<core::Zone> parent;
    for (const auto& z : related) {
        bool encloses = z.name != child.name && core::is_subdomain(child.name, z.name);
        if (encloses && z.project_id == child.project_id &&
            (!parent || z.name.size() > parent->name.size()))
            parent = z;
    }
    if (!parent) return std::nullopt;
    ParentMove move{*parent, {}};
    for (auto& rs : txn.zone_recordsets(parent->id)) {
        if (!core::is_subdomain(rs.name, child.name)) continue;
        if (rs.name == child.name && (rs.type == "NS" || rs.type == "DS")) continue;
        if (rs.name == child.name && rs.type == "CNAME")
            throw core::invalid("Zone '" + child.name + "' cannot be created: zone '" +
                                    parent->name + "' holds a CNAME at that name",
                                {"name"});
        move.sets.push_back(std::move(rs));
    }
    if (move.sets.empty()) return std::nullopt;
    return move;
}

}  // namespace

ZoneService::ZoneService(store::Store& store, ServiceSettings settings)
    : store_(store),
      settings_(std::move(settings)),
      committer_(store_, sinks_),
      tsig_keys_(std::make_unique<TsigKeys>(store_, settings_)) {}

void ZoneService::add_sink(ChangeSink* sink) {
    sinks_.push_back(sink);
}

namespace {
// Fills what sinks need to know of the zone without reading the store.
core::ZoneChange& with_zone(core::ZoneChange& change, const core::Zone& zone,
                            const core::Pool& pool) {
    change.zone = zone;
    change.soa_data = soa_rdata(zone, pool);
    return change;
}
}  // namespace

core::Zone ZoneService::create_zone(const Caller& c, const ZoneCreate& in) {
    require_writer(c);
    if (in.type == "SECONDARY")
        throw core::invalid("SECONDARY zones are not supported yet", {"type"});
    if (in.type != "PRIMARY")
        throw core::invalid("Zone type must be PRIMARY, not '" + in.type + "'", {"type"});
    core::Zone zone;
    zone.name = validate_zone_name(in.name, settings_.allow_tld_zones);
    zone.email = validate_email(in.email);
    zone.ttl = validate_ttl(in.ttl.value_or(settings_.default_zone_ttl), settings_);
    validate_description(in.description);
    zone.description = in.description;
    zone.id = common::new_uuid();
    zone.pool_id = settings_.pool.id;
    zone.project_id = c.project_id;
    zone.serial = initial_serial();
    zone.created_at = common::now_timestamp();

    committer_.run([&](store::WriteTxn& txn_ref) {
        auto* txn = &txn_ref;
        // One read of the zones around the new name serves both the placement
        // checks and the takeover of the parent's record sets.
        const auto related = txn->related_zones(zone.name);
        check_zone_placement(*txn, related, zone.name, zone.project_id,
                             settings_.allow_cross_project_nesting);
        if (txn->count_zones(zone.project_id) >= settings_.quotas.zones_per_project)
            throw core::Error(core::ErrorKind::TooLarge, "over_quota",
                              "Quota exceeded: a project may hold at most " +
                                  std::to_string(settings_.quotas.zones_per_project) + " zones");

        auto soa = make_soa_recordset(zone, settings_.pool, zone.created_at);
        auto ns = make_apex_ns_recordset(zone, settings_.pool, zone.created_at);
        auto move = sets_moving_into(*txn, related, zone);
        txn->insert_zone(zone);
        txn->insert_recordset(soa);
        txn->insert_recordset(ns);

        auto change = begin_change(zone, 0, zone.serial);
        change.zone_created = true;
        change.added = resource_records(ns, zone.ttl);
        with_zone(change, zone, settings_.pool);
        if (!move) {
            txn->append_change(change);
            return std::vector<core::ZoneChange>{change};
        }
        // Ids, values and times stay; only the owning zone changes.
        for (auto& rs : move->sets) {
            txn->delete_recordset(rs.id);
            rs.zone_id = zone.id;
            rs.zone_name = zone.name;
            txn->insert_recordset(rs);
        }
        auto moved = resource_records(move->sets, zone.ttl);
        change.added.insert(change.added.end(), moved.begin(), moved.end());
        core::Zone& parent = move->parent;
        auto old_parent_serial = advance_serial(*txn, parent, settings_.pool, zone.created_at);
        auto parent_change = begin_change(parent, old_parent_serial, parent.serial);
        parent_change.removed = resource_records(move->sets, parent.ttl);
        with_zone(parent_change, parent, settings_.pool);
        txn->append_change(parent_change);
        txn->append_change(change);
        // The child first: until the parent's change is published both serve
        // the moved sets, never neither.
        return std::vector<core::ZoneChange>{change, parent_change};
    });
    return zone;
}

core::Zone ZoneService::get_zone(const Caller& c, const std::string& id) {
    auto txn = store_.read();
    return visible_zone(*txn, c, id);
}

store::Page<core::Zone> ZoneService::list_zones(const Caller& c, store::ListQuery q) {
    q.scope.project_id = project_scope(c);
    q.scope.zone_id.reset();
    auto txn = store_.read();
    return txn->list_zones(q);
}

core::Zone ZoneService::update_zone(const Caller& c, const std::string& id, const ZoneUpdate& in,
                                    std::optional<std::int64_t> if_match) {
    require_writer(c);
    std::optional<std::string> email;
    std::optional<std::uint32_t> ttl;
    if (in.email) email = validate_email(*in.email);
    if (in.ttl) ttl = validate_ttl(*in.ttl, settings_);
    if (in.description) validate_description(*in.description);

    core::Zone zone;
    committer_.run([&](store::WriteTxn& txn_ref) {
        auto* txn = &txn_ref;
        zone = visible_zone(*txn, c, id);
        check_if_match(if_match, zone.version);

        // Record sets without their own TTL follow the zone's: a TTL change
        // re-announces them (removed with the old TTL, added with the new).
        bool ttl_changes = ttl && *ttl != zone.ttl;
        std::vector<core::RecordSet> sets;
        if (ttl_changes) sets = txn->zone_recordsets(zone.id);
        auto before = resource_records(sets, zone.ttl);

        if (email) zone.email = *email;
        if (ttl) zone.ttl = *ttl;
        if (in.description) zone.description = *in.description;
        auto old_serial = advance_serial(*txn, zone, settings_.pool, common::now_timestamp());

        auto change = begin_change(zone, old_serial, zone.serial);
        add_difference(change, before, resource_records(sets, zone.ttl));
        with_zone(change, zone, settings_.pool);
        txn->append_change(change);
        return std::vector<core::ZoneChange>{change};
    });
    return zone;
}

core::Zone ZoneService::delete_zone(const Caller& c, const std::string& id,
                                    std::optional<std::int64_t> if_match) {
    require_writer(c);
    core::Zone zone;
    committer_.run([&](store::WriteTxn& txn) {
        zone = visible_zone(txn, c, id);
        check_if_match(if_match, zone.version);

        auto change = begin_change(zone, zone.serial, zone.serial);
        change.zone_deleted = true;
        change.removed = resource_records(txn.zone_recordsets(zone.id), zone.ttl);
        // No zone row and no SOA after a deletion: zone stays nullopt and
        // soa_data empty. Logged before the delete: a store whose change log
        // cascades with the zone drops the entry together with the zone, one
        // that doesn't keeps it.
        txn.append_change(change);
        txn.delete_zone(zone.id);
        return std::vector<core::ZoneChange>{change};
    });
    return zone;
}

std::vector<core::Pool> ZoneService::list_pools(const Caller& c) {
    return {settings_.pool};
}

core::Pool ZoneService::get_pool(const Caller& c, const std::string& id) {
    if (id != settings_.pool.id) throw core::not_found("pool_not_found", "Could not find Pool");
    return settings_.pool;
}

}  // namespace dnsplane::service
