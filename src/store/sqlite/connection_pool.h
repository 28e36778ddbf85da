// The connections of one database file: the single writer (handed to one
// write transaction at a time) and idle read-only connections for reuse.
#pragma once

#include <memory>
#include <mutex>
#include <semaphore>
#include <vector>

#include "store/sqlite/connection.h"
#include "store/sqlite/sqlite_store.h"

namespace dnsplane::store::sqlite {

class ConnectionPool {
  public:
    // Opens the writer (creating the file), switches to WAL and migrates.
    explicit ConnectionPool(SqliteOptions options);

    // Blocks until no other write transaction holds the writer. A semaphore,
    // not a mutex, so that the releasing thread may differ from the acquirer.
    Connection& acquire_writer();
    void release_writer();

    // An idle reader, or a new one when all are busy (never blocks).
    std::unique_ptr<Connection> acquire_reader();
    // Keeps the connection for reuse unless enough are idle already.
    void release_reader(std::unique_ptr<Connection> conn);

    const SqliteOptions& options() const { return options_; }

  private:
    std::unique_ptr<Connection> open_reader() const;

    SqliteOptions options_;
    std::unique_ptr<Connection> writer_;
    std::binary_semaphore writer_free_{1};
    std::mutex idle_mutex_;
    std::vector<std::unique_ptr<Connection>> idle_;
};

}  // namespace dnsplane::store::sqlite
