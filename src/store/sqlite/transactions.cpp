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

const char* const kZoneInsert =
    "INSERT INTO zones (id, pool_id, project_id, name, rname, email, ttl, serial, status, "
    "action, description, type, masters, transferred_at, version, created_at, updated_at, "
    "refresh, retry, expire, minimum, soa_mname, soa_rname) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
    "?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23)";

const char* const kZoneUpdate =
    "UPDATE zones SET pool_id = ?2, project_id = ?3, name = ?4, rname = ?5, email = ?6, "
    "ttl = ?7, serial = ?8, status = ?9, action = ?10, description = ?11, type = ?12, "
    "masters = ?13, transferred_at = ?14, version = ?15, created_at = ?16, updated_at = ?17, "
    "refresh = ?18, retry = ?19, expire = ?20, minimum = ?21, soa_mname = ?22, soa_rname = ?23 "
    "WHERE id = ?1";

const char* const kRecordSetInsert =
    "INSERT INTO recordsets (id, zone_id, project_id, zone_name, name, type, ttl, description, "
    "status, action, version, created_at, updated_at, managed, provider_meta) VALUES (?1, ?2, ?3, "
    "?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)";

// A record set never moves to another zone: the zone is part of its key.
const char* const kRecordSetUpdate =
    "UPDATE recordsets SET project_id = ?3, zone_name = ?4, name = ?5, type = ?6, ttl = ?7, "
    "description = ?8, status = ?9, action = ?10, version = ?11, created_at = ?12, "
    "updated_at = ?13, managed = ?14, provider_meta = ?15 WHERE id = ?1 AND zone_id = ?2";

// Rows per multi-row INSERT within this connection's parameter limit.
std::size_t chunk_rows(Connection& conn, std::size_t remaining, std::size_t cols, std::size_t cap) {
    const auto limit =
        static_cast<std::size_t>(sqlite3_limit(conn.handle(), SQLITE_LIMIT_VARIABLE_NUMBER, -1));
    return store::chunk_rows(remaining, cols, cap, limit);
}

std::string zone_exists_msg(const std::string& name) {
    return "a zone named " + name + " already exists";
}

std::string recordset_exists_msg(const core::RecordSet& rs) {
    return "a record set " + rs.name + " " + rs.type + " already exists in the zone";
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
    : SqliteReads(pool->acquire_writer()), pool_(std::move(pool)) {
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
    auto st = conn_.prepare(
        "INSERT INTO records (zone_id, recordset_id, position, id, data) VALUES (?, ?, ?, ?, ?)");
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

void SqliteWriteTxn::update_recordset(const core::RecordSet& rs) {
    atomically([&] {
        auto st = conn_.prepare(kRecordSetUpdate);
        bind_recordset(st, rs);
        run_mapped(st, "duplicate_recordset", recordset_exists_msg(rs), "zone_not_found",
                   "zone " + rs.zone_id + " not found");
        if (conn_.changes() == 0)
            throw core::not_found("recordset_not_found", "record set " + rs.id + " not found");
        update_records(rs);
    });
}

// The common edits of a big set (values removed, values changed in place,
// values appended) touch only those rows; any other reordering rewrites the
// set's rows. Positions only order the values, so gaps are fine.
void SqliteWriteTxn::update_records(const core::RecordSet& rs) {
    struct Row {
        std::int64_t position;
        std::string id, data;
    };
    std::vector<Row> old;
    {
        auto st = conn_.prepare(
            "SELECT position, id, data FROM records WHERE zone_id = ? AND recordset_id = ? "
            "ORDER BY position");
        st.bind(1, rs.zone_id).bind(2, rs.id);
        while (st.step()) old.push_back({st.int64(0), st.text(1), st.text(2)});
    }
    std::unordered_map<std::string_view, std::size_t> new_index;
    new_index.reserve(rs.records.size());
    for (std::size_t i = 0; i < rs.records.size(); ++i) new_index.emplace(rs.records[i].id, i);
    // The kept old rows must be a prefix of the new list, in the same order.
    std::size_t kept = 0;
    bool incremental = true;
    for (const auto& row : old) {
        auto it = new_index.find(row.id);
        if (it == new_index.end()) continue;
        if (it->second != kept) {
            incremental = false;
            break;
        }
        ++kept;
    }
    if (!incremental) {
        conn_.prepare("DELETE FROM records WHERE zone_id = ? AND recordset_id = ?")
            .bind(1, rs.zone_id)
            .bind(2, rs.id)
            .run();
        insert_records(rs);
        return;
    }
    std::int64_t next = old.empty() ? 0 : old.back().position + 1;
    for (const auto& row : old) {
        auto it = new_index.find(row.id);
        if (it == new_index.end()) {
            conn_
                .prepare(
                    "DELETE FROM records WHERE zone_id = ? AND recordset_id = ? AND "
                    "position = ?")
                .bind(1, rs.zone_id)
                .bind(2, rs.id)
                .bind(3, row.position)
                .run();
        } else if (rs.records[it->second].data != row.data) {
            conn_
                .prepare(
                    "UPDATE records SET data = ? WHERE zone_id = ? AND recordset_id = ? AND "
                    "position = ?")
                .bind(1, rs.records[it->second].data)
                .bind(2, rs.zone_id)
                .bind(3, rs.id)
                .bind(4, row.position)
                .run();
        }
    }
    if (kept == rs.records.size()) return;
    auto st = conn_.prepare(
        "INSERT INTO records (zone_id, recordset_id, position, id, data) VALUES (?, ?, ?, ?, ?)");
    for (std::size_t i = kept; i < rs.records.size(); ++i) {
        const auto& r = rs.records[i];
        st.bind(1, rs.zone_id).bind(2, rs.id).bind(3, next++).bind(4, r.id).bind(5, r.data);
        run_mapped(st, "duplicate_record", "record id " + r.id + " is already in use");
        st.reset();
    }
}

void SqliteWriteTxn::delete_recordset(const std::string& id) {
    require_open();
    conn_.prepare("DELETE FROM recordsets WHERE id = ?").bind(1, id).run();
    if (conn_.changes() == 0)
        throw core::not_found("recordset_not_found", "record set " + id + " not found");
}

void SqliteWriteTxn::append_change(const core::ZoneChange& c) {
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
}

void SqliteWriteTxn::insert_token(const Token& t) {
    require_open();
    auto st = conn_.prepare(
        "INSERT INTO tokens (id, hash, project_id, role, created_at, user_id, expires_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)");
    st.bind(1, t.id).bind(2, t.hash).bind(3, t.project_id).bind(4, t.role).bind(5, t.created_at);
    st.bind(6, t.user_id).bind(7, t.expires_at);
    run_mapped(st, "duplicate_token", "a token with this id or secret already exists");
}

void SqliteWriteTxn::insert_user(const User& u) {
    require_open();
    auto st = conn_.prepare(
        "INSERT INTO users (id, name, project_id, project_name, role, password_hash, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)");
    st.bind(1, u.id).bind(2, u.name).bind(3, u.project_id).bind(4, u.project_name);
    st.bind(5, u.role).bind(6, u.password_hash).bind(7, u.created_at);
    run_mapped(st, "duplicate_user", "a user named " + u.name + " already exists");
}

bool SqliteWriteTxn::delete_token(const std::string& hash) {
    require_open();
    auto st = conn_.prepare("DELETE FROM tokens WHERE hash = ?");
    st.bind(1, hash).run();
    return conn_.changes() > 0;
}

void SqliteWriteTxn::delete_expired_tokens(const std::string& now) {
    require_open();
    auto st = conn_.prepare("DELETE FROM tokens WHERE expires_at <> '' AND expires_at < ?");
    st.bind(1, now).run();
}

std::int64_t SqliteWriteTxn::next_event_sequence(const std::string& zone_id) {
    require_open();
    auto st = conn_.prepare(
        "INSERT INTO hook_sequences (zone_id, last) VALUES (?, 1) "
        "ON CONFLICT(zone_id) DO UPDATE SET last = last + 1 RETURNING last");
    st.bind(1, zone_id);
    std::int64_t last = st.step() ? st.int64(0) : 1;
    st.reset();
    return last;
}

void SqliteWriteTxn::append_outbox(const OutboxEvent& e) {
    require_open();
    auto st = conn_.prepare(
        "INSERT INTO hook_outbox (id, zone_id, sequence, payload) VALUES (?, ?, ?, ?)");
    st.bind(1, e.id).bind(2, e.zone_id).bind(3, e.sequence).bind(4, e.payload).run();
}

void SqliteWriteTxn::ack_outbox(std::int64_t seq) {
    require_open();
    conn_.prepare("DELETE FROM hook_outbox WHERE seq = ?").bind(1, seq).run();
}

void SqliteWriteTxn::put_hook_binding(const HookBinding& b) {
    require_open();
    auto st = conn_.prepare(
        "INSERT OR REPLACE INTO hook_bindings (addons_point, plugin_id, plugin_version, "
        "endpoint, created_at) VALUES (?, ?, ?, ?, ?)");
    st.bind(1, b.addons_point)
        .bind(2, b.plugin_id)
        .bind(3, b.plugin_version)
        .bind(4, b.endpoint)
        .bind(5, b.created_at)
        .run();
}

void SqliteWriteTxn::put_tenant(const std::string& id, const std::string& status,
                                const std::string& at) {
    require_open();
    auto st =
        conn_.prepare("INSERT OR REPLACE INTO tenants (id, status, updated_at) VALUES (?, ?, ?)");
    st.bind(1, id).bind(2, status).bind(3, at).run();
}

void SqliteWriteTxn::probe_write(const std::string& at) {
    require_open();
    conn_.prepare("INSERT OR REPLACE INTO status_probe (id, at) VALUES (1, ?)").bind(1, at).run();
}

namespace {
void bind_task(Statement& st, const ZoneTask& t) {
    st.bind(1, t.id)
        .bind(2, t.kind)
        .bind(3, t.project_id)
        .bind(4, t.zone_id)
        .bind(5, t.zone_name)
        .bind(6, t.status)
        .bind(7, t.message)
        .bind(8, t.target_project_id)
        .bind(9, t.key)
        .bind(10, t.description)
        .bind(11, t.request_id)
        .bind(12, t.version)
        .bind(13, t.created_at)
        .bind(14, t.updated_at);
}
}  // namespace

void SqliteWriteTxn::insert_task(const ZoneTask& t) {
    require_open();
    auto st = conn_.prepare(
        "INSERT INTO zone_tasks (id, kind, project_id, zone_id, zone_name, status, message, "
        "target_project_id, task_key, description, request_id, version, created_at, updated_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)");
    bind_task(st, t);
    run_mapped(st, t.kind == "share" ? "duplicate_shared_zone" : "duplicate_task",
               t.kind == "share" ? "The zone is already shared with project " + t.target_project_id
                                 : "a task with this id already exists");
}

void SqliteWriteTxn::update_task(const ZoneTask& t) {
    require_open();
    auto st = conn_.prepare(
        "UPDATE zone_tasks SET kind = ?2, project_id = ?3, zone_id = ?4, zone_name = ?5, "
        "status = ?6, message = ?7, target_project_id = ?8, task_key = ?9, description = ?10, "
        "request_id = ?11, version = ?12, created_at = ?13, updated_at = ?14 WHERE id = ?1");
    bind_task(st, t);
    st.run();
    if (conn_.changes() == 0) throw core::not_found("task_not_found", "Could not find the task");
}

void SqliteWriteTxn::delete_task(const std::string& id) {
    require_open();
    conn_.prepare("DELETE FROM zone_tasks WHERE id = ?").bind(1, id).run();
}

void SqliteWriteTxn::move_zone_project(const std::string& zone_id, const std::string& from_project,
                                       const std::string& to_project) {
    require_open();
    conn_.prepare("UPDATE zones SET project_id = ? WHERE id = ?")
        .bind(1, to_project)
        .bind(2, zone_id)
        .run();
    conn_.prepare("UPDATE recordsets SET project_id = ? WHERE zone_id = ? AND project_id = ?")
        .bind(1, to_project)
        .bind(2, zone_id)
        .bind(3, from_project)
        .run();
}

namespace {
std::string lower_name(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (!s.empty() && s.back() != '.') s.push_back('.');
    return s;
}
}  // namespace

void SqliteWriteTxn::insert_tsig_key(const TsigKey& k) {
    require_open();
    auto st = conn_.prepare(
        "INSERT INTO tsig_keys (id, name, lname, algorithm, secret, scope, resource_id, "
        "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    st.bind(1, k.id)
        .bind(2, k.name)
        .bind(3, lower_name(k.name))
        .bind(4, k.algorithm)
        .bind(5, k.secret)
        .bind(6, k.scope)
        .bind(7, k.resource_id)
        .bind(8, k.created_at)
        .bind(9, k.updated_at);
    run_mapped(st, "duplicate_tsigkey", "a TSIG key named " + k.name + " already exists");
}

void SqliteWriteTxn::update_tsig_key(const TsigKey& k) {
    require_open();
    auto st = conn_.prepare(
        "UPDATE tsig_keys SET name = ?2, lname = ?3, algorithm = ?4, secret = ?5, scope = ?6, "
        "resource_id = ?7, updated_at = ?8 WHERE id = ?1");
    st.bind(1, k.id)
        .bind(2, k.name)
        .bind(3, lower_name(k.name))
        .bind(4, k.algorithm)
        .bind(5, k.secret)
        .bind(6, k.scope)
        .bind(7, k.resource_id)
        .bind(8, k.updated_at);
    run_mapped(st, "duplicate_tsigkey", "a TSIG key named " + k.name + " already exists");
    if (conn_.changes() == 0)
        throw core::not_found("tsigkey_not_found", "TSIG key " + k.id + " not found");
}

void SqliteWriteTxn::delete_tsig_key(const std::string& id) {
    require_open();
    conn_.prepare("DELETE FROM tsig_keys WHERE id = ?").bind(1, id).run();
    if (conn_.changes() == 0)
        throw core::not_found("tsigkey_not_found", "TSIG key " + id + " not found");
}

namespace {
const std::string& savepoint_name(const std::string& name) {
    bool ok = !name.empty() && !std::isdigit(static_cast<unsigned char>(name[0]));
    for (char ch : name) ok = ok && (std::isalnum(static_cast<unsigned char>(ch)) || ch == '_');
    if (!ok)
        throw core::Error(core::ErrorKind::Internal, "database_error",
                          "invalid savepoint name '" + name + "'");
    return name;
}
}  // namespace

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
