#include "store/sqlite/reads.h"

#include <algorithm>
#include <map>
#include <unordered_map>

#include "store/sqlite/list_query.h"
#include "store/sqlite/row_codec.h"
#include "store/sqlite/zone_names.h"

namespace dnsplane::store::sqlite {
namespace {

const std::string kLiveZones =
    std::string("SELECT ") + kZoneColumns + " FROM zones WHERE status <> 'DELETED'";
const std::string kRecordSets = std::string("SELECT ") + kRecordSetColumns + " FROM recordsets";

std::vector<core::Zone> query_zones(Connection& conn, const std::string& sql,
                                    const std::vector<SqlValue>& params) {
    auto st = conn.prepare(sql);
    st.bind_all(params);
    std::vector<core::Zone> out;
    while (st.step()) out.push_back(read_zone(st));
    return out;
}

std::vector<core::RecordSet> query_recordsets(Connection& conn, const std::string& sql,
                                              const std::vector<SqlValue>& params) {
    auto st = conn.prepare(sql);
    st.bind_all(params);
    std::vector<core::RecordSet> out;
    while (st.step()) out.push_back(read_recordset(st));
    return out;
}

// Fills in the records of `sets`: one query per zone among them (a page of a
// zone-scoped list is one query whatever its size).
void attach_records(Connection& conn, std::vector<core::RecordSet>& sets) {
    if (sets.empty()) return;
    if (sets.size() == 1) {
        auto st = conn.prepare(
            "SELECT id, data FROM records WHERE zone_id = ? AND recordset_id = ? "
            "ORDER BY position");
        st.bind(1, sets[0].zone_id).bind(2, sets[0].id);
        while (st.step()) sets[0].records.push_back(core::Record{st.text(0), st.text(1)});
        return;
    }
    std::unordered_map<std::string_view, core::RecordSet*> by_id;
    std::map<std::string_view, std::vector<std::string>> ids_by_zone;
    by_id.reserve(sets.size());
    for (auto& rs : sets) {
        by_id.emplace(rs.id, &rs);
        ids_by_zone[rs.zone_id].push_back(rs.id);
    }
    // json_each keeps this a single cached statement for any page size.
    auto st = conn.prepare(
        "SELECT recordset_id, id, data FROM records WHERE zone_id = ? AND recordset_id IN "
        "(SELECT value FROM json_each(?)) ORDER BY recordset_id, position");
    for (const auto& [zone_id, ids] : ids_by_zone) {
        st.bind(1, zone_id).bind(2, strings_to_json(ids));
        while (st.step()) {
            auto it = by_id.find(st.text_view(0));
            if (it != by_id.end())
                it->second->records.push_back(core::Record{st.text(1), st.text(2)});
        }
        st.reset();
    }
}

template <class T, class ReadRow>
Page<T> run_list(Connection& conn, ListTable table, const ListQuery& q, ReadRow read_row) {
    ListSql sql(table, q);
    std::optional<std::pair<SqlValue, std::string>> after;
    if (q.marker && !q.offset) {
        auto m = sql.marker_sort_value(*q.marker);
        auto st = conn.prepare(m.sql);
        st.bind_all(m.params);
        if (!st.step())
            throw core::Error(core::ErrorKind::BadRequest, "invalid_marker",
                              "marker " + *q.marker + " does not exist");
        after.emplace(st.value(0), *q.marker);
    }

    Page<T> page;
    {
        auto c = sql.count();
        auto st = conn.prepare(c.sql);
        st.bind_all(c.params);
        page.total_count = st.step() ? static_cast<std::size_t>(st.int64(0)) : 0;
    }
    auto p = sql.page(after);
    auto st = conn.prepare(p.sql);
    st.bind_all(p.params);
    // A page plus the look-ahead row, without reallocations (pages are <= 1,000).
    page.items.reserve(std::min<std::size_t>(q.limit, 1000) + 1);
    while (st.step()) page.items.push_back(read_row(st));
    if (page.items.size() > q.limit) {
        page.items.resize(q.limit);
        page.has_more = true;
    }
    return page;
}

core::ZoneChange read_change(const Statement& st) {
    core::ZoneChange c;
    c.zone_id = st.text(0);
    c.zone_name = st.text(1);
    c.old_serial = static_cast<std::uint32_t>(st.int64(2));
    c.new_serial = static_cast<std::uint32_t>(st.int64(3));
    c.removed = rrs_from_json(st.text(4));
    c.added = rrs_from_json(st.text(5));
    c.zone_created = st.int64(6) != 0;
    c.zone_deleted = st.int64(7) != 0;
    c.committed_at = st.text(8);
    return c;
}

template <class T>
std::optional<T> first(std::vector<T>&& v) {
    if (v.empty()) return std::nullopt;
    return std::move(v.front());
}

}  // namespace

template <class Base>
std::optional<core::Zone> SqliteReads<Base>::get_zone(const std::string& id) {
    return first(query_zones(
        conn_, std::string("SELECT ") + kZoneColumns + " FROM zones WHERE id = ?", {id}));
}

template <class Base>
std::optional<core::Zone> SqliteReads<Base>::find_zone_by_name(const std::string& name) {
    return first(query_zones(conn_, kLiveZones + " AND name = ?", {name}));
}

template <class Base>
Page<core::Zone> SqliteReads<Base>::list_zones(const ListQuery& q) {
    return run_list<core::Zone>(conn_, ListTable::Zones, q, read_zone);
}

template <class Base>
std::vector<core::Zone> SqliteReads<Base>::related_zones(const std::string& name) {
    auto out = query_zones(
        conn_, kLiveZones + " AND name IN (SELECT value FROM json_each(?)) ORDER BY name",
        {strings_to_json(self_and_ancestors(name))});
    auto range = names_below(name);
    auto below = query_zones(conn_, kLiveZones + " AND rname >= ? AND rname < ? ORDER BY rname",
                             {range.low, range.high});
    for (auto& z : below)
        if (is_strictly_below(z.name, name)) out.push_back(std::move(z));
    return out;
}

template <class Base>
std::vector<core::Zone> SqliteReads<Base>::all_zones() {
    return query_zones(conn_, kLiveZones, {});
}

template <class Base>
std::size_t SqliteReads<Base>::count_zones(const std::string& project_id) {
    auto st =
        conn_.prepare("SELECT COUNT(*) FROM zones WHERE project_id = ? AND status <> 'DELETED'");
    st.bind(1, project_id);
    st.step();
    return static_cast<std::size_t>(st.int64(0));
}

template <class Base>
std::optional<core::RecordSet> SqliteReads<Base>::get_recordset(const std::string& id) {
    auto sets = query_recordsets(conn_, kRecordSets + " WHERE id = ?", {id});
    attach_records(conn_, sets);
    return first(std::move(sets));
}

template <class Base>
std::optional<core::RecordSet> SqliteReads<Base>::find_recordset(const std::string& zone_id,
                                                                 const std::string& name,
                                                                 const std::string& type) {
    auto sets = query_recordsets(
        conn_, kRecordSets + " WHERE zone_id = ? AND name = ? AND type = ?", {zone_id, name, type});
    attach_records(conn_, sets);
    return first(std::move(sets));
}

template <class Base>
std::optional<core::RecordSet> SqliteReads<Base>::recordset_of_record(
    const std::string& zone_id, const std::string& record_id) {
    std::string set_id;
    {
        auto st = conn_.prepare("SELECT recordset_id FROM records WHERE id = ? AND zone_id = ?");
        st.bind(1, record_id).bind(2, zone_id);
        if (!st.step()) return std::nullopt;
        set_id = st.text(0);
    }
    return get_recordset(set_id);
}

template <class Base>
std::vector<core::RecordSet> SqliteReads<Base>::recordsets_at(const std::string& zone_id,
                                                              const std::string& name) {
    auto sets = query_recordsets(
        conn_, kRecordSets + " WHERE zone_id = ? AND name = ? ORDER BY type", {zone_id, name});
    attach_records(conn_, sets);
    return sets;
}

template <class Base>
Page<core::RecordSet> SqliteReads<Base>::list_recordsets(const ListQuery& q) {
    auto page = run_list<core::RecordSet>(conn_, ListTable::RecordSets, q, read_recordset);
    attach_records(conn_, page.items);
    return page;
}

template <class Base>
std::vector<core::RecordSet> SqliteReads<Base>::zone_recordsets(const std::string& zone_id) {
    // Two range scans of the zone's rows, both in record set id order (the
    // tables' primary keys), merged in one pass. They run in the same
    // transaction, so every record's set is in `sets`.
    // Sized up front from the zone's row counter: a big zone (start-up loads
    // every zone) would otherwise move its sets through many reallocations.
    std::vector<core::RecordSet> sets;
    sets.reserve(count_recordsets(zone_id));
    {
        auto st = conn_.prepare(kRecordSets + " WHERE zone_id = ? ORDER BY id");
        st.bind(1, zone_id);
        while (st.step()) sets.push_back(read_recordset(st));
    }
    auto st = conn_.prepare(
        "SELECT recordset_id, id, data FROM records WHERE zone_id = ? "
        "ORDER BY recordset_id, position");
    st.bind(1, zone_id);
    std::size_t i = 0;
    while (i < sets.size() && st.step()) {
        const std::string_view set_id = st.text_view(0);
        while (i < sets.size() && sets[i].id != set_id) ++i;
        if (i < sets.size()) sets[i].records.push_back(core::Record{st.text(1), st.text(2)});
    }
    return sets;
}

template <class Base>
std::size_t SqliteReads<Base>::count_recordsets(const std::string& zone_id) {
    auto st = conn_.prepare("SELECT recordset_count FROM zones WHERE id = ?");
    st.bind(1, zone_id);
    return st.step() ? static_cast<std::size_t>(st.int64(0)) : 0;
}

template <class Base>
std::vector<core::ZoneChange> SqliteReads<Base>::changes_since(const std::string& zone_id,
                                                               std::uint32_t from_serial) {
    // old_serial >= from_serial in RFC 1982 serial arithmetic: the distance
    // from from_serial, taken modulo 2^32, is below 2^31.
    auto st = conn_.prepare(
        "SELECT zone_id, zone_name, old_serial, new_serial, removed, added, zone_created, "
        "zone_deleted, committed_at FROM zone_changes WHERE zone_id = ? AND "
        "((old_serial - ?) & 4294967295) < 2147483648 ORDER BY seq");
    st.bind(1, zone_id).bind(2, std::int64_t{from_serial});
    std::vector<core::ZoneChange> out;
    while (st.step()) out.push_back(read_change(st));
    return out;
}

template <class Base>
std::optional<Token> SqliteReads<Base>::find_token(const std::string& hash) {
    auto st = conn_.prepare(
        "SELECT id, hash, project_id, role, created_at, user_id, expires_at FROM tokens "
        "WHERE hash = ?");
    st.bind(1, hash);
    if (!st.step()) return std::nullopt;
    return read_token(st);
}

namespace {
constexpr const char* kUserColumns =
    "SELECT id, name, project_id, project_name, role, password_hash, created_at FROM users ";
}

template <class Base>
std::optional<User> SqliteReads<Base>::find_user_by_name(const std::string& name) {
    auto st = conn_.prepare(std::string(kUserColumns) + "WHERE name = ?");
    st.bind(1, name);
    if (!st.step()) return std::nullopt;
    return read_user(st);
}

template <class Base>
std::optional<User> SqliteReads<Base>::get_user(const std::string& id) {
    auto st = conn_.prepare(std::string(kUserColumns) + "WHERE id = ?");
    st.bind(1, id);
    if (!st.step()) return std::nullopt;
    return read_user(st);
}

template <class Base>
std::vector<OutboxEvent> SqliteReads<Base>::outbox_head(std::size_t limit) {
    auto st = conn_.prepare(
        "SELECT seq, id, zone_id, sequence, payload FROM hook_outbox ORDER BY seq LIMIT ?");
    st.bind(1, static_cast<std::int64_t>(limit));
    std::vector<OutboxEvent> out;
    while (st.step())
        out.push_back({st.int64(0), st.text(1), st.text(2), st.int64(3), st.text(4)});
    return out;
}

template <class Base>
std::size_t SqliteReads<Base>::outbox_size() {
    auto st = conn_.prepare("SELECT count(*) FROM hook_outbox");
    return st.step() ? static_cast<std::size_t>(st.int64(0)) : 0;
}

template <class Base>
std::vector<HookBinding> SqliteReads<Base>::hook_bindings() {
    auto st = conn_.prepare(
        "SELECT addons_point, plugin_id, plugin_version, endpoint, created_at FROM hook_bindings "
        "ORDER BY addons_point");
    std::vector<HookBinding> out;
    while (st.step())
        out.push_back({st.text(0), st.text(1), st.text(2), st.text(3), st.text(4)});
    return out;
}

template <class Base>
std::optional<std::string> SqliteReads<Base>::tenant_status(const std::string& id) {
    auto st = conn_.prepare("SELECT status FROM tenants WHERE id = ?");
    st.bind(1, id);
    if (!st.step()) return std::nullopt;
    return st.text(0);
}

template class SqliteReads<ReadTxn>;
template class SqliteReads<WriteTxn>;

}  // namespace dnsplane::store::sqlite
