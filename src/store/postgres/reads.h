// Every ReadTxn query on PostgreSQL, shared by the read transaction (pooled
// connection, REPEATABLE READ READ ONLY) and the write transaction (the
// writer connection, which sees its own uncommitted changes). The list
// semantics are store/list_query, the small tables store/sql_table_txn.h
// (both shared with SQLite).
#pragma once

#include <type_traits>

#include "store/postgres/connection.h"
#include "store/postgres/sql_db.h"
#include "store/sql_table_txn.h"

namespace dnsplane::store::postgres {

template <class Base>
class PgReads : public SqlTableReads<Base> {
    static_assert(std::is_base_of_v<ReadTxn, Base>);

  public:
    std::optional<core::Zone> get_zone(const std::string& id) override;
    std::optional<core::Zone> find_zone_by_name(const std::string& name) override;
    Page<core::Zone> list_zones(const ListQuery& q) override;
    std::vector<core::Zone> related_zones(const std::string& name) override;
    std::vector<core::Zone> zones_below(const std::string& name) override;
    std::vector<core::Zone> all_zones() override;
    std::size_t count_zones(const std::string& project_id) override;

    std::optional<core::RecordSet> get_recordset(const std::string& id) override;
    std::optional<core::RecordSet> find_recordset(const std::string& zone_id,
                                                  const std::string& name,
                                                  const std::string& type) override;
    std::vector<core::RecordSet> recordsets_at(const std::string& zone_id,
                                               const std::string& name) override;
    Page<core::RecordSet> list_recordsets(const ListQuery& q) override;
    std::vector<core::RecordSet> zone_recordsets(const std::string& zone_id) override;
    std::size_t count_recordsets(const std::string& zone_id) override;
    std::size_t count_records(const std::string& zone_id) override;
    std::optional<core::RecordSet> recordset_of_record(const std::string& zone_id,
                                                       const std::string& record_id) override;

    std::vector<core::ZoneChange> changes_since(const std::string& zone_id,
                                                std::uint32_t from_serial) override;

  protected:
    explicit PgReads(PgConnection& conn) : conn_(&conn), db_(conn) {}
    SqlDb& db() override { return db_; }
    PgConnection* conn_;
    PgDb db_;
};

// The sets of `recordsets` matching `where` (its parameters `params`) with
// their values, in one query, ordered by `order` (a column list of `s`,
// keeping each set's rows together): the statement, its reading, and both.
Statement sets_with_records(const std::string& where, std::vector<SqlValue> params,
                            const char* order);
std::vector<core::RecordSet> read_sets_with_records(Result& r);
std::vector<core::RecordSet> query_sets_with_records(PgConnection& conn, const std::string& where,
                                                     const std::vector<SqlValue>& params,
                                                     const char* order);

extern template class PgReads<ReadTxn>;
extern template class PgReads<WriteTxn>;

}  // namespace dnsplane::store::postgres
