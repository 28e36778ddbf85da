#include "store/postgres/transactions.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <iterator>
#include <set>
#include <tuple>
#include <variant>

#include "store/postgres/sql_db.h"
#include "store/postgres/write_op.h"
#include "store/row_codec.h"
#include "store/sql_tables.h"
#include "store/sql_text.h"
#include "store/zone_names.h"

namespace dnsplane::store::postgres {
namespace {

core::Error conflict(std::string type, std::string message) {
    return core::Error(core::ErrorKind::Conflict, std::move(type), std::move(message));
}

// The caller's error for its own statement's failure: a taken unique key is
// a Conflict, a missing parent (foreign key) NotFound, the rest as it came.
[[noreturn]] void throw_mapped(const PgError& e, const char* duplicate_type,
                               const std::string& duplicate_msg,
                               const char* missing_parent_type = nullptr,
                               const std::string& missing_parent_msg = {}) {
    if (!e.deferred() && e.is_unique_violation()) throw conflict(duplicate_type, duplicate_msg);
    if (!e.deferred() && e.is_foreign_key_violation() && missing_parent_type)
        throw core::not_found(missing_parent_type, missing_parent_msg);
    throw e;
}

// The parameters of the shared zone / record set statements (row_codec.h).
std::vector<SqlValue> zone_params(const core::Zone& z) {
    std::vector<SqlValue> out;
    out.reserve(24);
    for_each_zone_value(z, [&](const auto& v) { out.push_back(sql_value(v)); });
    return out;
}

std::vector<SqlValue> recordset_params(const core::RecordSet& rs) {
    std::vector<SqlValue> out;
    out.reserve(15);
    for_each_recordset_value(rs, [&](const auto& v) { out.push_back(sql_value(v)); });
    return out;
}

// The parameters of kZoneInsert / kZoneUpdate read back as the columns of
// kZoneColumns (rname, ?5, is not selected): the zone exactly as a SELECT
// would return the row those parameters wrote.
class ZoneParamRow {
  public:
    explicit ZoneParamRow(const std::vector<SqlValue>& params) : params_(params) {}
    bool is_null(int col) const { return std::holds_alternative<std::nullptr_t>(at(col)); }
    std::int64_t int64(int col) const {
        if (const auto* n = std::get_if<std::int64_t>(&at(col))) return *n;
        if (const auto* s = std::get_if<std::string>(&at(col)))
            return std::strtoll(s->c_str(), nullptr, 10);
        return 0;
    }
    std::string text(int col) const {
        if (const auto* n = std::get_if<std::int64_t>(&at(col))) return std::to_string(*n);
        if (const auto* s = std::get_if<std::string>(&at(col))) return *s;
        return {};
    }
    std::optional<std::string> optional_text(int col) const {
        if (is_null(col)) return std::nullopt;
        return text(col);
    }

  private:
    const SqlValue& at(int col) const {
        return params_.at(static_cast<std::size_t>(col < 4 ? col : col + 1));
    }
    const std::vector<SqlValue>& params_;
};

// The record inserts of a set's values, in position order.
void add_record_inserts(const core::RecordSet& rs, std::vector<Statement>& out) {
    std::int64_t position = 0;
    for (const auto& r : rs.records)
        out.push_back(Statement{kRecordInsert, {rs.zone_id, rs.id, position++, r.id, r.data}});
}

[[noreturn]] void throw_record_taken(const PgError& e, const core::RecordSet& rs,
                                     std::size_t index) {
    const std::string id = index < rs.records.size() ? rs.records[index].id : "";
    throw_mapped(e, "duplicate_record", "record id " + id + " is already in use");
}

// More zones below one zone than this are not kept (a parent of many
// customer zones): each write then asks at its own name, as without cache.
constexpr std::int64_t kMaxZonesBelowKept = 64;
const std::string kLiveZonesInRange =
    std::string("SELECT ") + kZoneColumns +
    " FROM zones WHERE status <> 'DELETED' AND rname >= ? AND rname < ? ORDER BY rname LIMIT ?";

const std::string kZoneWithCounts = std::string("SELECT ") + kZoneColumns +
                                    ", recordset_count, record_count FROM zones WHERE id = ?";

}  // namespace

PgReadTxn::PgReadTxn(std::shared_ptr<PgPool> pool, std::unique_ptr<PgConnection> conn)
    : PgReads(*conn), pool_(std::move(pool)), owned_(std::move(conn)) {
    // A failure drops the connection (owned_ is not returned to the pool).
    conn_->exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
}

PgReadTxn::~PgReadTxn() {
    owned_->rollback();
    pool_->release_reader(std::move(owned_));
}

// More entries of other nodes than this behind at BEGIN (the follower was
// cut off): the transaction leaves them, and its own, to the follower.
constexpr std::int64_t kMaxDeliveredAtCommit = 1000;

// Change-log positions taken at BEGIN: a batch's entries (one per zone it
// changes) are then written with the next round trip instead of each
// waiting for its position. Unused ones are gaps, as rolled-back ones are.
// A transaction that uses them all (more than four zones) takes one more
// per entry, each in a round trip.
constexpr std::int64_t kSeqsTakenAtBegin = 4;
const std::string kTakePositions =
    std::string("SELECT nextval('") + kChangeLogSequence + "') FROM generate_series(1, ?::int)";

// One round trip, still inside the constructor (a dead pooled connection
// shows here, where PgStore::write() retries): BEGIN, the lock, then what
// every batch reads, seen after the lock: the other nodes' entries this
// node has not delivered (while following), the plug-in bindings, and
// change-log positions, and what `ahead` names (prefetch_names: READ
// COMMITTED, so read after the lock too). Under the lock, positions taken
// now still follow every committed entry and precede every later one.
PgWriteTxn::PgWriteTxn(std::shared_ptr<PgPool> pool, const std::vector<Store::ReadAhead>& ahead)
    : SqlTableWrites(pool->acquire_writer()), pool_(std::move(pool)) {
    try {
        conn_->clear_deferred_failure();
        conn_->defer(command("BEGIN"));
        const bool following = pool_->following();
        std::vector<Statement> statements{
            Statement{"SELECT pg_advisory_xact_lock($1::bigint)", {kWriteLockKey}}};
        if (following)
            statements.push_back(Statement{std::string("SELECT seq, ") + kChangeColumns +
                                               " FROM zone_changes WHERE seq > ?::bigint ORDER "
                                               "BY seq LIMIT ?",
                                           {pool_->delivered(), kMaxDeliveredAtCommit + 1}});
        statements.push_back(Statement{sql::kHookBindings, {}});
        statements.push_back(Statement{kTakePositions, {kSeqsTakenAtBegin}});
        // One plan per zone (each is made before any is answered).
        std::map<std::string, std::vector<std::string>> names_by_zone;
        for (const auto& a : ahead) {
            auto& names = names_by_zone[a.zone_id];
            names.insert(names.end(), a.names.begin(), a.names.end());
        }
        std::vector<Prefetch> plans;
        for (const auto& [zone_id, names] : names_by_zone)
            if (auto plan = plan_prefetch(zone_id, names, statements))
                plans.push_back(std::move(*plan));
        auto replies = conn_->round_trip(statements);
        if (replies.error) throw std::move(*replies.error);
        std::size_t next = 1;
        if (following) {
            auto& r = replies.results[next++];
            while (r.step()) before_own_.emplace_back(r.int64(0), read_change(r, 1));
            before_own_complete_ =
                before_own_.size() <= static_cast<std::size_t>(kMaxDeliveredAtCommit);
            if (!before_own_complete_) before_own_.clear();
        }
        {
            auto& r = replies.results[next++];
            const ResultRow row(r);
            bindings_.emplace();
            while (r.step()) bindings_->push_back(sql::hook_binding(row));
        }
        auto& r = replies.results[next];
        while (r.step()) spare_seqs_.push_back(r.int64(0));
        for (const auto& plan : plans) finish_prefetch(plan, replies);
    } catch (...) {
        conn_->rollback();
        pool_->release_writer();
        throw;
    }
}

std::vector<HookBinding> PgWriteTxn::hook_bindings() {
    if (bindings_) return *bindings_;
    return SqlTableWrites::hook_bindings();
}

PgWriteTxn::~PgWriteTxn() {
    if (!finished_) {
        conn_->rollback();
        for (auto seq : own_changes_) pool_->forget_own_change(seq);
    }
    pool_->release_writer();
}

void PgWriteTxn::require_open() const {
    if (finished_)
        throw core::Error(core::ErrorKind::Internal, "database_error",
                          "write transaction already committed");
    if (!conn_->ok())
        throw core::Error(core::ErrorKind::Unavailable, "database_unavailable",
                          "PostgreSQL connection lost during the write transaction");
    // A deferred statement failed: the database transaction is aborted past
    // every savepoint this object knows of, so nothing more may be written.
    if (const auto& failure = conn_->deferred_failure()) throw *failure;
}

std::int64_t PgWriteTxn::CachingDb::run(const std::string& sql,
                                        const std::vector<SqlValue>& params) {
    txn_.before_shared_sql(sql);
    txn_.forget_cached(sql);
    return txn_.db_.run(sql, params);
}

std::int64_t PgWriteTxn::CachingDb::run_unique(const std::string& sql,
                                               const std::vector<SqlValue>& params) {
    txn_.before_shared_sql(sql);
    txn_.forget_cached(sql);
    return txn_.db_.run_unique(sql, params);
}

void PgWriteTxn::CachingDb::each(const std::string& sql, const std::vector<SqlValue>& params,
                                 const std::function<void(const SqlRow&)>& on_row) {
    txn_.before_shared_sql(sql);
    txn_.db_.each(sql, params, on_row);
}

// A statement naming the change log sees (or overwrites) the entries this
// transaction still holds only once they are sent.
void PgWriteTxn::before_shared_sql(const std::string& sql) {
    if (sql.find("zone_changes") != std::string::npos) flush_change_log();
}

void PgWriteTxn::forget_cached(const std::string& sql) {
    if (sql.find("zones") != std::string::npos) {
        zones_.clear();
        below_.clear();
        at_name_.clear();  // a zone's deletion takes its sets
    }
    if (sql.find("quotas") != std::string::npos) quotas_.clear();
    if (sql.find("records") != std::string::npos) at_name_.clear();  // recordsets too
    if (sql.find("hook_bindings") != std::string::npos) bindings_.reset();
}

void PgWriteTxn::forget_all_cached() {
    zones_.clear();
    quotas_.clear();
    below_.clear();
    at_name_.clear();
    bindings_.reset();
}

const std::vector<core::RecordSet>* PgWriteTxn::cached_at(const std::string& zone_id,
                                                          const std::string& name) const {
    auto it = at_name_.find({zone_id, name});
    return it == at_name_.end() ? nullptr : &it->second;
}

void PgWriteTxn::set_removed(const std::string& zone_id, const std::string& id) {
    for (auto it = at_name_.lower_bound({zone_id, std::string()});
         it != at_name_.end() && it->first.first == zone_id; ++it)
        std::erase_if(it->second, [&](const core::RecordSet& rs) { return rs.id == id; });
}

void PgWriteTxn::set_written(const core::RecordSet& rs) {
    set_removed(rs.zone_id, rs.id);
    auto it = at_name_.find({rs.zone_id, rs.name});
    if (it == at_name_.end()) return;
    auto& sets = it->second;
    auto at = std::find_if(sets.begin(), sets.end(), [&](const core::RecordSet& s) {
        return std::tie(s.type, s.id) > std::tie(rs.type, rs.id);
    });
    sets.insert(at, rs);
}

namespace {

// A PostgreSQL text[] literal: every element quoted, quotes and
// backslashes escaped.
std::string text_array(const std::vector<std::string>& items) {
    std::string out = "{";
    for (const auto& item : items) {
        if (out.size() > 1) out += ',';
        out += '"';
        for (char ch : item) {
            if (ch == '"' || ch == '\\') out += '\\';
            out += ch;
        }
        out += '"';
    }
    out += '}';
    return out;
}

}  // namespace

// One round trip for what the batch's first request would read one by one:
// the zone row, the sets at the names not read yet and at the zone's apex
// (its SOA is rewritten by every change of the zone), the zones below the
// zone and its project's quotas. The range of names below needs the zone's
// name: the first time this process sees the zone, those two take a
// second round trip.
void PgWriteTxn::prefetch_names(const std::string& zone_id, const std::vector<std::string>& names) {
    require_open();
    std::vector<Statement> first;
    auto plan = plan_prefetch(zone_id, names, first);
    if (!plan) return;
    auto replies = conn_->round_trip(first);
    if (replies.error) throw std::move(*replies.error);
    finish_prefetch(*plan, replies);
}

// Appends to `out` the statements of prefetch_names' first round trip;
// nullopt when everything asked is cached already.
std::optional<PgWriteTxn::Prefetch> PgWriteTxn::plan_prefetch(const std::string& zone_id,
                                                              const std::vector<std::string>& names,
                                                              std::vector<Statement>& out) {
    Prefetch plan;
    plan.zone_id = zone_id;
    plan.first = out.size();
    for (const auto& name : names)
        if (!cached_at(zone_id, name)) plan.wanted.push_back(name);
    plan.zone_known = zones_.count(zone_id) > 0;
    if (!plan.zone_known) out.push_back(Statement{kZoneWithCounts, {zone_id}});
    // A zone's name does not change: with the name this process saw before,
    // the apex is one more name to read, and the zones below and the quotas
    // go in the same round trip (checked against the row read with them).
    plan.seen_name =
        plan.zone_known ? std::optional(zones_.at(zone_id).zone.name) : pool_->zone_name(zone_id);
    plan.sets_asked = !plan.wanted.empty() || !plan.zone_known ||
                      !cached_at(zone_id, zones_.at(zone_id).zone.name);
    if (plan.sets_asked && plan.seen_name) {
        auto names = plan.wanted;
        names.push_back(*plan.seen_name);
        out.push_back(sets_with_records("zone_id = ? AND name = ANY(?::text[])",
                                        {zone_id, text_array(names)}, "s.name, s.type, s.id"));
    } else if (plan.sets_asked) {
        out.push_back(sets_with_records(
            "zone_id = ? AND (name = ANY(?::text[]) OR name = (SELECT name FROM zones WHERE id = "
            "?))",
            {zone_id, text_array(plan.wanted), zone_id}, "s.name, s.type, s.id"));
    }
    if (plan.seen_name)
        plan.asked_first = ask_name_reads(zone_id, *plan.seen_name, !plan.zone_known, out);
    if (out.size() == plan.first) return std::nullopt;
    return plan;
}

// Keeps the answers to plan's statements (from replies.results[plan.first]
// on); what needed the zone's name and could not be asked with them takes
// a second round trip.
void PgWriteTxn::finish_prefetch(const Prefetch& plan, Replies& replies) {
    const auto& zone_id = plan.zone_id;
    std::size_t next = plan.first;
    if (!plan.zone_known && !keep_zone_row(zone_id, replies.results[next++]))
        return;  // no such zone
    const core::Zone zone = zones_.at(zone_id).zone;
    if (plan.sets_asked) {
        auto sets = read_sets_with_records(replies.results[next++]);
        for (const auto& name : plan.wanted) at_name_[{zone_id, name}];
        std::set<std::string> filling(plan.wanted.begin(), plan.wanted.end());
        for (auto& rs : sets) {
            std::pair<std::string, std::string> key{zone_id, rs.name};
            if (!filling.count(rs.name)) {
                // The apex: kept as read before (and maybe written since), or
                // entered whole (every set at it is in the result).
                if (at_name_.count(key)) continue;
                filling.insert(rs.name);
            }
            at_name_[key].push_back(std::move(rs));
        }
    }
    if (plan.seen_name == zone.name) keep_name_reads(zone, plan.asked_first, replies, next);
    std::vector<Statement> second;
    const NameReads asked_second =
        ask_name_reads(zone_id, zone.name, !quotas_.count(zone.project_id), second);
    if (second.empty()) return;
    auto more = conn_->round_trip(second);
    if (more.error) throw std::move(*more.error);
    keep_name_reads(zone, asked_second, more, 0);
}

// The zones below the zone (their range needs its name) when not read yet,
// and its project's quotas when `quotas`: asked, then kept.
PgWriteTxn::NameReads PgWriteTxn::ask_name_reads(const std::string& zone_id,
                                                 const std::string& zone_name, bool quotas,
                                                 std::vector<Statement>& out) {
    NameReads asked{!below_.count(zone_id), quotas};
    if (asked.below) {
        const auto range = names_below(zone_name);
        out.push_back(Statement{kLiveZonesInRange, {range.low, range.high, kMaxZonesBelowKept}});
    }
    if (asked.quotas)
        out.push_back(
            Statement{"SELECT resource, hard_limit FROM quotas WHERE project_id = "
                      "(SELECT project_id FROM zones WHERE id = ?)",
                      {zone_id}});
    return asked;
}

void PgWriteTxn::keep_name_reads(const core::Zone& zone, NameReads asked, Replies& replies,
                                 std::size_t next) {
    if (asked.below) keep_zones_below(zone, replies.results[next++]);
    if (asked.quotas) keep_quotas(zone.project_id, replies.results[next]);
}

// Rows of resource, hard_limit, kept in quotas_ (as project_quotas reads them).
void PgWriteTxn::keep_quotas(const std::string& project_id, Result& r) {
    auto& quotas = quotas_[project_id];
    quotas.clear();
    while (r.step()) quotas[r.text(0)] = r.int64(1);
}

std::vector<core::RecordSet> PgWriteTxn::recordsets_at(const std::string& zone_id,
                                                       const std::string& name) {
    if (const auto* sets = cached_at(zone_id, name)) return *sets;
    require_open();
    auto sets = PgReads<WriteTxn>::recordsets_at(zone_id, name);
    at_name_[{zone_id, name}] = sets;
    return sets;
}

std::vector<core::RecordSet> PgWriteTxn::recordsets_at_names(
    const std::string& zone_id, const std::vector<std::string>& names) {
    prefetch_names(zone_id, names);
    std::vector<core::RecordSet> out;
    for (const auto& name : names)
        if (const auto* sets = cached_at(zone_id, name))
            out.insert(out.end(), sets->begin(), sets->end());
    return out;
}

std::optional<core::RecordSet> PgWriteTxn::find_recordset(const std::string& zone_id,
                                                          const std::string& name,
                                                          const std::string& type) {
    // Every set at the name (as few as one, usually): the same round trip,
    // and a later update of the set can be queued.
    for (auto& rs : recordsets_at(zone_id, name))
        if (rs.type == type) return rs;
    return std::nullopt;
}

// This transaction changed a zone row: the cached lists of zones below keep
// their members while the zone keeps its name and liveness (the row is
// replaced in them); otherwise they are read again.
void PgWriteTxn::zone_written(const core::Zone& before, const core::Zone& after) {
    const bool same_members =
        before.name == after.name && (before.status == "DELETED") == (after.status == "DELETED");
    if (!same_members) {
        below_.clear();
        return;
    }
    for (auto& [id, zones] : below_)
        if (zones)
            for (auto& z : *zones)
                if (z.id == after.id) z = after;
}

// The deepest cached zone at or above `name`.
const core::Zone* PgWriteTxn::enclosing_cached_zone(const std::string& name) const {
    const core::Zone* best = nullptr;
    for (const auto& [id, row] : zones_) {
        const auto& z = row.zone;
        if ((z.name == name || is_strictly_below(name, z.name)) &&
            (!best || z.name.size() > best->name.size()))
            best = &z;
    }
    return best;
}

// Every zone strictly below `name` is strictly below a zone enclosing it,
// and in the same rname order: the enclosing zone's list, filtered, is the
// answer the query at `name` would give.
std::vector<core::Zone> PgWriteTxn::zones_below(const std::string& name) {
    const core::Zone* zone = enclosing_cached_zone(name);
    if (!zone) return PgReads<WriteTxn>::zones_below(name);
    auto it = below_.find(zone->id);
    if (it == below_.end()) {
        const auto range = names_below(zone->name);
        auto r = conn_->query(kLiveZonesInRange, {range.low, range.high, kMaxZonesBelowKept});
        it = keep_zones_below(*zone, r);
    }
    if (!it->second) return PgReads<WriteTxn>::zones_below(name);
    std::vector<core::Zone> out;
    for (const auto& z : *it->second)
        if (is_strictly_below(z.name, name)) out.push_back(z);
    return out;
}

// The result of kLiveZonesInRange for `zone`, kept in below_.
std::map<std::string, std::optional<std::vector<core::Zone>>>::iterator
PgWriteTxn::keep_zones_below(const core::Zone& zone, Result& r) {
    std::optional<std::vector<core::Zone>> kept;
    if (r.rows() < kMaxZonesBelowKept) {
        kept.emplace();
        while (r.step()) {
            auto z = read_zone(r);
            if (is_strictly_below(z.name, zone.name)) kept->push_back(std::move(z));
        }
    }
    return below_.insert_or_assign(zone.id, std::move(kept)).first;
}

// The row of kZoneWithCounts, kept in zones_; null when there is none.
const PgWriteTxn::CachedZone* PgWriteTxn::keep_zone_row(const std::string& id, Result& r) {
    if (!r.step()) return nullptr;
    CachedZone row{read_zone(r), r.int64(23), r.int64(24)};
    pool_->remember_zone_name(id, row.zone.name);
    return &zones_.insert_or_assign(id, std::move(row)).first->second;
}

// The row with its counts in one query (count_recordsets and count_records
// then need none).
const PgWriteTxn::CachedZone* PgWriteTxn::zone_row(const std::string& id) {
    if (auto it = zones_.find(id); it != zones_.end()) return &it->second;
    auto r = conn_->query(kZoneWithCounts, {id});
    return keep_zone_row(id, r);
}

std::optional<core::Zone> PgWriteTxn::get_zone(const std::string& id) {
    if (const auto* row = zone_row(id)) return row->zone;
    return std::nullopt;
}

std::map<std::string, std::int64_t> PgWriteTxn::project_quotas(const std::string& project_id) {
    if (auto it = quotas_.find(project_id); it != quotas_.end()) return it->second;
    auto quotas = PgReads<WriteTxn>::project_quotas(project_id);
    quotas_.emplace(project_id, quotas);
    return quotas;
}

void PgWriteTxn::insert_zone(const core::Zone& z) {
    require_open();
    WriteOp op(*conn_);
    auto r = op.run({Statement{kZoneInsert, zone_params(z)}});
    if (r.error) throw_mapped(*r.error, "duplicate_zone", zone_exists_msg(z.name));
    op.keep();
    zones_.erase(z.id);
    below_.clear();
}

// With the row read in this transaction, the UPDATE is known to find it and
// cannot take a live name from another zone (zones_live_name) when it keeps
// the live row's name or leaves the row DELETED: it cannot fail but with the
// whole transaction, so it is queued. Otherwise it runs in its savepoint.
void PgWriteTxn::update_zone(const core::Zone& z) {
    require_open();
    auto params = zone_params(z);
    core::Zone stored = read_zone(ZoneParamRow(params));
    auto cached = zones_.find(z.id);
    const bool safe = cached != zones_.end() &&
                      (z.status == "DELETED" || (cached->second.zone.name == z.name &&
                                                 cached->second.zone.status != "DELETED"));
    if (safe) {
        conn_->defer(Statement{kZoneUpdate, std::move(params)});
    } else {
        WriteOp op(*conn_);
        auto r = op.run({Statement{kZoneUpdate, std::move(params)}});
        if (r.error) throw_mapped(*r.error, "duplicate_zone", zone_exists_msg(z.name));
        if (r.results.front().affected() == 0)
            throw core::not_found("zone_not_found", "zone " + z.id + " not found");
        op.keep();
    }
    if (cached == zones_.end()) {
        below_.clear();  // what it was is unknown
        return;
    }
    zone_written(cached->second.zone, stored);
    cached->second.zone = std::move(stored);
}

void PgWriteTxn::delete_zone(const std::string& id) {
    require_open();
    flush_change_log();  // the zone's entries of this transaction go too
    WriteOp op(*conn_);
    // The zone's history goes, but deletion entries stay: the service logs
    // the deletion before deleting, and other nodes learn of it from that
    // entry.
    auto r =
        op.run({Statement{"DELETE FROM zone_changes WHERE zone_id = ? AND zone_deleted = 0", {id}},
                Statement{"DELETE FROM zones WHERE id = ?", {id}}});
    if (r.error) throw std::move(*r.error);
    if (r.results.back().affected() == 0)
        throw core::not_found("zone_not_found", "zone " + id + " not found");
    op.keep();
    count_delta_.erase(id);
    zones_.erase(id);
    below_.clear();
    at_name_.clear();
}

void PgWriteTxn::count_inserted(const core::RecordSet& rs) {
    auto& d = count_delta_[rs.zone_id];
    d.sets += 1;
    d.records += static_cast<std::int64_t>(rs.records.size());
}

// The set and its values in one round trip, or none: when this transaction
// read its zone and every set at its name (at_name_) and none has its type,
// neither its name and type nor its zone can refuse it, and its ids are
// new, so the statements are queued with the next round trip.
void PgWriteTxn::insert_recordset(const core::RecordSet& rs) {
    require_open();
    std::vector<Statement> statements{Statement{kRecordSetInsert, recordset_params(rs)}};
    add_record_inserts(rs, statements);
    const auto zone = zones_.find(rs.zone_id);
    const auto* at = cached_at(rs.zone_id, rs.name);
    if (zone != zones_.end() && zone->second.zone.status != "DELETED" && at &&
        std::none_of(at->begin(), at->end(), [&](const core::RecordSet& s) {
            return s.type == rs.type || s.id == rs.id;
        })) {
        // New rows only, the set before its values: the next round trip may
        // send them with other sets' as multi-row INSERTs.
        statements.front().fold_head = kRecordSetInsertHead;
        for (std::size_t i = 1; i < statements.size(); ++i)
            statements[i].fold_head = kRecordInsertHead;
        for (auto& st : statements) conn_->defer(std::move(st));
        count_inserted(rs);
        set_written(rs);
        return;
    }
    WriteOp op(*conn_);
    auto r = op.run(std::move(statements));
    if (r.error) {
        if (r.results.empty())
            throw_mapped(*r.error, "duplicate_recordset", recordset_exists_msg(rs),
                         "zone_not_found", "zone " + rs.zone_id + " not found");
        throw_record_taken(*r.error, rs, r.results.size() - 1);
    }
    op.keep();
    count_inserted(rs);
    set_written(rs);
}

// A few multi-row statements instead of four round trips per set (an import
// or a new catalog writes 100,000 sets in one change); one round trip per
// statement, each already large.
void PgWriteTxn::insert_recordsets(const std::vector<const core::RecordSet*>& sets) {
    if (sets.size() <= 1) {
        for (const auto* rs : sets) insert_recordset(*rs);
        return;
    }
    require_open();
    constexpr std::size_t kMaxParams = 65535;  // PostgreSQL's bind message limit
    WriteOp op(*conn_);
    auto run = [&](std::string sql, std::vector<SqlValue> params, const char* duplicate_type,
                   const char* duplicate_msg, const char* missing_type, const char* missing_msg) {
        auto r = op.run({Statement{std::move(sql), std::move(params)}});
        if (r.error)
            throw_mapped(*r.error, duplicate_type, duplicate_msg, missing_type,
                         missing_type ? missing_msg : "");
    };
    for (std::size_t done = 0; done < sets.size();) {
        const std::size_t rows =
            chunk_rows(sets.size() - done, kRecordSetInsertColumns, 1024, kMaxParams);
        std::vector<SqlValue> params;
        params.reserve(rows * kRecordSetInsertColumns);
        for (std::size_t i = 0; i < rows; ++i) {
            auto row = recordset_params(*sets[done + i]);
            std::move(row.begin(), row.end(), std::back_inserter(params));
        }
        run(multi_row_insert(kRecordSetInsertHead, kRecordSetInsertColumns, rows),
            std::move(params), "duplicate_recordset",
            "a record set of the change already exists in its zone", "zone_not_found",
            "a zone of the change was not found");
        done += rows;
    }
    std::vector<SqlValue> records;
    for (const auto* rs : sets) {
        std::int64_t position = 0;
        for (const auto& r : rs->records)
            records.insert(records.end(), {rs->zone_id, rs->id, position++, r.id, r.data});
    }
    const std::size_t total = records.size() / kRecordInsertColumns;
    for (std::size_t done = 0; done < total;) {
        const std::size_t rows = chunk_rows(total - done, kRecordInsertColumns, 2048, kMaxParams);
        const auto first =
            records.begin() + static_cast<std::ptrdiff_t>(done * kRecordInsertColumns);
        std::vector<SqlValue> params(
            std::make_move_iterator(first),
            std::make_move_iterator(first +
                                    static_cast<std::ptrdiff_t>(rows * kRecordInsertColumns)));
        run(multi_row_insert(kRecordInsertHead, kRecordInsertColumns, rows), std::move(params),
            "duplicate_record", "a record id of the change is already in use", nullptr, nullptr);
        done += rows;
    }
    op.keep();
    for (const auto* rs : sets) {
        count_inserted(*rs);
        set_written(*rs);
    }
}

// The set's row, then its values rewritten (ids as given), in one round
// trip; the replies are checked in statement order, so the caller gets the
// error the first failing step would have given on its own.
// Queued instead when the set is among those this transaction knows at its
// name (at_name_) with the same type: the UPDATE finds it and changes no
// key, and its values' ids are its own or new.
void PgWriteTxn::update_recordset(const core::RecordSet& rs) {
    require_open();
    std::vector<Statement> statements{
        Statement{kRecordSetUpdate, recordset_params(rs)},
        Statement{"DELETE FROM records WHERE zone_id = ? AND recordset_id = ?",
                  {rs.zone_id, rs.id}}};
    add_record_inserts(rs, statements);
    if (const auto* at = cached_at(rs.zone_id, rs.name)) {
        auto known = std::find_if(at->begin(), at->end(), [&](const core::RecordSet& s) {
            return s.id == rs.id && s.type == rs.type;
        });
        if (known != at->end()) {
            const auto removed = static_cast<std::int64_t>(known->records.size());
            // The same values by id, in the same order (an SOA taking its
            // next serial): only the data of those that changed is written,
            // in place, so that the rows keep their index entries.
            const bool same_ids = std::equal(
                known->records.begin(), known->records.end(), rs.records.begin(), rs.records.end(),
                [](const core::Record& a, const core::Record& b) { return a.id == b.id; });
            if (same_ids) {
                statements.resize(1);
                for (std::size_t i = 0; i < rs.records.size(); ++i)
                    if (rs.records[i].data != known->records[i].data)
                        statements.push_back(
                            Statement{"UPDATE records SET data = ? WHERE zone_id = ? AND id = ?",
                                      {rs.records[i].data, rs.zone_id, rs.records[i].id}});
            }
            for (auto& st : statements) conn_->defer(std::move(st));
            count_delta_[rs.zone_id].records +=
                static_cast<std::int64_t>(rs.records.size()) - removed;
            set_written(rs);
            return;
        }
    }
    WriteOp op(*conn_);
    auto r = op.run(std::move(statements));
    if (r.results.empty())
        throw_mapped(*r.error, "duplicate_recordset", recordset_exists_msg(rs), "zone_not_found",
                     "zone " + rs.zone_id + " not found");
    if (r.results.front().affected() == 0)
        throw core::not_found("recordset_not_found", "record set " + rs.id + " not found");
    if (r.error) {
        if (r.results.size() == 1) throw std::move(*r.error);
        throw_record_taken(*r.error, rs, r.results.size() - 2);
    }
    op.keep();
    const std::int64_t removed = r.results[1].affected();
    count_delta_[rs.zone_id].records += static_cast<std::int64_t>(rs.records.size()) - removed;
    set_written(rs);
}

void PgWriteTxn::delete_recordset(const std::string& id) {
    require_open();
    // The statement's snapshot still sees the values its cascade removes.
    auto r = conn_->query(
        "WITH d AS (DELETE FROM recordsets WHERE id = ? RETURNING zone_id) SELECT d.zone_id, "
        "(SELECT count(*) FROM records r WHERE r.zone_id = d.zone_id AND r.recordset_id = ?) "
        "FROM d",
        {id, id});
    if (!r.step()) throw core::not_found("recordset_not_found", "record set " + id + " not found");
    const std::string zone_id = r.text(0);
    auto& d = count_delta_[zone_id];
    d.sets -= 1;
    d.records -= r.int64(1);
    set_removed(zone_id, id);
}

std::size_t PgWriteTxn::count_recordsets(const std::string& zone_id) {
    const auto* row = zone_row(zone_id);
    std::int64_t n = row ? row->recordset_count : 0;
    if (auto it = count_delta_.find(zone_id); it != count_delta_.end()) n += it->second.sets;
    return static_cast<std::size_t>(std::max<std::int64_t>(n, 0));
}

std::size_t PgWriteTxn::count_records(const std::string& zone_id) {
    const auto* row = zone_row(zone_id);
    std::int64_t n = row ? row->record_count : 0;
    if (auto it = count_delta_.find(zone_id); it != count_delta_.end()) n += it->second.records;
    return static_cast<std::size_t>(std::max<std::int64_t>(n, 0));
}

// The entry and its notification (delivered to every listening node at
// COMMIT, never if rolled back): at a position taken under the lock (with
// BEGIN, or in a round trip of its own when those are used up), kept with
// the transaction until sent (flush_change_log).
std::int64_t PgWriteTxn::append_change(const core::ZoneChange& c) {
    require_open();
    if (spare_seqs_.empty()) {
        auto r = conn_->query(kTakePositions, {std::int64_t{1}});
        while (r.step()) spare_seqs_.push_back(r.int64(0));
    }
    const std::int64_t seq = spare_seqs_.front();
    spare_seqs_.erase(spare_seqs_.begin());
    pending_change_log_.insert_or_assign(seq, PendingEntry{false, c});
    own_changes_.push_back(seq);
    pool_->note_own_change(seq);
    return seq;
}

// Kept: the row was appended by this transaction and no constraint covers
// the columns rewritten (the others stay as appended).
void PgWriteTxn::rewrite_change(std::int64_t seq, const core::ZoneChange& c) {
    require_open();
    auto it = pending_change_log_.find(seq);
    if (it == pending_change_log_.end()) {
        it = pending_change_log_.emplace(seq, PendingEntry{true, {}}).first;
    } else if (!it->second.sent) {
        core::ZoneChange& entry = it->second.change;
        entry.removed = c.removed;
        entry.added = c.added;
        entry.committed_at = c.committed_at;
        entry.zone = c.zone;
        entry.soa_data = c.soa_data;
        return;
    }
    it->second.change = c;
}

// Queued ahead of whatever is sent next, in position order. A savepoint
// keeps the entries pending when it opened: a rollback to it undoes in the
// database whatever was sent since, and makes those pending again.
void PgWriteTxn::flush_change_log() {
    for (auto& [seq, entry] : pending_change_log_) {
        const core::ZoneChange& c = entry.change;
        if (entry.sent) {
            conn_->defer(
                Statement{"UPDATE zone_changes SET removed = ?, added = ?, "
                          "committed_at = ?, zone_row = ?, soa_data = ? WHERE seq = ?",
                          {rrs_to_json(c.removed), rrs_to_json(c.added), c.committed_at,
                           sql_value(change_zone_row(c)), sql_value(change_soa_data(c)), seq}});
            continue;
        }
        std::vector<SqlValue> params{seq,
                                     c.zone_id,
                                     c.zone_name,
                                     std::int64_t{c.old_serial},
                                     std::int64_t{c.new_serial},
                                     rrs_to_json(c.removed),
                                     rrs_to_json(c.added),
                                     std::int64_t{c.zone_created ? 1 : 0},
                                     std::int64_t{c.zone_deleted ? 1 : 0},
                                     c.committed_at,
                                     sql_value(change_zone_row(c)),
                                     sql_value(change_soa_data(c)),
                                     std::string(kChangeChannel),
                                     c.zone_id};
        conn_->defer(Statement{
            "WITH c AS (INSERT INTO zone_changes (seq, zone_id, zone_name, old_serial, "
            "new_serial, removed, added, zone_created, zone_deleted, committed_at, zone_row, "
            "soa_data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING seq) SELECT "
            "pg_notify(?, seq::text || ' ' || ?) FROM c",
            std::move(params)});
    }
    pending_change_log_.clear();
}

std::vector<core::ZoneChange> PgWriteTxn::changes_since(const std::string& zone_id,
                                                        std::uint32_t from_serial) {
    require_open();
    flush_change_log();
    return PgReads<WriteTxn>::changes_since(zone_id, from_serial);
}

// Queued, and sent only if a round trip happens before it ends (a group
// commit's request whose writes are all queued never sends it).
void PgWriteTxn::savepoint(const std::string& name) {
    require_open();
    const auto token = conn_->defer_savepoint(savepoint_name(name));
    savepoints_.push_back({name, token, own_changes_.size(), count_delta_, pending_change_log_});
}

// A savepoint this object opened is known to exist: its RELEASE is queued,
// or nothing at all when the savepoint itself was never sent. Any other
// name runs at once, for the database's own error.
void PgWriteTxn::release_savepoint(const std::string& name) {
    require_open();
    const std::string sql = "RELEASE SAVEPOINT " + savepoint_name(name);
    for (auto it = savepoints_.rbegin(); it != savepoints_.rend(); ++it)
        if (it->name == name) {
            if (!conn_->release_unsent(it->token)) conn_->defer(command(sql));
            savepoints_.erase(std::next(it).base(), savepoints_.end());
            return;
        }
    conn_->exec(sql);
}

void PgWriteTxn::rollback_to_savepoint(const std::string& name) {
    require_open();
    const std::string& n = savepoint_name(name);
    forget_all_cached();
    for (auto it = savepoints_.rbegin(); it != savepoints_.rend(); ++it)
        if (it->name == name) {
            if (!conn_->rollback_unsent(it->token)) {
                conn_->defer(command("ROLLBACK TO SAVEPOINT " + n));
                conn_->defer(command("RELEASE SAVEPOINT " + n));
            }
            for (std::size_t i = it->changes; i < own_changes_.size(); ++i)
                pool_->forget_own_change(own_changes_[i]);
            own_changes_.resize(it->changes);
            count_delta_ = std::move(it->count_delta);
            pending_change_log_ = std::move(it->change_log);
            savepoints_.erase(std::next(it).base(), savepoints_.end());
            return;
        }
    conn_->exec("ROLLBACK TO SAVEPOINT " + n);
    conn_->exec("RELEASE SAVEPOINT " + n);
}

// The counts and COMMIT in one round trip (with whatever is queued).
void PgWriteTxn::commit() {
    require_open();
    try {
        flush_change_log();
        for (const auto& [zone_id, delta] : count_delta_) {
            if (delta.sets == 0 && delta.records == 0) continue;
            conn_->defer(
                Statement{"UPDATE zones SET recordset_count = recordset_count + ?, "
                          "record_count = record_count + ? WHERE id = ?",
                          {delta.sets, delta.records, zone_id}});
        }
        conn_->commit();
    } catch (...) {
        // Whether a COMMIT whose answer was lost took effect is unknown; the
        // follower will publish it if it did (it is no longer "own").
        for (auto seq : own_changes_) pool_->forget_own_change(seq);
        finished_ = true;
        throw;
    }
    finished_ = true;
}

// The order lock is taken before COMMIT: once committed, the follower could
// otherwise read an entry of another node that came after this transaction
// and deliver it before this transaction's changes are published.
std::unique_lock<std::mutex> PgWriteTxn::commit_in_order() {
    if (own_changes_.empty() || !before_own_complete_) {
        commit();
        return {};
    }
    auto order = pool_->order_lock();
    commit();
    for (const auto& [seq, change] : before_own_) pool_->deliver(seq, change);
    for (auto seq : own_changes_) {
        pool_->mark_delivered(seq);
        pool_->forget_own_change(seq);
    }
    return order;
}

}  // namespace dnsplane::store::postgres
