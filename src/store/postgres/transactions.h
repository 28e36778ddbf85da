// PostgreSQL transactions. A read transaction is REPEATABLE READ READ ONLY on
// a pooled connection: one snapshot for all its queries. A write transaction
// holds this process's writer slot and, inside the database transaction, the
// cluster-wide write lock (pg_advisory_xact_lock): writers of every node run
// one after another, each seeing every earlier commit (READ COMMITTED after
// the lock). That is what makes serials strictly increase per zone and
// version/If-Match checks see other nodes' commits: the service reads and
// writes inside the lock. Change-log positions (zone_changes.seq) are then in
// commit order, which the followers rely on.
//
// Round trips: a write transaction sends what needs no answer (BEGIN,
// SAVEPOINT and RELEASE when a round trip happens inside, the zone's serial
// update, the change-log entries in their last content, the counts at
// commit) with the next statement that does (PgConnection::defer),
// runs each savepoint-guarded write as one round trip, and keeps the zone
// rows and quotas it read (the write lock guarantees nobody else changes
// them before it ends). A failure of a deferred statement fails the whole
// transaction: no savepoint can be rolled back to any more.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "store/postgres/pool.h"
#include "store/postgres/reads.h"

namespace dnsplane::store::postgres {

// The advisory lock keys (any 64-bit constants unique to dnsplane).
inline constexpr std::int64_t kWriteLockKey = 0x646e73706c616e65;    // "dnsplane"
inline constexpr std::int64_t kMigrateLockKey = 0x646e73706d696772;  // "dnspmigr"
inline constexpr std::int64_t kOutboxLockKey = 0x646e73706f757462;   // "dnspoutb"
// NOTIFY channel: payload "<seq> <zone_id>" of every appended change.
inline constexpr char kChangeChannel[] = "dnsplane_changes";
// The sequence of zone_changes.seq (BIGSERIAL), named directly: looking it
// up with pg_get_serial_sequence() at every batch cost 36-40 µs under the
// write lock, nextval() of the name ~2 µs.
inline constexpr char kChangeLogSequence[] = "zone_changes_seq_seq";

class PgReadTxn final : public PgReads<ReadTxn> {
  public:
    PgReadTxn(std::shared_ptr<PgPool> pool, std::unique_ptr<PgConnection> conn);
    ~PgReadTxn() override;

  private:
    std::shared_ptr<PgPool> pool_;
    std::unique_ptr<PgConnection> owned_;
};

class PgWriteTxn final : public SqlTableWrites<PgReads<WriteTxn>> {
  public:
    // `ahead`: read with BEGIN and the write lock (Store::write_reading).
    PgWriteTxn(std::shared_ptr<PgPool> pool, const std::vector<Store::ReadAhead>& ahead);
    ~PgWriteTxn() override;

    void insert_zone(const core::Zone& z) override;
    void update_zone(const core::Zone& z) override;
    void delete_zone(const std::string& id) override;
    void insert_recordset(const core::RecordSet& rs) override;
    void insert_recordsets(const std::vector<const core::RecordSet*>& sets) override;
    void update_recordset(const core::RecordSet& rs) override;
    void delete_recordset(const std::string& id) override;
    std::int64_t append_change(const core::ZoneChange& c) override;
    void rewrite_change(std::int64_t seq, const core::ZoneChange& c) override;
    // Tokens, users, the plug-in tables, zone tasks, admin tables and TSIG
    // keys: store/sql_table_txn.h (shared with SQLite).
    void savepoint(const std::string& name) override;
    void release_savepoint(const std::string& name) override;
    void rollback_to_savepoint(const std::string& name) override;
    void commit() override;
    // Delivers the other processes' entries committed before this
    // transaction (read right after the write lock, in the same round trip
    // as BEGIN) through the pool, then marks this transaction's own entries
    // delivered, and returns the pool's order lock (store.h).
    std::unique_lock<std::mutex> commit_in_order() override;
    // The stored count plus what this transaction added and removed.
    std::size_t count_recordsets(const std::string& zone_id) override;
    std::size_t count_records(const std::string& zone_id) override;
    // Read once per transaction (cached; see zones_).
    std::optional<core::Zone> get_zone(const std::string& id) override;
    std::map<std::string, std::int64_t> project_quotas(const std::string& project_id) override;
    // Answered from the zones below a cached zone enclosing `name` (read
    // once, when they are few): every record set write asks at its name.
    std::vector<core::Zone> zones_below(const std::string& name) override;
    // The sets at a name, read once per transaction (at_name_), and the
    // batch's names (and the zone's apex) in one query ahead.
    void prefetch_names(const std::string& zone_id, const std::vector<std::string>& names) override;
    std::vector<core::RecordSet> recordsets_at(const std::string& zone_id,
                                               const std::string& name) override;
    std::vector<core::RecordSet> recordsets_at_names(
        const std::string& zone_id, const std::vector<std::string>& names) override;
    std::optional<core::RecordSet> find_recordset(const std::string& zone_id,
                                                  const std::string& name,
                                                  const std::string& type) override;
    std::vector<core::ZoneChange> changes_since(const std::string& zone_id,
                                                std::uint32_t from_serial) override;

    // Read with BEGIN (hook_bindings is asked once per batch).
    std::vector<HookBinding> hook_bindings() override;

    // Round trips of the writer connection so far (tests: the cost of a write).
    std::uint64_t round_trips() const { return conn_->round_trips(); }
    std::uint64_t statements_sent() const { return conn_->statements_sent(); }

  protected:
    SqlDb& db() override {
        require_open();
        return caching_db_;
    }

  private:
    // The shared SQL layer (store/sql_tables.*) runs through this: a write
    // naming a table this transaction caches drops that cache, so a
    // statement added there later cannot leave a stale row behind.
    class CachingDb final : public SqlDb {
      public:
        explicit CachingDb(PgWriteTxn& txn) : txn_(txn) {}
        std::int64_t run(const std::string& sql, const std::vector<SqlValue>& params) override;
        std::int64_t run_unique(const std::string& sql,
                                const std::vector<SqlValue>& params) override;
        void each(const std::string& sql, const std::vector<SqlValue>& params,
                  const std::function<void(const SqlRow&)>& on_row) override;

      private:
        PgWriteTxn& txn_;
    };

    // A zones row as this transaction knows it: read under the write lock,
    // then kept up to date by this transaction's own zone writes.
    struct CachedZone {
        core::Zone zone;
        std::int64_t recordset_count = 0;  // stored (count_delta_ not included)
        std::int64_t record_count = 0;
    };

    // prefetch_names in parts, so that the constructor can send its first
    // round trip's statements with BEGIN.
    struct NameReads {
        bool below = false;
        bool quotas = false;
    };
    struct Prefetch {
        std::string zone_id;
        std::vector<std::string> wanted;  // names not cached yet
        bool zone_known = false;
        bool sets_asked = false;
        std::optional<std::string> seen_name;  // the zone's name, if seen before
        NameReads asked_first;
        std::size_t first = 0;  // its first statement's index in the round trip
    };
    std::optional<Prefetch> plan_prefetch(const std::string& zone_id,
                                          const std::vector<std::string>& names,
                                          std::vector<Statement>& out);
    void finish_prefetch(const Prefetch& plan, Replies& replies);
    NameReads ask_name_reads(const std::string& zone_id, const std::string& zone_name, bool quotas,
                             std::vector<Statement>& out);
    void keep_name_reads(const core::Zone& zone, NameReads asked, Replies& replies,
                         std::size_t next);

    void require_open() const;
    void count_inserted(const core::RecordSet& rs);     // a new set and its values, in count_delta_
    const CachedZone* zone_row(const std::string& id);  // null: no such zone
    const CachedZone* keep_zone_row(const std::string& id, Result& r);
    void keep_quotas(const std::string& project_id, Result& r);
    std::map<std::string, std::optional<std::vector<core::Zone>>>::iterator keep_zones_below(
        const core::Zone& zone, Result& r);
    const core::Zone* enclosing_cached_zone(const std::string& name) const;
    void zone_written(const core::Zone& before, const core::Zone& after);
    void forget_cached(const std::string& sql);      // a write through CachingDb
    void before_shared_sql(const std::string& sql);  // any statement through CachingDb
    void flush_change_log();                         // pending_change_log_ queued
    void forget_all_cached();
    // at_name_ upkeep after this transaction's own record set writes.
    void set_written(const core::RecordSet& rs);
    void set_removed(const std::string& zone_id, const std::string& id);
    const std::vector<core::RecordSet>* cached_at(const std::string& zone_id,
                                                  const std::string& name) const;

    CachingDb caching_db_{*this};
    // Zone rows and project quotas read in this transaction. Valid because
    // the transaction holds the cluster-wide write lock: only its own
    // statements change these rows until it ends. Dropped by any rollback to
    // a savepoint (the rows may be older than what they hold).
    std::map<std::string, CachedZone> zones_;
    std::map<std::string, std::map<std::string, std::int64_t>> quotas_;
    // The live zones strictly below a cached zone (by its id), in rname
    // order; nullopt: too many to keep (asked at each name instead).
    std::map<std::string, std::optional<std::vector<core::Zone>>> below_;
    // Every set at (zone id, name), ordered by type and id: read under the
    // write lock, then kept up to date by this transaction's own record set
    // writes, so an entry without a set of some type proves there is none.
    // Such proof lets an insert that no constraint can refuse be queued
    // instead of taking a round trip (insert_recordset, update_recordset).
    std::map<std::pair<std::string, std::string>, std::vector<core::RecordSet>> at_name_;

    std::shared_ptr<PgPool> pool_;
    bool finished_ = false;
    std::vector<std::int64_t> own_changes_;  // seqs appended here
    // Other processes' entries past the pool's delivered position when the
    // write lock was taken (only while following); complete unless the
    // bounded read was full.
    std::vector<std::pair<std::int64_t, core::ZoneChange>> before_own_;
    bool before_own_complete_ = false;
    std::optional<std::vector<HookBinding>> bindings_;  // as read at BEGIN (own writes drop it)
    std::vector<std::int64_t> spare_seqs_;              // change-log positions taken at BEGIN
    // Record sets and records added minus removed per zone, written to
    // zones.recordset_count and record_count once at commit (see migrations 9
    // and 10 in src/store/sqlite/schema.cpp).
    struct CountDelta {
        std::int64_t sets = 0;
        std::int64_t records = 0;
    };
    std::map<std::string, CountDelta> count_delta_;
    // Change-log entries appended (at a position taken under the lock) and
    // rewritten (rewrite_change) by this transaction, kept until COMMIT:
    // PostgreSQL needs to see only the last content of each position, as
    // one INSERT when the entry was never sent, else one UPDATE. Encoded
    // only then. Sent before anything that reads or deletes change-log rows.
    struct PendingEntry {
        bool sent = false;  // the row is in the database: an UPDATE
        core::ZoneChange change;
    };
    std::map<std::int64_t, PendingEntry> pending_change_log_;
    // Savepoints open, innermost last, with what a rollback to them restores
    // (the changes appended and the count deltas since drop; the change-log
    // entries pending when it opened come back).
    struct OpenSavepoint {
        std::string name;
        std::uint64_t token;  // PgConnection::defer_savepoint
        std::size_t changes;
        std::map<std::string, CountDelta> count_delta;
        std::map<std::int64_t, PendingEntry> change_log;
    };
    std::vector<OpenSavepoint> savepoints_;
};

}  // namespace dnsplane::store::postgres
