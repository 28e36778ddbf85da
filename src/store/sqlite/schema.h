// The database schema as an ordered list of migrations. PRAGMA user_version
// records how many have been applied; open applies the missing ones, each in
// its own BEGIN IMMEDIATE transaction, so reopening is a no-op.
#pragma once

#include <string>
#include <vector>

#include "store/sqlite/connection.h"

namespace dnsplane::store::sqlite {

// Every migration carries its SQLite text and, next to it, its PostgreSQL
// text (store/postgres applies `postgres`). A migration added without its
// PostgreSQL form keeps `postgres` empty: SQLite works, opening a PostgreSQL
// store refuses with "migration N has no PostgreSQL form", and the store unit
// test MigrationsTest.EveryMigrationHasAPostgresForm fails until it is added.
// PostgreSQL texts declare text columns COLLATE "C" (bytewise order, as in
// SQLite: keyset pages and the reversed-name ranges depend on it), INTEGER
// columns as BIGINT, rowid keys as BIGSERIAL, and drop WITHOUT ROWID.
struct Migration {
    int version;           // user_version after this migration
    std::string sql;       // SQLite: one or more statements
    std::string postgres;  // PostgreSQL: the same change ("" = missing, see above)
};

const std::vector<Migration>& migrations();

// Brings the database up to the newest version. Throws core::Error
// (Unavailable) when the file was written by a newer dnsplane.
void migrate(Connection& conn);

// The user_version stored in the file.
int schema_version(Connection& conn);

}  // namespace dnsplane::store::sqlite
