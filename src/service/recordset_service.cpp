// ZoneService: record set operations. Each write is one store transaction:
// validate inside it, write, advance the zone serial (SOA rewritten), log the
// change, commit, then publish.
#include <set>

#include "common/util.h"
#include "core/error.h"
#include "core/name.h"
#include "service/servable.h"
#include "service/soa.h"
#include "service/tenancy.h"
#include "service/validation.h"
#include "service/zone_change.h"
#include "service/zone_service.h"

namespace dnsplane::service {

namespace {

// A name below a child zone belongs in that zone; only the delegation NS at
// the child's apex may live in the parent.
void check_not_in_child_zone(store::ReadTxn& txn, const core::Zone& zone, const std::string& name,
                             const std::string& type) {
    for (const auto& other : txn.related_zones(name)) {
        if (other.name == zone.name || !core::is_subdomain(other.name, zone.name)) continue;
        if (!core::is_subdomain(name, other.name)) continue;
        if (name == other.name && type == "NS") continue;
        // Another project's zone is not named (nor confirmed beyond the refusal).
        throw core::invalid("Record set '" + name + "' belongs in the child zone " +
                                (other.project_id == zone.project_id ? "'" + other.name + "'"
                                                                     : "below '" + zone.name + "'"),
                            {"name"});
    }
}

// New values in the order given; values already present keep their ids.
std::vector<core::Record> merge_records(const std::vector<core::Record>& old,
                                        const std::vector<std::string>& data) {
    std::vector<core::Record> out;
    for (const auto& d : data) {
        std::string id;
        for (const auto& r : old)
            if (r.data == d) id = r.id;
        out.push_back({id.empty() ? common::new_uuid() : id, d});
    }
    return out;
}

}  // namespace

core::RecordSet ZoneService::create_recordset(const Caller& c, const std::string& zone_id,
                                              const RecordSetCreate& in) {
    require_writer(c);
    std::string type = validate_recordset_type(in.type);
    std::optional<std::uint32_t> ttl;
    if (in.ttl) ttl = validate_ttl(*in.ttl, settings_);
    validate_description(in.description);
    auto data = canonical_records(type, in.records, settings_.quotas.records_per_recordset);

    std::lock_guard lock(write_mutex_);
    auto txn = store_.write();
    auto zone = visible_zone(*txn, c, zone_id);
    std::string name = validate_recordset_name(in.name, zone.name);
    check_servable(name, type, data);
    if (type == "NS" && name == zone.name) require_managed_edit(c, type, /*managed=*/true);
    validate_owner_for_type(type, name, zone.name);
    check_not_in_child_zone(*txn, zone, name, type);
    if (txn->find_recordset(zone.id, name, type))
        throw core::Error(core::ErrorKind::Conflict, "duplicate_recordset",
                          "A " + type + " record set named '" + name + "' already exists");
    check_cname_exclusive(type, name, txn->recordsets_at(zone.id, name));
    if (txn->count_recordsets(zone.id) >= settings_.quotas.recordsets_per_zone)
        throw core::Error(core::ErrorKind::TooLarge, "over_quota",
                          "Quota exceeded: a zone may hold at most " +
                              std::to_string(settings_.quotas.recordsets_per_zone) +
                              " record sets");

    core::RecordSet rs;
    rs.id = common::new_uuid();
    rs.project_id = zone.project_id;
    rs.zone_id = zone.id;
    rs.zone_name = zone.name;
    rs.name = name;
    rs.type = type;
    rs.ttl = ttl;
    rs.description = in.description;
    rs.records = merge_records({}, data);
    rs.created_at = common::now_timestamp();
    txn->insert_recordset(rs);

    auto old_serial = advance_serial(*txn, zone, settings_.pool, rs.created_at);
    auto change = begin_change(zone, old_serial, zone.serial);
    change.added = resource_records(rs, zone.ttl);
    commit_and_publish(*txn, change);
    return rs;
}

core::RecordSet ZoneService::get_recordset(const Caller& c, const std::string& zone_id,
                                           const std::string& id) {
    auto txn = store_.read();
    auto zone = visible_zone(*txn, c, zone_id);
    return recordset_in_zone(*txn, zone, id);
}

core::RecordSet ZoneService::find_recordset(const Caller& c, const std::string& id) {
    auto txn = store_.read();
    auto rs = txn->get_recordset(id);
    if (!rs || !can_see(c, rs->project_id)) throw recordset_not_found();
    return *rs;
}

store::Page<core::RecordSet> ZoneService::list_recordsets(const Caller& c, store::ListQuery q) {
    q.scope.project_id = project_scope(c);
    auto txn = store_.read();
    if (q.scope.zone_id) visible_zone(*txn, c, *q.scope.zone_id);
    return txn->list_recordsets(q);
}

core::RecordSet ZoneService::update_recordset(const Caller& c, const std::string& zone_id,
                                              const std::string& id, const RecordSetUpdate& in,
                                              std::optional<std::int64_t> if_match) {
    require_writer(c);
    std::optional<std::optional<std::uint32_t>> ttl;
    if (in.ttl) ttl = *in.ttl ? std::optional(validate_ttl(**in.ttl, settings_)) : std::nullopt;
    if (in.description) validate_description(*in.description);

    std::lock_guard lock(write_mutex_);
    auto txn = store_.write();
    auto zone = visible_zone(*txn, c, zone_id);
    auto rs = recordset_in_zone(*txn, zone, id);
    require_managed_edit(c, rs.type, rs.managed);
    check_if_match(if_match, rs.version);
    auto before = resource_records(rs, zone.ttl);

    if (in.records) {
        auto data = canonical_records(rs.type, *in.records, settings_.quotas.records_per_recordset);
        check_servable(rs.name, rs.type, data);
        rs.records = merge_records(rs.records, data);
    }
    if (ttl) rs.ttl = *ttl;
    if (in.description) rs.description = *in.description;
    rs.version += 1;
    rs.updated_at = common::now_timestamp();
    txn->update_recordset(rs);

    auto old_serial = advance_serial(*txn, zone, settings_.pool, *rs.updated_at);
    auto change = begin_change(zone, old_serial, zone.serial);
    add_difference(change, before, resource_records(rs, zone.ttl));
    commit_and_publish(*txn, change);
    return rs;
}

core::RecordSet ZoneService::delete_recordset(const Caller& c, const std::string& zone_id,
                                              const std::string& id,
                                              std::optional<std::int64_t> if_match) {
    require_writer(c);
    std::lock_guard lock(write_mutex_);
    auto txn = store_.write();
    auto zone = visible_zone(*txn, c, zone_id);
    auto rs = recordset_in_zone(*txn, zone, id);
    require_managed_edit(c, rs.type, rs.managed);
    check_if_match(if_match, rs.version);
    txn->delete_recordset(rs.id);

    auto old_serial = advance_serial(*txn, zone, settings_.pool, common::now_timestamp());
    auto change = begin_change(zone, old_serial, zone.serial);
    change.removed = resource_records(rs, zone.ttl);
    commit_and_publish(*txn, change);
    return rs;
}

}  // namespace dnsplane::service
