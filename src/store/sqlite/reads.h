// Every ReadTxn query, written once over a Connection and shared by the read
// transaction (pooled read-only connection) and the write transaction (the
// writer connection, which sees its own uncommitted changes).
#pragma once

#include <type_traits>

#include "store/sqlite/connection.h"
#include "store/store.h"

namespace dnsplane::store::sqlite {

template <class Base>
class SqliteReads : public Base {
    static_assert(std::is_base_of_v<ReadTxn, Base>);

  public:
    // Zone lookups by name, related_zones, all_zones and count_zones skip
    // zones whose status is DELETED; get_zone and list_zones do not.
    std::optional<core::Zone> get_zone(const std::string& id) override;
    std::optional<core::Zone> find_zone_by_name(const std::string& name) override;
    Page<core::Zone> list_zones(const ListQuery& q) override;
    std::vector<core::Zone> related_zones(const std::string& name) override;
    std::vector<core::Zone> all_zones() override;
    std::size_t count_zones(const std::string& project_id) override;

    std::optional<core::RecordSet> get_recordset(const std::string& id) override;
    std::optional<core::RecordSet> find_recordset(const std::string& zone_id,
                                                  const std::string& name,
                                                  const std::string& type) override;
    std::vector<core::RecordSet> recordsets_at(const std::string& zone_id,
                                               const std::string& name) override;
    std::vector<core::RecordSet> recordsets_at_names(
        const std::string& zone_id, const std::vector<std::string>& names) override;
    Page<core::RecordSet> list_recordsets(const ListQuery& q) override;
    std::vector<core::RecordSet> zone_recordsets(const std::string& zone_id) override;
    std::size_t count_recordsets(const std::string& zone_id) override;
    std::size_t count_records(const std::string& zone_id) override;
    void scan_recordsets(const std::string& zone_id,
                         const std::function<void(const RecordSetView&)>& fn) override;
    std::optional<core::RecordSet> recordset_of_record(const std::string& zone_id,
                                                       const std::string& record_id) override;

    std::vector<core::ZoneChange> changes_since(const std::string& zone_id,
                                                std::uint32_t from_serial) override;

    std::optional<Token> find_token(const std::string& hash) override;
    std::optional<User> find_user_by_name(const std::string& name) override;
    std::optional<User> get_user(const std::string& id) override;

    std::vector<OutboxEvent> outbox_head(std::size_t limit) override;
    std::size_t outbox_size() override;
    std::vector<HookBinding> hook_bindings() override;
    std::optional<std::string> tenant_status(const std::string& id) override;

    std::optional<ZoneTask> get_task(const std::string& id) override;
    std::vector<ZoneTask> list_tasks(const std::string& kind,
                                     const std::optional<std::string>& zone_id) override;
    std::vector<core::Tld> tlds() override;
    std::vector<core::Blacklist> blacklists() override;
    std::map<std::string, std::int64_t> project_quotas(const std::string& project_id) override;
    std::vector<core::Pool> pools() override;
    std::vector<TsigKey> tsig_keys() override;

  protected:
    explicit SqliteReads(Connection& conn) : conn_(conn) {}
    Connection& conn_;
};

extern template class SqliteReads<ReadTxn>;
extern template class SqliteReads<WriteTxn>;

}  // namespace dnsplane::store::sqlite
