// The Designate admin tables of migration 5 (issue 16): TLDs, blacklists,
// per-project quota overrides and API-created pools. Reads are in reads.cpp.
#include "store/sqlite/row_codec.h"
#include "store/sqlite/transactions.h"

namespace dnsplane::store::sqlite {

void SqliteWriteTxn::run_admin_write(Statement& st, const char* duplicate,
                                     const std::string& duplicate_msg, const char* missing,
                                     const char* missing_msg) {
    try {
        st.run();
    } catch (const SqliteError& e) {
        if (e.is_unique_violation())
            throw core::Error(core::ErrorKind::Conflict, duplicate, duplicate_msg);
        throw;
    }
    if (missing && conn_.changes() == 0) throw core::not_found(missing, missing_msg);
}

void SqliteWriteTxn::insert_tld(const core::Tld& t) {
    require_open();
    auto st = conn_.prepare(
        "INSERT INTO tlds (id, name, description, created_at, updated_at) VALUES (?, ?, ?, ?, ?)");
    st.bind(1, t.id).bind(2, t.name).bind(3, t.description).bind(4, t.created_at);
    st.bind(5, t.updated_at);
    run_admin_write(st, "duplicate_tld", "TLD '" + t.name + "' already exists", nullptr, nullptr);
}

void SqliteWriteTxn::update_tld(const core::Tld& t) {
    require_open();
    auto st =
        conn_.prepare("UPDATE tlds SET name = ?2, description = ?3, updated_at = ?4 WHERE id = ?1");
    st.bind(1, t.id).bind(2, t.name).bind(3, t.description).bind(4, t.updated_at);
    run_admin_write(st, "duplicate_tld", "TLD '" + t.name + "' already exists", "tld_not_found",
                    "Could not find Tld");
}

void SqliteWriteTxn::delete_tld(const std::string& id) {
    require_open();
    auto st = conn_.prepare("DELETE FROM tlds WHERE id = ?");
    st.bind(1, id);
    run_admin_write(st, "", "", "tld_not_found", "Could not find Tld");
}

void SqliteWriteTxn::insert_blacklist(const core::Blacklist& b) {
    require_open();
    auto st = conn_.prepare(
        "INSERT INTO blacklists (id, pattern, description, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?)");
    st.bind(1, b.id).bind(2, b.pattern).bind(3, b.description).bind(4, b.created_at);
    st.bind(5, b.updated_at);
    run_admin_write(st, "duplicate_blacklist", "Blacklist '" + b.pattern + "' already exists",
                    nullptr, nullptr);
}

void SqliteWriteTxn::update_blacklist(const core::Blacklist& b) {
    require_open();
    auto st = conn_.prepare(
        "UPDATE blacklists SET pattern = ?2, description = ?3, updated_at = ?4 WHERE id = ?1");
    st.bind(1, b.id).bind(2, b.pattern).bind(3, b.description).bind(4, b.updated_at);
    run_admin_write(st, "duplicate_blacklist", "Blacklist '" + b.pattern + "' already exists",
                    "blacklist_not_found", "Could not find Blacklist");
}

void SqliteWriteTxn::delete_blacklist(const std::string& id) {
    require_open();
    auto st = conn_.prepare("DELETE FROM blacklists WHERE id = ?");
    st.bind(1, id);
    run_admin_write(st, "", "", "blacklist_not_found", "Could not find Blacklist");
}

void SqliteWriteTxn::set_project_quota(const std::string& project_id, const std::string& resource,
                                       std::int64_t limit) {
    require_open();
    // Portable upsert: delete then insert (one transaction).
    conn_.prepare("DELETE FROM quotas WHERE project_id = ? AND resource = ?")
        .bind(1, project_id)
        .bind(2, resource)
        .run();
    conn_.prepare("INSERT INTO quotas (project_id, resource, hard_limit) VALUES (?, ?, ?)")
        .bind(1, project_id)
        .bind(2, resource)
        .bind(3, limit)
        .run();
}

void SqliteWriteTxn::reset_project_quotas(const std::string& project_id) {
    require_open();
    conn_.prepare("DELETE FROM quotas WHERE project_id = ?").bind(1, project_id).run();
}

void SqliteWriteTxn::insert_pool(const core::Pool& p) {
    require_open();
    auto st = conn_.prepare(
        "INSERT INTO pools (id, name, description, project_id, ns_records, attributes, "
        "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    st.bind(1, p.id).bind(2, p.name).bind(3, p.description).bind(4, p.project_id);
    st.bind(5, ns_records_to_json(p.ns_records)).bind(6, attributes_to_json(p.attributes));
    st.bind(7, p.created_at).bind(8, p.updated_at);
    run_admin_write(st, "duplicate_pool", "Pool '" + p.name + "' already exists", nullptr, nullptr);
}

void SqliteWriteTxn::update_pool(const core::Pool& p) {
    require_open();
    auto st = conn_.prepare(
        "UPDATE pools SET name = ?2, description = ?3, project_id = ?4, ns_records = ?5, "
        "attributes = ?6, updated_at = ?7 WHERE id = ?1");
    st.bind(1, p.id).bind(2, p.name).bind(3, p.description).bind(4, p.project_id);
    st.bind(5, ns_records_to_json(p.ns_records)).bind(6, attributes_to_json(p.attributes));
    st.bind(7, p.updated_at);
    run_admin_write(st, "duplicate_pool", "Pool '" + p.name + "' already exists", "pool_not_found",
                    "Could not find Pool");
}

void SqliteWriteTxn::delete_pool(const std::string& id) {
    require_open();
    auto st = conn_.prepare("DELETE FROM pools WHERE id = ?");
    st.bind(1, id);
    run_admin_write(st, "", "", "pool_not_found", "Could not find Pool");
}

}  // namespace dnsplane::store::sqlite
