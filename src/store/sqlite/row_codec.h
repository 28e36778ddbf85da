// SQLite binders for the zone and record set INSERT/UPDATE statements. The
// column lists, row readers and JSON columns are shared (store/row_codec.h).
#pragma once

#include <map>

#include "core/model.h"
#include "store/row_codec.h"
#include "store/sqlite/connection.h"

namespace dnsplane::store::sqlite {

// id, name, project_id, project_name, role, password_hash, created_at
User read_user(const Statement& st);

// Binds ?1..?21 as used by the zone INSERT and UPDATE statements.
void bind_zone(Statement& st, const core::Zone& z);
// Binds ?1..?15 as used by the record set INSERT and UPDATE statements
// (?1 id, ?2 zone_id, then the columns in kRecordSetColumns order).
// `first`: the index of the first parameter (rows of a multi-row INSERT).
void bind_recordset(Statement& st, const core::RecordSet& rs, int first = 1);

}  // namespace dnsplane::store::sqlite
