#include "store/postgres/reads.h"

#include <algorithm>
#include <map>
#include <unordered_map>

#include "store/list_query.h"
#include "store/row_codec.h"
#include "store/zone_names.h"

namespace dnsplane::store::postgres {
namespace {

const std::string kLiveZones =
    std::string("SELECT ") + kZoneColumns + " FROM zones WHERE status <> 'DELETED'";
const std::string kRecordSets = std::string("SELECT ") + kRecordSetColumns + " FROM recordsets";

std::vector<core::Zone> query_zones(PgConnection& conn, const std::string& sql,
                                    const std::vector<SqlValue>& params) {
    auto r = conn.query(sql, params);
    std::vector<core::Zone> out;
    out.reserve(static_cast<std::size_t>(r.rows()));
    while (r.step()) out.push_back(read_zone(r));
    return out;
}

std::vector<core::RecordSet> query_recordsets(PgConnection& conn, const std::string& sql,
                                              const std::vector<SqlValue>& params) {
    auto r = conn.query(sql, params);
    std::vector<core::RecordSet> out;
    out.reserve(static_cast<std::size_t>(r.rows()));
    while (r.step()) out.push_back(read_recordset(r));
    return out;
}

// Fills in the records of `sets`: one query per zone among them.
void attach_records(PgConnection& conn, std::vector<core::RecordSet>& sets) {
    if (sets.empty()) return;
    std::unordered_map<std::string_view, core::RecordSet*> by_id;
    std::map<std::string_view, std::vector<std::string>> ids_by_zone;
    by_id.reserve(sets.size());
    for (auto& rs : sets) {
        by_id.emplace(rs.id, &rs);
        ids_by_zone[rs.zone_id].push_back(rs.id);
    }
    for (const auto& [zone_id, ids] : ids_by_zone) {
        auto r = conn.query(
            "SELECT recordset_id, id, data FROM records WHERE zone_id = ? AND recordset_id IN "
            "(SELECT jsonb_array_elements_text(?::jsonb)) ORDER BY recordset_id, position",
            {std::string(zone_id), strings_to_json(ids)});
        while (r.step()) {
            auto it = by_id.find(r.text_view(0));
            if (it != by_id.end())
                it->second->records.push_back(core::Record{r.text(1), r.text(2)});
        }
    }
}

template <class T, class ReadRow>
Page<T> list(PgConnection& conn, ListTable table, const ListQuery& q, ReadRow read_row) {
    auto each = [&conn](const SqlQuery& query, auto&& on_row) {
        auto r = conn.query(query.sql, query.params);
        while (r.step()) on_row(r);
    };
    return run_list<T>(table, SqlDialect::Postgres, q, each, read_row);
}

template <class T>
std::optional<T> first(std::vector<T>&& v) {
    if (v.empty()) return std::nullopt;
    return std::move(v.front());
}

}  // namespace

// A few sets (a lookup by id, by name and type, at one name) with their
// values in one query: a row per value (the set's columns repeated), or one
// with NULLs for a set without values. Values in position order, as
// attach_records gives them.
Statement sets_with_records(const std::string& where, std::vector<SqlValue> params,
                            const char* order) {
    return Statement{"SELECT s.*, r.id, r.data FROM (" + kRecordSets + " WHERE " + where +
                         ") s LEFT JOIN records r ON r.zone_id = s.zone_id AND "
                         "r.recordset_id = s.id ORDER BY " +
                         order + ", r.position",
                     std::move(params)};
}

std::vector<core::RecordSet> read_sets_with_records(Result& r) {
    const int value_id = 15;  // after the columns of kRecordSetColumns
    std::vector<core::RecordSet> out;
    while (r.step()) {
        if (out.empty() || out.back().id != r.text_view(0)) out.push_back(read_recordset(r));
        if (!r.is_null(value_id))
            out.back().records.push_back(core::Record{r.text(value_id), r.text(value_id + 1)});
    }
    return out;
}

std::vector<core::RecordSet> query_sets_with_records(PgConnection& conn, const std::string& where,
                                                     const std::vector<SqlValue>& params,
                                                     const char* order) {
    auto st = sets_with_records(where, params, order);
    auto r = conn.query(st.sql, st.params);
    return read_sets_with_records(r);
}

template <class Base>
std::optional<core::Zone> PgReads<Base>::get_zone(const std::string& id) {
    return first(query_zones(
        *conn_, std::string("SELECT ") + kZoneColumns + " FROM zones WHERE id = ?", {id}));
}

template <class Base>
std::optional<core::Zone> PgReads<Base>::find_zone_by_name(const std::string& name) {
    return first(query_zones(*conn_, kLiveZones + " AND name = ?", {name}));
}

template <class Base>
Page<core::Zone> PgReads<Base>::list_zones(const ListQuery& q) {
    return list<core::Zone>(*conn_, ListTable::Zones, q, read_zone<Result>);
}

template <class Base>
std::vector<core::Zone> PgReads<Base>::related_zones(const std::string& name) {
    auto out = query_zones(
        *conn_,
        kLiveZones + " AND name IN (SELECT jsonb_array_elements_text(?::jsonb)) ORDER BY name",
        {strings_to_json(self_and_ancestors(name))});
    for (auto& z : zones_below(name)) out.push_back(std::move(z));
    return out;
}

template <class Base>
std::vector<core::Zone> PgReads<Base>::zones_below(const std::string& name) {
    auto range = names_below(name);
    auto below = query_zones(*conn_, kLiveZones + " AND rname >= ? AND rname < ? ORDER BY rname",
                             {range.low, range.high});
    std::vector<core::Zone> out;
    for (auto& z : below)
        if (is_strictly_below(z.name, name)) out.push_back(std::move(z));
    return out;
}

template <class Base>
std::vector<core::Zone> PgReads<Base>::all_zones() {
    return query_zones(*conn_, kLiveZones, {});
}

template <class Base>
std::size_t PgReads<Base>::count_zones(const std::string& project_id) {
    auto r = conn_->query("SELECT COUNT(*) FROM zones WHERE project_id = ? AND status <> 'DELETED'",
                          {project_id});
    return r.step() ? static_cast<std::size_t>(r.int64(0)) : 0;
}

template <class Base>
std::optional<core::RecordSet> PgReads<Base>::get_recordset(const std::string& id) {
    return first(query_sets_with_records(*conn_, "id = ?", {id}, "s.id"));
}

template <class Base>
std::optional<core::RecordSet> PgReads<Base>::find_recordset(const std::string& zone_id,
                                                             const std::string& name,
                                                             const std::string& type) {
    return first(query_sets_with_records(*conn_, "zone_id = ? AND name = ? AND type = ?",
                                         {zone_id, name, type}, "s.id"));
}

template <class Base>
std::optional<core::RecordSet> PgReads<Base>::recordset_of_record(const std::string& zone_id,
                                                                  const std::string& record_id) {
    std::string set_id;
    {
        auto r = conn_->query("SELECT recordset_id FROM records WHERE id = ? AND zone_id = ?",
                              {record_id, zone_id});
        if (!r.step()) return std::nullopt;
        set_id = r.text(0);
    }
    return get_recordset(set_id);
}

template <class Base>
std::vector<core::RecordSet> PgReads<Base>::recordsets_at(const std::string& zone_id,
                                                          const std::string& name) {
    return query_sets_with_records(*conn_, "zone_id = ? AND name = ?", {zone_id, name},
                                   "s.type, s.id");
}

template <class Base>
Page<core::RecordSet> PgReads<Base>::list_recordsets(const ListQuery& q) {
    auto page = list<core::RecordSet>(*conn_, ListTable::RecordSets, q, read_recordset<Result>);
    attach_records(*conn_, page.items);
    return page;
}

template <class Base>
std::vector<core::RecordSet> PgReads<Base>::zone_recordsets(const std::string& zone_id) {
    // Two scans of the zone's rows, both in record set id order, merged.
    std::vector<core::RecordSet> sets =
        query_recordsets(*conn_, kRecordSets + " WHERE zone_id = ? ORDER BY id", {zone_id});
    auto r = conn_->query(
        "SELECT recordset_id, id, data FROM records WHERE zone_id = ? "
        "ORDER BY recordset_id, position",
        {zone_id});
    std::size_t i = 0;
    while (i < sets.size() && r.step()) {
        const std::string_view set_id = r.text_view(0);
        while (i < sets.size() && sets[i].id != set_id) ++i;
        if (i < sets.size()) sets[i].records.push_back(core::Record{r.text(1), r.text(2)});
    }
    return sets;
}

template <class Base>
std::size_t PgReads<Base>::count_recordsets(const std::string& zone_id) {
    auto r = conn_->query("SELECT recordset_count FROM zones WHERE id = ?", {zone_id});
    return r.step() ? static_cast<std::size_t>(r.int64(0)) : 0;
}

template <class Base>
std::size_t PgReads<Base>::count_records(const std::string& zone_id) {
    auto r = conn_->query("SELECT record_count FROM zones WHERE id = ?", {zone_id});
    return r.step() ? static_cast<std::size_t>(r.int64(0)) : 0;
}

template <class Base>
std::vector<core::ZoneChange> PgReads<Base>::changes_since(const std::string& zone_id,
                                                           std::uint32_t from_serial) {
    // old_serial >= from_serial in RFC 1982 serial arithmetic.
    auto r = conn_->query(std::string("SELECT ") + kChangeColumns +
                              " FROM zone_changes WHERE zone_id = ? AND "
                              "((old_serial - ?::bigint) & 4294967295) < 2147483648 ORDER BY seq",
                          {zone_id, std::int64_t{from_serial}});
    std::vector<core::ZoneChange> out;
    while (r.step()) out.push_back(read_change(r));
    return out;
}

template class PgReads<ReadTxn>;
template class PgReads<WriteTxn>;

}  // namespace dnsplane::store::postgres
