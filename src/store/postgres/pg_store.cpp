#include "store/postgres/pg_store.h"

#include <poll.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

#include "store/postgres/pool.h"
#include "store/postgres/transactions.h"
#include "store/row_codec.h"
#include "store/sqlite/schema.h"

namespace dnsplane::store::postgres {
namespace {

// Follows the change log: LISTEN for kChangeChannel, and after a
// notification of news (PgPool::is_news), every reconnect and at least every
// 250 ms reads the log past the last position delivered. Delivery goes
// through the pool (PgPool::deliver), which this process's write
// transactions also use to deliver what came before their own commit:
// positions this process wrote, or that a commit here already delivered, are
// skipped.
class PgFollower final : public ChangeFollower {
  public:
    PgFollower(std::shared_ptr<PgPool> pool, std::function<void(bool, const std::string&)> on_link)
        : pool_(std::move(pool)), on_link_(std::move(on_link)), thread_([this] { run(); }) {}

    ~PgFollower() override {
        stop_ = true;
        thread_.join();
    }

  private:
    void link(bool ok, const std::string& why) {
        if (ok == linked_) return;
        linked_ = ok;
        if (on_link_) on_link_(ok, why);
    }

    void catch_up(PgConnection& conn) {
        std::int64_t from = pool_->delivered();
        for (;;) {
            auto r = conn.query(std::string("SELECT seq, ") + kChangeColumns +
                                    " FROM zone_changes WHERE seq > ?::bigint ORDER BY seq "
                                    "LIMIT 1000",
                                {from});
            while (r.step()) {
                from = r.int64(0);
                if (from <= pool_->delivered()) continue;  // a commit here delivered it
                auto change = read_change(r, 1);
                auto order = pool_->order_lock();
                pool_->deliver(from, change);
            }
            if (r.rows() < 1000) return;
            from = std::max(from, pool_->delivered());
        }
    }

    void run() {
        using Clock = std::chrono::steady_clock;
        constexpr auto kEvery = std::chrono::milliseconds(250);
        std::unique_ptr<PgConnection> conn;
        bool due = true;  // read the log: at start, after news, a reconnect, every kEvery
        auto last_read = Clock::now();
        while (!stop_) {
            try {
                if (!conn || !conn->ok()) {
                    conn.reset();
                    conn = pool_->connect_for_writes();
                    conn->exec(std::string("LISTEN ") + kChangeChannel);
                    link(true, "ok");
                    due = true;
                }
                if (due) {
                    catch_up(*conn);
                    last_read = Clock::now();
                    due = false;
                }
                const auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(
                    last_read + kEvery - Clock::now());
                pollfd pfd{PQsocket(conn->handle()), POLLIN, 0};
                ::poll(&pfd, 1, static_cast<int>(std::max<std::int64_t>(wait.count(), 0)));
                if (!PQconsumeInput(conn->handle())) {
                    conn.reset();
                    link(false, "PostgreSQL connection lost");
                    continue;
                }
                while (PGnotify* n = PQnotifies(conn->handle())) {
                    if (!due && pool_->is_news(n->extra ? n->extra : "")) due = true;
                    PQfreemem(n);
                }
                if (Clock::now() - last_read >= kEvery) due = true;
            } catch (const std::exception& e) {
                conn.reset();
                link(false, e.what());
                for (int i = 0; i < 4 && !stop_; ++i)
                    std::this_thread::sleep_for(std::chrono::milliseconds(50));
            }
        }
    }

    std::shared_ptr<PgPool> pool_;
    std::function<void(bool, const std::string&)> on_link_;
    bool linked_ = true;
    std::atomic<bool> stop_{false};
    std::thread thread_;
};

class PgStore final : public Store {
  public:
    explicit PgStore(std::shared_ptr<PgPool> pool) : pool_(std::move(pool)) {}

    // An idle connection learns that the server restarted only when used:
    // a transaction whose BEGIN fails on a dead connection is retried once
    // on a fresh one.
    std::unique_ptr<ReadTxn> read() override {
        try {
            return std::make_unique<PgReadTxn>(pool_, pool_->acquire_reader());
        } catch (const PgError& e) {
            if (e.kind() != core::ErrorKind::Unavailable) throw;
            return std::make_unique<PgReadTxn>(pool_, pool_->acquire_reader());
        }
    }
    std::unique_ptr<WriteTxn> write() override { return write_reading({}); }
    std::unique_ptr<WriteTxn> write_reading(const std::vector<ReadAhead>& ahead) override {
        try {
            return std::make_unique<PgWriteTxn>(pool_, ahead);
        } catch (const PgError& e) {
            if (e.kind() != core::ErrorKind::Unavailable) throw;
            return std::make_unique<PgWriteTxn>(pool_, ahead);
        }
    }

    std::unique_ptr<ChangeFollower> follow(
        std::function<void(const core::ZoneChange&)> on_change,
        std::function<void(bool, const std::string&)> on_link) override {
        std::int64_t head = 0;
        {
            auto conn = pool_->acquire_reader();
            auto r = conn->query("SELECT COALESCE(MAX(seq), 0) FROM zone_changes");
            if (r.step()) head = r.int64(0);
            pool_->release_reader(std::move(conn));
        }
        pool_->start_delivery(head, std::move(on_change));
        return std::make_unique<PgFollower>(pool_, std::move(on_link));
    }

    bool outbox_lease() override {
        std::lock_guard lock(lease_mutex_);
        try {
            if (lease_ && lease_->ok()) {
                // A round trip: a dead link (and with it the lock) shows
                // here rather than at the next delivery.
                lease_->query("SELECT 1");
                if (leased_) return true;
            } else {
                leased_ = false;
                lease_.reset();
                lease_ = std::make_unique<PgConnection>(pool_->conninfo());
            }
            auto r = lease_->query("SELECT pg_try_advisory_lock($1::bigint)", {kOutboxLockKey});
            leased_ = r.step() && r.text(0) == "t";
        } catch (const std::exception&) {
            lease_.reset();
            leased_ = false;
        }
        return leased_;
    }

    // A table counts as outgrown when it holds 1,000 rows more than twice
    // what the planner last counted (or was never counted): a handful of
    // ANALYZE runs over a table's whole growth, each a sample of at most
    // 30,000 rows.
    std::vector<std::string> refresh_statistics() override {
        auto conn = pool_->acquire_reader();
        std::vector<std::string> tables;
        {
            auto r = conn->query(
                "SELECT c.relname FROM pg_class c JOIN pg_stat_user_tables s ON s.relid = c.oid "
                "WHERE c.relname IN ('zones', 'recordsets', 'records', 'zone_changes') AND "
                "s.schemaname = current_schema() AND s.n_live_tup >= 2 * GREATEST(c.reltuples, "
                "0) + 1000 ORDER BY c.relname");
            while (r.step()) tables.push_back(r.text(0));
        }
        std::string list;
        for (const auto& t : tables) list += (list.empty() ? "" : ", ") + t;
        if (!list.empty()) conn->exec("ANALYZE " + list);
        pool_->release_reader(std::move(conn));
        return tables;
    }

  private:
    std::shared_ptr<PgPool> pool_;
    std::mutex lease_mutex_;
    std::unique_ptr<PgConnection> lease_;  // holds kOutboxLockKey while leased_
    bool leased_ = false;
};

}  // namespace

int migrate_postgres(const std::string& conninfo) {
    PgConnection conn(conninfo);
    // Session lock: the first node migrates, the others wait and find the
    // work done. Released by the unlock below or by the connection's end.
    conn.query("SELECT pg_advisory_lock($1::bigint)", {kMigrateLockKey});
    conn.exec(
        "CREATE TABLE IF NOT EXISTS dnsplane_schema (id BIGINT PRIMARY KEY CHECK (id = 1), "
        "version BIGINT NOT NULL)");
    auto current = [&] {
        auto r = conn.query("SELECT version FROM dnsplane_schema WHERE id = 1");
        return r.step() ? static_cast<int>(r.int64(0)) : 0;
    };
    const auto& list = sqlite::migrations();
    const int newest = list.empty() ? 0 : list.back().version;
    int found = current();
    if (found > newest)
        throw core::Error(core::ErrorKind::Unavailable, "database_unavailable",
                          "schema version " + std::to_string(found) +
                              " is newer than this dnsplane supports (" + std::to_string(newest) +
                              ")");
    for (const auto& m : list) {
        if (found >= m.version) continue;
        if (m.postgres.empty())
            throw core::Error(core::ErrorKind::Unavailable, "database_unavailable",
                              "migration " + std::to_string(m.version) +
                                  " has no PostgreSQL form (store/sqlite/schema.cpp)");
        conn.exec("BEGIN");
        try {
            conn.exec(m.postgres);
            conn.query(
                "INSERT INTO dnsplane_schema (id, version) VALUES (1, $1::bigint) ON CONFLICT "
                "(id) DO UPDATE SET version = EXCLUDED.version",
                {std::int64_t{m.version}});
            conn.commit();
        } catch (...) {
            conn.rollback();
            throw;
        }
        found = m.version;
    }
    conn.query("SELECT pg_advisory_unlock($1::bigint)", {kMigrateLockKey});
    return found;
}

std::unique_ptr<Store> open_postgres_store(const std::string& url) {
    try {
        migrate_postgres(url);
        return std::make_unique<PgStore>(std::make_shared<PgPool>(url));
    } catch (const core::Error& e) {
        throw core::Error(core::ErrorKind::Unavailable, "database_unavailable",
                          std::string("cannot open PostgreSQL database: ") + e.what());
    }
}

}  // namespace dnsplane::store::postgres
