#include "store/postgres/transactions.h"

#include <cctype>
#include <iterator>

#include "store/row_codec.h"
#include "store/sql_text.h"

namespace dnsplane::store::postgres {
namespace {

core::Error conflict(std::string type, std::string message) {
    return core::Error(core::ErrorKind::Conflict, std::move(type), std::move(message));
}

template <class Fn>
void run_mapped(Fn&& fn, const char* duplicate_type, const std::string& duplicate_msg,
                const char* missing_parent_type = nullptr,
                const std::string& missing_parent_msg = {}) {
    try {
        fn();
    } catch (const PgError& e) {
        if (e.is_unique_violation()) throw conflict(duplicate_type, duplicate_msg);
        if (e.is_foreign_key_violation() && missing_parent_type)
            throw core::not_found(missing_parent_type, missing_parent_msg);
        throw;
    }
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

}  // namespace

PgReadTxn::PgReadTxn(std::shared_ptr<PgPool> pool, std::unique_ptr<PgConnection> conn)
    : PgReads(*conn), pool_(std::move(pool)), owned_(std::move(conn)) {
    // A failure drops the connection (owned_ is not returned to the pool).
    conn_->exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
}

PgReadTxn::~PgReadTxn() {
    owned_->exec_quietly("ROLLBACK");
    pool_->release_reader(std::move(owned_));
}

PgWriteTxn::PgWriteTxn(std::shared_ptr<PgPool> pool)
    : SqlTableWrites(pool->acquire_writer()), pool_(std::move(pool)) {
    try {
        conn_->exec("BEGIN");
        conn_->query("SELECT pg_advisory_xact_lock($1::bigint)", {kWriteLockKey});
    } catch (...) {
        conn_->exec_quietly("ROLLBACK");
        pool_->release_writer();
        throw;
    }
}

PgWriteTxn::~PgWriteTxn() {
    if (!finished_) {
        conn_->exec_quietly("ROLLBACK");
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
}

// A failed statement aborts a PostgreSQL transaction; the savepoint keeps a
// failed call from poisoning the rest (the caller may carry on).
template <class Fn>
void PgWriteTxn::atomically(Fn&& fn) {
    require_open();
    conn_->exec("SAVEPOINT write_op");
    try {
        fn();
    } catch (...) {
        conn_->exec_quietly("ROLLBACK TO SAVEPOINT write_op");
        conn_->exec_quietly("RELEASE SAVEPOINT write_op");
        throw;
    }
    conn_->exec("RELEASE SAVEPOINT write_op");
}

void PgWriteTxn::insert_zone(const core::Zone& z) {
    atomically([&] {
        run_mapped([&] { conn_->query(kZoneInsert, zone_params(z)); }, "duplicate_zone",
                   zone_exists_msg(z.name));
    });
}

void PgWriteTxn::update_zone(const core::Zone& z) {
    atomically([&] {
        std::int64_t n = 0;
        run_mapped([&] { n = conn_->query(kZoneUpdate, zone_params(z)).affected(); },
                   "duplicate_zone", zone_exists_msg(z.name));
        if (n == 0) throw core::not_found("zone_not_found", "zone " + z.id + " not found");
    });
}

void PgWriteTxn::delete_zone(const std::string& id) {
    atomically([&] {
        // The zone's history goes, but deletion entries stay: the service
        // logs the deletion before deleting, and other nodes learn of it
        // from that entry.
        conn_->query("DELETE FROM zone_changes WHERE zone_id = ? AND zone_deleted = 0", {id});
        if (conn_->query("DELETE FROM zones WHERE id = ?", {id}).affected() == 0)
            throw core::not_found("zone_not_found", "zone " + id + " not found");
    });
    count_delta_.erase(id);
}

void PgWriteTxn::insert_records(const core::RecordSet& rs) {
    std::int64_t position = 0;
    for (const auto& r : rs.records) {
        run_mapped(
            [&] {
                conn_->query(kRecordInsert, {rs.zone_id, rs.id, position++, r.id, r.data});
            },
            "duplicate_record", "record id " + r.id + " is already in use");
    }
}

void PgWriteTxn::count_inserted(const core::RecordSet& rs) {
    auto& d = count_delta_[rs.zone_id];
    d.sets += 1;
    d.records += static_cast<std::int64_t>(rs.records.size());
}

void PgWriteTxn::insert_recordset(const core::RecordSet& rs) {
    atomically([&] {
        run_mapped([&] { conn_->query(kRecordSetInsert, recordset_params(rs)); },
                   "duplicate_recordset", recordset_exists_msg(rs), "zone_not_found",
                   "zone " + rs.zone_id + " not found");
        insert_records(rs);
    });
    count_inserted(rs);
}

// A few multi-row statements instead of four round trips per set (an import
// or a new catalog writes 100,000 sets in one change).
void PgWriteTxn::insert_recordsets(const std::vector<const core::RecordSet*>& sets) {
    if (sets.size() <= 1) {
        for (const auto* rs : sets) insert_recordset(*rs);
        return;
    }
    constexpr std::size_t kMaxParams = 65535;  // PostgreSQL's bind message limit
    atomically([&] {
        for (std::size_t done = 0; done < sets.size();) {
            const std::size_t rows =
                chunk_rows(sets.size() - done, kRecordSetInsertColumns, 1024, kMaxParams);
            std::vector<SqlValue> params;
            params.reserve(rows * kRecordSetInsertColumns);
            for (std::size_t i = 0; i < rows; ++i) {
                auto row = recordset_params(*sets[done + i]);
                std::move(row.begin(), row.end(), std::back_inserter(params));
            }
            run_mapped(
                [&] {
                    conn_->query(
                        multi_row_insert(kRecordSetInsertHead, kRecordSetInsertColumns, rows),
                        params);
                },
                "duplicate_recordset", "a record set of the change already exists in its zone",
                "zone_not_found", "a zone of the change was not found");
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
            const std::size_t rows =
                chunk_rows(total - done, kRecordInsertColumns, 2048, kMaxParams);
            const auto first =
                records.begin() + static_cast<std::ptrdiff_t>(done * kRecordInsertColumns);
            std::vector<SqlValue> params(
                std::make_move_iterator(first),
                std::make_move_iterator(first +
                                        static_cast<std::ptrdiff_t>(rows * kRecordInsertColumns)));
            run_mapped(
                [&] {
                    conn_->query(multi_row_insert(kRecordInsertHead, kRecordInsertColumns, rows),
                                 params);
                },
                "duplicate_record", "a record id of the change is already in use");
            done += rows;
        }
    });
    for (const auto* rs : sets) count_inserted(*rs);
}

void PgWriteTxn::update_recordset(const core::RecordSet& rs) {
    atomically([&] {
        std::int64_t n = 0;
        run_mapped([&] { n = conn_->query(kRecordSetUpdate, recordset_params(rs)).affected(); },
                   "duplicate_recordset", recordset_exists_msg(rs), "zone_not_found",
                   "zone " + rs.zone_id + " not found");
        if (n == 0)
            throw core::not_found("recordset_not_found", "record set " + rs.id + " not found");
        // The set's values are rewritten (ids as given).
        const std::int64_t removed =
            conn_
                ->query("DELETE FROM records WHERE zone_id = ? AND recordset_id = ?",
                        {rs.zone_id, rs.id})
                .affected();
        insert_records(rs);
        count_delta_[rs.zone_id].records += static_cast<std::int64_t>(rs.records.size()) - removed;
    });
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
    auto& d = count_delta_[r.text(0)];
    d.sets -= 1;
    d.records -= r.int64(1);
}

std::size_t PgWriteTxn::count_recordsets(const std::string& zone_id) {
    std::int64_t n = static_cast<std::int64_t>(PgReads<WriteTxn>::count_recordsets(zone_id));
    if (auto it = count_delta_.find(zone_id); it != count_delta_.end()) n += it->second.sets;
    return static_cast<std::size_t>(std::max<std::int64_t>(n, 0));
}

std::size_t PgWriteTxn::count_records(const std::string& zone_id) {
    std::int64_t n = static_cast<std::int64_t>(PgReads<WriteTxn>::count_records(zone_id));
    if (auto it = count_delta_.find(zone_id); it != count_delta_.end()) n += it->second.records;
    return static_cast<std::size_t>(std::max<std::int64_t>(n, 0));
}

std::int64_t PgWriteTxn::append_change(const core::ZoneChange& c) {
    require_open();
    // One round trip: the entry, and its notification (delivered to every
    // listening node at COMMIT, never if rolled back).
    auto r = conn_->query(
        "WITH c AS (INSERT INTO zone_changes (zone_id, zone_name, old_serial, new_serial, "
        "removed, added, zone_created, zone_deleted, committed_at) VALUES (?, ?, ?, ?, ?, ?, ?, "
        "?, ?) RETURNING seq) SELECT seq, pg_notify(?, seq::text || ' ' || ?) FROM c",
        {c.zone_id, c.zone_name, std::int64_t{c.old_serial}, std::int64_t{c.new_serial},
         rrs_to_json(c.removed), rrs_to_json(c.added), std::int64_t{c.zone_created ? 1 : 0},
         std::int64_t{c.zone_deleted ? 1 : 0}, c.committed_at, std::string(kChangeChannel),
         c.zone_id});
    r.step();
    const std::int64_t seq = r.int64(0);
    own_changes_.push_back(seq);
    pool_->note_own_change(seq);
    return seq;
}

void PgWriteTxn::rewrite_change(std::int64_t seq, const core::ZoneChange& c) {
    require_open();
    conn_->query("UPDATE zone_changes SET removed = ?, added = ?, committed_at = ? WHERE seq = ?",
                 {rrs_to_json(c.removed), rrs_to_json(c.added), c.committed_at, seq});
}

void PgWriteTxn::savepoint(const std::string& name) {
    require_open();
    conn_->exec("SAVEPOINT " + savepoint_name(name));
    savepoints_.push_back({name, own_changes_.size(), count_delta_});
}

void PgWriteTxn::release_savepoint(const std::string& name) {
    require_open();
    conn_->exec("RELEASE SAVEPOINT " + savepoint_name(name));
    for (auto it = savepoints_.rbegin(); it != savepoints_.rend(); ++it)
        if (it->name == name) {
            savepoints_.erase(std::next(it).base(), savepoints_.end());
            break;
        }
}

void PgWriteTxn::rollback_to_savepoint(const std::string& name) {
    require_open();
    const std::string& n = savepoint_name(name);
    conn_->exec("ROLLBACK TO SAVEPOINT " + n);
    conn_->exec("RELEASE SAVEPOINT " + n);
    for (auto it = savepoints_.rbegin(); it != savepoints_.rend(); ++it)
        if (it->name == name) {
            for (std::size_t i = it->changes; i < own_changes_.size(); ++i)
                pool_->forget_own_change(own_changes_[i]);
            own_changes_.resize(it->changes);
            count_delta_ = std::move(it->count_delta);
            savepoints_.erase(std::next(it).base(), savepoints_.end());
            break;
        }
}

void PgWriteTxn::commit() {
    require_open();
    try {
        for (const auto& [zone_id, delta] : count_delta_) {
            if (delta.sets == 0 && delta.records == 0) continue;
            conn_->query(
                "UPDATE zones SET recordset_count = recordset_count + ?, "
                "record_count = record_count + ? WHERE id = ?",
                {delta.sets, delta.records, zone_id});
        }
        conn_->exec("COMMIT");
    } catch (...) {
        // Whether a COMMIT whose answer was lost took effect is unknown; the
        // follower will publish it if it did (it is no longer "own").
        for (auto seq : own_changes_) pool_->forget_own_change(seq);
        finished_ = true;
        throw;
    }
    finished_ = true;
}

}  // namespace dnsplane::store::postgres
