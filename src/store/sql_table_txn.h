// The transaction operations on the tables of store/sql_tables.h, once for
// every SQL backend: a backend's read class derives from
// SqlTableReads<ReadTxn or WriteTxn> and supplies db() (its connection as a
// store::SqlDb), and its write transaction from SqlTableWrites<that class>.
#pragma once

#include <type_traits>

#include "store/sql_tables.h"

namespace dnsplane::store {

template <class Base>
class SqlTableReads : public Base {
    static_assert(std::is_base_of_v<ReadTxn, Base>);

  public:
    std::optional<Token> find_token(const std::string& hash) override {
        return sql::find_token(db(), hash);
    }
    std::optional<User> find_user_by_name(const std::string& name) override {
        return sql::find_user_by_name(db(), name);
    }
    std::optional<User> get_user(const std::string& id) override { return sql::get_user(db(), id); }
    std::vector<OutboxEvent> outbox_head(std::size_t limit) override {
        return sql::outbox_head(db(), limit);
    }
    std::size_t outbox_size() override { return sql::outbox_size(db()); }
    std::vector<HookBinding> hook_bindings() override { return sql::hook_bindings(db()); }
    std::optional<std::string> tenant_status(const std::string& id) override {
        return sql::tenant_status(db(), id);
    }
    std::optional<ZoneTask> get_task(const std::string& id) override {
        return sql::get_task(db(), id);
    }
    std::vector<ZoneTask> list_tasks(const std::string& kind,
                                     const std::optional<std::string>& zone_id) override {
        return sql::list_tasks(db(), kind, zone_id);
    }
    std::vector<core::Tld> tlds() override { return sql::tlds(db()); }
    std::vector<core::Blacklist> blacklists() override { return sql::blacklists(db()); }
    std::map<std::string, std::int64_t> project_quotas(const std::string& project_id) override {
        return sql::project_quotas(db(), project_id);
    }
    std::vector<core::Pool> pools() override { return sql::pools(db()); }
    std::vector<TsigKey> tsig_keys() override { return sql::tsig_keys(db()); }

  protected:
    // The transaction's connection; a write transaction checks first that it
    // is still open.
    virtual SqlDb& db() = 0;
};

template <class Base>
class SqlTableWrites : public Base {
    static_assert(std::is_base_of_v<WriteTxn, Base>);

  public:
    using Base::Base;

    void insert_token(const Token& t) override { sql::insert_token(this->db(), t); }
    void insert_user(const User& u) override { sql::insert_user(this->db(), u); }
    bool delete_token(const std::string& hash) override {
        return sql::delete_token(this->db(), hash);
    }
    void delete_expired_tokens(const std::string& now) override {
        sql::delete_expired_tokens(this->db(), now);
    }
    std::int64_t next_event_sequence(const std::string& zone_id) override {
        return sql::next_event_sequence(this->db(), zone_id);
    }
    void append_outbox(const OutboxEvent& e) override { sql::append_outbox(this->db(), e); }
    void ack_outbox(std::int64_t seq) override { sql::ack_outbox(this->db(), seq); }
    void put_hook_binding(const HookBinding& b) override { sql::put_hook_binding(this->db(), b); }
    void put_tenant(const std::string& id, const std::string& status,
                    const std::string& at) override {
        sql::put_tenant(this->db(), id, status, at);
    }
    void probe_write(const std::string& at) override { sql::probe_write(this->db(), at); }

    void insert_task(const ZoneTask& t) override { sql::insert_task(this->db(), t); }
    void update_task(const ZoneTask& t) override { sql::update_task(this->db(), t); }
    void delete_task(const std::string& id) override { sql::delete_task(this->db(), id); }
    void move_zone_project(const std::string& zone_id, const std::string& from_project,
                           const std::string& to_project) override {
        sql::move_zone_project(this->db(), zone_id, from_project, to_project);
    }

    void insert_tld(const core::Tld& t) override { sql::insert_tld(this->db(), t); }
    void update_tld(const core::Tld& t) override { sql::update_tld(this->db(), t); }
    void delete_tld(const std::string& id) override { sql::delete_tld(this->db(), id); }
    void insert_blacklist(const core::Blacklist& b) override {
        sql::insert_blacklist(this->db(), b);
    }
    void update_blacklist(const core::Blacklist& b) override {
        sql::update_blacklist(this->db(), b);
    }
    void delete_blacklist(const std::string& id) override { sql::delete_blacklist(this->db(), id); }
    void set_project_quota(const std::string& project_id, const std::string& resource,
                           std::int64_t limit) override {
        sql::set_project_quota(this->db(), project_id, resource, limit);
    }
    void reset_project_quotas(const std::string& project_id) override {
        sql::reset_project_quotas(this->db(), project_id);
    }
    void insert_pool(const core::Pool& p) override { sql::insert_pool(this->db(), p); }
    void update_pool(const core::Pool& p) override { sql::update_pool(this->db(), p); }
    void delete_pool(const std::string& id) override { sql::delete_pool(this->db(), id); }

    void insert_tsig_key(const TsigKey& k) override { sql::insert_tsig_key(this->db(), k); }
    void update_tsig_key(const TsigKey& k) override { sql::update_tsig_key(this->db(), k); }
    void delete_tsig_key(const std::string& id) override { sql::delete_tsig_key(this->db(), id); }
};

}  // namespace dnsplane::store
