// SQL for the collection queries (list_zones, list_recordsets), written once
// for every SQL backend: scope and filters become a WHERE clause, the sort key
// an indexed expression, and pages are cut by keyset (sort value, id) after
// the marker or by OFFSET. The SQL uses `?` placeholders (bound in order);
// the few dialect differences (case-insensitive LIKE, SQLite's unary-plus
// index hint) are chosen by SqlDialect.
#pragma once

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "store/sql_value.h"
#include "store/store.h"

namespace dnsplane::store {

enum class ListTable { Zones, RecordSets };

// Sqlite: LIKE (ignores ASCII case by itself), `+col` hints.
// Postgres: ILIKE (columns are COLLATE "C", so comparisons are bytewise as in
// SQLite), no hints.
enum class SqlDialect { Sqlite, Postgres };

struct SqlQuery {
    std::string sql;
    std::vector<SqlValue> params;  // bound to the `?`s in order
};

class ListSql {
  public:
    // Validates the sort key and filters; throws core::Error (BadRequest,
    // "invalid_sort_key" / "invalid_filter") for ones this table lacks.
    ListSql(ListTable table, const ListQuery& q, SqlDialect dialect = SqlDialect::Sqlite);

    // The number of rows matching scope and filters (a row-less result
    // means zero).
    SqlQuery count() const;
    // The marker row's sort value, if the marker exists within the scope.
    SqlQuery marker_sort_value(const std::string& marker_id) const;
    // One page plus one row (to tell whether more follow). With offset set the
    // marker is ignored; otherwise `after` is the marker's (sort value, id).
    SqlQuery page(const std::optional<std::pair<SqlValue, std::string>>& after) const;

  private:
    ListTable table_;
    SqlDialect dialect_;
    const ListQuery& q_;
    std::string from_;       // "zones" or "recordsets"
    std::string columns_;    // SELECT list
    std::string sort_expr_;  // never NULL
    std::string where_;      // "" or " WHERE ..."
    std::vector<SqlValue> where_params_;
    std::string scope_where_;  // scope only, for the marker lookup
    std::vector<SqlValue> scope_params_;
    bool drive_by_filter_ = false;  // a selective filter should pick the rows
};

// One list page, the same for every backend: the marker's sort value (missing
// marker: BadRequest invalid_marker), the total count, then the page plus
// one look-ahead row to set has_more. `each(query, on_row)` runs a query and
// calls on_row(row) per result row; a row has value(0) (SqlValue), int64(0),
// and whatever read_row needs.
template <class T, class Each, class ReadRow>
Page<T> run_list(ListTable table, SqlDialect dialect, const ListQuery& q, Each&& each,
                 ReadRow&& read_row) {
    ListSql sql(table, q, dialect);
    std::optional<std::pair<SqlValue, std::string>> after;
    if (q.marker && !q.offset) {
        each(sql.marker_sort_value(*q.marker), [&](const auto& row) {
            if (!after) after.emplace(row.value(0), *q.marker);
        });
        if (!after)
            throw core::Error(core::ErrorKind::BadRequest, "invalid_marker",
                              "marker " + *q.marker + " does not exist");
    }
    Page<T> page;
    bool counted = false;
    each(sql.count(), [&](const auto& row) {
        if (!counted) page.total_count = static_cast<std::size_t>(row.int64(0));
        counted = true;
    });
    // A page plus the look-ahead row, without reallocations (pages are <= 1,000).
    page.items.reserve(std::min<std::size_t>(q.limit, 1000) + 1);
    each(sql.page(after), [&](const auto& row) { page.items.push_back(read_row(row)); });
    if (page.items.size() > q.limit) {
        page.items.resize(q.limit);
        page.has_more = true;
    }
    return page;
}

// Turns a filter value with `*` wildcards into a LIKE pattern with `\` as
// escape character, so literal %, _ and \ match only themselves.
std::string like_pattern(std::string_view value);

}  // namespace dnsplane::store
