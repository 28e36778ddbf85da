// The one thing the SQL shared by every backend (store/sql_tables.*) needs
// from a backend: run a statement with `?` parameters on the transaction's
// connection, and read result rows. Each backend adapts its connection to it
// (store/sqlite/sql_db.*, store/postgres/sql_db.*), so a table's SQL and
// row codec are written once.
#pragma once

#include <cctype>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "store/sql_value.h"

namespace dnsplane::store {

// One result row; columns 0-based.
class SqlRow {
  public:
    virtual ~SqlRow() = default;
    virtual bool is_null(int col) const = 0;
    virtual std::int64_t int64(int col) const = 0;
    virtual std::string text(int col) const = 0;
    std::optional<std::string> optional_text(int col) const {
        if (is_null(col)) return std::nullopt;
        return text(col);
    }
};

// A unique constraint refused a row (the caller names the conflict).
class UniqueViolation : public core::Error {
  public:
    explicit UniqueViolation(std::string message)
        : core::Error(core::ErrorKind::Conflict, "duplicate", std::move(message)) {}
};

class SqlDb {
  public:
    virtual ~SqlDb() = default;
    // Runs one statement (parameters bound to the `?`s in order) and returns
    // the rows it changed.
    virtual std::int64_t run(const std::string& sql, const std::vector<SqlValue>& params) = 0;
    // Like run, for a statement a unique constraint may refuse: that throws
    // UniqueViolation and leaves the transaction usable and as it was.
    virtual std::int64_t run_unique(const std::string& sql,
                                    const std::vector<SqlValue>& params) = 0;
    // Runs a query and calls `on_row` for every row, in order.
    virtual void each(const std::string& sql, const std::vector<SqlValue>& params,
                      const std::function<void(const SqlRow&)>& on_row) = 0;
};

// `name` when it is an SQL identifier ([A-Za-z_][A-Za-z0-9_]*, as
// WriteTxn::savepoint requires); Internal database_error otherwise.
inline const std::string& savepoint_name(const std::string& name) {
    bool ok = !name.empty() && !std::isdigit(static_cast<unsigned char>(name[0]));
    for (char ch : name) ok = ok && (std::isalnum(static_cast<unsigned char>(ch)) || ch == '_');
    if (!ok)
        throw core::Error(core::ErrorKind::Internal, "database_error",
                          "invalid savepoint name '" + name + "'");
    return name;
}

}  // namespace dnsplane::store
