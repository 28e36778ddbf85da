// The database schema as an ordered list of migrations. PRAGMA user_version
// records how many have been applied; open applies the missing ones, each in
// its own BEGIN IMMEDIATE transaction, so reopening is a no-op.
#pragma once

#include <string>
#include <vector>

#include "store/sqlite/connection.h"

namespace dnsplane::store::sqlite {

struct Migration {
    int version;      // user_version after this migration
    std::string sql;  // one or more statements
};

const std::vector<Migration>& migrations();

// Brings the database up to the newest version. Throws core::Error
// (Unavailable) when the file was written by a newer dnsplane.
void migrate(Connection& conn);

// The user_version stored in the file.
int schema_version(Connection& conn);

}  // namespace dnsplane::store::sqlite
