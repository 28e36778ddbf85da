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
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

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

    // Change-log positions appended by this process (until the follower has
    // passed them).
    // Only while a follower runs (set_following): nobody else takes them.
    void set_following(bool on) { following_ = on; }
    void note_own_change(std::int64_t seq);
    void forget_own_change(std::int64_t seq);
    bool take_own_change(std::int64_t seq);

  private:
    std::string conninfo_;
    std::size_t idle_readers_;
    std::mutex mutex_;
    std::condition_variable writer_free_;
    bool writer_busy_ = false;
    std::unique_ptr<PgConnection> writer_;
    std::vector<std::unique_ptr<PgConnection>> idle_;
    std::mutex own_mutex_;
    std::set<std::int64_t> own_;
    std::atomic<bool> following_{false};
};

}  // namespace dnsplane::store::postgres
