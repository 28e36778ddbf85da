#include "service/tenancy.h"

#include "core/error.h"
#include "service/zone_tasks.h"

namespace dnsplane::service {

void require_writer(const Caller& c) {
    if (!c.can_write())
        throw core::Error(core::ErrorKind::Forbidden, "forbidden",
                          "The reader role cannot change zones or record sets");
}

void require_managed_edit(const Caller& c, const std::string& type, bool managed) {
    // Designate answers any change of a SOA set 400 bad_request, even for an
    // admin sending X-Designate-Edit-Managed-Records.
    if (type == "SOA")
        throw core::bad_request("bad_request",
                                "SOA record sets are managed by the server and cannot be changed");
    if (managed && !(c.is_admin() && c.edit_managed))
        throw core::Error(core::ErrorKind::Forbidden, "forbidden",
                          "The " + type +
                              " record set at the zone apex is managed by the "
                              "server; only admins sending X-Designate-Edit-Managed-Records may "
                              "change it");
}

void require_not_apex_ns(const core::Zone& zone, const std::string& name, const std::string& type) {
    if (type == "NS" && name == zone.name)
        throw core::bad_request("bad_request",
                                "Updating the zone apex NS record set is not allowed; its name "
                                "servers come from the zone's pool");
}

void end_zone_grants(store::WriteTxn& txn, const std::string& zone_id) {
    for (const auto& t : txn.list_tasks(kTransferRequest, zone_id))
        if (t.status == "ACTIVE") txn.delete_task(t.id);
    for (const auto& t : txn.list_tasks(kZoneShare, zone_id)) txn.delete_task(t.id);
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

namespace {
constexpr std::size_t kMaxCachedProjects = 100'000;

core::Error project_retired(const std::string& project) {
    return core::Error(core::ErrorKind::Forbidden, "project_retired",
                       "Project '" + project +
                           "' is retired (unbound from the plug-in platform): its zones are "
                           "still served in DNS but cannot be read or changed through the API "
                           "until the project is bound again");
}
}  // namespace

std::optional<bool> ProjectStatus::cached(const std::string& project) {
    std::lock_guard lock(mutex_);
    auto it = retired_.find(project);
    if (it == retired_.end()) return std::nullopt;
    return it->second;
}

void ProjectStatus::remember(const std::string& project, bool retired) {
    std::lock_guard lock(mutex_);
    // noauth callers name any project: bound the cache (entries are re-read).
    if (retired_.size() >= kMaxCachedProjects && !retired_.count(project)) retired_.clear();
    // A read that raced with set() must not overwrite what set() stored.
    retired_.try_emplace(project, retired);
}

bool ProjectStatus::retired(const std::string& project) {
    if (project.empty()) return false;
    if (auto hit = cached(project)) return *hit;
    const bool retired = store_.read()->tenant_status(project) == "retired";
    remember(project, retired);
    return retired;
}

bool ProjectStatus::retired(store::ReadTxn& txn, const std::string& project) {
    if (project.empty()) return false;
    if (auto hit = cached(project)) return *hit;
    const bool retired = txn.tenant_status(project) == "retired";
    remember(project, retired);
    return retired;
}

void ProjectStatus::set(const std::string& project, bool retired) {
    std::lock_guard lock(mutex_);
    retired_[project] = retired;
}

void require_active_project(ProjectStatus& projects, const std::string& project) {
    if (projects.retired(project)) throw project_retired(project);
}

void require_active_project(ProjectStatus& projects, store::ReadTxn& txn,
                            const std::string& project) {
    if (projects.retired(txn, project)) throw project_retired(project);
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
