// ZoneService: construction, change publication, zones and pools. Record set
// operations live in recordset_service.cpp.
#include "service/zone_service.h"

#include <algorithm>
#include <exception>
#include <optional>
#include <vector>

#include "common/ordered_uuid.h"
#include "common/util.h"
#include "core/error.h"
#include "core/name.h"
#include "service/admin_rules.h"
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
      projects_(store),
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
    core::Zone zone = new_zone_row(c, in);
    commit([&](store::WriteTxn& txn) {
        auto changes = insert_new_zone(txn, zone, c.is_admin());
        // The child first: until the parent's change is published both serve
        // the moved sets, never neither. The catalog lists it once it serves.
        for (auto it = changes.rbegin(); it != changes.rend(); ++it) txn.append_change(*it);
        list_in_catalog(txn, zone, changes);
        return changes;
    });
    return zone;
}

core::Zone ZoneService::new_zone_row(const Caller& c, const ZoneCreate& in) const {
    require_writer(c);
    if (in.type != "PRIMARY" && in.type != "SECONDARY")
        throw core::invalid("Zone type must be PRIMARY or SECONDARY, not '" + in.type + "'",
                            {"type"});
    const bool secondary = in.type == "SECONDARY";
    if (!secondary && !in.masters.empty())
        throw core::invalid("Only SECONDARY zones have masters", {"masters"});
    core::Zone zone;
    zone.type = in.type;
    if (secondary) zone.masters = validate_masters(in.masters);
    zone.name = validate_zone_name(in.name, settings_.allow_tld_zones);
    // Shown as given; compared, indexed and served as the canonical name.
    if (auto spelled = core::case_preserved_name(in.name); spelled != zone.name)
        zone.spelled_name = std::move(spelled);
    if (catalog_ && core::is_subdomain(zone.name, catalog_->name()))
        throw core::Error(core::ErrorKind::Forbidden, "forbidden",
                          "Zones at or below the catalog zone " + catalog_->name() +
                              " are maintained by dnsplane");
    // A SECONDARY zone needs no email (Designate fills in its managed
    // resource email); the SOA it serves names its master's RNAME.
    zone.email = secondary && in.email.empty()
                     ? "hostmaster@" + zone.name.substr(0, zone.name.size() - 1)
                     : validate_email(in.email);
    zone.ttl = validate_ttl(in.ttl.value_or(settings_.default_zone_ttl), settings_);
    validate_description(in.description);
    zone.description = in.description;
    zone.id = common::new_ordered_uuid();
    zone.pool_id = settings_.pool.id;
    zone.project_id = c.project_id;
    // A SECONDARY zone's serial is its master's, known after the first
    // transfer (which is always made, whatever this serial).
    zone.serial = secondary ? 1 : initial_serial();
    zone.created_at = common::now_timestamp();
    return zone;
}

std::vector<core::ZoneChange> ZoneService::insert_new_zone(store::WriteTxn& txn,
                                                           const core::Zone& zone, bool admin) {
    // One read of the zones around the new name serves both the placement
    // checks and the takeover of the parent's record sets.
    const auto related = txn.related_zones(zone.name);
    check_zone_placement(txn, related, zone.name, zone.project_id,
                         settings_.allow_cross_project_nesting);
    // Issue 16: admins' TLDs and blacklists, the project's own quota.
    check_zone_under_tld(txn.tlds(), zone.name);
    check_zone_not_blacklisted(txn.blacklists(), zone.name, admin);
    const std::size_t max_zones = project_quotas(txn, zone.project_id).zones_per_project;
    if (txn.count_zones(zone.project_id) >= max_zones)
        throw core::Error(
            core::ErrorKind::TooLarge, "over_quota",
            "Quota exceeded: a project may hold at most " + std::to_string(max_zones) + " zones");

    auto soa = make_soa_recordset(zone, settings_.pool, zone.created_at);
    auto ns = make_apex_ns_recordset(zone, settings_.pool, zone.created_at);
    auto move = sets_moving_into(txn, related, zone);
    txn.insert_zone(zone);
    txn.insert_recordset(soa);
    txn.insert_recordset(ns);

    auto change = begin_change(zone, 0, zone.serial);
    change.zone_created = true;
    change.added = resource_records(ns, zone.ttl);
    with_zone(change, zone, settings_.pool);
    if (!move) return {change};
    // Ids, values and times stay; only the owning zone changes.
    for (auto& rs : move->sets) {
        txn.delete_recordset(rs.id);
        rs.zone_id = zone.id;
        rs.zone_name = zone.name;
        txn.insert_recordset(rs);
    }
    auto moved = resource_records(move->sets, zone.ttl);
    change.added.insert(change.added.end(), moved.begin(), moved.end());
    core::Zone& parent = move->parent;
    auto old_parent_serial = advance_serial(txn, parent, settings_.pool, zone.created_at);
    auto parent_change = begin_change(parent, old_parent_serial, parent.serial);
    parent_change.removed = resource_records(move->sets, parent.ttl);
    with_zone(parent_change, parent, settings_.pool);
    return {change, parent_change};
}

void ZoneService::list_in_catalog(store::WriteTxn& txn, const core::Zone& zone,
                                  std::vector<core::ZoneChange>& changes) {
    if (!catalog_) return;
    if (auto listed = catalog_->add_member(txn, zone, zone.created_at)) changes.push_back(*listed);
}

void ZoneService::enable_catalog(const std::string& catalog_name) {
    catalog_.emplace(catalog_name, settings_.pool);
    committer_.run(
        [&](store::WriteTxn& txn) { return catalog_->reconcile(txn, common::now_timestamp()); });
}

core::Zone ZoneService::get_zone(const Caller& c, const std::string& id) {
    auto txn = store_.read();
    // A project the zone is shared with may read it too (not change it).
    core::Zone zone = recordset_zone(*txn, c, id);
    zone.shared = !txn->list_tasks(kZoneShare, zone.id).empty();
    return shown(std::move(zone));
}

store::Page<core::Zone> ZoneService::list_zones(const Caller& c, store::ListQuery q) {
    q.scope.project_id = project_scope(c);
    q.scope.zone_id.reset();
    auto txn = store_.read();
    // Shares are few: one read of them all tells whether the project lists
    // zones shared with it (as in Designate) and marks the page's shared zones.
    auto shares = txn->list_tasks(kZoneShare, std::nullopt);
    q.scope.with_shared_zones =
        q.scope.project_id && std::any_of(shares.begin(), shares.end(), [&](const auto& s) {
            return s.target_project_id == *q.scope.project_id;
        });
    auto page = txn->list_zones(q);
    if (!shares.empty())
        for (auto& z : page.items)
            for (const auto& s : shares) z.shared = z.shared || s.zone_id == z.id;
    return shown(std::move(page));
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
    bool masters_changed = false;
    commit([&](store::WriteTxn& txn_ref) {
        auto* txn = &txn_ref;
        zone = visible_zone(*txn, c, id);
        check_if_match(if_match, zone.version);
        if (catalog_ && zone.name == catalog_->name())
            throw core::Error(core::ErrorKind::Forbidden, "forbidden",
                              "The catalog zone is maintained by dnsplane");
        if (zone.type != "SECONDARY" && in.masters && !in.masters->empty())
            throw core::invalid("Only SECONDARY zones have masters", {"masters"});
        if (zone.type == "SECONDARY") {
            // Its SOA (serial, TTL, RNAME) is the master's: only the
            // description and the masters, which are not DNS data, change
            // (no new serial; new masters are asked once committed).
            if (email && *email != zone.email)
                throw core::invalid("Changed email is not allowed.", {"email"});
            if (ttl && *ttl != zone.ttl)
                throw core::invalid("The TTL of a SECONDARY zone comes from its master", {"ttl"});
            if (in.description) zone.description = *in.description;
            if (in.masters) {
                auto masters = validate_masters(*in.masters);
                masters_changed = masters != zone.masters;
                zone.masters = std::move(masters);
            }
            zone.version += 1;
            zone.updated_at = common::now_timestamp();
            txn->update_zone(zone);
            return std::vector<core::ZoneChange>{};
        }

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
    if (masters_changed && secondary_refresh_) secondary_refresh_->masters_changed(zone);
    return zone;
}

core::Zone ZoneService::delete_zone(const Caller& c, const std::string& id,
                                    std::optional<std::int64_t> if_match, bool delete_shares) {
    require_writer(c);
    core::Zone zone;
    commit([&](store::WriteTxn& txn) {
        zone = visible_zone(txn, c, id);
        check_if_match(if_match, zone.version);
        if (catalog_ && zone.name == catalog_->name())
            throw core::Error(core::ErrorKind::Forbidden, "forbidden",
                              "The catalog zone is maintained by dnsplane");
        // (commit() checks the others by the zone row a change leaves; a
        // deletion leaves none.)
        require_active_project(projects_, txn, zone.project_id);
        if (!delete_shares && !txn.list_tasks(kZoneShare, zone.id).empty())
            throw core::Error(core::ErrorKind::Conflict, "zone_shared",
                              "This zone is shared with other projects: delete it with "
                              "delete_shares (X-Designate-Delete-Shares: true)");

        return remove_zone(txn, zone);
    });
    return zone;
}

std::vector<core::ZoneChange> ZoneService::remove_zone(store::WriteTxn& txn,
                                                       const core::Zone& zone) {
    auto change = begin_change(zone, zone.serial, zone.serial);
    change.zone_deleted = true;
    change.removed = resource_records(txn.zone_recordsets(zone.id), zone.ttl);
    // No zone row and no SOA after a deletion: zone stays nullopt and
    // soa_data empty. Logged before the delete: a store whose change log
    // cascades with the zone drops the entry together with the zone, one
    // that doesn't keeps it.
    txn.append_change(change);
    txn.delete_zone(zone.id);
    // Pending transfer requests and shares die with the zone; imports and
    // exports stay (their zone is then gone: an export's file is 404).
    end_zone_grants(txn, zone.id);
    std::vector<core::ZoneChange> out{change};
    if (catalog_)
        if (auto unlisted = catalog_->remove_member(txn, zone, common::now_timestamp()))
            out.push_back(*unlisted);
    return out;
}

void ZoneService::xfr_zone(const Caller& c, const std::string& zone_id) {
    require_writer(c);
    core::Zone zone;
    {
        auto txn = store_.read();
        zone = visible_zone(*txn, c, zone_id);
    }
    if (zone.type != "SECONDARY")
        throw core::bad_request("bad_request", "Can't XFR a non Secondary zone.");
    if (secondary_refresh_) secondary_refresh_->refresh_now(zone);
}

}  // namespace dnsplane::service
