// Thin RAII layer over libpq: one connection with its own cache of prepared
// statements (by SQL text), and a cursor over one result. A PgConnection is
// used by one thread at a time (the pool and the writer slot guarantee it).
// SQL may use `?` placeholders (numbered $1, $2, ... in order before it is
// prepared, outside quotes), `?n` (SQLite's numbered form) or `$n` directly.
// Values travel as text; the server infers each parameter's type from where
// it is used.
#pragma once

#include <libpq-fe.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
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

  private:
    std::string sqlstate_;
};

class Result {
  public:
    explicit Result(PGresult* res);
    ~Result();
    Result(Result&& o) noexcept;
    Result(const Result&) = delete;
    Result& operator=(const Result&) = delete;
    Result& operator=(Result&&) = delete;

    bool step();  // next row; true: a row is available
    int rows() const { return rows_; }
    std::int64_t affected() const;  // rows changed by INSERT/UPDATE/DELETE

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

class PgConnection {
  public:
    // `conninfo`: a postgresql:// or postgres:// URI or a keyword string.
    // Throws PgError (Unavailable) when the server cannot be reached.
    explicit PgConnection(const std::string& conninfo);
    ~PgConnection();
    PgConnection(const PgConnection&) = delete;
    PgConnection& operator=(const PgConnection&) = delete;

    // Runs one statement with parameters (prepared once per connection).
    Result query(const std::string& sql, const std::vector<SqlValue>& params = {});
    // Runs SQL without parameters (may hold several statements).
    void exec(const std::string& sql);
    bool exec_quietly(const char* sql) noexcept;

    bool ok() const;  // the connection is usable
    bool in_transaction() const;
    PGconn* handle() const { return conn_; }

  private:
    [[noreturn]] void fail(PGresult* res, std::string_view what);
    PGconn* conn_ = nullptr;
    std::unordered_map<std::string, std::string> prepared_;  // SQL -> statement name
};

// "?" -> "$1", "$2", ... and "?N" -> "$N" outside quoted strings and
// identifiers (so SQL shared with SQLite may number its parameters).
std::string number_placeholders(std::string_view sql);

}  // namespace dnsplane::store::postgres
