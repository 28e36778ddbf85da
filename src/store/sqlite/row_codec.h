// SQLite binders for the zone and record set INSERT/UPDATE statements. The
// statements, column lists, row readers and JSON columns are shared
// (store/row_codec.h).
#pragma once

#include "core/model.h"
#include "store/row_codec.h"
#include "store/sqlite/connection.h"

namespace dnsplane::store::sqlite {

// Binds ?1..?24 as used by kZoneInsert and kZoneUpdate.
void bind_zone(Statement& st, const core::Zone& z);
// Binds ?1..?15 as used by kRecordSetInsert and kRecordSetUpdate.
// `first`: the index of the first parameter (rows of a multi-row INSERT).
void bind_recordset(Statement& st, const core::RecordSet& rs, int first = 1);

}  // namespace dnsplane::store::sqlite
