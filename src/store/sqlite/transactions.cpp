#include "store/sqlite/transactions.h"

#include <algorithm>
#include <cctype>
#include <string_view>
#include <tuple>
#include <unordered_map>

#include "store/sql_text.h"
#include "store/sqlite/row_codec.h"

namespace dnsplane::store::sqlite {
namespace {

core::Error conflict(std::string type, std::string message) {
    return core::Error(core::ErrorKind::Conflict, std::move(type), std::move(message));
}

// Runs a statement, turning the constraint failures a caller can cause into
// typed errors; anything else stays a SqliteError.
void run_mapped(Statement& st, const char* duplicate_type, const std::string& duplicate_msg,
                const char* missing_parent_type = nullptr,
                const std::string& missing_parent_msg = {}) {
    try {
        st.run();
    } catch (const SqliteError& e) {
        if (e.is_unique_violation()) throw conflict(duplicate_type, duplicate_msg);
        if (e.is_foreign_key_violation() && missing_parent_type)
            throw core::not_found(missing_parent_type, missing_parent_msg);
        throw;
    }
}

void rollback_quietly(Connection& conn) {
    if (!sqlite3_get_autocommit(conn.handle())) conn.exec_quietly("ROLLBACK");
}

// Rows per multi-row INSERT within this connection's parameter limit.
std::size_t chunk_rows(Connection& conn, std::size_t remaining, std::size_t cols, std::size_t cap) {
    const auto limit =
        static_cast<std::size_t>(sqlite3_limit(conn.handle(), SQLITE_LIMIT_VARIABLE_NUMBER, -1));
    return store::chunk_rows(remaining, cols, cap, limit);
}

}  // namespace

SqliteReadTxn::SqliteReadTxn(std::shared_ptr<ConnectionPool> pool, std::unique_ptr<Connection> conn)
    : SqliteReads(*conn), pool_(std::move(pool)), owned_(std::move(conn)) {
    // Deferred: the snapshot is taken at the first query and kept until the end.
    conn_.prepare("BEGIN").run();
}

SqliteReadTxn::~SqliteReadTxn() {
    rollback_quietly(conn_);
    // A connection stuck in a transaction must not be reused.
    if (sqlite3_get_autocommit(conn_.handle())) pool_->release_reader(std::move(owned_));
}

SqliteWriteTxn::SqliteWriteTxn(std::shared_ptr<ConnectionPool> pool)
    : SqlTableWrites(pool->acquire_writer()), pool_(std::move(pool)) {
    try {
        // IMMEDIATE takes the file's write lock now, so the transaction can
        // never fail later with SQLITE_BUSY on its first write.
        conn_.prepare("BEGIN IMMEDIATE").run();
    } catch (...) {
        pool_->release_writer();
        throw;
    }
}

SqliteWriteTxn::~SqliteWriteTxn() {
    if (!finished_) rollback_quietly(conn_);
    pool_->release_writer();
}

void SqliteWriteTxn::require_open() const {
    if (finished_)
        throw core::Error(core::ErrorKind::Internal, "database_error",
                          "write transaction already committed");
    // SQLite rolls the whole transaction back by itself on some I/O errors;
    // carrying on would silently autocommit each later statement.
    if (sqlite3_get_autocommit(conn_.handle()))
        throw core::Error(core::ErrorKind::Unavailable, "database_unavailable",
                          "write transaction was rolled back by the database");
}

template <class Fn>
void SqliteWriteTxn::atomically(Fn&& fn) {
    require_open();
    conn_.prepare("SAVEPOINT write_op").run();
    try {
        fn();
    } catch (...) {
        conn_.exec_quietly("ROLLBACK TO write_op");
        conn_.exec_quietly("RELEASE write_op");
        throw;
    }
    conn_.prepare("RELEASE write_op").run();
}

void SqliteWriteTxn::insert_zone(const core::Zone& z) {
    require_open();
    auto st = conn_.prepare(kZoneInsert);
    bind_zone(st, z);
    run_mapped(st, "duplicate_zone", zone_exists_msg(z.name));
}

void SqliteWriteTxn::update_zone(const core::Zone& z) {
    require_open();
    auto st = conn_.prepare(kZoneUpdate);
    bind_zone(st, z);
    run_mapped(st, "duplicate_zone", zone_exists_msg(z.name));
    if (conn_.changes() == 0)
        throw core::not_found("zone_not_found", "zone " + z.id + " not found");
}

void SqliteWriteTxn::delete_zone(const std::string& id) {
    atomically([&] {
        conn_.prepare("DELETE FROM zone_changes WHERE zone_id = ?").bind(1, id).run();
        auto st = conn_.prepare("DELETE FROM zones WHERE id = ?");
        st.bind(1, id).run();
        if (conn_.changes() == 0)
            throw core::not_found("zone_not_found", "zone " + id + " not found");
    });
}

void SqliteWriteTxn::insert_records(const core::RecordSet& rs) {
    auto st = conn_.prepare(kRecordInsert);
    std::int64_t position = 0;
    for (const auto& r : rs.records) {
        st.bind(1, rs.zone_id).bind(2, rs.id).bind(3, position++).bind(4, r.id).bind(5, r.data);
        run_mapped(st, "duplicate_record", "record id " + r.id + " is already in use");
        st.reset();
    }
}

void SqliteWriteTxn::insert_recordset(const core::RecordSet& rs) {
    atomically([&] {
        auto st = conn_.prepare(kRecordSetInsert);
        bind_recordset(st, rs);
        run_mapped(st, "duplicate_recordset", recordset_exists_msg(rs), "zone_not_found",
                   "zone " + rs.zone_id + " not found");
        insert_records(rs);
    });
}

void SqliteWriteTxn::insert_recordsets(const std::vector<const core::RecordSet*>& sets) {
    if (sets.size() <= 1) {
        for (const auto* rs : sets) insert_recordset(*rs);
        return;
    }
    // In clustered-key order: consecutive rows of a statement share pages.
    std::vector<const core::RecordSet*> order(sets);
    std::sort(order.begin(), order.end(), [](const core::RecordSet* a, const core::RecordSet* b) {
        return std::tie(a->zone_id, a->id) < std::tie(b->zone_id, b->id);
    });
    struct RecordRow {
        const core::RecordSet* rs;
        std::int64_t position;
        const core::Record* record;
    };
    std::vector<RecordRow> records;
    for (const auto* rs : order) {
        std::int64_t position = 0;
        for (const auto& r : rs->records) records.push_back({rs, position++, &r});
    }
    atomically([&] {
        constexpr std::size_t kSetCols = kRecordSetInsertColumns,
                              kRecordCols = kRecordInsertColumns;
        for (std::size_t done = 0; done < order.size();) {
            const std::size_t rows = chunk_rows(conn_, order.size() - done, kSetCols, 1024);
            auto st = conn_.prepare(multi_row_insert(kRecordSetInsertHead, kSetCols, rows));
            for (std::size_t i = 0; i < rows; ++i)
                bind_recordset(st, *order[done + i], static_cast<int>(i * kSetCols + 1));
            run_mapped(st, "duplicate_recordset",
                       "a record set of the change already exists in its zone", "zone_not_found",
                       "a zone of the change was not found");
            done += rows;
        }
        for (std::size_t done = 0; done < records.size();) {
            const std::size_t rows = chunk_rows(conn_, records.size() - done, kRecordCols, 2048);
            auto st = conn_.prepare(multi_row_insert(kRecordInsertHead, kRecordCols, rows));
            for (std::size_t i = 0; i < rows; ++i) {
                const auto& row = records[done + i];
                const int o = static_cast<int>(i * kRecordCols);
                st.bind(o + 1, row.rs->zone_id)
                    .bind(o + 2, row.rs->id)
                    .bind(o + 3, row.position)
                    .bind(o + 4, row.record->id)
                    .bind(o + 5, row.record->data);
            }
            run_mapped(st, "duplicate_record", "a record id of the change is already in use");
            done += rows;
        }
    });
}

void SqliteWriteTxn::update_recordset_row(const core::RecordSet& rs) {
    auto st = conn_.prepare(kRecordSetUpdate);
    bind_recordset(st, rs);
    run_mapped(st, "duplicate_recordset", recordset_exists_msg(rs), "zone_not_found",
               "zone " + rs.zone_id + " not found");
    if (conn_.changes() == 0)
        throw core::not_found("recordset_not_found", "record set " + rs.id + " not found");
}

void SqliteWriteTxn::update_recordset(const core::RecordSet& rs) {
    atomically([&] {
        update_recordset_row(rs);
        update_records(rs);
    });
}

void SqliteWriteTxn::update_recordset(const core::RecordSet& rs, const core::RecordSet& stored) {
    atomically([&] {
        update_recordset_row(rs);
        update_records(rs, stored);
    });
}

// One pass over both lists in order: a stored value the new list does not
// have at that point is deleted, values both have in step stay (rewritten
// when the data changed), and what is left of the new list is appended after
// the set's last position. A reordered value is deleted and appended again,
// so the result is right for any edit and touches only the rows that moved;
// every statement is an index lookup (records.id is unique, the primary key
// ends with the position).
void SqliteWriteTxn::update_records(const core::RecordSet& rs, const core::RecordSet& stored) {
    const auto& old = stored.records;
    const auto& now = rs.records;
    std::size_t j = 0;
    std::vector<std::size_t> rewritten;
    for (const auto& row : old) {
        if (j < now.size() && now[j].id == row.id) {
            if (now[j].data != row.data) rewritten.push_back(j);
            ++j;
            continue;
        }
        conn_.prepare("DELETE FROM records WHERE id = ?").bind(1, row.id).run();
    }
    for (std::size_t k : rewritten)
        conn_.prepare("UPDATE records SET data = ? WHERE id = ?")
            .bind(1, now[k].data)
            .bind(2, now[k].id)
            .run();
    if (j == now.size()) return;
    std::int64_t next = 0;
    {
        auto st = conn_.prepare(
            "SELECT COALESCE(MAX(position) + 1, 0) FROM records WHERE zone_id = ? AND "
            "recordset_id = ?");
        st.bind(1, rs.zone_id).bind(2, rs.id);
        if (st.step()) next = st.int64(0);
    }
    auto st = conn_.prepare(kRecordInsert);
    for (std::size_t i = j; i < now.size(); ++i) {
        const auto& r = now[i];
        st.bind(1, rs.zone_id).bind(2, rs.id).bind(3, next++).bind(4, r.id).bind(5, r.data);
        run_mapped(st, "duplicate_record", "record id " + r.id + " is already in use");
        st.reset();
    }
}

// Without the caller's copy: the stored values are read (in position order)
// and written as above.
void SqliteWriteTxn::update_records(const core::RecordSet& rs) {
    core::RecordSet stored;
    auto st = conn_.prepare(
        "SELECT id, data FROM records WHERE zone_id = ? AND recordset_id = ? ORDER BY position");
    st.bind(1, rs.zone_id).bind(2, rs.id);
    while (st.step()) stored.records.push_back({st.text(0), st.text(1)});
    update_records(rs, stored);
}

void SqliteWriteTxn::delete_recordset(const std::string& id) {
    require_open();
    conn_.prepare("DELETE FROM recordsets WHERE id = ?").bind(1, id).run();
    if (conn_.changes() == 0)
        throw core::not_found("recordset_not_found", "record set " + id + " not found");
}

// The zone_row / soa_data columns (migration 12) stay NULL here: they exist
// for nodes that follow another node's log (PostgreSQL); nobody follows a
// SQLite store, and the ~0.5 KB per entry (rewritten by every request that
// joins a batch) cost the single-node write path a few per cent.
std::int64_t SqliteWriteTxn::append_change(const core::ZoneChange& c) {
    require_open();
    auto st = conn_.prepare(
        "INSERT INTO zone_changes (zone_id, zone_name, old_serial, new_serial, removed, added, "
        "zone_created, zone_deleted, committed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    st.bind(1, c.zone_id)
        .bind(2, c.zone_name)
        .bind(3, std::int64_t{c.old_serial})
        .bind(4, std::int64_t{c.new_serial})
        .bind(5, rrs_to_json(c.removed))
        .bind(6, rrs_to_json(c.added))
        .bind(7, std::int64_t{c.zone_created ? 1 : 0})
        .bind(8, std::int64_t{c.zone_deleted ? 1 : 0})
        .bind(9, c.committed_at)
        .run();
    return conn_.last_insert_rowid();
}

void SqliteWriteTxn::rewrite_change(std::int64_t seq, const core::ZoneChange& c) {
    require_open();
    conn_.prepare("UPDATE zone_changes SET removed = ?, added = ?, committed_at = ? WHERE seq = ?")
        .bind(1, rrs_to_json(c.removed))
        .bind(2, rrs_to_json(c.added))
        .bind(3, c.committed_at)
        .bind(4, seq)
        .run();
}

void SqliteWriteTxn::savepoint(const std::string& name) {
    require_open();
    conn_.exec("SAVEPOINT " + savepoint_name(name));
}

void SqliteWriteTxn::release_savepoint(const std::string& name) {
    require_open();
    conn_.exec("RELEASE " + savepoint_name(name));
}

void SqliteWriteTxn::rollback_to_savepoint(const std::string& name) {
    require_open();
    const std::string& n = savepoint_name(name);
    conn_.exec("ROLLBACK TO " + n);
    conn_.exec("RELEASE " + n);
}

void SqliteWriteTxn::commit() {
    require_open();
    conn_.prepare("COMMIT").run();
    finished_ = true;
}

}  // namespace dnsplane::store::sqlite
