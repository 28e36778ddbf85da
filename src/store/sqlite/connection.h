// Thin RAII layer over the SQLite C API: one connection with its own cache of
// prepared statements, and a cursor over one borrowed statement. A Connection
// is used by one thread at a time (the pool and the writer lock guarantee it).
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <variant>
#include <vector>

#include "core/error.h"
#include "store/sql_value.h"

namespace dnsplane::store::sqlite {

// A failed SQLite call. It is a core::Error (Unavailable for I/O, lock and
// open failures, Internal otherwise) so an unexpected one still maps to a
// sensible status; callers that expect a constraint violation inspect code().
class SqliteError : public core::Error {
  public:
    SqliteError(int extended_code, std::string message);
    int code() const noexcept { return code_; }  // extended result code
    bool is_unique_violation() const noexcept;
    bool is_foreign_key_violation() const noexcept;

  private:
    int code_;
};

using store::SqlValue;

class Statement;

class Connection {
  public:
    // flags: SQLITE_OPEN_* (NOMUTEX is added; a connection is never shared).
    Connection(const std::string& path, int flags);
    ~Connection();
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    // Runs SQL that returns no rows of interest (may hold several statements).
    void exec(const std::string& sql);
    // Like exec but never throws (ROLLBACK in cleanup paths); false on error.
    bool exec_quietly(const char* sql) noexcept;
    // Returns the cached prepared statement for `sql`, reset and unbound.
    Statement prepare(const std::string& sql);
    // Rows changed by the last INSERT/UPDATE/DELETE.
    std::int64_t changes() const;
    std::int64_t last_insert_rowid() const;

    const std::string& path() const { return path_; }
    sqlite3* handle() const { return db_; }

  private:
    std::string path_;
    sqlite3* db_ = nullptr;
    std::unordered_map<std::string, sqlite3_stmt*> cache_;
};

// A cursor over one cached statement; resetting it on destruction returns the
// statement to the cache. Parameters are 1-based, columns 0-based.
class Statement {
  public:
    Statement(Connection& conn, sqlite3_stmt* stmt) : conn_(&conn), stmt_(stmt) {}
    ~Statement();
    Statement(Statement&& o) noexcept : conn_(o.conn_), stmt_(o.stmt_) { o.stmt_ = nullptr; }
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;
    Statement& operator=(Statement&&) = delete;

    Statement& bind(int index, std::string_view text);
    Statement& bind(int index, const std::string& text) {
        return bind(index, std::string_view(text));
    }
    Statement& bind(int index, const char* text) { return bind(index, std::string_view(text)); }
    Statement& bind(int index, std::int64_t value);
    Statement& bind(int index, std::nullptr_t);
    Statement& bind(int index, const std::optional<std::string>& text);
    Statement& bind(int index, const SqlValue& value);
    // Binds values[i] to parameter first + i.
    Statement& bind_all(const std::vector<SqlValue>& values, int first = 1);

    bool step();   // true: a row is available
    void run();    // steps to the end, ignoring rows
    void reset();  // ready to bind and run again

    bool is_null(int col) const;
    std::int64_t int64(int col) const;
    std::string text(int col) const;
    // The column's text without a copy; valid until the next step() or reset().
    std::string_view text_view(int col) const;
    std::optional<std::string> optional_text(int col) const;
    SqlValue value(int col) const;  // integer, text or NULL as stored

  private:
    void check_bind(int rc);

    Connection* conn_;
    sqlite3_stmt* stmt_;
};

// Throws SqliteError for `rc` unless it is SQLITE_OK/ROW/DONE.
void check(sqlite3* db, int rc, std::string_view what);

}  // namespace dnsplane::store::sqlite
