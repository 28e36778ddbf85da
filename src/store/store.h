// The storage interface. SQLite implements it now (store/sqlite); a
// PostgreSQL implementation must fit without touching service or API code.
// Business rules live in service/, not here: the store only reads and writes
// rows, inside transactions, and keeps the per-zone change log.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/error.h"
#include "core/model.h"

namespace dnsplane::store {

// Which rows a list sees.
struct Scope {
    std::optional<std::string> project_id;  // nullopt: every project (admin all-projects)
    std::optional<std::string> zone_id;     // record sets: one zone only
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

class ReadTxn {
public:
    virtual ~ReadTxn() = default;

    virtual std::optional<core::Zone> get_zone(const std::string& id) = 0;
    virtual std::optional<core::Zone> find_zone_by_name(const std::string& name) = 0;
    virtual Page<core::Zone> list_zones(const ListQuery& q) = 0;
    // Zones whose name equals `name`, lies above it or below it (for
    // illegal_child / illegal_parent checks), any project.
    virtual std::vector<core::Zone> related_zones(const std::string& name) = 0;
    virtual std::vector<core::Zone> all_zones() = 0;  // DNS start-up load
    virtual std::size_t count_zones(const std::string& project_id) = 0;

    virtual std::optional<core::RecordSet> get_recordset(const std::string& id) = 0;
    virtual std::optional<core::RecordSet> find_recordset(const std::string& zone_id,
                                                          const std::string& name,
                                                          const std::string& type) = 0;
    virtual std::vector<core::RecordSet> recordsets_at(const std::string& zone_id,
                                                       const std::string& name) = 0;
    virtual Page<core::RecordSet> list_recordsets(const ListQuery& q) = 0;
    virtual std::vector<core::RecordSet> zone_recordsets(const std::string& zone_id) = 0;
    virtual std::size_t count_recordsets(const std::string& zone_id) = 0;
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

    // Users of the built-in identity endpoint. The defaults serve stores
    // without users (test fakes): nothing found.
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
};

// A write transaction; nothing is visible to others until commit(). Dropping
// it without commit() rolls back. Only one is open at a time per store.
class WriteTxn : public ReadTxn {
public:
    virtual void insert_zone(const core::Zone& z) = 0;
    virtual void update_zone(const core::Zone& z) = 0;  // by id, all mutable columns
    virtual void delete_zone(const std::string& id) = 0;  // cascades to record sets

    // Record values keep their ids: the caller passes records with ids (new
    // values get fresh ids from the service layer).
    virtual void insert_recordset(const core::RecordSet& rs) = 0;
    virtual void update_recordset(const core::RecordSet& rs) = 0;  // replaces records
    virtual void delete_recordset(const std::string& id) = 0;

    virtual void append_change(const core::ZoneChange& c) = 0;
    virtual void insert_token(const Token& t) = 0;
    // Identity endpoint: users (a duplicate name is Conflict duplicate_user),
    // token revocation (false when no token has this hash), and the removal
    // of tokens whose expires_at is before `now`.
    virtual void insert_user(const User& /*u*/) { throw core::Error(core::ErrorKind::Internal, "unsupported", "no users here"); }
    virtual bool delete_token(const std::string& /*hash*/) { throw core::Error(core::ErrorKind::Internal, "unsupported", "no tokens here"); }
    virtual void delete_expired_tokens(const std::string& /*now*/) {}

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

    // Nested savepoints (SQL SAVEPOINT): the service runs each request of a
    // group commit inside its own, so a failing request undoes only itself.
    // `name` is an identifier ([A-Za-z_][A-Za-z0-9_]*); the innermost
    // savepoint of that name is meant. rollback_to_savepoint() undoes every
    // write since savepoint() and ends the savepoint.
    virtual void savepoint(const std::string& name) = 0;
    virtual void release_savepoint(const std::string& name) = 0;
    virtual void rollback_to_savepoint(const std::string& name) = 0;

    virtual void commit() = 0;
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

class Store {
public:
    virtual ~Store() = default;
    virtual std::unique_ptr<ReadTxn> read() = 0;
    // Blocks until the single writer slot is free.
    virtual std::unique_ptr<WriteTxn> write() = 0;
    // Why the database is no longer where it was opened (file deleted, moved
    // or replaced: commits would go to a file nobody will open again);
    // nullopt when it is. Cheap (a stat); for the status probe.
    virtual std::optional<std::string> missing() { return std::nullopt; }
};

// Opens the store named by `url` ("sqlite:///abs/path.db", "sqlite://rel/path.db"
// or "sqlite:rel/path.db"), creating the file and parent folder if missing and
// applying schema migrations. Throws core::Error(Unavailable) with a clear
// message when it cannot.
std::unique_ptr<Store> open_store(const std::string& url);

}  // namespace dnsplane::store
