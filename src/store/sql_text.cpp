#include "store/sql_text.h"

namespace dnsplane::store {

std::string multi_row_insert(const char* head, std::size_t cols, std::size_t rows) {
    std::string group = "(?";
    for (std::size_t i = 1; i < cols; ++i) group += ",?";
    group += ')';
    std::string sql = head;
    sql += " VALUES ";
    sql.reserve(sql.size() + rows * (group.size() + 1));
    for (std::size_t r = 0; r < rows; ++r) {
        if (r) sql += ',';
        sql += group;
    }
    return sql;
}

std::size_t chunk_rows(std::size_t remaining, std::size_t cols, std::size_t cap,
                       std::size_t max_params) {
    std::size_t rows = 1;
    while (rows * 2 <= remaining && rows * 2 <= cap && rows * 2 * cols <= max_params) rows *= 2;
    return rows;
}

}  // namespace dnsplane::store
