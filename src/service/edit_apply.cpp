// ZoneService::apply: a change set in one write transaction (shared with
// other requests by the group commit). Reads only what the edit touches (the
// sets at each touched name, by index), runs the operations on an in-memory
// working copy, checks every rule on the result, then writes, advances each
// changed zone's serial once and logs one ZoneChange per zone.
#include <algorithm>
#include <limits>
#include <map>
#include <set>

#include "common/ordered_uuid.h"
#include "common/util.h"
#include "core/error.h"
#include "core/name.h"
#include "core/rdata.h"
#include "service/admin_rules.h"
#include "service/commit_batch.h"
#include "service/edit_run.h"
#include "service/final_set.h"
#include "service/secondary.h"
#include "service/soa.h"
#include "service/tenancy.h"
#include "service/validation.h"
#include "service/zone_change.h"
#include "service/zone_service.h"

namespace dnsplane::service {

namespace {

// Runs `fn`; a core::Error it throws is tagged with `index` (first tag wins).
template <class Fn>
auto tagged(std::size_t index, Fn&& fn) {
    try {
        return fn();
    } catch (core::Error& e) {
        if (!e.operation()) e.set_operation(index);
        throw;
    }
}

// Value lists are bounded by the request body limit before the project's
// quota is known (validate_final_set checks it).
constexpr std::size_t kNoRecordBound = std::numeric_limits<std::size_t>::max();

// Pure input checks, done before the write transaction (outside the commit).
struct PreparedOp {
    std::string type;  // validated, upper-case; empty when addressed by id or name-level
    std::optional<std::vector<std::string>> data;  // canonical, when the type is known
    std::optional<std::optional<std::uint32_t>> ttl;
};

std::string upper(std::string s) {
    for (auto& ch : s) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    return s;
}

bool by_id(const EditTarget& t) {
    return !t.recordset_id.empty();
}

PreparedOp prepare(const EditOp& op, const ServiceSettings& s) {
    PreparedOp p;
    if (op.kind != EditOpKind::DeleteName && !by_id(op.target))
        p.type = validate_recordset_type(op.target.type);
    if (op.ttl) p.ttl = *op.ttl ? std::optional(validate_ttl(**op.ttl, s)) : std::nullopt;
    if (op.description) validate_description(*op.description);
    bool needs_records = op.kind == EditOpKind::CreateSet || op.kind == EditOpKind::AddValues ||
                         (op.kind == EditOpKind::RemoveValues && op.record_id.empty());
    if (needs_records && !op.records)
        throw core::invalid("A record set needs at least one record", {"records"});
    if (op.kind == EditOpKind::ReplaceValue) {
        if (op.record_id.empty()) throw core::invalid("A record id is needed", {"record_id"});
        if (!op.records || op.records->size() != 1)
            throw core::invalid("Exactly one new value is needed", {"records"});
    }
    if (op.records && !p.type.empty())
        // The records-per-set quota is the project's, checked on the result.
        p.data = canonical_records(p.type, *op.records, kNoRecordBound);
    return p;
}

// New values in the order given; values already present keep their ids.
std::vector<core::Record> merge_records(const std::vector<core::Record>& old,
                                        const std::vector<std::string>& data) {
    std::vector<core::Record> out;
    out.reserve(data.size());
    for (const auto& d : data) {
        std::string id;
        for (const auto& r : old)
            if (r.data == d) id = r.id;
        out.push_back({id.empty() ? common::new_ordered_uuid() : id, d});
    }
    return out;
}

std::set<std::string> value_set(const core::RecordSet& rs) {
    std::set<std::string> out;
    for (const auto& r : rs.records) out.insert(r.data);
    return out;
}

// True when the transferred SOA differs from what the zone serves.
bool soa_differs(const core::Zone& z, const TransferredSoa& t) {
    return z.serial != t.serial || z.refresh != t.refresh || z.retry != t.retry ||
           z.expire != t.expire || z.minimum != t.minimum || z.ttl != t.ttl ||
           z.soa_mname != t.mname || z.soa_rname != t.rname || !z.transferred_at;
}

// advance_serial for a transfer: the zone takes the master's SOA (serial
// included), stores it and rewrites its SOA record. Returns the serial before.
std::uint32_t take_transferred_soa(store::WriteTxn& txn, core::Zone& zone, const TransferredSoa& t,
                                   const core::Pool& pool, const std::string& now) {
    std::uint32_t old = zone.serial;
    zone.serial = t.serial;
    zone.refresh = t.refresh;
    zone.retry = t.retry;
    zone.expire = t.expire;
    zone.minimum = t.minimum;
    zone.ttl = t.ttl;
    zone.soa_mname = t.mname;
    zone.soa_rname = t.rname;
    zone.transferred_at = now;
    zone.version += 1;
    zone.updated_at = now;
    txn.update_zone(zone);
    rewrite_soa(txn, zone, pool, now);
    return old;
}

// One record set of the working copy: as stored before the edit, and as the
// operations so far leave it.
struct SetState {
    std::optional<core::RecordSet> before;
    std::optional<core::RecordSet> after;
    bool dirty = false;  // must be written (and its version bumped)
    std::size_t last_op = 0;
};

struct NameState {
    std::map<std::string, SetState> by_type;
    bool touched = false;
    std::size_t last_op = 0;
};

struct ZoneState {
    core::Zone zone;
    bool shared = false;  // reached through a zone share: own record sets only
    std::map<std::string, NameState> names;
    std::vector<std::string> name_order;              // first touched first
    std::optional<std::vector<core::Zone>> children;  // zones below it, read when needed
};

class EditRun {
  public:
    EditRun(store::WriteTxn& txn, const Caller& c, const ServiceSettings& s, std::string now,
            const std::optional<TransferredSoa>& transfer)
        : txn_(txn), c_(c), s_(s), now_(std::move(now)), transfer_(transfer) {}

    void preload(const ZoneEdit& edit);
    void touch_zone(const std::string& zone_id) { zone_by_id(zone_id); }
    void check(std::size_t index, const Prerequisite& p);
    void run(std::size_t index, const EditOp& op, const PreparedOp& prepared);
    void validate_result();
    // `batch`: the group commit's, to join a change of the same zone an
    // earlier request of the batch made (commit_batch.h); null: never join.
    EditResult write(const ZoneEdit& edit, bool log_changes, CommitBatch* batch);

  private:
    ZoneState& zone_by_id(const std::string& id);
    ZoneState& zone_for(const EditTarget& t, std::string* canonical_name);
    NameState& name_state(ZoneState& z, const std::string& name);
    // Resolves a set target (by id or by name/type) to its working state.
    struct Resolved {
        ZoneState* zone;
        std::string name;
        std::string type;
        SetState* set;
    };
    Resolved resolve(const EditTarget& t, const std::string& validated_type);
    core::RecordSet new_set(const ZoneState& z, const std::string& name, const std::string& type);
    std::vector<std::string> canonical_values(const std::string& type,
                                              const std::vector<std::string>& texts);

    // The zone's project's quotas, read once per project and edit.
    const Quotas& quotas_of(const core::Zone& zone);

    store::WriteTxn& txn_;
    const Caller& c_;
    const ServiceSettings& s_;
    std::map<std::string, Quotas> quotas_;
    std::string now_;
    const std::optional<TransferredSoa>& transfer_;
    std::map<std::string, ZoneState> zones_;
    std::vector<std::string> zone_order_;
    std::map<std::string, std::string> zone_of_name_;  // canonical name -> zone id
    // preload(): the sets at each (zone id, canonical name), taken by name_state.
    std::map<std::pair<std::string, std::string>, std::vector<core::RecordSet>> preloaded_;
    struct OpKey {
        std::string zone_id, name, type;
    };
    std::vector<std::optional<OpKey>> op_keys_;
};

const Quotas& EditRun::quotas_of(const core::Zone& zone) {
    auto it = quotas_.find(zone.project_id);
    if (it == quotas_.end())
        it = quotas_
                 .emplace(zone.project_id,
                          apply_quota_overrides(s_.quotas, txn_.project_quotas(zone.project_id)))
                 .first;
    return it->second;
}

ZoneState& EditRun::zone_by_id(const std::string& id) {
    auto it = zones_.find(id);
    if (it != zones_.end()) return it->second;
    bool shared = false;
    core::Zone zone = recordset_zone(txn_, c_, id, &shared);
    // A SECONDARY zone changes only by its transfers, a transfer only it.
    const bool is_transfer = transfer_ && transfer_->zone_id == zone.id;
    if (zone.type == "SECONDARY" && !is_transfer) throw secondary_zone_read_only(zone);
    if (is_transfer && zone.type != "SECONDARY")
        throw core::bad_request("bad_request", "Zone '" + zone.name + "' is not a SECONDARY zone");
    zone_order_.push_back(zone.id);
    auto& z = zones_[zone.id];
    z.zone = std::move(zone);
    z.shared = shared;
    return z;
}

ZoneState& EditRun::zone_for(const EditTarget& t, std::string* canonical_name) {
    if (!t.zone_id.empty()) {
        ZoneState& z = zone_by_id(t.zone_id);
        if (canonical_name)
            *canonical_name = validate_recordset_name(t.name, z.zone.name, c_.owner_names);
        return z;
    }
    // "Zone for this name": the longest visible zone containing it.
    std::string why;
    auto name = core::try_canonical_name(t.name, &why);
    if (t.name.empty() || t.name.back() != '.' || !name)
        throw core::invalid("Record set name '" + t.name +
                                "' must be a fully qualified domain name ending with a dot",
                            {"name"});
    auto known = zone_of_name_.find(*name);
    if (known == zone_of_name_.end()) {
        const core::Zone* best = nullptr;
        auto related = txn_.related_zones(*name);
        for (const auto& z : related)
            if (can_see(c_, z.project_id) && core::is_subdomain(*name, z.name) &&
                (!best || z.name.size() > best->name.size()))
                best = &z;
        if (!best) throw zone_not_found();
        known = zone_of_name_.emplace(*name, best->id).first;
    }
    ZoneState& z = zone_by_id(known->second);
    if (canonical_name)
        *canonical_name = validate_recordset_name(*name, z.zone.name, c_.owner_names);
    return z;
}

NameState& EditRun::name_state(ZoneState& z, const std::string& name) {
    auto it = z.names.find(name);
    if (it != z.names.end()) return it->second;
    NameState& n = z.names[name];
    z.name_order.push_back(name);
    std::vector<core::RecordSet> sets;
    auto pre = preloaded_.find({z.zone.id, name});
    if (pre != preloaded_.end()) {
        sets = std::move(pre->second);
        preloaded_.erase(pre);
    } else {
        sets = txn_.recordsets_at(z.zone.id, name);
    }
    for (auto& rs : sets) {
        SetState& st = n.by_type[rs.type];
        st.after = rs;
        st.before = std::move(rs);
    }
    return n;
}

// Reads the sets at every name the edit addresses by zone id and name, one
// store query per zone, instead of one per name as check/run reach them.
// Nothing else changes: zones and names are still entered in the order
// check/run touch them (name_state takes the preloaded sets), and a target
// that does not resolve is skipped here and reported by check/run.
void EditRun::preload(const ZoneEdit& edit) {
    std::map<std::string, std::optional<core::Zone>> zones;  // id -> zone, nullopt: not visible
    std::vector<std::string> zone_ids;
    std::map<std::string, std::vector<std::string>> names_of;
    std::set<std::pair<std::string, std::string>> seen;
    auto want = [&](const EditTarget& t) {
        if (by_id(t) || t.zone_id.empty() || t.name.empty()) return;
        auto it = zones.find(t.zone_id);
        if (it == zones.end()) {
            std::optional<core::Zone> zone;
            try {
                zone = visible_zone(txn_, c_, t.zone_id);
            } catch (const core::Error&) {
            }
            it = zones.emplace(t.zone_id, std::move(zone)).first;
            if (it->second) zone_ids.push_back(t.zone_id);
        }
        if (!it->second) return;
        std::string name;
        try {
            name = validate_recordset_name(t.name, it->second->name);
        } catch (const core::Error&) {
            return;
        }
        if (seen.emplace(t.zone_id, name).second) names_of[t.zone_id].push_back(std::move(name));
    };
    for (const auto& p : edit.prerequisites) want(p.target);
    for (const auto& op : edit.operations) want(op.target);
    if (seen.size() < 2) return;  // nothing to gain
    for (const auto& zone_id : zone_ids) {
        for (const auto& name : names_of[zone_id]) preloaded_[{zone_id, name}];
        for (auto& rs : txn_.recordsets_at_names(zone_id, names_of[zone_id]))
            preloaded_[{zone_id, rs.name}].push_back(std::move(rs));
    }
    // recordsets_at orders a name's sets by type; keep that.
    for (auto& [key, sets] : preloaded_)
        std::sort(sets.begin(), sets.end(), [](const core::RecordSet& a, const core::RecordSet& b) {
            return a.type < b.type;
        });
}

EditRun::Resolved EditRun::resolve(const EditTarget& t, const std::string& validated_type) {
    if (by_id(t)) {
        ZoneState* zone = nullptr;
        if (!t.zone_id.empty()) zone = &zone_by_id(t.zone_id);
        auto stored = txn_.get_recordset(t.recordset_id);
        if (!stored || (zone && stored->zone_id != zone->zone.id) ||
            (!zone && !can_see(c_, stored->project_id) &&
             !zone_shared_with(txn_, stored->zone_id, c_.project_id)))
            throw recordset_not_found();
        if (!zone) zone = &zone_by_id(stored->zone_id);
        NameState& n = name_state(*zone, stored->name);
        SetState& st = n.by_type[stored->type];
        // Deleted (or replaced by a new set) earlier in this edit.
        if (!st.after || st.after->id != t.recordset_id) throw recordset_not_found();
        return {zone, stored->name, stored->type, &st};
    }
    std::string name;
    ZoneState& zone = zone_for(t, &name);
    NameState& n = name_state(zone, name);
    return {&zone, name, validated_type, &n.by_type[validated_type]};
}

core::RecordSet EditRun::new_set(const ZoneState& z, const std::string& name,
                                 const std::string& type) {
    core::RecordSet rs;
    rs.id = common::new_ordered_uuid();
    // In a shared zone the set belongs to the project that creates it.
    rs.project_id = z.shared ? c_.project_id : z.zone.project_id;
    rs.zone_id = z.zone.id;
    rs.zone_name = z.zone.name;
    rs.name = name;
    rs.type = type;
    rs.created_at = now_;
    return rs;
}

std::vector<std::string> EditRun::canonical_values(const std::string& type,
                                                   const std::vector<std::string>& texts) {
    return canonical_records(type, texts, kNoRecordBound);
}

void EditRun::check(std::size_t index, const Prerequisite& p) {
    using K = PrerequisiteKind;
    auto failed = [](const char* type, const std::string& message) {
        return core::Error(core::ErrorKind::PreconditionFailed, type, message);
    };
    if (p.kind == K::ZoneVersion) {
        ZoneState& z =
            p.target.zone_id.empty() ? zone_for(p.target, nullptr) : zone_by_id(p.target.zone_id);
        check_if_match(p.version, z.zone.version);
        return;
    }
    if (p.kind == K::NameExists || p.kind == K::NameAbsent) {
        std::string name;
        ZoneState& z = zone_for(p.target, &name);
        NameState& n = name_state(z, name);
        bool exists = std::any_of(n.by_type.begin(), n.by_type.end(),
                                  [](const auto& kv) { return kv.second.after.has_value(); });
        if (p.kind == K::NameExists && !exists)
            throw failed(kPrerequisiteNameAbsent, "No record set exists at '" + name + "'");
        if (p.kind == K::NameAbsent && exists)
            throw failed(kPrerequisiteNameExists, "Record sets exist at '" + name + "'");
        return;
    }
    std::string type;
    if (!by_id(p.target)) {
        type = upper(p.target.type);
        if (!core::is_supported_type(type))
            throw core::invalid("Record type '" + p.target.type + "' is not supported", {"type"});
    }
    if (p.kind == K::SetVersion) {
        auto r = resolve(p.target, type);
        if (!r.set->after) throw recordset_not_found();
        check_if_match(p.version, r.set->after->version);
        return;
    }
    Resolved r{nullptr, {}, {}, nullptr};
    try {
        r = resolve(p.target, type);
    } catch (const core::Error& e) {
        if (!(by_id(p.target) && e.type() == "recordset_not_found")) throw;
        if (p.kind == K::SetAbsent) return;
        throw failed(kPrerequisiteSetAbsent, "The record set does not exist");
    }
    const std::string what = "A " + r.type + " record set at '" + r.name + "'";
    bool exists = r.set->after.has_value();
    if (p.kind == K::SetExists && !exists)
        throw failed(kPrerequisiteSetAbsent, what + " does not exist");
    if (p.kind == K::SetAbsent && exists) throw failed(kPrerequisiteSetExists, what + " exists");
    if (p.kind == K::SetEquals) {
        if (!exists) throw failed(kPrerequisiteSetAbsent, what + " does not exist");
        std::set<std::string> want;
        for (const auto& v : p.values) {
            try {
                want.insert(core::canonical_rdata(r.type, v));
            } catch (const core::Error& e) {
                throw core::invalid(e.what(), {"values"});
            }
        }
        if (want != value_set(*r.set->after))
            throw failed(kPrerequisiteSetDiffers, what + " holds other values");
    }
    (void)index;
}

void EditRun::run(std::size_t index, const EditOp& op, const PreparedOp& prepared) {
    using K = EditOpKind;
    if (op_keys_.size() <= index) op_keys_.resize(index + 1);
    if (op.kind == K::DeleteName) {
        std::string name;
        ZoneState& z = zone_for(op.target, &name);
        NameState& n = name_state(z, name);
        bool any = false;
        for (auto& [type, st] : n.by_type) {
            if (!st.after) continue;
            any = true;
            if (st.after->managed || type == "SOA") continue;
            if (z.shared) require_share_owner(c_, *st.after);
            st.after.reset();
            st.dirty = true;
            st.last_op = index;
        }
        if (!any && !op.missing_ok) throw recordset_not_found();
        n.touched = true;
        n.last_op = index;
        op_keys_[index] = OpKey{z.zone.id, name, ""};
        return;
    }

    Resolved r = resolve(op.target, prepared.type);
    ZoneState& z = *r.zone;
    SetState& st = *r.set;
    NameState& n = z.names[r.name];
    op_keys_[index] = OpKey{z.zone.id, r.name, r.type};
    const bool is_apex_ns = r.type == "NS" && r.name == z.zone.name;
    // Permission before content, as Designate: 403 before 409 / 400.
    if (op.kind == K::CreateSet) {
        if (is_apex_ns) require_managed_edit(c_, r.type, /*managed=*/true);
        if (st.after)
            throw core::Error(core::ErrorKind::Conflict, "duplicate_recordset",
                              "A " + r.type + " record set named '" + r.name + "' already exists");
    } else if (st.after) {
        require_managed_edit(c_, r.type, st.after->managed);
        // A SECONDARY zone's apex NS is its master's: its transfers replace it.
        const bool transfer = transfer_ && transfer_->zone_id == z.zone.id;
        if (op.kind == K::ReplaceSet && !transfer) require_not_apex_ns(z.zone, r.name, r.type);
        if (z.shared) require_share_owner(c_, *st.after);
    }
    std::optional<std::vector<std::string>> data = prepared.data;
    if (!data && op.records) data = canonical_values(r.type, *op.records);

    auto touch = [&] {
        st.dirty = true;
        st.last_op = index;
        n.touched = true;
        n.last_op = index;
    };
    auto create = [&] {
        if (is_apex_ns) require_managed_edit(c_, r.type, /*managed=*/true);
        if (!data) throw core::invalid("A record set needs at least one record", {"records"});
        core::RecordSet rs = new_set(z, r.name, r.type);
        rs.records = merge_records({}, *data);
        if (op.ttl) rs.ttl = *prepared.ttl;
        if (op.description) rs.description = *op.description;
        if (op.provider_meta) rs.provider_meta = *op.provider_meta;
        st.after = std::move(rs);
        touch();
    };
    auto set_members = [&](core::RecordSet& rs) {
        if (op.ttl) rs.ttl = *prepared.ttl;
        if (op.description) rs.description = *op.description;
        if (op.provider_meta) rs.provider_meta = *op.provider_meta;
    };

    switch (op.kind) {
        case K::CreateSet:
            create();
            return;
        case K::AddValues: {
            if (!st.after) {
                create();
                return;
            }
            core::RecordSet& rs = *st.after;
            auto have = value_set(rs);
            bool changed = false;
            for (const auto& d : *data)
                if (have.insert(d).second) {
                    rs.records.push_back({common::new_ordered_uuid(), d});
                    changed = true;
                }
            if (op.only_if_added && !changed) return;
            if ((op.ttl && rs.ttl != *prepared.ttl) ||
                (op.description && rs.description != *op.description) ||
                (op.provider_meta && rs.provider_meta != *op.provider_meta))
                changed = true;
            set_members(rs);
            if (changed) touch();
            return;
        }
        case K::RemoveValues: {
            if (!st.after) {
                if (op.missing_ok) return;
                throw recordset_not_found();
            }
            auto& recs = st.after->records;
            auto old_size = recs.size();
            if (!op.record_id.empty()) {
                recs.erase(
                    std::remove_if(recs.begin(), recs.end(),
                                   [&](const core::Record& x) { return x.id == op.record_id; }),
                    recs.end());
                if (recs.size() == old_size && !op.missing_ok) throw record_not_found();
            } else {
                std::set<std::string> gone(data->begin(), data->end());
                recs.erase(
                    std::remove_if(recs.begin(), recs.end(),
                                   [&](const core::Record& x) { return gone.count(x.data) > 0; }),
                    recs.end());
            }
            if (recs.size() == old_size) return;
            if (recs.empty()) st.after.reset();
            touch();
            return;
        }
        case K::ReplaceSet:
            if (!st.after) {
                if (by_id(op.target) || !data) throw recordset_not_found();
                create();
                return;
            }
            if (op.only_if_changed) {
                core::RecordSet probe = *st.after;
                if (data) probe.records = merge_records(probe.records, *data);
                set_members(probe);
                auto values = [](const core::RecordSet& rs) {
                    std::set<std::string> v;
                    for (const auto& rec : rs.records) v.insert(rec.data);
                    return v;
                };
                if (values(probe) == values(*st.after) && probe.ttl == st.after->ttl &&
                    probe.description == st.after->description &&
                    probe.provider_meta == st.after->provider_meta)
                    return;
            }
            if (data) st.after->records = merge_records(st.after->records, *data);
            set_members(*st.after);
            touch();
            return;
        case K::ReplaceValue: {
            if (!st.after) throw record_not_found();
            auto& recs = st.after->records;
            auto it = std::find_if(recs.begin(), recs.end(),
                                   [&](const core::Record& x) { return x.id == op.record_id; });
            if (it == recs.end()) throw record_not_found();
            const std::string& value = data->front();
            bool changed = it->data != value;
            it->data = value;
            auto before = recs.size();
            recs.erase(std::remove_if(recs.begin(), recs.end(),
                                      [&](const core::Record& x) {
                                          return x.data == value && x.id != op.record_id;
                                      }),
                       recs.end());
            changed = changed || recs.size() != before;
            if ((op.ttl && st.after->ttl != *prepared.ttl) ||
                (op.description && st.after->description != *op.description))
                changed = true;
            set_members(*st.after);
            if (changed) touch();
            return;
        }
        case K::DeleteSet:
            if (!st.after) {
                if (op.missing_ok) return;
                throw recordset_not_found();
            }
            st.after.reset();
            touch();
            return;
        case K::DeleteName:
            return;  // handled above
    }
}

void EditRun::validate_result() {
    for (const auto& zone_id : zone_order_) {
        ZoneState& z = zones_.at(zone_id);
        long created = 0, deleted = 0;
        long records_added = 0;  // values after minus before, over the dirty sets
        std::size_t last_creator = 0, last_grower = 0;
        for (const auto& name : z.name_order) {
            NameState& n = z.names.at(name);
            if (!n.touched) continue;
            const SetState* cname = nullptr;
            const SetState* other = nullptr;
            std::size_t live = 0;
            for (auto& [type, st] : n.by_type) {
                bool was = st.before.has_value();
                bool is_new = st.after && (!was || st.after->id != st.before->id);
                if (st.dirty && was && (!st.after || is_new)) ++deleted;
                if (st.dirty && is_new) {
                    ++created;
                    last_creator = std::max(last_creator, st.last_op);
                }
                if (st.dirty) {
                    const long grew = static_cast<long>(st.after ? st.after->records.size() : 0) -
                                      static_cast<long>(st.before ? st.before->records.size() : 0);
                    records_added += grew;
                    if (grew > 0) last_grower = std::max(last_grower, st.last_op);
                }
                if (st.dirty && st.after) {
                    if (is_new && !z.children) z.children = child_zones(txn_, z.zone);
                    static const std::vector<core::Zone> kNone;
                    const auto& children = z.children ? *z.children : kNone;
                    tagged(st.last_op, [&] {
                        validate_final_set(children, quotas_of(z.zone), z.zone, *st.after, is_new);
                    });
                }
                if (!st.after) continue;
                ++live;
                if (type == "CNAME")
                    cname = &st;
                else if (!other || (st.dirty && !other->dirty))
                    other = &st;
            }
            // RFC 1034 3.6.2 / RFC 2181 10.1, on the result of the whole edit.
            if (cname && live > 1) {
                bool cname_new =
                    cname->dirty && (!other->dirty || cname->last_op >= other->last_op);
                std::size_t blame = cname_new ? cname->last_op : other->last_op;
                tagged(blame, [&] {
                    if (cname_new)
                        throw core::invalid("A CNAME cannot be added at '" + name + "': a " +
                                                other->after->type +
                                                " record set already exists there (RFC 1034 3.6.2)",
                                            {"type"});
                    throw core::invalid("A " + other->after->type +
                                            " record set cannot be added at '" + name +
                                            "': a CNAME already exists there (RFC 1034 3.6.2)",
                                        {"type"});
                });
            }
        }
        if (created > deleted) {
            std::size_t count = txn_.count_recordsets(z.zone.id);
            const std::size_t max_sets = quotas_of(z.zone).recordsets_per_zone;
            if (count + static_cast<std::size_t>(created - deleted) > max_sets)
                tagged(last_creator, [&] {
                    throw core::Error(core::ErrorKind::TooLarge, "over_quota",
                                      "Quota exceeded: a zone may hold at most " +
                                          std::to_string(max_sets) + " record sets");
                });
        }
        // Designate's zone_records: only an edit that adds values pays the count.
        if (records_added > 0) {
            const std::size_t max_records = quotas_of(z.zone).records_per_zone;
            std::size_t count = txn_.count_records(z.zone.id);
            if (count + static_cast<std::size_t>(records_added) > max_records)
                tagged(last_grower, [&] {
                    throw core::Error(core::ErrorKind::TooLarge, "over_quota",
                                      "Quota exceeded: a zone may hold at most " +
                                          std::to_string(max_records) + " records");
                });
        }
    }
}

EditResult EditRun::write(const ZoneEdit& edit, bool log_changes, CommitBatch* batch) {
    EditResult result;
    for (const auto& zone_id : zone_order_) {
        ZoneState& z = zones_.at(zone_id);
        std::vector<SetState*> dirty;
        for (const auto& name : z.name_order)
            for (auto& [type, st] : z.names.at(name).by_type)
                if (st.dirty) dirty.push_back(&st);
        const bool transferred = transfer_ && transfer_->zone_id == zone_id;
        if (dirty.empty() && !(transferred && soa_differs(z.zone, *transfer_))) {
            result.zones.push_back(z.zone);
            continue;
        }
        auto is_new = [](const SetState* st) {
            return st->after && (!st->before || st->after->id != st->before->id);
        };
        // What the sets' values became, set by set (before any write: a
        // deleted and re-created set's key is the same SetState).
        core::ZoneChange diff;
        for (const SetState* st : dirty)
            add_set_difference(diff, st->before ? &*st->before : nullptr,
                               st->after ? &*st->after : nullptr, z.zone.ttl);
        // Deletions first (a set deleted and created again keeps its key),
        // then updates, then inserts.
        for (const SetState* st : dirty)
            if (st->before && (!st->after || is_new(st))) txn_.delete_recordset(st->before->id);
        for (SetState* st : dirty) {
            if (!st->after || is_new(st)) continue;
            auto& rs = *st->after;
            rs.version += 1;
            rs.updated_at = now_;
            txn_.update_recordset(rs, *st->before);
        }
        std::vector<const core::RecordSet*> inserts;
        for (const SetState* st : dirty)
            if (is_new(st)) inserts.push_back(&*st->after);
        txn_.insert_recordsets(inserts);

        // Joining a change of this batch: the zone row and SOA already carry
        // its new serial (nobody sees the state in between).
        const core::ZoneChange* joined =
            batch && log_changes && !transferred ? batch->joinable(z.zone) : nullptr;
        std::uint32_t old_serial = 0;
        if (joined)
            old_serial = joined->old_serial;
        else if (transferred)
            old_serial = take_transferred_soa(txn_, z.zone, *transfer_, s_.pool, now_);
        else
            old_serial = advance_serial(txn_, z.zone, s_.pool, now_);
        auto change = begin_change(z.zone, old_serial, z.zone.serial);
        change.removed = std::move(diff.removed);
        change.added = std::move(diff.added);
        change.zone = z.zone;
        change.soa_data = soa_rdata(z.zone, s_.pool);
        if (joined) {
            auto [seq, composed] = batch->join(change);
            txn_.rewrite_change(seq, composed);
        } else if (log_changes) {
            auto seq = txn_.append_change(change);
            if (batch && !transferred) batch->opened(change, seq);
        }
        result.changes.push_back(std::move(change));
        result.zones.push_back(z.zone);
    }
    if (!edit.want_operation_results) return result;
    result.operations.resize(edit.operations.size());
    op_keys_.resize(edit.operations.size());
    for (std::size_t i = 0; i < edit.operations.size(); ++i) {
        const auto& key = op_keys_[i];
        if (!key || key->type.empty()) continue;
        const SetState& st = zones_.at(key->zone_id).names.at(key->name).by_type.at(key->type);
        result.operations[i].set = st.after;
        result.operations[i].previous = st.before;
    }
    return result;
}

EditResult run_prepared(store::WriteTxn& txn, const Caller& c, const ServiceSettings& s,
                        const ZoneEdit& edit, const std::vector<PreparedOp>& prepared,
                        bool log_changes, CommitBatch* batch) {
    const std::size_t n_ops = edit.operations.size();
    EditRun run(txn, c, s, common::now_timestamp(), edit.transfer);
    // A transfer that changes only the SOA still touches its zone.
    if (edit.transfer) run.touch_zone(edit.transfer->zone_id);
    run.preload(edit);
    for (std::size_t i = 0; i < edit.prerequisites.size(); ++i)
        tagged(n_ops + i, [&] { run.check(i, edit.prerequisites[i]); });
    for (std::size_t i = 0; i < n_ops; ++i)
        tagged(i, [&] { run.run(i, edit.operations[i], prepared[i]); });
    run.validate_result();
    return run.write(edit, log_changes, batch);
}

}  // namespace

std::optional<core::Zone> ZoneService::zone_for_name(const Caller& c, const std::string& name) {
    auto canonical = core::try_canonical_name(name);
    if (!canonical) return std::nullopt;
    auto txn = store_.read();
    std::optional<core::Zone> best;
    for (auto& z : txn->related_zones(*canonical))
        if (can_see(c, z.project_id) && core::is_subdomain(*canonical, z.name) &&
            (!best || z.name.size() > best->name.size()))
            best = std::move(z);
    return best;
}

EditResult ZoneService::apply(const Caller& c, const ZoneEdit& edit) {
    require_writer(c);
    const std::size_t n_ops = edit.operations.size();
    std::vector<PreparedOp> prepared;
    prepared.reserve(n_ops);
    for (std::size_t i = 0; i < n_ops; ++i)
        prepared.push_back(tagged(i, [&] { return prepare(edit.operations[i], settings_); }));

    // The names addressed in a known zone: read with the batch's others.
    std::vector<GroupCommitter::NameHint> hints;
    auto hint = [&](const EditTarget& t) {
        if (!t.recordset_id.empty() || t.zone_id.empty() || t.name.empty()) return;
        if (auto name = core::try_canonical_name(t.name)) hints.push_back({t.zone_id, *name});
    };
    for (const auto& p : edit.prerequisites) hint(p.target);
    for (const auto& op : edit.operations) hint(op.target);
    if (hints.size() > 64) hints.clear();  // a large edit reads its names itself (preload)
    EditResult result;
    commit(
        [&](store::WriteTxn& txn) {
            result = run_prepared(txn, c, settings_, edit, prepared, true, committer_.batch());
            return result.changes;
        },
        std::move(hints));
    return result;
}

EditResult apply_edit_in(store::WriteTxn& txn, const Caller& c, const ServiceSettings& s,
                         const ZoneEdit& edit, bool log_changes) {
    require_writer(c);
    std::vector<PreparedOp> prepared;
    prepared.reserve(edit.operations.size());
    for (std::size_t i = 0; i < edit.operations.size(); ++i)
        prepared.push_back(tagged(i, [&] { return prepare(edit.operations[i], s); }));
    return run_prepared(txn, c, s, edit, prepared, log_changes, nullptr);
}

}  // namespace dnsplane::service
