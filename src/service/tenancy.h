// Who may see and change what: a caller sees its own project's zones (every
// project with all_projects); anything else looks absent (404, never 403).
#pragma once

#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "core/error.h"
#include "core/model.h"
#include "service/caller.h"
#include "store/store.h"

namespace dnsplane::service {

// Throws 403 forbidden for read-only callers.
void require_writer(const Caller& c);

// Throws 400 bad_request for SOA (never writable) and 403 forbidden for
// other managed sets (apex NS) unless the caller is an admin asking to edit
// managed record sets (X-Designate-Edit-Managed-Records).
void require_managed_edit(const Caller& c, const std::string& type, bool managed);

// The apex NS follow the zone's pool: as in Designate, nobody replaces that
// set wholesale (PUT/PATCH), not even an admin sending
// X-Designate-Edit-Managed-Records. 400 bad_request.
void require_not_apex_ns(const core::Zone& zone, const std::string& name, const std::string& type);

bool can_see(const Caller& c, const std::string& project_id);

// The project filter for list queries: nullopt means every project.
std::optional<std::string> project_scope(const Caller& c);

// The zone if it exists and the caller can see it, else 404 zone_not_found.
core::Zone visible_zone(store::ReadTxn& txn, const Caller& c, const std::string& zone_id);

// Zone shares (issue 16): true when `zone_id` is shared with `project_id`.
bool zone_shared_with(store::ReadTxn& txn, const std::string& zone_id,
                      const std::string& project_id);

// The zone for record set work: visible to the caller, or shared with the
// caller's project (then `*shared` is set true); else 404 zone_not_found.
// Zone-level reads and writes use visible_zone (shares grant record sets only).
core::Zone recordset_zone(store::ReadTxn& txn, const Caller& c, const std::string& zone_id,
                          bool* shared = nullptr);

// Ends what the zone's project granted others on it: pending (ACTIVE)
// transfer requests and shares (zone deletion, abandon).
void end_zone_grants(store::WriteTxn& txn, const std::string& zone_id);

// A project a zone is shared with may change only the record sets it
// created: 403 forbidden otherwise.
void require_share_owner(const Caller& c, const core::RecordSet& rs);

// The record set `id` of `zone` (already checked visible), else 404
// recordset_not_found.
core::RecordSet recordset_in_zone(store::ReadTxn& txn, const core::Zone& zone,
                                  const std::string& id);

// Projects the plug-in platform retired (POST /v1/tenant/unbind; table
// `tenants`). A retired project's callers can neither read nor write through
// any door, and its zones, which keep being served in DNS, cannot be changed
// by anyone until the project is bound again. A cache over
// store::ReadTxn::tenant_status, filled per project on first use and kept up
// to date by set() (the platform surface calls it after bind/unbind commits).
class ProjectStatus {
  public:
    explicit ProjectStatus(store::Store& store) : store_(store) {}
    bool retired(const std::string& project);
    // Inside a write transaction: reads through it when not cached.
    bool retired(store::ReadTxn& txn, const std::string& project);
    void set(const std::string& project, bool retired);

  private:
    std::optional<bool> cached(const std::string& project);
    void remember(const std::string& project, bool retired);

    store::Store& store_;
    std::mutex mutex_;
    std::unordered_map<std::string, bool> retired_;
};

// 403 project_retired when `project` is retired (an empty project, the
// anonymous caller of public documents, never is).
void require_active_project(ProjectStatus& projects, const std::string& project);
void require_active_project(ProjectStatus& projects, store::ReadTxn& txn,
                            const std::string& project);

core::Error zone_not_found();
core::Error recordset_not_found();
core::Error record_not_found();  // one value of a set, by its id

}  // namespace dnsplane::service
