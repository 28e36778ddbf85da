#include "store/sql_tables.h"

#include <cctype>

#include "store/row_codec.h"

namespace dnsplane::store::sql {
namespace {

SqlValue opt(const std::optional<std::string>& v) {
    return v ? SqlValue(*v) : SqlValue(nullptr);
}

core::Error conflict(const char* type, std::string message) {
    return core::Error(core::ErrorKind::Conflict, type, std::move(message));
}

// Runs a statement a unique constraint may refuse: that becomes Conflict
// `duplicate`; returns the rows changed.
std::int64_t run_unique(SqlDb& db, const std::string& sql, const std::vector<SqlValue>& params,
                        const char* duplicate, const std::string& duplicate_msg) {
    try {
        return db.run_unique(sql, params);
    } catch (const UniqueViolation&) {
        throw conflict(duplicate, duplicate_msg);
    }
}

// An update or delete by id that changed no row: NotFound `missing`.
void require_row(std::int64_t changed, const char* missing, const std::string& missing_msg) {
    if (changed == 0) throw core::not_found(missing, missing_msg);
}

// Every row of a query through `read`, in order.
template <class T, class Read>
std::vector<T> rows(SqlDb& db, const std::string& sql, const std::vector<SqlValue>& params,
                    Read read) {
    std::vector<T> out;
    db.each(sql, params, [&](const SqlRow& r) { out.push_back(read(r)); });
    return out;
}

template <class T, class Read>
std::optional<T> first_row(SqlDb& db, const std::string& sql, const std::vector<SqlValue>& params,
                           Read read) {
    std::optional<T> out;
    db.each(sql, params, [&](const SqlRow& r) {
        if (!out) out = read(r);
    });
    return out;
}

std::int64_t count(SqlDb& db, const std::string& sql) {
    std::int64_t n = 0;
    db.each(sql, {}, [&](const SqlRow& r) { n = r.int64(0); });
    return n;
}

}  // namespace

// ---- identity -------------------------------------------------------------

std::optional<Token> find_token(SqlDb& db, const std::string& hash) {
    return first_row<Token>(db,
                            "SELECT id, hash, project_id, role, created_at, user_id, expires_at "
                            "FROM tokens WHERE hash = ?",
                            {hash}, read_token<SqlRow>);
}

void insert_token(SqlDb& db, const Token& t) {
    run_unique(db,
               "INSERT INTO tokens (id, hash, project_id, role, created_at, user_id, expires_at) "
               "VALUES (?, ?, ?, ?, ?, ?, ?)",
               {t.id, t.hash, t.project_id, t.role, t.created_at, t.user_id, t.expires_at},
               "duplicate_token", "a token with this id or secret already exists");
}

bool delete_token(SqlDb& db, const std::string& hash) {
    return db.run("DELETE FROM tokens WHERE hash = ?", {hash}) > 0;
}

void delete_expired_tokens(SqlDb& db, const std::string& now) {
    db.run("DELETE FROM tokens WHERE expires_at <> '' AND expires_at < ?", {now});
}

namespace {
const std::string kUsers =
    "SELECT id, name, project_id, project_name, role, password_hash, created_at FROM users ";
}

std::optional<User> find_user_by_name(SqlDb& db, const std::string& name) {
    return first_row<User>(db, kUsers + "WHERE name = ?", {name}, read_user<SqlRow>);
}

std::optional<User> get_user(SqlDb& db, const std::string& id) {
    return first_row<User>(db, kUsers + "WHERE id = ?", {id}, read_user<SqlRow>);
}

void insert_user(SqlDb& db, const User& u) {
    run_unique(db,
               "INSERT INTO users (id, name, project_id, project_name, role, password_hash, "
               "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
               {u.id, u.name, u.project_id, u.project_name, u.role, u.password_hash, u.created_at},
               "duplicate_user", "a user named " + u.name + " already exists");
}

// ---- plug-in platform -----------------------------------------------------

std::vector<OutboxEvent> outbox_head(SqlDb& db, std::size_t limit) {
    return rows<OutboxEvent>(
        db, "SELECT seq, id, zone_id, sequence, payload FROM hook_outbox ORDER BY seq LIMIT ?",
        {static_cast<std::int64_t>(limit)}, [](const SqlRow& r) {
            return OutboxEvent{r.int64(0), r.text(1), r.text(2), r.int64(3), r.text(4)};
        });
}

std::size_t outbox_size(SqlDb& db) {
    return static_cast<std::size_t>(count(db, "SELECT count(*) FROM hook_outbox"));
}

HookBinding hook_binding(const SqlRow& r) {
    return HookBinding{r.text(0), r.text(1), r.text(2), r.text(3), r.text(4)};
}

std::vector<HookBinding> hook_bindings(SqlDb& db) {
    return rows<HookBinding>(db, kHookBindings, {}, hook_binding);
}

std::optional<std::string> tenant_status(SqlDb& db, const std::string& id) {
    return first_row<std::string>(db, "SELECT status FROM tenants WHERE id = ?", {id},
                                  [](const SqlRow& r) { return r.text(0); });
}

std::int64_t next_event_sequence(SqlDb& db, const std::string& zone_id) {
    std::int64_t last = 1;
    db.each(
        "INSERT INTO hook_sequences (zone_id, last) VALUES (?, 1) ON CONFLICT (zone_id) DO "
        "UPDATE SET last = hook_sequences.last + 1 RETURNING last",
        {zone_id}, [&](const SqlRow& r) { last = r.int64(0); });
    return last;
}

void append_outbox(SqlDb& db, const OutboxEvent& e) {
    db.run("INSERT INTO hook_outbox (id, zone_id, sequence, payload) VALUES (?, ?, ?, ?)",
           {e.id, e.zone_id, e.sequence, e.payload});
}

void ack_outbox(SqlDb& db, std::int64_t seq) {
    db.run("DELETE FROM hook_outbox WHERE seq = ?", {seq});
}

void put_hook_binding(SqlDb& db, const HookBinding& b) {
    db.run(
        "INSERT INTO hook_bindings (addons_point, plugin_id, plugin_version, endpoint, "
        "created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (addons_point) DO UPDATE SET "
        "plugin_id = excluded.plugin_id, plugin_version = excluded.plugin_version, "
        "endpoint = excluded.endpoint, created_at = excluded.created_at",
        {b.addons_point, b.plugin_id, b.plugin_version, b.endpoint, b.created_at});
}

void put_tenant(SqlDb& db, const std::string& id, const std::string& status,
                const std::string& at) {
    db.run(
        "INSERT INTO tenants (id, status, updated_at) VALUES (?, ?, ?) ON CONFLICT (id) DO "
        "UPDATE SET status = excluded.status, updated_at = excluded.updated_at",
        {id, status, at});
}

void probe_write(SqlDb& db, const std::string& at) {
    db.run(
        "INSERT INTO status_probe (id, at) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET "
        "at = excluded.at",
        {at});
}

// ---- zone tasks and grants ------------------------------------------------

namespace {
const std::string kTasks =
    "SELECT id, kind, project_id, zone_id, zone_name, status, message, target_project_id, "
    "task_key, description, request_id, version, created_at, updated_at FROM zone_tasks ";

// In the column order of the INSERT and of the UPDATE's SET list (id last).
std::vector<SqlValue> task_columns(const ZoneTask& t) {
    return {t.kind,           t.project_id, t.zone_id,           t.zone_name,
            t.status,         t.message,    t.target_project_id, t.key,
            t.description,    t.request_id, t.version,           t.created_at,
            opt(t.updated_at)};
}
}  // namespace

std::optional<ZoneTask> get_task(SqlDb& db, const std::string& id) {
    return first_row<ZoneTask>(db, kTasks + "WHERE id = ?", {id}, read_task<SqlRow>);
}

std::vector<ZoneTask> list_tasks(SqlDb& db, const std::string& kind,
                                 const std::optional<std::string>& zone_id) {
    if (zone_id)
        return rows<ZoneTask>(db, kTasks + "WHERE zone_id = ? AND kind = ? ORDER BY created_at, id",
                              {*zone_id, kind}, read_task<SqlRow>);
    return rows<ZoneTask>(db, kTasks + "WHERE kind = ? ORDER BY created_at, id", {kind},
                          read_task<SqlRow>);
}

void insert_task(SqlDb& db, const ZoneTask& t) {
    auto params = task_columns(t);
    params.push_back(t.id);
    const bool share = t.kind == "share";
    run_unique(db,
               "INSERT INTO zone_tasks (kind, project_id, zone_id, zone_name, status, message, "
               "target_project_id, task_key, description, request_id, version, created_at, "
               "updated_at, id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
               params, share ? "duplicate_shared_zone" : "duplicate_task",
               share ? "The zone is already shared with project " + t.target_project_id
                     : "a task with this id already exists");
}

void update_task(SqlDb& db, const ZoneTask& t) {
    auto params = task_columns(t);
    params.push_back(t.id);
    const bool share = t.kind == "share";
    require_row(run_unique(db,
                           "UPDATE zone_tasks SET kind = ?, project_id = ?, zone_id = ?, "
                           "zone_name = ?, status = ?, message = ?, target_project_id = ?, "
                           "task_key = ?, description = ?, request_id = ?, version = ?, "
                           "created_at = ?, updated_at = ? WHERE id = ?",
                           params, share ? "duplicate_shared_zone" : "duplicate_task",
                           share ? "The zone is already shared with project " + t.target_project_id
                                 : "a task with this id already exists"),
                "task_not_found", "Could not find the task");
}

void delete_task(SqlDb& db, const std::string& id) {
    db.run("DELETE FROM zone_tasks WHERE id = ?", {id});
}

void move_zone_project(SqlDb& db, const std::string& zone_id, const std::string& from_project,
                       const std::string& to_project) {
    db.run("UPDATE zones SET project_id = ? WHERE id = ?", {to_project, zone_id});
    db.run("UPDATE recordsets SET project_id = ? WHERE zone_id = ? AND project_id = ?",
           {to_project, zone_id, from_project});
}

// ---- Designate admin tables -----------------------------------------------

namespace {
// TLDs and blacklists are the same shape: (id, <name>, description,
// created_at, updated_at) with <name> unique.
struct NamedTable {
    const char* table;
    const char* name_column;
    const char* duplicate;  // Conflict type
    const char* label;      // "TLD", "Blacklist"
    const char* missing;    // NotFound type
    const char* missing_msg;
};
const NamedTable kTlds{"tlds", "name",          "duplicate_tld",
                       "TLD",  "tld_not_found", "Could not find Tld"};
const NamedTable kBlacklists{"blacklists",          "pattern",
                             "duplicate_blacklist", "Blacklist",
                             "blacklist_not_found", "Could not find Blacklist"};

template <class T>
std::vector<T> named_rows(SqlDb& db, const NamedTable& t) {
    return rows<T>(db,
                   std::string("SELECT id, ") + t.name_column +
                       ", description, created_at, updated_at FROM " + t.table +
                       " ORDER BY created_at, id",
                   {}, [](const SqlRow& r) {
                       return T{r.text(0), r.text(1), r.text(2), r.text(3), r.optional_text(4)};
                   });
}

std::string taken(const NamedTable& t, const std::string& name) {
    return std::string(t.label) + " '" + name + "' already exists";
}

void insert_named(SqlDb& db, const NamedTable& t, const std::string& id, const std::string& name,
                  const std::string& description, const std::string& created_at,
                  const std::optional<std::string>& updated_at) {
    run_unique(db,
               std::string("INSERT INTO ") + t.table + " (id, " + t.name_column +
                   ", description, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
               {id, name, description, created_at, opt(updated_at)}, t.duplicate, taken(t, name));
}

void update_named(SqlDb& db, const NamedTable& t, const std::string& id, const std::string& name,
                  const std::string& description, const std::optional<std::string>& updated_at) {
    require_row(run_unique(db,
                           std::string("UPDATE ") + t.table + " SET " + t.name_column +
                               " = ?, description = ?, updated_at = ? WHERE id = ?",
                           {name, description, opt(updated_at), id}, t.duplicate, taken(t, name)),
                t.missing, t.missing_msg);
}

void delete_by_id(SqlDb& db, const char* table, const std::string& id, const char* missing,
                  const std::string& missing_msg) {
    require_row(db.run(std::string("DELETE FROM ") + table + " WHERE id = ?", {id}), missing,
                missing_msg);
}
}  // namespace

std::vector<core::Tld> tlds(SqlDb& db) {
    return named_rows<core::Tld>(db, kTlds);
}
void insert_tld(SqlDb& db, const core::Tld& t) {
    insert_named(db, kTlds, t.id, t.name, t.description, t.created_at, t.updated_at);
}
void update_tld(SqlDb& db, const core::Tld& t) {
    update_named(db, kTlds, t.id, t.name, t.description, t.updated_at);
}
void delete_tld(SqlDb& db, const std::string& id) {
    delete_by_id(db, kTlds.table, id, kTlds.missing, kTlds.missing_msg);
}

std::vector<core::Blacklist> blacklists(SqlDb& db) {
    return named_rows<core::Blacklist>(db, kBlacklists);
}
void insert_blacklist(SqlDb& db, const core::Blacklist& b) {
    insert_named(db, kBlacklists, b.id, b.pattern, b.description, b.created_at, b.updated_at);
}
void update_blacklist(SqlDb& db, const core::Blacklist& b) {
    update_named(db, kBlacklists, b.id, b.pattern, b.description, b.updated_at);
}
void delete_blacklist(SqlDb& db, const std::string& id) {
    delete_by_id(db, kBlacklists.table, id, kBlacklists.missing, kBlacklists.missing_msg);
}

std::map<std::string, std::int64_t> project_quotas(SqlDb& db, const std::string& project_id) {
    std::map<std::string, std::int64_t> out;
    db.each("SELECT resource, hard_limit FROM quotas WHERE project_id = ?", {project_id},
            [&](const SqlRow& r) { out[r.text(0)] = r.int64(1); });
    return out;
}

void set_project_quota(SqlDb& db, const std::string& project_id, const std::string& resource,
                       std::int64_t limit) {
    db.run(
        "INSERT INTO quotas (project_id, resource, hard_limit) VALUES (?, ?, ?) ON CONFLICT "
        "(project_id, resource) DO UPDATE SET hard_limit = excluded.hard_limit",
        {project_id, resource, limit});
}

void reset_project_quotas(SqlDb& db, const std::string& project_id) {
    db.run("DELETE FROM quotas WHERE project_id = ?", {project_id});
}

std::vector<core::Pool> pools(SqlDb& db) {
    return rows<core::Pool>(db,
                            "SELECT id, name, description, project_id, ns_records, attributes, "
                            "created_at, updated_at FROM pools ORDER BY created_at, id",
                            {}, read_pool<SqlRow>);
}

namespace {
std::string pool_taken(const core::Pool& p) {
    return "Pool '" + p.name + "' already exists";
}
}  // namespace

void insert_pool(SqlDb& db, const core::Pool& p) {
    run_unique(db,
               "INSERT INTO pools (id, name, description, project_id, ns_records, attributes, "
               "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
               {p.id, p.name, p.description, p.project_id, ns_records_to_json(p.ns_records),
                attributes_to_json(p.attributes), p.created_at, opt(p.updated_at)},
               "duplicate_pool", pool_taken(p));
}

void update_pool(SqlDb& db, const core::Pool& p) {
    require_row(run_unique(db,
                           "UPDATE pools SET name = ?, description = ?, project_id = ?, "
                           "ns_records = ?, attributes = ?, updated_at = ? WHERE id = ?",
                           {p.name, p.description, p.project_id, ns_records_to_json(p.ns_records),
                            attributes_to_json(p.attributes), opt(p.updated_at), p.id},
                           "duplicate_pool", pool_taken(p)),
                "pool_not_found", "Could not find Pool");
}

void delete_pool(SqlDb& db, const std::string& id) {
    delete_by_id(db, "pools", id, "pool_not_found", "Could not find Pool");
}

// ---- TSIG keys --------------------------------------------------------------

namespace {
// The unique column: names match case-insensitively, with or without the
// final dot, as DNS names do.
std::string lower_name(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (!s.empty() && s.back() != '.') s.push_back('.');
    return s;
}

std::string tsig_taken(const TsigKey& k) {
    return "a TSIG key named " + k.name + " already exists";
}
}  // namespace

std::vector<TsigKey> tsig_keys(SqlDb& db) {
    return rows<TsigKey>(db,
                         "SELECT id, name, algorithm, secret, scope, resource_id, created_at, "
                         "updated_at FROM tsig_keys ORDER BY created_at, id",
                         {}, [](const SqlRow& r) {
                             return TsigKey{r.text(0), r.text(1), r.text(2), r.text(3),
                                            r.text(4), r.text(5), r.text(6), r.optional_text(7)};
                         });
}

void insert_tsig_key(SqlDb& db, const TsigKey& k) {
    run_unique(db,
               "INSERT INTO tsig_keys (id, name, lname, algorithm, secret, scope, resource_id, "
               "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
               {k.id, k.name, lower_name(k.name), k.algorithm, k.secret, k.scope, k.resource_id,
                k.created_at, opt(k.updated_at)},
               "duplicate_tsigkey", tsig_taken(k));
}

void update_tsig_key(SqlDb& db, const TsigKey& k) {
    require_row(run_unique(db,
                           "UPDATE tsig_keys SET name = ?, lname = ?, algorithm = ?, secret = ?, "
                           "scope = ?, resource_id = ?, updated_at = ? WHERE id = ?",
                           {k.name, lower_name(k.name), k.algorithm, k.secret, k.scope,
                            k.resource_id, opt(k.updated_at), k.id},
                           "duplicate_tsigkey", tsig_taken(k)),
                "tsigkey_not_found", "TSIG key " + k.id + " not found");
}

void delete_tsig_key(SqlDb& db, const std::string& id) {
    delete_by_id(db, "tsig_keys", id, "tsigkey_not_found", "TSIG key " + id + " not found");
}

}  // namespace dnsplane::store::sql
