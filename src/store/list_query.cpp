#include "store/list_query.h"

#include <algorithm>
#include <charconv>
#include <limits>
#include <string_view>

#include "core/error.h"
#include "store/row_codec.h"

namespace dnsplane::store {
namespace {

struct SortKey {
    std::string_view key;
    std::string_view expr;  // must match the index expressions of the schemas
};

// Only id is unique: every other key is paired with id to break ties.
constexpr SortKey kZoneSortKeys[] = {
    {"created_at", "created_at"},
    {"id", "id"},
    {"name", "name"},
    {"type", "type"},
    {"ttl", "ttl"},
    {"status", "status"},
    {"serial", "serial"},
    {"email", "email"},
    {"description", "description"},
    {"updated_at", "COALESCE(updated_at, '')"},
    {"version", "version"},
};

constexpr SortKey kRecordSetSortKeys[] = {
    {"created_at", "created_at"},
    {"id", "id"},
    {"name", "name"},
    {"type", "type"},
    {"ttl", "COALESCE(ttl, -1)"},
    {"status", "status"},
    {"description", "description"},
    {"zone_id", "zone_id"},
    {"updated_at", "COALESCE(updated_at, '')"},
    {"version", "version"},
};

enum class Match {
    Exact,     // column = value
    Wildcard,  // `*` allowed
    Integer,   // value must be a whole number
    Data,      // record sets having a record whose data matches (wildcards allowed)
};

struct FilterAttr {
    std::string_view key;
    Match match;
};

constexpr FilterAttr kZoneFilters[] = {
    {"name", Match::Wildcard}, {"email", Match::Wildcard}, {"description", Match::Wildcard},
    {"ttl", Match::Integer},   {"serial", Match::Integer}, {"status", Match::Exact},
    {"type", Match::Exact},    {"id", Match::Exact},       {"pool_id", Match::Exact},
    {"action", Match::Exact},
};

constexpr FilterAttr kRecordSetFilters[] = {
    {"name", Match::Wildcard}, {"description", Match::Wildcard}, {"data", Match::Data},
    {"ttl", Match::Integer},   {"type", Match::Exact},           {"status", Match::Exact},
    {"id", Match::Exact},      {"zone_id", Match::Exact},        {"zone_name", Match::Exact},
    {"action", Match::Exact},
};

template <class T, std::size_t N>
const T* find_key(const T (&table)[N], std::string_view key) {
    auto it =
        std::find_if(std::begin(table), std::end(table), [&](const T& e) { return e.key == key; });
    return it == std::end(table) ? nullptr : it;
}

void add_condition(std::string& where, std::string_view cond) {
    where += where.empty() ? " WHERE " : " AND ";
    where += cond;
}

std::int64_t parse_integer(const std::string& key, const std::string& value) {
    std::int64_t n = 0;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
    if (ec != std::errc() || end != value.data() + value.size())
        throw core::bad_request("invalid_filter", "filter " + key + " must be an integer");
    return n;
}

std::int64_t clamp_count(std::size_t n) {
    constexpr auto kMax = static_cast<std::size_t>(std::numeric_limits<std::int64_t>::max() - 1);
    return static_cast<std::int64_t>(std::min(n, kMax));
}

}  // namespace

std::string like_pattern(std::string_view value) {
    std::string out;
    out.reserve(value.size() + 4);
    for (char c : value) {
        if (c == '*') {
            out += '%';
        } else {
            if (c == '%' || c == '_' || c == '\\') out += '\\';
            out += c;
        }
    }
    return out;
}

ListSql::ListSql(ListTable table, const ListQuery& q, SqlDialect dialect)
    : table_(table), dialect_(dialect), q_(q) {
    const std::string like = dialect == SqlDialect::Postgres ? " ILIKE " : " LIKE ";
    const bool zones = table == ListTable::Zones;
    from_ = zones ? "zones" : "recordsets";
    columns_ = zones ? kZoneColumns : kRecordSetColumns;

    const SortKey* sort =
        zones ? find_key(kZoneSortKeys, q.sort_key) : find_key(kRecordSetSortKeys, q.sort_key);
    if (!sort) throw core::bad_request("invalid_sort_key", "invalid sort key: " + q.sort_key);
    sort_expr_ = sort->expr;

    if (q.scope.zone_id && !zones) {
        // One zone's record sets: the project check applies to the zone (its
        // sets belong to its owner), so the zone's row counter stays exact.
        add_condition(scope_where_, "zone_id = ?");
        scope_params_.emplace_back(*q.scope.zone_id);
        if (q.scope.project_id) {
            add_condition(scope_where_,
                          "EXISTS (SELECT 1 FROM zones z WHERE z.id = ? AND z.project_id = ?)");
            scope_params_.emplace_back(*q.scope.zone_id);
            scope_params_.emplace_back(*q.scope.project_id);
        }
    } else if (q.scope.project_id && zones && q.scope.with_shared_zones) {
        add_condition(scope_where_,
                      "(project_id = ? OR id IN (SELECT s.zone_id FROM zone_tasks s WHERE "
                      "s.kind = 'share' AND s.target_project_id = ?))");
        scope_params_.emplace_back(*q.scope.project_id);
        scope_params_.emplace_back(*q.scope.project_id);
    } else if (q.scope.project_id) {
        add_condition(scope_where_, "project_id = ?");
        scope_params_.emplace_back(*q.scope.project_id);
    }
    where_ = scope_where_;
    where_params_ = scope_params_;

    for (const auto& [key, value] : q.filters) {
        const FilterAttr* attr =
            zones ? find_key(kZoneFilters, key) : find_key(kRecordSetFilters, key);
        if (!attr) throw core::bad_request("invalid_filter", "cannot filter on " + key);
        const bool wild = value.find('*') != std::string::npos;
        switch (attr->match) {
            case Match::Integer:
                add_condition(where_, key + " = ?");
                where_params_.emplace_back(parse_integer(key, value));
                break;
            case Match::Exact:
                add_condition(where_, key + " = ?");
                where_params_.emplace_back(value);
                break;
            case Match::Wildcard:
                add_condition(where_, wild ? key + like + "? ESCAPE '\\'" : key + " = ?");
                where_params_.emplace_back(wild ? like_pattern(value) : value);
                break;
            case Match::Data: {
                const std::string test = wild ? like + "? ESCAPE '\\'" : " = ?";
                if (q.scope.zone_id) {
                    // Scan the zone's records once for the matching sets; the
                    // page is then sorted from those few rows (see page()).
                    add_condition(where_,
                                  "id IN (SELECT recordset_id FROM records WHERE "
                                  "zone_id = ? AND data" +
                                      test + ")");
                    where_params_.emplace_back(*q.scope.zone_id);
                    drive_by_filter_ = true;
                } else {
                    add_condition(where_,
                                  "EXISTS (SELECT 1 FROM records r WHERE r.zone_id = "
                                  "recordsets.zone_id AND r.recordset_id = "
                                  "recordsets.id AND r.data" +
                                      test + ")");
                }
                where_params_.emplace_back(wild ? like_pattern(value) : value);
                break;
            }
        }
    }
}

SqlQuery ListSql::count() const {
    if (table_ == ListTable::RecordSets && q_.scope.zone_id && q_.filters.empty()) {
        // Maintained by triggers: counting a big zone's index would cost
        // more than the rest of the page.
        SqlQuery out{"SELECT recordset_count FROM zones WHERE id = ?", {*q_.scope.zone_id}};
        if (q_.scope.project_id) {
            out.sql += " AND project_id = ?";
            out.params.emplace_back(*q_.scope.project_id);
        }
        return out;
    }
    return {"SELECT COUNT(*) FROM " + from_ + where_, where_params_};
}

SqlQuery ListSql::marker_sort_value(const std::string& marker_id) const {
    std::string where = scope_where_;
    add_condition(where, "id = ?");
    std::vector<SqlValue> params = scope_params_;
    params.emplace_back(marker_id);
    return {"SELECT " + sort_expr_ + " FROM " + from_ + where, std::move(params)};
}

SqlQuery ListSql::page(const std::optional<std::pair<SqlValue, std::string>>& after) const {
    const bool by_id = sort_expr_ == "id";
    const char* dir = q_.descending ? " DESC" : " ASC";
    const char* cmp = q_.descending ? " < " : " > ";
    // A unary + keeps SQLite from walking the sort index over every row of
    // the scope when a selective filter names the candidate rows.
    const std::string plus = drive_by_filter_ && dialect_ == SqlDialect::Sqlite ? "+" : "";
    const std::string sort = plus + sort_expr_;
    const std::string id = plus + "id";

    SqlQuery out{"SELECT " + columns_ + " FROM " + from_, {}};
    std::string where = where_;
    out.params = where_params_;
    if (after && !q_.offset) {
        if (by_id) {
            add_condition(where, id + cmp + "?");
        } else {
            add_condition(where, "(" + sort + ", " + id + ")" + cmp + "(?, ?)");
            out.params.push_back(after->first);
        }
        out.params.emplace_back(after->second);
    }
    out.sql += where;
    out.sql += " ORDER BY ";
    if (!by_id) out.sql += sort + dir + ", ";
    out.sql += id + dir;
    out.sql += " LIMIT ?";
    out.params.emplace_back(clamp_count(q_.limit) + 1);
    if (q_.offset) {
        out.sql += " OFFSET ?";
        out.params.emplace_back(clamp_count(*q_.offset));
    }
    return out;
}

}  // namespace dnsplane::store
