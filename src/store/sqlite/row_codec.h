// SQLite binders for the zone and record set INSERT/UPDATE statements. The
// column lists, row readers and JSON columns are shared (store/row_codec.h).
#pragma once

#include <map>

#include "core/model.h"
#include "store/row_codec.h"
#include "store/sqlite/connection.h"

namespace dnsplane::store::sqlite {

// id, name, description, project_id, ns_records, attributes, created_at, updated_at
core::Pool read_pool(const Statement& st);
// Pool ns_records as [[hostname, priority], ...] and attributes as an object.
std::string ns_records_to_json(const std::vector<core::NameServer>& ns);
std::string attributes_to_json(const std::map<std::string, std::string>& attributes);

// Binds ?1..?21 as used by the zone INSERT and UPDATE statements.
void bind_zone(Statement& st, const core::Zone& z);
// Binds ?1..?15 as used by the record set INSERT and UPDATE statements
// (?1 id, ?2 zone_id, then the columns in kRecordSetColumns order).
// `first`: the index of the first parameter (rows of a multi-row INSERT).
void bind_recordset(Statement& st, const core::RecordSet& rs, int first = 1);

}  // namespace dnsplane::store::sqlite
