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
    // PRAGMA synchronous. NORMAL (default) in WAL mode: an acknowledged write
    // survives a process crash or kill -9, but the last commits may be lost on
    // power loss or an OS crash; commits no longer wait for an fsync, so the
    // write rate is many times higher. FULL ("?synchronous=full") syncs the
    // WAL at every commit, so an acknowledged write also survives power loss.
    std::string synchronous = "NORMAL";
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
