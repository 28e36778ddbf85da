// SQL for the collection queries (list_zones, list_recordsets): scope and
// filters become a WHERE clause, the sort key an indexed expression, and
// pages are cut by keyset (sort value, id) after the marker or by OFFSET.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "store/sqlite/connection.h"
#include "store/store.h"

namespace dnsplane::store::sqlite {

enum class ListTable { Zones, RecordSets };

struct SqlQuery {
    std::string sql;
    std::vector<SqlValue> params;  // bound to ?1, ?2, ... in order
};

class ListSql {
  public:
    // Validates the sort key and filters; throws core::Error (BadRequest,
    // "invalid_sort_key" / "invalid_filter") for ones this table lacks.
    ListSql(ListTable table, const ListQuery& q);

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

// Turns a filter value with `*` wildcards into a LIKE pattern with `\` as
// escape character, so literal %, _ and \ match only themselves.
std::string like_pattern(std::string_view value);

}  // namespace dnsplane::store::sqlite
