// Zone shares (Designate's /v2/zones/{id}/shares): the zone's project lets
// another project manage record sets in the zone. The other project creates
// sets that belong to it and may change only those; the owner sees and
// changes every set. A share ends only once the project has no set left in
// the zone; a zone with shares is deleted only with delete_shares.
#include <string>

#include "common/util.h"
#include "core/error.h"
#include "service/tenancy.h"
#include "service/zone_service.h"

namespace dnsplane::service {

namespace {

core::Error share_not_found() {
    return core::not_found("shared_zone_not_found", "Could not find SharedZone");
}

// What the caller may see of a share: the zone's side sees every share, the
// target project its own.
bool may_see_share(const Caller& c, const store::ZoneTask& t) {
    return can_see(c, t.project_id) || t.target_project_id == c.project_id;
}

}  // namespace

store::ZoneTask ZoneService::share_zone(const Caller& c, const std::string& zone_id,
                                        const std::string& target_project_id) {
    require_writer(c);
    if (target_project_id.empty() || target_project_id.size() > 255)
        throw core::invalid("target_project_id must name a project (1-255 characters)",
                            {"target_project_id"});
    store::ZoneTask t;
    t.id = common::new_uuid();
    t.kind = kZoneShare;
    t.target_project_id = target_project_id;
    t.status = "ACTIVE";
    t.created_at = common::now_timestamp();
    commit([&](store::WriteTxn& txn) {
        core::Zone zone = visible_zone(txn, c, zone_id);
        if (zone.project_id == target_project_id)
            throw core::bad_request("bad_request", "Cannot share the zone with the zone owner");
        t.project_id = zone.project_id;
        t.zone_id = zone.id;
        t.zone_name = zone.shown_name();
        txn.insert_task(t);  // a second share with the project: 409 duplicate_shared_zone
        return std::vector<core::ZoneChange>{};
    });
    return t;
}

std::vector<store::ZoneTask> ZoneService::list_shares(const Caller& c, const std::string& zone_id) {
    auto txn = store_.read();
    recordset_zone(*txn, c, zone_id);
    std::vector<store::ZoneTask> out;
    for (auto& t : txn->list_tasks(kZoneShare, zone_id))
        if (may_see_share(c, t)) out.push_back(std::move(t));
    return out;
}

store::ZoneTask ZoneService::get_share(const Caller& c, const std::string& zone_id,
                                       const std::string& share_id) {
    auto txn = store_.read();
    recordset_zone(*txn, c, zone_id);
    auto t = txn->get_task(share_id);
    if (!t || t->kind != kZoneShare || t->zone_id != zone_id || !may_see_share(c, *t))
        throw share_not_found();
    return *t;
}

void ZoneService::unshare_zone(const Caller& c, const std::string& zone_id,
                               const std::string& share_id) {
    require_writer(c);
    commit([&](store::WriteTxn& txn) {
        core::Zone zone = visible_zone(txn, c, zone_id);
        auto t = txn.get_task(share_id);
        if (!t || t->kind != kZoneShare || t->zone_id != zone.id) throw share_not_found();
        for (const auto& rs : txn.zone_recordsets(zone.id))
            if (rs.project_id == t->target_project_id)
                throw core::Error(core::ErrorKind::Conflict, "shared_zone_has_recordsets",
                                  "Please delete all record sets owned by project " +
                                      t->target_project_id + " before unsharing this zone");
        txn.delete_task(t->id);
        return std::vector<core::ZoneChange>{};
    });
}

bool ZoneService::zone_is_shared(const std::string& zone_id) {
    auto txn = store_.read();
    return !txn->list_tasks(kZoneShare, zone_id).empty();
}

}  // namespace dnsplane::service
