// Every ReadTxn query on zones, record sets and the change log, written once
// over a Connection and shared by the read transaction (pooled read-only
// connection) and the write transaction (the writer connection, which sees
// its own uncommitted changes). The small tables' reads are shared with
// PostgreSQL (store/sql_table_txn.h).
#pragma once

#include <type_traits>

#include "store/sql_table_txn.h"
#include "store/sqlite/connection.h"
#include "store/sqlite/sql_db.h"

namespace dnsplane::store::sqlite {

template <class Base>
class SqliteReads : public SqlTableReads<Base> {
    static_assert(std::is_base_of_v<ReadTxn, Base>);

  public:
    // Zone lookups by name, related_zones, all_zones and count_zones skip
    // zones whose status is DELETED; get_zone and list_zones do not.
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
    std::vector<core::RecordSet> recordsets_at_names(
        const std::string& zone_id, const std::vector<std::string>& names) override;
    Page<core::RecordSet> list_recordsets(const ListQuery& q) override;
    std::vector<core::RecordSet> zone_recordsets(const std::string& zone_id) override;
    std::size_t count_recordsets(const std::string& zone_id) override;
    std::size_t count_records(const std::string& zone_id) override;
    void scan_recordsets(const std::string& zone_id,
                         const std::function<void(const RecordSetView&)>& fn) override;
    std::optional<core::RecordSet> recordset_of_record(const std::string& zone_id,
                                                       const std::string& record_id) override;

    std::vector<core::ZoneChange> changes_since(const std::string& zone_id,
                                                std::uint32_t from_serial) override;

  protected:
    explicit SqliteReads(Connection& conn) : conn_(conn), db_(conn) {}
    SqlDb& db() override { return db_; }
    Connection& conn_;
    SqliteDb db_;
};

extern template class SqliteReads<ReadTxn>;
extern template class SqliteReads<WriteTxn>;

}  // namespace dnsplane::store::sqlite
