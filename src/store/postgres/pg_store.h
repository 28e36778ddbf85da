// store::Store on PostgreSQL (libpq): several dnsplane nodes may share one
// database. See transactions.h for how writers of different nodes serialise
// and README.md for the whole design.
#pragma once

#include <memory>
#include <string>

#include "store/store.h"

namespace dnsplane::store::postgres {

// Connects (`url`: postgresql:// or postgres:// URI, libpq syntax, e.g.
// "postgresql://u:pw@host:5432/db" or "postgresql:///db?host=/run/postgresql")
// and brings the schema up to date under an advisory lock (several nodes may
// start at once). Throws core::Error(Unavailable, "database_unavailable")
// without echoing the URL (it may carry a password).
std::unique_ptr<Store> open_postgres_store(const std::string& url);

// Applies the missing migrations (store/sqlite/schema.cpp's list, PostgreSQL
// texts) on `conninfo`'s database; returns the schema version.
int migrate_postgres(const std::string& conninfo);

}  // namespace dnsplane::store::postgres
