// The small tables every SQL backend keeps the same way, written once over
// store::SqlDb: tokens and users (identity), the plug-in platform's outbox,
// sequences, bindings and tenants, zone tasks and grants, the Designate admin
// tables (TLDs, blacklists, quotas, pools) and TSIG keys. The SQL is the
// common subset of SQLite and PostgreSQL (`?` parameters, INSERT ... ON
// CONFLICT DO UPDATE, RETURNING). Backends reach these through the
// SqlTableReads / SqlTableWrites mixins (store/sql_table_txn.h).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/model.h"
#include "store/sql_db.h"
#include "store/store.h"

namespace dnsplane::store::sql {

// Identity: tokens and users. insert_*: a duplicate is Conflict
// duplicate_token / duplicate_user.
std::optional<Token> find_token(SqlDb& db, const std::string& hash);
void insert_token(SqlDb& db, const Token& t);
bool delete_token(SqlDb& db, const std::string& hash);
void delete_expired_tokens(SqlDb& db, const std::string& now);
std::optional<User> find_user_by_name(SqlDb& db, const std::string& name);
std::optional<User> get_user(SqlDb& db, const std::string& id);
void insert_user(SqlDb& db, const User& u);

// Plug-in platform (migration 3).
std::vector<OutboxEvent> outbox_head(SqlDb& db, std::size_t limit);
std::size_t outbox_size(SqlDb& db);
std::vector<HookBinding> hook_bindings(SqlDb& db);
// Its statement and row, for a backend that sends it with others in one
// round trip.
inline constexpr char kHookBindings[] =
    "SELECT addons_point, plugin_id, plugin_version, endpoint, created_at FROM hook_bindings "
    "ORDER BY addons_point";
HookBinding hook_binding(const SqlRow& r);
std::optional<std::string> tenant_status(SqlDb& db, const std::string& id);
std::int64_t next_event_sequence(SqlDb& db, const std::string& zone_id);
void append_outbox(SqlDb& db, const OutboxEvent& e);
void ack_outbox(SqlDb& db, std::int64_t seq);
void put_hook_binding(SqlDb& db, const HookBinding& b);
void put_tenant(SqlDb& db, const std::string& id, const std::string& status, const std::string& at);
void probe_write(SqlDb& db, const std::string& at);

// Zone tasks and grants (migration 6), as store::WriteTxn describes them.
std::optional<ZoneTask> get_task(SqlDb& db, const std::string& id);
std::vector<ZoneTask> list_tasks(SqlDb& db, const std::string& kind,
                                 const std::optional<std::string>& zone_id);
void insert_task(SqlDb& db, const ZoneTask& t);
void update_task(SqlDb& db, const ZoneTask& t);
void delete_task(SqlDb& db, const std::string& id);
void move_zone_project(SqlDb& db, const std::string& zone_id, const std::string& from_project,
                       const std::string& to_project);

// Designate admin tables (migration 5).
std::vector<core::Tld> tlds(SqlDb& db);
void insert_tld(SqlDb& db, const core::Tld& t);
void update_tld(SqlDb& db, const core::Tld& t);
void delete_tld(SqlDb& db, const std::string& id);
std::vector<core::Blacklist> blacklists(SqlDb& db);
void insert_blacklist(SqlDb& db, const core::Blacklist& b);
void update_blacklist(SqlDb& db, const core::Blacklist& b);
void delete_blacklist(SqlDb& db, const std::string& id);
std::map<std::string, std::int64_t> project_quotas(SqlDb& db, const std::string& project_id);
void set_project_quota(SqlDb& db, const std::string& project_id, const std::string& resource,
                       std::int64_t limit);
void reset_project_quotas(SqlDb& db, const std::string& project_id);
std::vector<core::Pool> pools(SqlDb& db);
void insert_pool(SqlDb& db, const core::Pool& p);
void update_pool(SqlDb& db, const core::Pool& p);
void delete_pool(SqlDb& db, const std::string& id);

// TSIG keys (migration 4).
std::vector<TsigKey> tsig_keys(SqlDb& db);
void insert_tsig_key(SqlDb& db, const TsigKey& k);
void update_tsig_key(SqlDb& db, const TsigKey& k);
void delete_tsig_key(SqlDb& db, const std::string& id);

}  // namespace dnsplane::store::sql
