// Thin RAII layer over libpq: one connection with its own cache of prepared
// statements (by SQL text), and a cursor over one result. A PgConnection is
// used by one thread at a time (the pool and the writer slot guarantee it).
// SQL may use `?` placeholders (numbered $1, $2, ... in order before it is
// prepared, outside quotes), `?n` (SQLite's numbered form) or `$n` directly.
// Values travel as text; the server infers each parameter's type from where
// it is used.
//
// Round trips are what a write costs (~50-100 us each, and the cluster-wide
// write lock is held across all of them), so statements whose answer nobody
// waits for are not sent one by one: defer() queues them, and the next call
// that needs an answer (query, round_trip, sync) sends the queue and its own
// statements together in libpq pipeline mode, one round trip. A queued
// statement that fails is thrown there (PgError::deferred()); the server
// skips everything after it up to the end of that round trip.
#pragma once

#include <libpq-fe.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/error.h"
#include "store/sql_value.h"

namespace dnsplane::store::postgres {

// A failed libpq call. Connection failures (SQLSTATE class 08, admin
// shutdown, a broken socket) are Unavailable "database_unavailable"; the rest
// Internal "database_error". Messages never carry the connection string.
class PgError : public core::Error {
  public:
    PgError(core::ErrorKind kind, std::string sqlstate, std::string message);
    const std::string& sqlstate() const noexcept { return sqlstate_; }
    bool is_unique_violation() const noexcept { return sqlstate_ == "23505"; }
    bool is_foreign_key_violation() const noexcept { return sqlstate_ == "23503"; }
    // Raised by a statement queued with defer() earlier, not by the
    // statement of the call that threw it: callers must not read it as the
    // refusal of their own statement (no mapping to duplicate_*, no
    // rollback of their own savepoint).
    bool deferred() const noexcept { return deferred_; }
    void set_deferred() noexcept { deferred_ = true; }

  private:
    std::string sqlstate_;
    bool deferred_ = false;
};

class Result {
  public:
    explicit Result(PGresult* res);
    ~Result();
    Result(Result&& o) noexcept;
    Result(const Result&) = delete;
    Result& operator=(const Result&) = delete;
    Result& operator=(Result&& o) noexcept;

    bool step();  // next row; true: a row is available
    int rows() const { return rows_; }
    std::int64_t affected() const;       // rows changed by INSERT/UPDATE/DELETE
    std::string command_status() const;  // the command tag: "COMMIT", "ROLLBACK", "INSERT 0 1"

    bool is_null(int col) const;
    std::int64_t int64(int col) const;
    std::string text(int col) const;
    std::string_view text_view(int col) const;
    std::optional<std::string> optional_text(int col) const;
    SqlValue value(int col) const;  // text or NULL

  private:
    PGresult* res_;
    int rows_ = 0;
    int row_ = -1;
};

// One statement of a round trip. `prepared`: parsed once per connection
// (by SQL text); false sends it unnamed, for transaction control and
// statements whose text varies (savepoint names).
struct Statement {
    std::string sql;
    std::vector<SqlValue> params;
    bool prepared = true;
    std::uint64_t savepoint = 0;  // a queued SAVEPOINT's token (defer_savepoint)
    // Set on a queued one-row INSERT of new rows: "INSERT INTO t (cols)",
    // params one row. Queued ones next to each other go as one multi-row
    // INSERT per table, tables in the order they first appear in the run
    // (set only where that order is safe: a new set, then its values).
    const char* fold_head = nullptr;
};

// Transaction control (BEGIN, SAVEPOINT x, ...): unnamed, no parameters.
inline Statement command(std::string sql) {
    return Statement{std::move(sql), {}, false};
}

// What the caller's own statements of one round trip did: the results of
// those that ran, in order; `error` is the failure of statement
// `results.size()`, after which the server ran none of the rest.
struct Replies {
    std::vector<Result> results;
    std::optional<PgError> error;
};

class PgConnection {
  public:
    // `conninfo`: a postgresql:// or postgres:// URI or a keyword string.
    // Throws PgError (Unavailable) when the server cannot be reached.
    explicit PgConnection(const std::string& conninfo);
    ~PgConnection();
    PgConnection(const PgConnection&) = delete;
    PgConnection& operator=(const PgConnection&) = delete;

    // Runs one statement with parameters (prepared once per connection),
    // after whatever is queued, in one round trip.
    Result query(const std::string& sql, const std::vector<SqlValue>& params = {});
    // Runs SQL without parameters (may hold several statements). Sends the
    // queue first if there is one (a round trip of its own).
    void exec(const std::string& sql);
    // Drops the queue unsent and rolls the transaction back; false when the
    // server did not confirm.
    bool rollback() noexcept;

    // Queues a statement whose answer the caller does not need. Only for
    // statements whose failure means the transaction has failed as a whole
    // (transaction control, writes no constraint can refuse): that failure
    // is thrown by a later call, on behalf of another caller.
    void defer(Statement statement);
    // Queues "SAVEPOINT <name>" like any statement, and returns its token:
    // until a round trip sends it, the savepoint can be ended without a
    // word to the server. Most savepoints of a group commit see no round
    // trip (their writes are all queued), and then cost nothing.
    std::uint64_t defer_savepoint(const std::string& name);
    // RELEASE of a savepoint still queued: it leaves the queue, with the
    // queued savepoints opened inside it (released with it), and its
    // statements stay, now the enclosing scope's. False once it was sent.
    bool release_unsent(std::uint64_t token);
    // ROLLBACK TO (and RELEASE) of a savepoint still queued: it and every
    // statement queued after it leave the queue. False once it was sent.
    bool rollback_unsent(std::uint64_t token);
    // Sends the queue (nothing when empty); throws its first failure.
    void sync();
    // Sends the queue and COMMIT in one round trip. Throws unless the server
    // committed: a COMMIT of a transaction that is already aborted answers
    // "ROLLBACK" without an error, and must not pass for a commit.
    void commit();
    // Sends the queue, then `statements`, in one round trip. Throws (with
    // deferred() set) when a queued statement failed, and PgError
    // Unavailable when the connection broke; a failure of the caller's own
    // statements is returned in Replies::error instead.
    Replies round_trip(const std::vector<Statement>& statements);
    std::size_t queued() const { return queue_.size(); }
    // The first failure of a queued statement since clear_deferred_failure():
    // the database transaction it happened in is aborted, and no savepoint
    // of it may be trusted any more (PostgreSQL skipped every statement
    // after the failed one, RELEASEs and SAVEPOINTs included).
    const std::optional<PgError>& deferred_failure() const { return deferred_failure_; }
    void clear_deferred_failure() { deferred_failure_.reset(); }

    // Round trips so far (each PQexec or pipeline sync): for tests that
    // keep the cost of a write from growing back.
    std::uint64_t round_trips() const { return round_trips_; }
    // Statements sent so far (queued ones included), likewise.
    std::uint64_t statements_sent() const { return statements_sent_; }

    bool ok() const;  // the connection is usable
    bool in_transaction() const;
    PGconn* handle() const { return conn_; }

  private:
    PgError error_of(PGresult* res, std::string_view what);  // clears res
    [[noreturn]] void fail(PGresult* res, std::string_view what);
    [[noreturn]] void broken(std::string_view why);
    void require_ok() const;
    // A statement's prepared name, and whether the round trip must prepare it.
    std::pair<std::string, bool> statement_name(
        const std::string& sql, std::unordered_map<std::string, std::string>& fresh);
    void send(const Statement& s, const std::string& name, bool prepare);
    // The queued SAVEPOINT with `token`, or queue_.end() once it was sent.
    std::vector<Statement>::iterator unsent_savepoint(std::uint64_t token);
    PGresult* next_result();

    PGconn* conn_ = nullptr;
    bool broken_ = false;  // a round trip went wrong half way: never reused
    std::unordered_map<std::string, std::string> prepared_;  // SQL -> statement name
    std::uint64_t next_name_ = 0;
    std::vector<Statement> queue_;
    std::optional<PgError> deferred_failure_;
    std::uint64_t round_trips_ = 0;
    std::uint64_t statements_sent_ = 0;
    std::uint64_t next_savepoint_token_ = 0;
};

// "?" -> "$1", "$2", ... and "?N" -> "$N" outside quoted strings and
// identifiers (so SQL shared with SQLite may number its parameters).
std::string number_placeholders(std::string_view sql);

}  // namespace dnsplane::store::postgres
