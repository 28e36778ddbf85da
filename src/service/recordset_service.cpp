// ZoneService: record set operations. Reads are direct; every write is a
// change set (zone_edit.h) applied by ZoneService::apply (edit_apply.cpp).
#include "core/error.h"
#include "service/tenancy.h"
#include "service/zone_service.h"

namespace dnsplane::service {

ZoneEdit recordset_create_edit(const std::string& zone_id, const RecordSetCreate& in) {
    EditOp op;
    op.kind = EditOpKind::CreateSet;
    op.target.zone_id = zone_id;
    op.target.name = in.name;
    op.target.type = in.type;
    op.records = in.records;
    if (in.ttl) op.ttl = std::optional<std::int64_t>(*in.ttl);
    op.description = in.description;
    ZoneEdit edit;
    edit.operations.push_back(std::move(op));
    return edit;
}

namespace {
Prerequisite version_of(const std::string& zone_id, const std::string& id, std::int64_t version) {
    Prerequisite p;
    p.kind = PrerequisiteKind::SetVersion;
    p.target.zone_id = zone_id;
    p.target.recordset_id = id;
    p.version = version;
    return p;
}
}  // namespace

ZoneEdit recordset_update_edit(const std::string& zone_id, const std::string& id,
                               const RecordSetUpdate& in, std::optional<std::int64_t> if_match) {
    EditOp op;
    op.kind = EditOpKind::ReplaceSet;
    op.target.zone_id = zone_id;
    op.target.recordset_id = id;
    op.records = in.records;
    op.ttl = in.ttl;
    op.description = in.description;
    ZoneEdit edit;
    if (if_match) edit.prerequisites.push_back(version_of(zone_id, id, *if_match));
    edit.operations.push_back(std::move(op));
    return edit;
}

ZoneEdit recordset_delete_edit(const std::string& zone_id, const std::string& id,
                               std::optional<std::int64_t> if_match) {
    EditOp op;
    op.kind = EditOpKind::DeleteSet;
    op.target.zone_id = zone_id;
    op.target.recordset_id = id;
    ZoneEdit edit;
    if (if_match) edit.prerequisites.push_back(version_of(zone_id, id, *if_match));
    edit.operations.push_back(std::move(op));
    return edit;
}

core::RecordSet ZoneService::create_recordset(const Caller& c, const std::string& zone_id,
                                              const RecordSetCreate& in) {
    return *apply(c, recordset_create_edit(zone_id, in)).operations.front().set;
}

core::RecordSet ZoneService::get_recordset(const Caller& c, const std::string& zone_id,
                                           const std::string& id) {
    auto txn = store_.read();
    auto zone = recordset_zone(*txn, c, zone_id);
    return shown(recordset_in_zone(*txn, zone, id));
}

void ZoneService::check_replaceable(const Caller& c, const std::string& zone_id,
                                    const std::string& id) {
    auto txn = store_.read();
    auto zone = recordset_zone(*txn, c, zone_id);
    auto rs = recordset_in_zone(*txn, zone, id);
    require_writer(c);
    require_managed_edit(c, rs.type, rs.managed);
    require_not_apex_ns(zone, rs.name, rs.type);
}

core::RecordSet ZoneService::find_recordset(const Caller& c, const std::string& id) {
    auto txn = store_.read();
    auto rs = txn->get_recordset(id);
    if (!rs || !can_see(c, rs->project_id)) throw recordset_not_found();
    return shown(std::move(*rs));
}

store::Page<core::RecordSet> ZoneService::list_recordsets(const Caller& c, store::ListQuery q) {
    q.scope.project_id = project_scope(c);
    auto txn = store_.read();
    // One zone's list shows every set in it, whoever created it (the owner
    // and the projects it is shared with see the same list).
    if (q.scope.zone_id) {
        recordset_zone(*txn, c, *q.scope.zone_id);
        q.scope.project_id.reset();
    }
    return shown(txn->list_recordsets(q));
}

std::vector<core::RecordSet> ZoneService::zone_recordsets(const Caller& c,
                                                          const std::string& zone_id) {
    auto txn = store_.read();
    visible_zone(*txn, c, zone_id);
    return txn->zone_recordsets(zone_id);
}

std::optional<core::RecordSet> ZoneService::recordset_of_record(const Caller& c,
                                                                const std::string& zone_id,
                                                                const std::string& record_id) {
    auto txn = store_.read();
    visible_zone(*txn, c, zone_id);
    return txn->recordset_of_record(zone_id, record_id);
}

core::RecordSet ZoneService::update_recordset(const Caller& c, const std::string& zone_id,
                                              const std::string& id, const RecordSetUpdate& in,
                                              std::optional<std::int64_t> if_match) {
    return *apply(c, recordset_update_edit(zone_id, id, in, if_match)).operations.front().set;
}

core::RecordSet ZoneService::delete_recordset(const Caller& c, const std::string& zone_id,
                                              const std::string& id,
                                              std::optional<std::int64_t> if_match) {
    return *apply(c, recordset_delete_edit(zone_id, id, if_match)).operations.front().previous;
}

}  // namespace dnsplane::service
