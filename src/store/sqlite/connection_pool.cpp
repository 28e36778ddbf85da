#include "store/sqlite/connection_pool.h"

#include <algorithm>
#include <cctype>

#include "store/sqlite/schema.h"

namespace dnsplane::store::sqlite {
namespace {

std::string pragma_text(Connection& conn, const std::string& sql) {
    auto st = conn.prepare(sql);
    return st.step() ? st.text(0) : std::string();
}

void set_busy_timeout(Connection& conn, int ms) {
    check(conn.handle(), sqlite3_busy_timeout(conn.handle(), ms), "busy_timeout");
}

// Memory per connection. The writer's cache is large so that a transaction
// touching many index pages does not spill to the WAL before COMMIT; reads
// go through a shared memory map of the file instead of private copies. The
// map covers the first 64 MiB only: mapped pages count in the process's RSS,
// and the start-up zone load reads the whole file once (a 1 GiB map made a
// 1M-record store cost 1 GiB of RSS for data the DNS server no longer needs).
// Checkpoints (WAL copied back into the file, with two fsyncs) run every
// 10,000 WAL pages instead of 1,000: a page written by many commits is copied
// once, which halves the wall time of small commits.
// The writer's temp_store is FILE: with MEMORY, SQLite keeps the statement
// (sub-)journal in memory and truncates it by walking its chunk list after
// every statement, which is O(journal) per statement inside a savepoint that
// spans a big change set (quadratic: 10,000 inserts into a large database
// took seconds). A spilled file journal is never walked; the OS caches it.
constexpr const char* kWriterTuning =
    "PRAGMA cache_size = -65536; PRAGMA mmap_size = 67108864; PRAGMA temp_store = FILE; "
    "PRAGMA wal_autocheckpoint = 10000";
constexpr const char* kReaderTuning =
    "PRAGMA cache_size = -16384; PRAGMA mmap_size = 67108864; PRAGMA temp_store = MEMORY";

}  // namespace

ConnectionPool::ConnectionPool(SqliteOptions options) : options_(std::move(options)) {
    writer_ =
        std::make_unique<Connection>(options_.path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    set_busy_timeout(*writer_, options_.busy_timeout_ms);
    // journal_mode is persistent in the file; the others are per connection.
    std::string mode = pragma_text(*writer_, "PRAGMA journal_mode = WAL");
    std::transform(mode.begin(), mode.end(), mode.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (mode != "wal")
        throw SqliteError(SQLITE_CANTOPEN, "cannot switch to WAL journal mode (got " + mode + ")");
    writer_->exec("PRAGMA synchronous = " + options_.synchronous);
    writer_->exec("PRAGMA foreign_keys = ON");
    writer_->exec(kWriterTuning);
    migrate(*writer_);
    // Fail now rather than at the first request if readers cannot open.
    release_reader(open_reader());
}

Connection& ConnectionPool::acquire_writer() {
    writer_free_.acquire();
    return *writer_;
}

void ConnectionPool::release_writer() {
    writer_free_.release();
}

std::unique_ptr<Connection> ConnectionPool::open_reader() const {
    auto conn = std::make_unique<Connection>(options_.path, SQLITE_OPEN_READONLY);
    set_busy_timeout(*conn, options_.busy_timeout_ms);
    conn->exec(kReaderTuning);
    return conn;
}

std::unique_ptr<Connection> ConnectionPool::acquire_reader() {
    {
        std::lock_guard lock(idle_mutex_);
        if (!idle_.empty()) {
            auto conn = std::move(idle_.back());
            idle_.pop_back();
            return conn;
        }
    }
    return open_reader();
}

void ConnectionPool::release_reader(std::unique_ptr<Connection> conn) {
    if (!conn) return;
    std::lock_guard lock(idle_mutex_);
    if (idle_.size() < options_.idle_readers) idle_.push_back(std::move(conn));
}  // a surplus connection closes with the parameter, after the lock is gone

}  // namespace dnsplane::store::sqlite
