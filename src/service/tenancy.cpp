#include "service/tenancy.h"

#include "core/error.h"

namespace dnsplane::service {

void require_writer(const Caller& c) {
    if (!c.can_write())
        throw core::Error(core::ErrorKind::Forbidden, "forbidden",
                          "The reader role cannot change zones or record sets");
}

void require_managed_edit(const Caller& c, const std::string& type, bool managed) {
    if (type == "SOA")
        throw core::Error(core::ErrorKind::Forbidden, "forbidden",
                          "SOA record sets are managed by the server and cannot be changed");
    if (managed && !(c.is_admin() && c.edit_managed))
        throw core::Error(core::ErrorKind::Forbidden, "forbidden",
                          "The " + type +
                              " record set at the zone apex is managed by the "
                              "server; only admins sending X-Designate-Edit-Managed-Records may "
                              "change it");
}

bool can_see(const Caller& c, const std::string& project_id) {
    return c.all_projects || c.project_id == project_id;
}

std::optional<std::string> project_scope(const Caller& c) {
    if (c.all_projects) return std::nullopt;
    return c.project_id;
}

core::Error zone_not_found() {
    return core::not_found("zone_not_found", "Could not find Zone");
}

core::Error recordset_not_found() {
    return core::not_found("recordset_not_found", "Could not find RecordSet");
}

core::Error record_not_found() {
    return core::not_found("record_not_found", "Could not find Record");
}

core::Zone visible_zone(store::ReadTxn& txn, const Caller& c, const std::string& zone_id) {
    auto zone = txn.get_zone(zone_id);
    if (!zone || !can_see(c, zone->project_id)) throw zone_not_found();
    return *zone;
}

bool zone_shared_with(store::ReadTxn& txn, const std::string& zone_id,
                      const std::string& project_id) {
    for (const auto& share : txn.list_tasks("share", zone_id))
        if (share.target_project_id == project_id) return true;
    return false;
}

core::Zone recordset_zone(store::ReadTxn& txn, const Caller& c, const std::string& zone_id,
                          bool* shared) {
    if (shared) *shared = false;
    auto zone = txn.get_zone(zone_id);
    if (!zone) throw zone_not_found();
    if (can_see(c, zone->project_id)) return *zone;
    if (!zone_shared_with(txn, zone->id, c.project_id)) throw zone_not_found();
    if (shared) *shared = true;
    return *zone;
}

void require_share_owner(const Caller& c, const core::RecordSet& rs) {
    if (rs.project_id != c.project_id)
        throw core::Error(core::ErrorKind::Forbidden, "forbidden",
                          "This record set belongs to another project: a shared zone lets a "
                          "project change only the record sets it created");
}

core::RecordSet recordset_in_zone(store::ReadTxn& txn, const core::Zone& zone,
                                  const std::string& id) {
    auto rs = txn.get_recordset(id);
    if (!rs || rs->zone_id != zone.id) throw recordset_not_found();
    return *rs;
}

}  // namespace dnsplane::service
