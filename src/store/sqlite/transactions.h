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

class SqliteWriteTxn final : public SqliteReads<WriteTxn> {
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
    void delete_recordset(const std::string& id) override;
    void append_change(const core::ZoneChange& c) override;
    void insert_token(const Token& t) override;
    void insert_user(const User& u) override;
    bool delete_token(const std::string& hash) override;
    void delete_expired_tokens(const std::string& now) override;
    std::int64_t next_event_sequence(const std::string& zone_id) override;
    void append_outbox(const OutboxEvent& e) override;
    void ack_outbox(std::int64_t seq) override;
    void put_hook_binding(const HookBinding& b) override;
    void put_tenant(const std::string& id, const std::string& status,
                    const std::string& at) override;
    void probe_write(const std::string& at) override;
    void insert_task(const ZoneTask& t) override;
    void update_task(const ZoneTask& t) override;
    void delete_task(const std::string& id) override;
    void move_zone_project(const std::string& zone_id, const std::string& from_project,
                           const std::string& to_project) override;
    // Designate admin resources (admin_tables.cpp).
    void insert_tld(const core::Tld& t) override;
    void update_tld(const core::Tld& t) override;
    void delete_tld(const std::string& id) override;
    void insert_blacklist(const core::Blacklist& b) override;
    void update_blacklist(const core::Blacklist& b) override;
    void delete_blacklist(const std::string& id) override;
    void set_project_quota(const std::string& project_id, const std::string& resource,
                           std::int64_t limit) override;
    void reset_project_quotas(const std::string& project_id) override;
    void insert_pool(const core::Pool& p) override;
    void update_pool(const core::Pool& p) override;
    void delete_pool(const std::string& id) override;
    void insert_tsig_key(const TsigKey& k) override;
    void update_tsig_key(const TsigKey& k) override;
    void delete_tsig_key(const std::string& id) override;
    // Unknown or malformed names: Internal database_error.
    void savepoint(const std::string& name) override;
    void release_savepoint(const std::string& name) override;
    void rollback_to_savepoint(const std::string& name) override;
    void commit() override;

  private:
    // Runs an INSERT/UPDATE/DELETE of one admin row: a unique violation is
    // Conflict `duplicate`, no row changed (updates, deletes) NotFound `missing`.
    void run_admin_write(Statement& st, const char* duplicate, const std::string& duplicate_msg,
                         const char* missing, const char* missing_msg);
    void require_open() const;
    void insert_records(const core::RecordSet& rs);
    void update_records(const core::RecordSet& rs);  // rows that changed only
    template <class Fn>
    void atomically(Fn&& fn);

    std::shared_ptr<ConnectionPool> pool_;
    bool finished_ = false;
};

}  // namespace dnsplane::store::sqlite
