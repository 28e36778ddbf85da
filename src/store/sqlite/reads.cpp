#include "store/sqlite/reads.h"

#include <algorithm>
#include <map>
#include <unordered_map>

#include "store/list_query.h"
#include "store/row_codec.h"
#include "store/zone_names.h"

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
    auto each = [&conn](const SqlQuery& query, auto&& on_row) {
        auto st = conn.prepare(query.sql);
        st.bind_all(query.params);
        while (st.step()) on_row(st);
    };
    return store::run_list<T>(table, SqlDialect::Sqlite, q, each, read_row);
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
    return run_list<core::Zone>(conn_, ListTable::Zones, q, read_zone<Statement>);
}

template <class Base>
std::vector<core::Zone> SqliteReads<Base>::related_zones(const std::string& name) {
    auto out = query_zones(
        conn_, kLiveZones + " AND name IN (SELECT value FROM json_each(?)) ORDER BY name",
        {strings_to_json(self_and_ancestors(name))});
    for (auto& z : zones_below(name)) out.push_back(std::move(z));
    return out;
}

template <class Base>
std::vector<core::Zone> SqliteReads<Base>::zones_below(const std::string& name) {
    auto range = names_below(name);
    auto below = query_zones(conn_, kLiveZones + " AND rname >= ? AND rname < ? ORDER BY rname",
                             {range.low, range.high});
    std::vector<core::Zone> out;
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
std::vector<core::RecordSet> SqliteReads<Base>::recordsets_at_names(
    const std::string& zone_id, const std::vector<std::string>& names) {
    if (names.empty()) return {};
    if (names.size() == 1) return recordsets_at(zone_id, names.front());
    // One index probe per name inside one statement (json_each keeps it a
    // single cached statement for any number of names).
    auto sets = query_recordsets(
        conn_,
        kRecordSets +
            " WHERE zone_id = ? AND name IN (SELECT value FROM json_each(?)) ORDER BY name, type",
        {zone_id, strings_to_json(names)});
    attach_records(conn_, sets);
    return sets;
}

template <class Base>
Page<core::RecordSet> SqliteReads<Base>::list_recordsets(const ListQuery& q) {
    auto page =
        run_list<core::RecordSet>(conn_, ListTable::RecordSets, q, read_recordset<Statement>);
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
void SqliteReads<Base>::scan_recordsets(const std::string& zone_id,
                                        const std::function<void(const RecordSetView&)>& fn) {
    // The two range scans of zone_recordsets, merged as they go: only the
    // columns a mirror needs, values copied into buffers that are reused
    // from set to set (no allocation per set once they have grown).
    auto sets = conn_.prepare(
        "SELECT id, name, type, ttl, managed, provider_meta FROM recordsets WHERE zone_id = ? "
        "ORDER BY id");
    sets.bind(1, zone_id);
    auto records = conn_.prepare(
        "SELECT recordset_id, data FROM records WHERE zone_id = ? ORDER BY recordset_id, "
        "position");
    records.bind(1, zone_id);
    std::vector<std::string> data;
    bool pending = records.step();  // the records cursor is on a row not yet taken
    while (sets.step()) {
        RecordSetView v;
        v.id = sets.text_view(0);
        v.name = sets.text_view(1);
        v.type = sets.text_view(2);
        if (!sets.is_null(3)) v.ttl = static_cast<std::uint32_t>(sets.int64(3));
        v.managed = sets.int64(4) != 0;
        v.provider_meta = sets.text_view(5);
        std::size_t used = 0;
        // Both cursors are in set id order (one snapshot: no record without its set).
        while (pending && records.text_view(0) < v.id) pending = records.step();
        while (pending && records.text_view(0) == v.id) {
            if (used == data.size()) data.emplace_back();
            data[used++].assign(records.text_view(1));
            pending = records.step();
        }
        v.data = std::span<const std::string>(data.data(), used);
        fn(v);
    }
}

template <class Base>
std::size_t SqliteReads<Base>::count_recordsets(const std::string& zone_id) {
    auto st = conn_.prepare("SELECT recordset_count FROM zones WHERE id = ?");
    st.bind(1, zone_id);
    return st.step() ? static_cast<std::size_t>(st.int64(0)) : 0;
}

template <class Base>
std::size_t SqliteReads<Base>::count_records(const std::string& zone_id) {
    auto st = conn_.prepare("SELECT record_count FROM zones WHERE id = ?");
    st.bind(1, zone_id);
    return st.step() ? static_cast<std::size_t>(st.int64(0)) : 0;
}

template <class Base>
std::vector<core::ZoneChange> SqliteReads<Base>::changes_since(const std::string& zone_id,
                                                               std::uint32_t from_serial) {
    // old_serial >= from_serial in RFC 1982 serial arithmetic: the distance
    // from from_serial, taken modulo 2^32, is below 2^31.
    auto st = conn_.prepare(std::string("SELECT ") + kChangeColumns +
                            " FROM zone_changes WHERE zone_id = ? AND "
                            "((old_serial - ?) & 4294967295) < 2147483648 ORDER BY seq");
    st.bind(1, zone_id).bind(2, std::int64_t{from_serial});
    std::vector<core::ZoneChange> out;
    while (st.step()) out.push_back(read_change(st));
    return out;
}

template class SqliteReads<ReadTxn>;
template class SqliteReads<WriteTxn>;

}  // namespace dnsplane::store::sqlite
