#include "store/sqlite/row_codec.h"

#include <boost/json.hpp>

namespace dnsplane::store::sqlite {
namespace json = boost::json;

namespace {

std::uint32_t u32(const Statement& st, int col) {
    return static_cast<std::uint32_t>(st.int64(col));
}

[[noreturn]] void corrupt(std::string_view what) {
    throw core::Error(core::ErrorKind::Internal, "database_error",
                      "malformed " + std::string(what) + " in the database");
}

json::value parse_json(std::string_view text, std::string_view what) {
    boost::system::error_code ec;
    json::value v = json::parse(text, ec);
    if (ec) corrupt(what);
    return v;
}

}  // namespace

core::Zone read_zone(const Statement& st) {
    core::Zone z;
    z.id = st.text(0);
    z.pool_id = st.text(1);
    z.project_id = st.text(2);
    z.name = st.text(3);
    z.email = st.text(4);
    z.ttl = u32(st, 5);
    z.serial = u32(st, 6);
    z.status = st.text(7);
    z.action = st.text(8);
    z.description = st.text(9);
    z.type = st.text(10);
    z.masters = strings_from_json(st.text(11));
    z.transferred_at = st.optional_text(12);
    z.version = st.int64(13);
    z.created_at = st.text(14);
    z.updated_at = st.optional_text(15);
    z.refresh = u32(st, 16);
    z.retry = u32(st, 17);
    z.expire = u32(st, 18);
    z.minimum = u32(st, 19);
    return z;
}

core::RecordSet read_recordset(const Statement& st) {
    core::RecordSet rs;
    rs.id = st.text(0);
    rs.zone_id = st.text(1);
    rs.project_id = st.text(2);
    rs.zone_name = st.text(3);
    rs.name = st.text(4);
    rs.type = st.text(5);
    if (!st.is_null(6)) rs.ttl = u32(st, 6);
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

Token read_token(const Statement& st) {
    return Token{st.text(0), st.text(1), st.text(2), st.text(3),
                 st.text(4), st.text(5), st.text(6)};
}

User read_user(const Statement& st) {
    return User{st.text(0), st.text(1), st.text(2), st.text(3),
                st.text(4), st.text(5), st.text(6)};
}

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
        .bind(21, std::int64_t{z.minimum});
}

void bind_recordset(Statement& st, const core::RecordSet& rs) {
    st.bind(1, rs.id)
        .bind(2, rs.zone_id)
        .bind(3, rs.project_id)
        .bind(4, rs.zone_name)
        .bind(5, rs.name)
        .bind(6, rs.type);
    if (rs.ttl)
        st.bind(7, std::int64_t{*rs.ttl});
    else
        st.bind(7, nullptr);
    st.bind(8, rs.description)
        .bind(9, rs.status)
        .bind(10, rs.action)
        .bind(11, rs.version)
        .bind(12, rs.created_at)
        .bind(13, rs.updated_at)
        .bind(14, std::int64_t{rs.managed ? 1 : 0})
        .bind(15, rs.provider_meta);
}

std::string strings_to_json(const std::vector<std::string>& values) {
    json::array a;
    a.reserve(values.size());
    for (const auto& v : values) a.emplace_back(v);
    return json::serialize(a);
}

std::vector<std::string> strings_from_json(std::string_view text) {
    json::value v = parse_json(text, "string list");
    if (!v.is_array()) corrupt("string list");
    std::vector<std::string> out;
    for (const auto& e : v.get_array()) {
        if (!e.is_string()) corrupt("string list");
        out.emplace_back(e.get_string());
    }
    return out;
}

std::string rrs_to_json(const std::vector<core::ResourceRecord>& rrs) {
    json::array a;
    a.reserve(rrs.size());
    for (const auto& rr : rrs)
        a.emplace_back(json::array{json::string(rr.name), json::string(rr.type),
                                   std::uint64_t{rr.ttl}, json::string(rr.data)});
    return json::serialize(a);
}

std::vector<core::ResourceRecord> rrs_from_json(std::string_view text) {
    json::value v = parse_json(text, "change log entry");
    if (!v.is_array()) corrupt("change log entry");
    std::vector<core::ResourceRecord> out;
    for (const auto& e : v.get_array()) {
        const auto* row = e.if_array();
        if (!row || row->size() != 4 || !(*row)[0].is_string() || !(*row)[1].is_string() ||
            !(*row)[3].is_string())
            corrupt("change log entry");
        boost::system::error_code ec;
        auto ttl = (*row)[2].to_number<std::uint32_t>(ec);
        if (ec) corrupt("change log entry");
        out.push_back(core::ResourceRecord{std::string((*row)[0].get_string()),
                                           std::string((*row)[1].get_string()), ttl,
                                           std::string((*row)[3].get_string())});
    }
    return out;
}

std::string reversed(std::string_view name) {
    return std::string(name.rbegin(), name.rend());
}

}  // namespace dnsplane::store::sqlite
