// A SQLite connection as the shared SQL layer's store::SqlDb.
#pragma once

#include "store/sql_db.h"
#include "store/sqlite/connection.h"

namespace dnsplane::store::sqlite {

class SqliteDb final : public SqlDb {
  public:
    explicit SqliteDb(Connection& conn) : conn_(conn) {}
    std::int64_t run(const std::string& sql, const std::vector<SqlValue>& params) override;
    // A failed SQLite statement undoes only itself: nothing more to do.
    std::int64_t run_unique(const std::string& sql, const std::vector<SqlValue>& params) override;
    void each(const std::string& sql, const std::vector<SqlValue>& params,
              const std::function<void(const SqlRow&)>& on_row) override;

  private:
    Connection& conn_;
};

}  // namespace dnsplane::store::sqlite
