// Conversions between model values and table rows: the column lists every
// query selects, readers for those columns, binders for inserts/updates, and
// the JSON text kept in a few columns.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/model.h"
#include "store/sqlite/connection.h"
#include "store/store.h"

namespace dnsplane::store::sqlite {

// SELECT lists, in the order read_zone / read_recordset expect.
inline constexpr char kZoneColumns[] =
    "id, pool_id, project_id, name, email, ttl, serial, status, action, description, type, "
    "masters, transferred_at, version, created_at, updated_at, refresh, retry, expire, minimum";
inline constexpr char kRecordSetColumns[] =
    "id, zone_id, project_id, zone_name, name, type, ttl, description, status, action, version, "
    "created_at, updated_at, managed, provider_meta";

core::Zone read_zone(const Statement& st);
core::RecordSet read_recordset(const Statement& st);  // records left empty
Token read_token(const Statement& st);
// id, name, project_id, project_name, role, password_hash, created_at
User read_user(const Statement& st);

// Binds ?1..?21 as used by the zone INSERT and UPDATE statements.
void bind_zone(Statement& st, const core::Zone& z);
// Binds ?1..?15 as used by the record set INSERT and UPDATE statements
// (?1 id, ?2 zone_id, then the columns in kRecordSetColumns order).
void bind_recordset(Statement& st, const core::RecordSet& rs);

std::string strings_to_json(const std::vector<std::string>& values);
std::vector<std::string> strings_from_json(std::string_view json);
// Compact form [[name, type, ttl, data], ...].
std::string rrs_to_json(const std::vector<core::ResourceRecord>& rrs);
std::vector<core::ResourceRecord> rrs_from_json(std::string_view json);

// The name spelled backwards ("www.example.org." -> ".gro.elpmaxe.www"): the
// names below a zone then share a prefix, which an index can range-scan.
std::string reversed(std::string_view name);

}  // namespace dnsplane::store::sqlite
