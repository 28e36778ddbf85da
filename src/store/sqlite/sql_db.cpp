#include "store/sqlite/sql_db.h"

namespace dnsplane::store::sqlite {
namespace {

class StatementRow final : public SqlRow {
  public:
    explicit StatementRow(const Statement& st) : st_(st) {}
    bool is_null(int col) const override { return st_.is_null(col); }
    std::int64_t int64(int col) const override { return st_.int64(col); }
    std::string text(int col) const override { return st_.text(col); }

  private:
    const Statement& st_;
};

}  // namespace

std::int64_t SqliteDb::run(const std::string& sql, const std::vector<SqlValue>& params) {
    auto st = conn_.prepare(sql);
    st.bind_all(params);
    st.run();
    return conn_.changes();
}

std::int64_t SqliteDb::run_unique(const std::string& sql, const std::vector<SqlValue>& params) {
    try {
        return run(sql, params);
    } catch (const SqliteError& e) {
        if (e.is_unique_violation()) throw UniqueViolation(e.what());
        throw;
    }
}

void SqliteDb::each(const std::string& sql, const std::vector<SqlValue>& params,
                    const std::function<void(const SqlRow&)>& on_row) {
    auto st = conn_.prepare(sql);
    st.bind_all(params);
    const StatementRow row(st);
    while (st.step()) on_row(row);
}

}  // namespace dnsplane::store::sqlite
