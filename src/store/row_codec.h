// Conversions between model values and table rows shared by every SQL
// backend: the column lists every query selects, readers for those columns
// (templates over the backend's row cursor: text(i), int64(i), is_null(i),
// optional_text(i)), and the JSON text kept in a few columns.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/model.h"
#include "store/store.h"

namespace dnsplane::store {

// SELECT lists, in the order read_zone / read_recordset expect.
inline constexpr char kZoneColumns[] =
    "id, pool_id, project_id, name, email, ttl, serial, status, action, description, type, "
    "masters, transferred_at, version, created_at, updated_at, refresh, retry, expire, minimum, "
    "soa_mname, soa_rname, spelled_name";
inline constexpr char kRecordSetColumns[] =
    "id, zone_id, project_id, zone_name, name, type, ttl, description, status, action, version, "
    "created_at, updated_at, managed, provider_meta";

std::string strings_to_json(const std::vector<std::string>& values);
std::vector<std::string> strings_from_json(std::string_view json);
// Compact form [[name, type, ttl, data], ...].
std::string rrs_to_json(const std::vector<core::ResourceRecord>& rrs);
std::vector<core::ResourceRecord> rrs_from_json(std::string_view json);
// The zone row a change left (zone_changes.zone_row): every stored column as
// an object, so that a change read back carries it like a local one. Reading
// gives nullopt for a malformed row: the entry is then used without it (as an
// entry written before migration 12), never refused.
std::string zone_to_json(const core::Zone& z);
std::optional<core::Zone> zone_from_json(std::string_view json);

// The name spelled backwards ("www.example.org." -> ".gro.elpmaxe.www"): the
// names below a zone then share a prefix, which an index can range-scan.
std::string reversed(std::string_view name);

// Pool ns_records as [[hostname, priority], ...] and attributes as an object.
std::string ns_records_to_json(const std::vector<core::NameServer>& ns);
std::vector<core::NameServer> ns_records_from_json(std::string_view json);
std::string attributes_to_json(const std::map<std::string, std::string>& attributes);
std::map<std::string, std::string> attributes_from_json(std::string_view json);

// The zone and record set writes. Parameters are numbered (`?N`: SQLite
// reads them as they are, the PostgreSQL connection as `$N`), so that the
// UPDATEs take the same values as the INSERTs: for_each_zone_value /
// for_each_recordset_value pass them in ?1, ?2, ... order.
inline constexpr char kZoneInsert[] =
    "INSERT INTO zones (id, pool_id, project_id, name, rname, email, ttl, serial, status, "
    "action, description, type, masters, transferred_at, version, created_at, updated_at, "
    "refresh, retry, expire, minimum, soa_mname, soa_rname, spelled_name) VALUES (?1, ?2, ?3, "
    "?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, "
    "?23, ?24)";
inline constexpr char kZoneUpdate[] =
    "UPDATE zones SET pool_id = ?2, project_id = ?3, name = ?4, rname = ?5, email = ?6, "
    "ttl = ?7, serial = ?8, status = ?9, action = ?10, description = ?11, type = ?12, "
    "masters = ?13, transferred_at = ?14, version = ?15, created_at = ?16, updated_at = ?17, "
    "refresh = ?18, retry = ?19, expire = ?20, minimum = ?21, soa_mname = ?22, soa_rname = ?23, "
    "spelled_name = ?24 WHERE id = ?1";
inline constexpr char kRecordSetInsert[] =
    "INSERT INTO recordsets (id, zone_id, project_id, zone_name, name, type, ttl, description, "
    "status, action, version, created_at, updated_at, managed, provider_meta) VALUES (?1, ?2, ?3, "
    "?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)";
// A record set never moves to another zone: the zone is part of its key.
inline constexpr char kRecordSetUpdate[] =
    "UPDATE recordsets SET project_id = ?3, zone_name = ?4, name = ?5, type = ?6, ttl = ?7, "
    "description = ?8, status = ?9, action = ?10, version = ?11, created_at = ?12, "
    "updated_at = ?13, managed = ?14, provider_meta = ?15 WHERE id = ?1 AND zone_id = ?2";
inline constexpr char kRecordInsert[] =
    "INSERT INTO records (zone_id, recordset_id, position, id, data) VALUES (?1, ?2, ?3, ?4, ?5)";

// The Conflict messages of a taken zone name / record set (name, type).
inline std::string zone_exists_msg(const std::string& name) {
    return "a zone named " + name + " already exists";
}
inline std::string recordset_exists_msg(const core::RecordSet& rs) {
    return "a record set " + rs.name + " " + rs.type + " already exists in the zone";
}

// Calls value(v) for ?1..?24 of kZoneInsert / kZoneUpdate; v is a
// std::string, std::int64_t or std::optional<std::string> (NULL when empty).
template <class Value>
void for_each_zone_value(const core::Zone& z, Value&& value) {
    value(z.id);
    value(z.pool_id);
    value(z.project_id);
    value(z.name);
    value(reversed(z.name));
    value(z.email);
    value(std::int64_t{z.ttl});
    value(std::int64_t{z.serial});
    value(z.status);
    value(z.action);
    value(z.description);
    value(z.type);
    value(strings_to_json(z.masters));
    value(z.transferred_at);
    value(z.version);
    value(z.created_at);
    value(z.updated_at);
    value(std::int64_t{z.refresh});
    value(std::int64_t{z.retry});
    value(std::int64_t{z.expire});
    value(std::int64_t{z.minimum});
    value(z.soa_mname);
    value(z.soa_rname);
    value(z.spelled_name);
}

// Calls value(v) for ?1..?15 of kRecordSetInsert / kRecordSetUpdate (the
// columns of kRecordSetColumns); a set without its own TTL passes a null
// std::optional<std::string>.
template <class Value>
void for_each_recordset_value(const core::RecordSet& rs, Value&& value) {
    value(rs.id);
    value(rs.zone_id);
    value(rs.project_id);
    value(rs.zone_name);
    value(rs.name);
    value(rs.type);
    if (rs.ttl)
        value(std::int64_t{*rs.ttl});
    else
        value(std::optional<std::string>());
    value(rs.description);
    value(rs.status);
    value(rs.action);
    value(rs.version);
    value(rs.created_at);
    value(rs.updated_at);
    value(std::int64_t{rs.managed ? 1 : 0});
    value(rs.provider_meta);
}

// id, name, description, project_id, ns_records, attributes, created_at, updated_at
template <class Row>
core::Pool read_pool(const Row& st) {
    core::Pool p;
    p.id = st.text(0);
    p.name = st.text(1);
    p.description = st.text(2);
    p.project_id = st.text(3);
    p.ns_records = ns_records_from_json(st.text(4));
    p.attributes = attributes_from_json(st.text(5));
    p.created_at = st.text(6);
    p.updated_at = st.optional_text(7);
    return p;
}

template <class Row>
core::Zone read_zone(const Row& st) {
    auto u32 = [&](int col) { return static_cast<std::uint32_t>(st.int64(col)); };
    core::Zone z;
    z.id = st.text(0);
    z.pool_id = st.text(1);
    z.project_id = st.text(2);
    z.name = st.text(3);
    z.email = st.text(4);
    z.ttl = u32(5);
    z.serial = u32(6);
    z.status = st.text(7);
    z.action = st.text(8);
    z.description = st.text(9);
    z.type = st.text(10);
    z.masters = strings_from_json(st.text(11));
    z.transferred_at = st.optional_text(12);
    z.version = st.int64(13);
    z.created_at = st.text(14);
    z.updated_at = st.optional_text(15);
    z.refresh = u32(16);
    z.retry = u32(17);
    z.expire = u32(18);
    z.minimum = u32(19);
    z.soa_mname = st.text(20);
    z.soa_rname = st.text(21);
    z.spelled_name = st.text(22);
    return z;
}

// Records left empty.
template <class Row>
core::RecordSet read_recordset(const Row& st) {
    core::RecordSet rs;
    rs.id = st.text(0);
    rs.zone_id = st.text(1);
    rs.project_id = st.text(2);
    rs.zone_name = st.text(3);
    rs.name = st.text(4);
    rs.type = st.text(5);
    if (!st.is_null(6)) rs.ttl = static_cast<std::uint32_t>(st.int64(6));
    rs.description = st.text(7);
    rs.status = st.text(8);
    rs.action = st.text(9);
    rs.version = st.int64(10);
    rs.created_at = st.text(11);
    rs.updated_at = st.optional_text(12);
    rs.managed = st.int64(13) != 0;
    rs.provider_meta = st.text(14);
    return rs;
}

template <class Row>
Token read_token(const Row& st) {
    // id, hash, project_id, role, created_at, user_id, expires_at
    return Token{st.text(0), st.text(1), st.text(2), st.text(3),
                 st.text(4), st.text(5), st.text(6)};
}

// id, name, project_id, project_name, role, password_hash, created_at
template <class Row>
User read_user(const Row& st) {
    return User{st.text(0), st.text(1), st.text(2), st.text(3), st.text(4), st.text(5), st.text(6)};
}

// id, kind, project_id, zone_id, zone_name, status, message,
// target_project_id, task_key, description, request_id, version, created_at,
// updated_at
template <class Row>
ZoneTask read_task(const Row& st) {
    ZoneTask t;
    t.id = st.text(0);
    t.kind = st.text(1);
    t.project_id = st.text(2);
    t.zone_id = st.text(3);
    t.zone_name = st.text(4);
    t.status = st.text(5);
    t.message = st.text(6);
    t.target_project_id = st.text(7);
    t.key = st.text(8);
    t.description = st.text(9);
    t.request_id = st.text(10);
    t.version = st.int64(11);
    t.created_at = st.text(12);
    t.updated_at = st.optional_text(13);
    return t;
}

// Columns: zone_id, zone_name, old_serial, new_serial, removed, added,
// zone_created, zone_deleted, committed_at, zone_row, soa_data (the last two
// NULL in entries written before migration 12 and after a deletion).
inline constexpr char kChangeColumns[] =
    "zone_id, zone_name, old_serial, new_serial, removed, added, zone_created, zone_deleted, "
    "committed_at, zone_row, soa_data";

// zone_row and soa_data of an entry: NULL when the change carries no zone row.
inline std::optional<std::string> change_zone_row(const core::ZoneChange& c) {
    if (!c.zone) return std::nullopt;
    return zone_to_json(*c.zone);
}
inline std::optional<std::string> change_soa_data(const core::ZoneChange& c) {
    if (!c.zone) return std::nullopt;
    return c.soa_data;
}

template <class Row>
core::ZoneChange read_change(const Row& st, int first = 0) {
    core::ZoneChange c;
    c.zone_id = st.text(first + 0);
    c.zone_name = st.text(first + 1);
    c.old_serial = static_cast<std::uint32_t>(st.int64(first + 2));
    c.new_serial = static_cast<std::uint32_t>(st.int64(first + 3));
    c.removed = rrs_from_json(st.text(first + 4));
    c.added = rrs_from_json(st.text(first + 5));
    c.zone_created = st.int64(first + 6) != 0;
    c.zone_deleted = st.int64(first + 7) != 0;
    c.committed_at = st.text(first + 8);
    // Written with the entry since migration 12: a follower patches its
    // snapshot from them without reading the zone back from the store.
    if (!st.is_null(first + 9)) {
        c.zone = zone_from_json(st.text(first + 9));
        if (c.zone && !st.is_null(first + 10)) c.soa_data = st.text(first + 10);
    }
    return c;
}

}  // namespace dnsplane::store
