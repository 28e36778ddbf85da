#include "store/postgres/sql_db.h"

#include "store/postgres/write_op.h"

namespace dnsplane::store::postgres {
std::int64_t PgDb::run(const std::string& sql, const std::vector<SqlValue>& params) {
    return conn_.query(sql, params).affected();
}

// SAVEPOINT and the statement in one round trip (WriteOp); the RELEASE (or
// the ROLLBACK TO and RELEASE) is queued for the next one.
std::int64_t PgDb::run_unique(const std::string& sql, const std::vector<SqlValue>& params) {
    WriteOp op(conn_, "run_unique");
    auto r = op.run({Statement{sql, params}});
    if (r.error) {
        if (r.error->is_unique_violation()) throw UniqueViolation(r.error->what());
        throw std::move(*r.error);
    }
    op.keep();
    return r.results.back().affected();
}

void PgDb::each(const std::string& sql, const std::vector<SqlValue>& params,
                const std::function<void(const SqlRow&)>& on_row) {
    auto r = conn_.query(sql, params);
    const ResultRow row(r);
    while (r.step()) on_row(row);
}

}  // namespace dnsplane::store::postgres
