// Connections of one PostgreSQL store: read connections (pooled, opened on
// demand) and the one writer slot (write() waits for it, as with SQLite; a
// write transaction may finish on another thread). A broken connection is
// dropped and reopened at the next use, so a store survives a database
// restart. Also remembers the change-log positions this process wrote, so
// the follower (pg_store.cpp) does not republish them.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/model.h"
#include "store/postgres/connection.h"

namespace dnsplane::store::postgres {

class PgPool {
  public:
    PgPool(std::string conninfo, std::size_t idle_readers = 8);

    std::unique_ptr<PgConnection> acquire_reader();
    void release_reader(std::unique_ptr<PgConnection> conn);

    // Waits for the writer slot, (re)connecting when needed. Throws
    // PgError(Unavailable) (slot released) when the server is unreachable.
    PgConnection& acquire_writer();
    void release_writer();

    const std::string& conninfo() const { return conninfo_; }
    // A connection for the write path (the writer, the follower): the same
    // few statements thousands of times a second, on keys and ranges of
    // keys, so generic plans. PostgreSQL's default re-planned the widest of
    // them at every execution (the sets at a batch's names: 250 us of
    // planning to 60 us of execution, under the cluster-wide write lock):
    // two nodes wrote 2,680 creates/s with it, 3,260 without (bench/RESULTS.md).
    std::unique_ptr<PgConnection> connect_for_writes() const;

    // Change-log positions appended by this process (until the follower has
    // passed them).
    // Only while a follower runs (start_delivery): nobody else takes them.
    bool following() const { return following_; }
    void note_own_change(std::int64_t seq);
    void forget_own_change(std::int64_t seq);
    bool take_own_change(std::int64_t seq);

    // Zone names by id as read (a zone keeps its name for life): lets a
    // write transaction ask for what depends on the name in the round trip
    // that reads the zone row. Forgotten wholesale past 100,000 zones.
    std::optional<std::string> zone_name(const std::string& id);
    void remember_zone_name(const std::string& id, const std::string& name);

    // Delivery of other processes' changes in change-log order, from two
    // threads: the follower (what it reads) and a write transaction of this
    // process at its COMMIT (the entries committed before its own, read
    // under the write lock; PgWriteTxn::commit_in_order). Both hold
    // order_lock() while they deliver; everything up to delivered() has been
    // delivered or was this process's own.
    void start_delivery(std::int64_t head, std::function<void(const core::ZoneChange&)> deliver);
    std::unique_lock<std::mutex> order_lock() { return std::unique_lock(order_mutex_); }
    std::int64_t delivered() const { return delivered_.load(std::memory_order_acquire); }
    // Under order_lock(): delivers entry `seq` unless it is at or below
    // delivered() or this process's own, and moves delivered() to it.
    void deliver(std::int64_t seq, const core::ZoneChange& change);
    // Under order_lock(): this process published everything up to `seq`.
    void mark_delivered(std::int64_t seq);
    // Whether a change-log notification ("<seq> <zone id>") names an entry
    // still to deliver: past delivered() and not this process's own. Every
    // commit notifies every node, its own writer's too, and a busy node's
    // next write transaction delivers the others' entries at its BEGIN: the
    // follower reads the log only for news (true for a payload it cannot
    // read).
    bool is_news(std::string_view notification) const;

  private:
    std::string conninfo_;
    std::size_t idle_readers_;
    std::mutex mutex_;
    std::condition_variable writer_free_;
    bool writer_busy_ = false;
    std::unique_ptr<PgConnection> writer_;
    std::vector<std::unique_ptr<PgConnection>> idle_;
    mutable std::mutex own_mutex_;
    std::set<std::int64_t> own_;
    std::atomic<bool> following_{false};
    std::mutex names_mutex_;
    std::unordered_map<std::string, std::string> zone_names_;
    std::mutex order_mutex_;
    std::atomic<std::int64_t> delivered_{0};
    std::function<void(const core::ZoneChange&)> deliver_;
};

}  // namespace dnsplane::store::postgres
