#include "store/sqlite/row_codec.h"

namespace dnsplane::store::sqlite {

void bind_zone(Statement& st, const core::Zone& z) {
    int i = 1;
    for_each_zone_value(z, [&](const auto& v) { st.bind(i++, v); });
}

void bind_recordset(Statement& st, const core::RecordSet& rs, int first) {
    int i = first;
    for_each_recordset_value(rs, [&](const auto& v) { st.bind(i++, v); });
}

}  // namespace dnsplane::store::sqlite
