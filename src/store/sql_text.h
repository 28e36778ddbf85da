// SQL text shared by the SQL backends (SQLite and PostgreSQL): multi-row
// INSERT statements for bulk writes. Placeholders are "?" (PostgreSQL numbers
// them, see postgres::number_placeholders).
#pragma once

#include <cstddef>
#include <string>

namespace dnsplane::store {

inline constexpr char kRecordSetInsertHead[] =
    "INSERT INTO recordsets (id, zone_id, project_id, zone_name, name, type, ttl, description, "
    "status, action, version, created_at, updated_at, managed, provider_meta)";
inline constexpr std::size_t kRecordSetInsertColumns = 15;
inline constexpr char kRecordInsertHead[] =
    "INSERT INTO records (zone_id, recordset_id, position, id, data)";
inline constexpr std::size_t kRecordInsertColumns = 5;

// "<head> VALUES (?, ...), (?, ...), ..." with `rows` groups of `cols`.
std::string multi_row_insert(const char* head, std::size_t cols, std::size_t rows);

// Rows per multi-row INSERT: the largest power of two that is at most
// `remaining` and `cap` and keeps rows * cols within `max_params`. Powers of
// two keep the per-connection statement cache to a dozen variants per table.
std::size_t chunk_rows(std::size_t remaining, std::size_t cols, std::size_t cap,
                       std::size_t max_params);

}  // namespace dnsplane::store
