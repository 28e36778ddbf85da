// A PostgreSQL connection as the shared SQL layer's store::SqlDb.
#pragma once

#include "store/postgres/connection.h"
#include "store/sql_db.h"

namespace dnsplane::store::postgres {

// The current row of a Result, as the shared SQL layer reads rows.
class ResultRow final : public SqlRow {
  public:
    explicit ResultRow(const Result& r) : r_(r) {}
    bool is_null(int col) const override { return r_.is_null(col); }
    std::int64_t int64(int col) const override { return r_.int64(col); }
    std::string text(int col) const override { return r_.text(col); }

  private:
    const Result& r_;
};

class PgDb final : public SqlDb {
  public:
    explicit PgDb(PgConnection& conn) : conn_(conn) {}
    std::int64_t run(const std::string& sql, const std::vector<SqlValue>& params) override;
    // A failed statement aborts a PostgreSQL transaction: the statement runs
    // inside a savepoint, rolled back when it fails (one round trip).
    std::int64_t run_unique(const std::string& sql, const std::vector<SqlValue>& params) override;
    void each(const std::string& sql, const std::vector<SqlValue>& params,
              const std::function<void(const SqlRow&)>& on_row) override;

  private:
    PgConnection& conn_;
};

}  // namespace dnsplane::store::postgres
