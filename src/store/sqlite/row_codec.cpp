#include "store/sqlite/row_codec.h"

namespace dnsplane::store::sqlite {

void bind_zone(Statement& st, const core::Zone& z) {
    st.bind(1, z.id)
        .bind(2, z.pool_id)
        .bind(3, z.project_id)
        .bind(4, z.name)
        .bind(5, reversed(z.name))
        .bind(6, z.email)
        .bind(7, std::int64_t{z.ttl})
        .bind(8, std::int64_t{z.serial})
        .bind(9, z.status)
        .bind(10, z.action)
        .bind(11, z.description)
        .bind(12, z.type)
        .bind(13, strings_to_json(z.masters))
        .bind(14, z.transferred_at)
        .bind(15, z.version)
        .bind(16, z.created_at)
        .bind(17, z.updated_at)
        .bind(18, std::int64_t{z.refresh})
        .bind(19, std::int64_t{z.retry})
        .bind(20, std::int64_t{z.expire})
        .bind(21, std::int64_t{z.minimum})
        .bind(22, z.soa_mname)
        .bind(23, z.soa_rname);
}

void bind_recordset(Statement& st, const core::RecordSet& rs, int first) {
    const int o = first - 1;
    st.bind(o + 1, rs.id)
        .bind(o + 2, rs.zone_id)
        .bind(o + 3, rs.project_id)
        .bind(o + 4, rs.zone_name)
        .bind(o + 5, rs.name)
        .bind(o + 6, rs.type);
    if (rs.ttl)
        st.bind(o + 7, std::int64_t{*rs.ttl});
    else
        st.bind(o + 7, nullptr);
    st.bind(o + 8, rs.description)
        .bind(o + 9, rs.status)
        .bind(o + 10, rs.action)
        .bind(o + 11, rs.version)
        .bind(o + 12, rs.created_at)
        .bind(o + 13, rs.updated_at)
        .bind(o + 14, std::int64_t{rs.managed ? 1 : 0})
        .bind(o + 15, rs.provider_meta);
}

User read_user(const Statement& st) {
    return User{st.text(0), st.text(1), st.text(2), st.text(3),
                st.text(4), st.text(5), st.text(6)};
}

}  // namespace dnsplane::store::sqlite
