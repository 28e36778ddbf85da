#include "store/postgres/sql_db.h"

namespace dnsplane::store::postgres {
namespace {

class ResultRow final : public SqlRow {
  public:
    explicit ResultRow(const Result& r) : r_(r) {}
    bool is_null(int col) const override { return r_.is_null(col); }
    std::int64_t int64(int col) const override { return r_.int64(col); }
    std::string text(int col) const override { return r_.text(col); }

  private:
    const Result& r_;
};

}  // namespace

std::int64_t PgDb::run(const std::string& sql, const std::vector<SqlValue>& params) {
    return conn_.query(sql, params).affected();
}

std::int64_t PgDb::run_unique(const std::string& sql, const std::vector<SqlValue>& params) {
    conn_.exec("SAVEPOINT run_unique");
    std::int64_t changed = 0;
    try {
        changed = run(sql, params);
    } catch (const PgError& e) {
        conn_.exec_quietly("ROLLBACK TO SAVEPOINT run_unique");
        conn_.exec_quietly("RELEASE SAVEPOINT run_unique");
        if (e.is_unique_violation()) throw UniqueViolation(e.what());
        throw;
    }
    conn_.exec("RELEASE SAVEPOINT run_unique");
    return changed;
}

void PgDb::each(const std::string& sql, const std::vector<SqlValue>& params,
                const std::function<void(const SqlRow&)>& on_row) {
    auto r = conn_.query(sql, params);
    const ResultRow row(r);
    while (r.step()) on_row(row);
}

}  // namespace dnsplane::store::postgres
