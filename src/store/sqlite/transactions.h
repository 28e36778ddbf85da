// The two transaction kinds. A read transaction is a deferred BEGIN on a
// pooled read-only connection: one consistent snapshot for all its queries.
// A write transaction holds the writer from BEGIN IMMEDIATE to COMMIT (or to
// ROLLBACK when dropped uncommitted).
#pragma once

#include <memory>

#include "store/sqlite/connection_pool.h"
#include "store/sqlite/reads.h"

namespace dnsplane::store::sqlite {

class SqliteReadTxn final : public SqliteReads<ReadTxn> {
  public:
    SqliteReadTxn(std::shared_ptr<ConnectionPool> pool, std::unique_ptr<Connection> conn);
    ~SqliteReadTxn() override;

  private:
    std::shared_ptr<ConnectionPool> pool_;
    std::unique_ptr<Connection> owned_;
};

class SqliteWriteTxn final : public SqlTableWrites<SqliteReads<WriteTxn>> {
  public:
    // Takes the writer (waiting for it) and begins; throws Unavailable when
    // another process holds the file's write lock past the busy timeout.
    explicit SqliteWriteTxn(std::shared_ptr<ConnectionPool> pool);
    ~SqliteWriteTxn() override;

    // Unique violations become Conflict errors (duplicate_zone,
    // duplicate_recordset, duplicate_record, duplicate_token); updating or
    // deleting a missing row is NotFound. Each call is atomic: a failed one
    // leaves the transaction as it was before the call.
    void insert_zone(const core::Zone& z) override;
    void update_zone(const core::Zone& z) override;
    // Also drops the zone's change log; entries appended afterwards (the
    // deletion itself) are kept.
    void delete_zone(const std::string& id) override;
    void insert_recordset(const core::RecordSet& rs) override;
    // Multi-row INSERTs (a few statements for thousands of sets) inside one
    // savepoint: SQLite journals each page once per statement, so one
    // statement per row cost a page copy per index per row.
    void insert_recordsets(const std::vector<const core::RecordSet*>& sets) override;
    void update_recordset(const core::RecordSet& rs) override;
    void update_recordset(const core::RecordSet& rs, const core::RecordSet& stored) override;
    void delete_recordset(const std::string& id) override;
    std::int64_t append_change(const core::ZoneChange& c) override;
    void rewrite_change(std::int64_t seq, const core::ZoneChange& c) override;
    // Tokens, users, the plug-in tables, zone tasks, admin tables and TSIG
    // keys: store/sql_table_txn.h (shared with PostgreSQL).
    // Unknown or malformed names: Internal database_error.
    void savepoint(const std::string& name) override;
    void release_savepoint(const std::string& name) override;
    void rollback_to_savepoint(const std::string& name) override;
    void commit() override;

  protected:
    SqlDb& db() override {
        require_open();
        return db_;
    }

  private:
    void require_open() const;
    void insert_records(const core::RecordSet& rs);
    // Writes only the rows that differ from the stored values: read here, or
    // given by the caller (no read of the rows).
    void update_records(const core::RecordSet& rs);
    void update_records(const core::RecordSet& rs, const core::RecordSet& stored);
    void update_recordset_row(const core::RecordSet& rs);
    template <class Fn>
    void atomically(Fn&& fn);

    std::shared_ptr<ConnectionPool> pool_;
    bool finished_ = false;
};

}  // namespace dnsplane::store::sqlite
