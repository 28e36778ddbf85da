// store::Store on SQLite: one writer connection behind a lock (write() waits
// for it) and a pool of read-only connections that WAL lets read alongside the
// writer. Transactions keep the pool alive, so they may outlive the store.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "store/store.h"

namespace dnsplane::store::sqlite {

struct SqliteOptions {
    std::string path;
    // PRAGMA synchronous: FULL (default) syncs the WAL at every commit, so an
    // acknowledged write survives power loss; NORMAL may lose the last
    // commits on power loss (never on a process crash) but is much faster.
    std::string synchronous = "FULL";
    int busy_timeout_ms = 5000;    // waits for other processes' locks
    std::size_t idle_readers = 8;  // read connections kept open when idle
};

// Parses a database URL ("sqlite:///abs.db", "sqlite://rel/x.db",
// "sqlite:rel.db", optional "?synchronous=normal&busy_timeout=ms").
// Throws core::Error(Unavailable, "database_unavailable") when malformed.
SqliteOptions sqlite_options_from_url(const std::string& url);

// Creates the parent folder and file if missing, enables WAL and applies the
// migrations. Throws core::Error(Unavailable, "database_unavailable").
std::unique_ptr<Store> open_sqlite_store(const SqliteOptions& options);

}  // namespace dnsplane::store::sqlite
