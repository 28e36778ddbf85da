// Designate zone tasks: zone import (the zone and every record set created
// in one transaction, or nothing), export, abandon, and the task rows.
#include <string>

#include "common/util.h"
#include "core/error.h"
#include "service/edit_run.h"
#include "service/soa.h"
#include "service/tenancy.h"
#include "service/zone_change.h"
#include "service/zone_service.h"

namespace dnsplane::service {

namespace {

core::Error task_not_found(const std::string& kind) {
    return core::not_found(
        "zone_" + kind + "_not_found",
        std::string("Could not find Zone") + (kind == kTaskImport ? "Import" : "Export"));
}

store::ZoneTask new_task(const Caller& c, const std::string& kind) {
    store::ZoneTask t;
    t.id = common::new_uuid();
    t.kind = kind;
    t.project_id = c.project_id;
    t.created_at = common::now_timestamp();
    return t;
}

// The record sets of an import as one change set on the new zone.
ZoneEdit import_edit(const std::string& zone_id, const ZoneImport& in) {
    ZoneEdit edit;
    edit.want_operation_results = false;  // the import needs only the zone and its change
    edit.operations.reserve(in.sets.size());
    for (const auto& set : in.sets) {
        EditOp op;
        op.kind = EditOpKind::CreateSet;
        op.target.zone_id = zone_id;
        op.target.name = set.name;
        op.target.type = set.type;
        op.records = set.records;
        if (set.ttl) op.ttl = std::optional<std::int64_t>(*set.ttl);
        edit.operations.push_back(std::move(op));
    }
    return edit;
}

// Errors a zone file can cause become the task's message; the store being
// unavailable (or a bug) stays an error of the request.
bool is_content_error(const core::Error& e) {
    using K = core::ErrorKind;
    return e.kind() != K::Unavailable && e.kind() != K::Internal;
}

}  // namespace

store::ZoneTask ZoneService::import_zone(const Caller& c, const ZoneImport& in) {
    require_writer(c);
    store::ZoneTask task = new_task(c, kTaskImport);
    try {
        ZoneCreate create;
        create.name = in.name;
        create.email = in.email;
        create.ttl = in.ttl;
        core::Zone zone = new_zone_row(c, create);
        zone.refresh = in.refresh;
        zone.retry = in.retry;
        zone.expire = in.expire;
        zone.minimum = in.minimum;
        const ZoneEdit edit = import_edit(zone.id, in);
        commit([&](store::WriteTxn& txn) {
            auto changes = insert_new_zone(txn, zone, c.is_admin());
            EditResult result = apply_edit_in(txn, c, settings_, edit, /*log_changes=*/false);
            // One change for the new zone: created, with every imported set.
            core::ZoneChange& created = changes.front();
            for (auto& ch : result.changes) {
                if (ch.zone_id != zone.id) continue;
                created.added.insert(created.added.end(), ch.added.begin(), ch.added.end());
                created.new_serial = ch.new_serial;
                created.zone = ch.zone;
                created.soa_data = ch.soa_data;
            }
            for (auto it = changes.rbegin(); it != changes.rend(); ++it) txn.append_change(*it);
            list_in_catalog(txn, zone, changes);
            task.status = "COMPLETE";
            task.zone_id = zone.id;
            task.zone_name = zone.shown_name();
            txn.insert_task(task);
            return changes;
        });
        return task;
    } catch (const core::Error& e) {
        if (!is_content_error(e)) throw;
        std::string message = e.what();
        if (auto op = e.operation(); op && *op < in.sets.size())
            message = "line " + std::to_string(in.sets[*op].line) + ": " + message;
        return failed_import(c, message);
    }
}

store::ZoneTask ZoneService::failed_import(const Caller& c, const std::string& message) {
    require_writer(c);
    store::ZoneTask task = new_task(c, kTaskImport);
    task.status = "ERROR";
    task.message = message;
    commit([&](store::WriteTxn& txn) {
        txn.insert_task(task);
        return std::vector<core::ZoneChange>{};
    });
    return task;
}

store::ZoneTask ZoneService::create_export(const Caller& c, const std::string& zone_id) {
    require_writer(c);
    store::ZoneTask task = new_task(c, kTaskExport);
    commit([&](store::WriteTxn& txn) {
        core::Zone zone = visible_zone(txn, c, zone_id);
        task.project_id = zone.project_id;
        task.zone_id = zone.id;
        task.zone_name = zone.shown_name();
        // The file is rendered from the zone when it is fetched.
        task.status = "COMPLETE";
        txn.insert_task(task);
        return std::vector<core::ZoneChange>{};
    });
    return task;
}

ZoneContents ZoneService::export_contents(const Caller& c, const std::string& export_id) {
    auto txn = store_.read();
    auto task = txn->get_task(export_id);
    if (!task || task->kind != kTaskExport || !can_see(c, task->project_id))
        throw task_not_found(kTaskExport);
    ZoneContents out{visible_zone(*txn, c, task->zone_id), {}};
    out.sets = txn->zone_recordsets(out.zone.id);
    return out;
}

store::ZoneTask ZoneService::get_task(const Caller& c, const std::string& kind,
                                      const std::string& id) {
    auto txn = store_.read();
    auto task = txn->get_task(id);
    if (!task || task->kind != kind || !can_see(c, task->project_id)) throw task_not_found(kind);
    return *task;
}

std::vector<store::ZoneTask> ZoneService::list_tasks(const Caller& c, const std::string& kind) {
    auto txn = store_.read();
    std::vector<store::ZoneTask> out;
    for (auto& t : txn->list_tasks(kind, std::nullopt))
        if (can_see(c, t.project_id)) out.push_back(std::move(t));
    return out;
}

void ZoneService::delete_task(const Caller& c, const std::string& kind, const std::string& id) {
    require_writer(c);
    commit([&](store::WriteTxn& txn) {
        auto task = txn.get_task(id);
        if (!task || task->kind != kind || !can_see(c, task->project_id))
            throw task_not_found(kind);
        txn.delete_task(id);
        return std::vector<core::ZoneChange>{};
    });
}

core::Zone ZoneService::abandon_zone(const Caller& c, const std::string& zone_id) {
    if (!c.is_admin())
        throw core::Error(core::ErrorKind::Forbidden, "forbidden",
                          "Only admins may abandon a zone");
    // Designate forgets an abandoned zone but leaves it on its name servers.
    // Here the store is what DNS serves, so the zone stays and leaves its
    // project instead: no project sees, changes or counts it any more, DNS
    // keeps answering for it unchanged, and an admin with all projects can
    // still find it and delete it (which stops serving it).
    core::Zone zone;
    commit([&](store::WriteTxn& txn) {
        zone = visible_zone(txn, c, zone_id);
        end_zone_grants(txn, zone.id);
        txn.move_zone_project(zone.id, zone.project_id, "");
        zone.project_id.clear();
        zone.version += 1;
        zone.updated_at = common::now_timestamp();
        txn.update_zone(zone);
        // The DNS data is unchanged: nothing to publish.
        return std::vector<core::ZoneChange>{};
    });
    return zone;
}

}  // namespace dnsplane::service
