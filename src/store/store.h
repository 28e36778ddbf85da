// The storage interface. SQLite implements it now (store/sqlite); a
// PostgreSQL implementation must fit without touching service or API code.
// Business rules live in service/, not here: the store only reads and writes
// rows, inside transactions, and keeps the per-zone change log.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.h"
#include "core/model.h"

namespace dnsplane::store {

// Which rows a list sees.
struct Scope {
    std::optional<std::string> project_id;  // nullopt: every project (admin all-projects)
    std::optional<std::string> zone_id;     // record sets: one zone only
    // Zones: also those shared with project_id (Designate's /v2/zones/{id}/shares
    // lets the target project list them).
    bool with_shared_zones = false;
};

// A collection query. Filters are exact, except that `*` in the value of
// name/email/description/data is a wildcard (any run of characters).
// Unknown filter attributes are ignored by the caller (API layer) before here.
struct ListQuery {
    Scope scope;
    std::vector<std::pair<std::string, std::string>> filters;
    std::string sort_key = "created_at";  // validated by the API layer
    bool descending = false;
    std::optional<std::string> marker;  // id of the last item of the previous page
    std::size_t limit = 20;
    std::optional<std::size_t> offset;  // page/per_page style; never with marker
};

template <class T>
struct Page {
    std::vector<T> items;
    std::size_t total_count = 0;  // every row matching scope + filters
    bool has_more = false;        // another page follows this one
};

struct Token {
    std::string id;
    std::string hash;  // SHA-256 hex of the secret; the secret is never stored
    std::string project_id;
    std::string role;  // admin | member | reader
    std::string created_at;
    // Tokens issued by the built-in identity endpoint (/identity/v3) name
    // their user and expire; `token create` tokens have neither (empty).
    std::string user_id;
    std::string expires_at;  // same format as created_at; empty: never
};

// A user of the built-in identity endpoint (migration 7): one project, one
// role. `password_hash` is "pbkdf2-sha256$<iterations>$<salt b64>$<hash b64>".
struct User {
    std::string id;
    std::string name;  // unique
    std::string project_id;
    std::string project_name;
    std::string role;  // admin | member | reader
    std::string password_hash;
    std::string created_at;
};

// A TSIG key (RFC 8945) as Designate's /v2/tsigkeys holds it. `secret` is
// base64; it never leaves the process except to admins through the API.
struct TsigKey {
    std::string id;
    std::string name;         // as given (a DNS name; matched case-insensitively)
    std::string algorithm;    // hmac-md5 | hmac-sha1 | hmac-sha224 | hmac-sha256 | ...
    std::string secret;       // base64
    std::string scope;        // POOL | ZONE
    std::string resource_id;  // the pool or zone id
    std::string created_at;
    std::optional<std::string> updated_at;
};

// One change_committed event waiting in the durable outbox (written in the
// transaction of the change it describes; deleted when the receiver acks).
struct OutboxEvent {
    std::int64_t seq = 0;  // outbox position (global, increasing)
    std::string id;        // event uuid
    std::string zone_id;
    std::int64_t sequence = 0;  // per zone, increasing
    std::string payload;        // the JSON body to POST
};

// Another plug-in's endpoint for one of dnsplane's extension points.
struct HookBinding {
    std::string addons_point;
    std::string plugin_id;
    std::string plugin_version;
    std::string endpoint;  // absolute URL
    std::string created_at;
};

// One record set as a streaming read of a zone sees it: only what serving
// or mirroring the zone needs. The views are valid during the callback only.
struct RecordSetView {
    std::string_view id;
    std::string_view name;
    std::string_view type;
    std::optional<std::uint32_t> ttl;  // nullopt: the zone's TTL applies
    bool managed = false;
    std::string_view provider_meta;
    std::span<const std::string> data;  // the values, in order
};

// One row of the Designate zone tasks and grants (issue 16): an import or
// export, a transfer request or accept, or a zone share. Kind-specific
// members are empty when unused. Rows are few (one per user action), so
// listing reads every row of a kind and the service filters.
struct ZoneTask {
    std::string id;
    std::string kind;  // "import" | "export" | "transfer_request" | "transfer_accept" | "share"
    std::string project_id;
    std::string zone_id;  // empty: none (an import that failed)
    // As shown (core::Zone::shown_name); only displayed, never looked up.
    std::string zone_name;
    std::string status;  // ACTIVE | COMPLETE | ERROR (tasks); ACTIVE (shares)
    std::string message;
    std::string target_project_id;  // transfer request (empty: any), share
    std::string key;                // transfer request
    std::string description;        // transfer request
    std::string request_id;         // transfer accept: its request
    std::int64_t version = 1;
    std::string created_at;
    std::optional<std::string> updated_at;
};

class ReadTxn {
  public:
    virtual ~ReadTxn() = default;

    virtual std::optional<core::Zone> get_zone(const std::string& id) = 0;
    virtual std::optional<core::Zone> find_zone_by_name(const std::string& name) = 0;
    virtual Page<core::Zone> list_zones(const ListQuery& q) = 0;
    // Zones whose name equals `name`, lies above it or below it (for
    // illegal_child / illegal_parent checks), any project.
    virtual std::vector<core::Zone> related_zones(const std::string& name) = 0;
    // The zones strictly below `name` (child zones at any depth), any project.
    virtual std::vector<core::Zone> zones_below(const std::string& name) = 0;
    virtual std::vector<core::Zone> all_zones() = 0;  // DNS start-up load
    virtual std::size_t count_zones(const std::string& project_id) = 0;

    virtual std::optional<core::RecordSet> get_recordset(const std::string& id) = 0;
    virtual std::optional<core::RecordSet> find_recordset(const std::string& zone_id,
                                                          const std::string& name,
                                                          const std::string& type) = 0;
    virtual std::vector<core::RecordSet> recordsets_at(const std::string& zone_id,
                                                       const std::string& name) = 0;
    // The sets of `zone_id` at any of `names` (records filled, in no
    // particular order): a change set touching thousands of names reads them
    // at once. The default asks recordsets_at for each name.
    virtual std::vector<core::RecordSet> recordsets_at_names(
        const std::string& zone_id, const std::vector<std::string>& names) {
        std::vector<core::RecordSet> out;
        for (const auto& name : names)
            for (auto& rs : recordsets_at(zone_id, name)) out.push_back(std::move(rs));
        return out;
    }
    virtual Page<core::RecordSet> list_recordsets(const ListQuery& q) = 0;
    virtual std::vector<core::RecordSet> zone_recordsets(const std::string& zone_id) = 0;
    virtual std::size_t count_recordsets(const std::string& zone_id) = 0;
    // The values (records) of every set of the zone, managed SOA/NS included
    // (Designate's zone_records quota counts them alike). The default walks
    // the zone; the SQL stores read zones.record_count, kept as values come and go.
    virtual std::size_t count_records(const std::string& zone_id) {
        std::size_t n = 0;
        for (const auto& rs : zone_recordsets(zone_id)) n += rs.records.size();
        return n;
    }
    // Calls `fn` for every record set of the zone (in no particular order)
    // without building core::RecordSet values: a 100,000-set zone is mirrored
    // without 100,000 allocations of a dozen strings. The default walks
    // zone_recordsets.
    virtual void scan_recordsets(const std::string& zone_id,
                                 const std::function<void(const RecordSetView&)>& fn) {
        std::vector<std::string> data;
        for (const auto& rs : zone_recordsets(zone_id)) {
            data.clear();
            for (const auto& r : rs.records) data.push_back(r.data);
            fn(RecordSetView{rs.id, rs.name, rs.type, rs.ttl, rs.managed, rs.provider_meta, data});
        }
    }
    // The set of `zone_id` holding the value (core::Record) `record_id`. The
    // default scans the zone; SQLite looks the id up by its index.
    virtual std::optional<core::RecordSet> recordset_of_record(const std::string& zone_id,
                                                               const std::string& record_id) {
        for (auto& rs : zone_recordsets(zone_id))
            for (const auto& r : rs.records)
                if (r.id == record_id) return std::move(rs);
        return std::nullopt;
    }

    // Change log entries with old_serial >= from_serial, oldest first (IXFR).
    virtual std::vector<core::ZoneChange> changes_since(const std::string& zone_id,
                                                        std::uint32_t from_serial) = 0;

    virtual std::optional<Token> find_token(const std::string& hash) = 0;

    // Users of the built-in identity endpoint (defaults: none, as above).
    virtual std::optional<User> find_user_by_name(const std::string& /*name*/) {
        return std::nullopt;
    }
    virtual std::optional<User> get_user(const std::string& /*id*/) { return std::nullopt; }

    // Plug-in platform (issue 13): outbox events oldest first, bindings,
    // tenants ("active" | "retired", nullopt when never bound).
    virtual std::vector<OutboxEvent> outbox_head(std::size_t limit) = 0;
    virtual std::size_t outbox_size() = 0;
    virtual std::vector<HookBinding> hook_bindings() = 0;
    virtual std::optional<std::string> tenant_status(const std::string& id) = 0;

    // The small tables below (store/sql_tables.h keeps them for every SQL
    // backend): the defaults find nothing, for test doubles that read only
    // zones and record sets.
    // Zone tasks and grants (issue 16).
    virtual std::optional<ZoneTask> get_task(const std::string& /*id*/) { return std::nullopt; }
    // Every row of `kind`, oldest first; with `zone_id`, only that zone's.
    virtual std::vector<ZoneTask> list_tasks(const std::string& /*kind*/,
                                             const std::optional<std::string>& /*zone_id*/) {
        return {};
    }
    // Designate admin resources (issue 16), small tables read whole, oldest
    // first (created_at, id).
    virtual std::vector<core::Tld> tlds() { return {}; }
    virtual std::vector<core::Blacklist> blacklists() { return {}; }
    // A project's quota overrides (resource -> limit); absent: the default.
    virtual std::map<std::string, std::int64_t> project_quotas(const std::string& project_id) {
        return {};
    }
    // Pools created through the API (the configured default pool is not stored).
    virtual std::vector<core::Pool> pools() { return {}; }
    // TSIG keys (few: read whole, ordered by created_at, id).
    virtual std::vector<TsigKey> tsig_keys() { return {}; }
};

// A write transaction; nothing is visible to others until commit(). Dropping
// it without commit() rolls back. Only one is open at a time per store.
class WriteTxn : public ReadTxn {
  public:
    virtual void insert_zone(const core::Zone& z) = 0;
    virtual void update_zone(const core::Zone& z) = 0;    // by id, all mutable columns
    virtual void delete_zone(const std::string& id) = 0;  // cascades to record sets

    // Record values keep their ids: the caller passes records with ids (new
    // values get fresh ids from the service layer).
    virtual void insert_recordset(const core::RecordSet& rs) = 0;
    virtual void update_recordset(const core::RecordSet& rs) = 0;  // replaces records
    // Same, given the set as this transaction holds it now (same id; the
    // caller read it): a backend may then write only the values that differ
    // without reading the set's rows again.
    virtual void update_recordset(const core::RecordSet& rs, const core::RecordSet& stored) {
        (void)stored;
        update_recordset(rs);
    }
    virtual void delete_recordset(const std::string& id) = 0;
    // Many new sets at once, all or nothing (the errors of insert_recordset;
    // a conflict names no particular set). Defined after Savepoint below: the
    // default inserts one by one inside a savepoint.
    virtual void insert_recordsets(const std::vector<const core::RecordSet*>& sets);

    // Appends `c` to its zone's change log; returns its position (seq).
    virtual std::int64_t append_change(const core::ZoneChange& c) = 0;
    // Replaces what the entry at `seq` (appended in this transaction) removed
    // and added, and its commit time: the group commit folds the changes of
    // later requests of its batch into it (service/commit_batch.h).
    virtual void rewrite_change(std::int64_t seq, const core::ZoneChange& c) = 0;
    virtual void insert_token(const Token& t) = 0;
    // Identity endpoint: users (a duplicate name is Conflict duplicate_user),
    // token revocation (false when no token has this hash), and the removal
    // of tokens whose expires_at is before `now`.
    virtual void insert_user(const User& u) = 0;
    virtual bool delete_token(const std::string& hash) = 0;
    virtual void delete_expired_tokens(const std::string& now) = 0;

    // Plug-in platform: the next per-zone event sequence (kept across acks),
    // outbox rows, bindings (one per point; put replaces), tenants, and a
    // one-row write that proves the store can commit (status probe).
    virtual std::int64_t next_event_sequence(const std::string& zone_id) = 0;
    virtual void append_outbox(const OutboxEvent& e) = 0;
    virtual void ack_outbox(std::int64_t seq) = 0;
    virtual void put_hook_binding(const HookBinding& b) = 0;
    virtual void put_tenant(const std::string& id, const std::string& status,
                            const std::string& at) = 0;
    virtual void probe_write(const std::string& at) = 0;

    // Zone tasks and grants (issue 16): insert (duplicate id or, for shares,
    // a second share of a zone with one project: 409), update by id
    // (missing: 404), delete by id (missing: no-op), and the zone's project
    // change of a transfer: the zone row and every record set it holds that
    // belonged to `from_project` move to `to_project`.
    virtual void insert_task(const ZoneTask& t) = 0;
    virtual void update_task(const ZoneTask& t) = 0;
    virtual void delete_task(const std::string& id) = 0;
    virtual void move_zone_project(const std::string& zone_id, const std::string& from_project,
                                   const std::string& to_project) = 0;
    // Designate admin resources (issue 16). insert: a taken name / pattern is
    // Conflict (duplicate_tld, duplicate_blacklist, duplicate_pool); update
    // and delete by id: a missing row is NotFound (tld_not_found, ...).
    virtual void insert_tld(const core::Tld& t) = 0;
    virtual void update_tld(const core::Tld& t) = 0;
    virtual void delete_tld(const std::string& id) = 0;
    virtual void insert_blacklist(const core::Blacklist& b) = 0;
    virtual void update_blacklist(const core::Blacklist& b) = 0;
    virtual void delete_blacklist(const std::string& id) = 0;
    virtual void set_project_quota(const std::string& project_id, const std::string& resource,
                                   std::int64_t limit) = 0;
    virtual void reset_project_quotas(const std::string& project_id) = 0;
    virtual void insert_pool(const core::Pool& p) = 0;
    virtual void update_pool(const core::Pool& p) = 0;
    virtual void delete_pool(const std::string& id) = 0;
    // TSIG keys: a duplicate name is Conflict duplicate_tsigkey; update and
    // delete of a missing id NotFound tsigkey_not_found.
    virtual void insert_tsig_key(const TsigKey& k) = 0;
    virtual void update_tsig_key(const TsigKey& k) = 0;
    virtual void delete_tsig_key(const std::string& id) = 0;

    // Nested savepoints (SQL SAVEPOINT): the service runs each request of a
    // group commit inside its own, so a failing request undoes only itself.
    // `name` is an identifier ([A-Za-z_][A-Za-z0-9_]*); the innermost
    // savepoint of that name is meant. rollback_to_savepoint() undoes every
    // write since savepoint() and ends the savepoint.
    virtual void savepoint(const std::string& name) = 0;
    virtual void release_savepoint(const std::string& name) = 0;
    virtual void rollback_to_savepoint(const std::string& name) = 0;

    virtual void commit() = 0;

    // A hint before a batch of requests runs: they will ask for the sets at
    // these names of the zone (recordsets_at, find_recordset), and for its
    // apex's. A store whose every read is a round trip reads them all at
    // once and answers from what it read, kept up to date by this
    // transaction's writes. Results never depend on it. The default ignores it.
    virtual void prefetch_names(const std::string& zone_id, const std::vector<std::string>& names) {
    }

    // commit() for a caller that publishes this transaction's changes to the
    // process's sinks right after (the group committer). With other nodes
    // on the database (PostgreSQL, followed) the changes they committed
    // before this transaction are first delivered through the follower's
    // callback, and the follower delivers nothing later until the returned
    // lock is released: every node's sinks hear the changes in commit order,
    // so none has to rebuild a zone for a change it got out of turn. An
    // empty lock when there is nothing to order (SQLite).
    virtual std::unique_lock<std::mutex> commit_in_order() {
        commit();
        return {};
    }
};

// A savepoint that rolls back unless released (exception safety).
class Savepoint {
  public:
    Savepoint(WriteTxn& txn, std::string name) : txn_(txn), name_(std::move(name)) {
        txn_.savepoint(name_);
    }
    Savepoint(const Savepoint&) = delete;
    Savepoint& operator=(const Savepoint&) = delete;
    ~Savepoint() {
        if (open_) {
            try {
                txn_.rollback_to_savepoint(name_);
            } catch (...) {
            }
        }
    }
    void release() {
        txn_.release_savepoint(name_);
        open_ = false;
    }
    // Undoes the writes since construction; throws when the database cannot.
    void rollback() {
        open_ = false;
        txn_.rollback_to_savepoint(name_);
    }

  private:
    WriteTxn& txn_;
    std::string name_;
    bool open_ = true;
};

inline void WriteTxn::insert_recordsets(const std::vector<const core::RecordSet*>& sets) {
    Savepoint sp(*this, "insert_recordsets");
    for (const auto* rs : sets) insert_recordset(*rs);
    sp.release();
}
// Commits of other processes sharing the database, delivered in commit
// order by a background thread of the store (see Store::follow).
class ChangeFollower {
  public:
    virtual ~ChangeFollower() = default;  // stops the thread
};

class Store {
  public:
    virtual ~Store() = default;
    virtual std::unique_ptr<ReadTxn> read() = 0;
    // Blocks until the single writer slot is free.
    virtual std::unique_ptr<WriteTxn> write() = 0;
    // write(), then WriteTxn::prefetch_names for each of `ahead`. A store
    // that waits for a lock at write() (PostgreSQL: the cluster-wide write
    // lock) reads them in the round trip that takes it, so that the lock is
    // not held through one more round trip; names asked later cost their own.
    struct ReadAhead {
        std::string zone_id;
        std::vector<std::string> names;
    };
    virtual std::unique_ptr<WriteTxn> write_reading(const std::vector<ReadAhead>& ahead) {
        auto txn = write();
        for (const auto& a : ahead) txn->prefetch_names(a.zone_id, a.names);
        return txn;
    }
    // Why the database is no longer where it was opened (file deleted, moved
    // or replaced: commits would go to a file nobody will open again);
    // nullopt when it is. Cheap (a stat); for the status probe.
    virtual std::optional<std::string> missing() { return std::nullopt; }

    // Several nodes on one database: whether this process is the one that
    // delivers the plug-in outbox now. One node at a time holds the lease
    // (PostgreSQL: a session advisory lock on a connection of its own, so
    // it ends with the node or its link); another node takes it at its next
    // call. Without the lease every node would post every event (twice with
    // two nodes) and could post event k+1 of a zone before k is acked.
    // Stores of one process (SQLite): always.
    virtual bool outbox_lease() { return true; }

    // Housekeeping the status probe runs every round: a store whose query
    // planner keeps table statistics brings them up to date when a table
    // has outgrown them (PostgreSQL: ANALYZE of the zone tables). Plans made
    // while a table was small (prepared statements, foreign-key checks)
    // otherwise scan it whole until autovacuum comes by, up to a minute
    // later: after loading 10,000 sets into a new database two nodes wrote
    // at a fifth of their rate for that long. Returns the tables refreshed.
    virtual std::vector<std::string> refresh_statistics() { return {}; }

    // Several nodes on one database (PostgreSQL): from now on, calls
    // `on_change` (on the follower's thread, in commit order) with every
    // change committed by another process: entries of the change log, with
    // `zone`/`soa_data` (none before migration 12). Notified within ms; a catch-up read of
    // the log after every wake-up, reconnect or second means a missed
    // notification is never a missed change. `on_link(ok, why)` reports the
    // follower's database link when it changes. nullptr: the store has no
    // other writers (SQLite).
    virtual std::unique_ptr<ChangeFollower> follow(
        std::function<void(const core::ZoneChange&)> on_change,
        std::function<void(bool ok, const std::string& why)> on_link = {}) {
        return nullptr;
    }
};

// Opens the store named by `url` ("sqlite:///abs/path.db", "sqlite://rel/path.db"
// or "sqlite:rel/path.db"; or "postgresql://USER:PASSWORD@HOST:PORT/DB",
// "postgres://...", "postgresql:///DB?host=/socket/dir"), creating the file and parent folder if
// missing and applying schema migrations. Throws core::Error(Unavailable) with a clear message when
// it cannot.
std::unique_ptr<Store> open_store(const std::string& url);

// `url` for logs and messages: a password in it ("scheme://user:PASSWORD@",
// "password=" parameter) is replaced by "***".
std::string redacted_url(const std::string& url);

}  // namespace dnsplane::store
