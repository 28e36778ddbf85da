// ZoneService: Designate's admin resources (issue 16): TLDs, blacklists,
// quotas, limits and pools. Every write runs in the group commit (one store
// transaction, serialised with zone creation, which checks TLDs, blacklists
// and quotas inside its own transaction).
#include <algorithm>

#include "common/util.h"
#include "core/error.h"
#include "service/admin_rules.h"
#include "service/tenancy.h"
#include "service/validation.h"
#include "service/zone_service.h"

namespace dnsplane::service {

namespace {

void require_admin(const Caller& c) {
    if (!c.is_admin())
        throw core::Error(core::ErrorKind::Forbidden, "forbidden",
                          "This operation requires the admin role");
}

template <class T>
T find_by_id(const std::vector<T>& items, const std::string& id, const char* type,
             const char* message) {
    for (const auto& item : items)
        if (item.id == id) return item;
    throw core::not_found(type, message);
}

core::Error default_pool_readonly() {
    return core::Error(core::ErrorKind::Conflict, "default_pool",
                       "The default pool comes from the configuration ([pool]); change it there");
}

}  // namespace

// --- TLDs ---------------------------------------------------------------------

std::vector<core::Tld> ZoneService::list_tlds(const Caller& c) {
    require_admin(c);
    return store_.read()->tlds();
}

core::Tld ZoneService::get_tld(const Caller& c, const std::string& id) {
    require_admin(c);
    return find_by_id(store_.read()->tlds(), id, "tld_not_found", "Could not find Tld");
}

core::Tld ZoneService::create_tld(const Caller& c, const TldInput& in) {
    require_admin(c);
    if (!in.name) throw core::invalid("A TLD needs a name", {"name"});
    core::Tld t;
    t.name = validate_tld_name(*in.name);
    t.description = in.description.value_or("");
    validate_description(t.description);
    t.id = common::new_uuid();
    t.created_at = common::now_timestamp();
    committer_.run([&](store::WriteTxn& txn) {
        txn.insert_tld(t);
        return std::vector<core::ZoneChange>{};
    });
    return t;
}

core::Tld ZoneService::update_tld(const Caller& c, const std::string& id, const TldInput& in) {
    require_admin(c);
    std::optional<std::string> name;
    if (in.name) name = validate_tld_name(*in.name);
    if (in.description) validate_description(*in.description);
    core::Tld t;
    committer_.run([&](store::WriteTxn& txn) {
        t = find_by_id(txn.tlds(), id, "tld_not_found", "Could not find Tld");
        if (name) t.name = *name;
        if (in.description) t.description = *in.description;
        t.updated_at = common::now_timestamp();
        txn.update_tld(t);
        return std::vector<core::ZoneChange>{};
    });
    return t;
}

void ZoneService::delete_tld(const Caller& c, const std::string& id) {
    require_admin(c);
    committer_.run([&](store::WriteTxn& txn) {
        txn.delete_tld(id);
        return std::vector<core::ZoneChange>{};
    });
}

// --- Blacklists -----------------------------------------------------------------

std::vector<core::Blacklist> ZoneService::list_blacklists(const Caller& c) {
    require_admin(c);
    return store_.read()->blacklists();
}

core::Blacklist ZoneService::get_blacklist(const Caller& c, const std::string& id) {
    require_admin(c);
    return find_by_id(store_.read()->blacklists(), id, "blacklist_not_found",
                      "Could not find Blacklist");
}

core::Blacklist ZoneService::create_blacklist(const Caller& c, const BlacklistInput& in) {
    require_admin(c);
    if (!in.pattern) throw core::invalid("A blacklist needs a pattern", {"pattern"});
    core::Blacklist b;
    b.pattern = *in.pattern;
    validate_blacklist_pattern(b.pattern);
    b.description = in.description.value_or("");
    validate_description(b.description);
    b.id = common::new_uuid();
    b.created_at = common::now_timestamp();
    committer_.run([&](store::WriteTxn& txn) {
        txn.insert_blacklist(b);
        return std::vector<core::ZoneChange>{};
    });
    return b;
}

core::Blacklist ZoneService::update_blacklist(const Caller& c, const std::string& id,
                                              const BlacklistInput& in) {
    require_admin(c);
    if (in.pattern) validate_blacklist_pattern(*in.pattern);
    if (in.description) validate_description(*in.description);
    core::Blacklist b;
    committer_.run([&](store::WriteTxn& txn) {
        b = find_by_id(txn.blacklists(), id, "blacklist_not_found", "Could not find Blacklist");
        if (in.pattern) b.pattern = *in.pattern;
        if (in.description) b.description = *in.description;
        b.updated_at = common::now_timestamp();
        txn.update_blacklist(b);
        return std::vector<core::ZoneChange>{};
    });
    return b;
}

void ZoneService::delete_blacklist(const Caller& c, const std::string& id) {
    require_admin(c);
    committer_.run([&](store::WriteTxn& txn) {
        txn.delete_blacklist(id);
        return std::vector<core::ZoneChange>{};
    });
}

// --- Quotas and limits ----------------------------------------------------------

Quotas ZoneService::project_quotas(store::ReadTxn& txn, const std::string& project_id) const {
    return apply_quota_overrides(settings_.quotas, txn.project_quotas(project_id));
}

std::map<std::string, std::int64_t> ZoneService::get_quotas(const Caller& c,
                                                            const std::string& project_id) {
    if (!c.is_admin() && project_id != c.project_id)
        throw core::Error(core::ErrorKind::Forbidden, "forbidden",
                          "Only admins may read another project's quotas");
    auto txn = store_.read();
    return quotas_to_map(project_quotas(*txn, project_id));
}

std::map<std::string, std::int64_t> ZoneService::set_quotas(
    const Caller& c, const std::string& project_id,
    const std::map<std::string, std::int64_t>& values) {
    require_admin(c);
    if (project_id.empty()) throw core::invalid("A project id is needed", {"project_id"});
    validate_quota_values(values);
    std::map<std::string, std::int64_t> out;
    committer_.run([&](store::WriteTxn& txn) {
        for (const auto& [resource, limit] : values)
            txn.set_project_quota(project_id, resource, limit);
        out = quotas_to_map(project_quotas(txn, project_id));
        return std::vector<core::ZoneChange>{};
    });
    return out;
}

void ZoneService::reset_quotas(const Caller& c, const std::string& project_id) {
    require_admin(c);
    committer_.run([&](store::WriteTxn& txn) {
        txn.reset_project_quotas(project_id);
        return std::vector<core::ZoneChange>{};
    });
}

Limits ZoneService::limits(const Caller& c) {
    auto txn = store_.read();
    const Quotas q = project_quotas(*txn, c.project_id);
    Limits l;
    l.max_recordset_records = static_cast<std::int64_t>(q.records_per_recordset);
    l.max_zone_records = static_cast<std::int64_t>(q.records_per_zone);
    l.max_zone_recordsets = static_cast<std::int64_t>(q.recordsets_per_zone);
    l.max_zones = static_cast<std::int64_t>(q.zones_per_project);
    l.min_ttl = settings_.min_ttl;
    return l;
}

// --- Pools ------------------------------------------------------------------------

std::vector<core::Pool> ZoneService::list_pools(const Caller& c) {
    require_admin(c);
    std::vector<core::Pool> out{settings_.pool};
    for (auto& p : store_.read()->pools()) out.push_back(std::move(p));
    return out;
}

core::Pool ZoneService::get_pool(const Caller& c, const std::string& id) {
    require_admin(c);
    if (id == settings_.pool.id) return settings_.pool;
    return find_by_id(store_.read()->pools(), id, "pool_not_found", "Could not find Pool");
}

core::Pool ZoneService::create_pool(const Caller& c, const PoolInput& in) {
    require_admin(c);
    core::Pool p;
    p.name = in.name.value_or("");
    p.description = in.description.value_or("");
    p.project_id = in.project_id.value_or(c.project_id);
    if (in.ns_records) p.ns_records = *in.ns_records;
    if (in.attributes) p.attributes = *in.attributes;
    validate_pool(p);
    if (p.name == settings_.pool.name)
        throw core::Error(core::ErrorKind::Conflict, "duplicate_pool",
                          "Pool '" + p.name + "' already exists");
    p.id = common::new_uuid();
    p.created_at = common::now_timestamp();
    committer_.run([&](store::WriteTxn& txn) {
        txn.insert_pool(p);
        return std::vector<core::ZoneChange>{};
    });
    return p;
}

core::Pool ZoneService::update_pool(const Caller& c, const std::string& id, const PoolInput& in) {
    require_admin(c);
    if (id == settings_.pool.id) throw default_pool_readonly();
    core::Pool p;
    committer_.run([&](store::WriteTxn& txn) {
        p = find_by_id(txn.pools(), id, "pool_not_found", "Could not find Pool");
        if (in.name) p.name = *in.name;
        if (in.description) p.description = *in.description;
        if (in.project_id) p.project_id = *in.project_id;
        if (in.ns_records) p.ns_records = *in.ns_records;
        if (in.attributes) p.attributes = *in.attributes;
        validate_pool(p);
        if (p.name == settings_.pool.name)
            throw core::Error(core::ErrorKind::Conflict, "duplicate_pool",
                              "Pool '" + p.name + "' already exists");
        p.updated_at = common::now_timestamp();
        txn.update_pool(p);
        return std::vector<core::ZoneChange>{};
    });
    return p;
}

void ZoneService::delete_pool(const Caller& c, const std::string& id) {
    require_admin(c);
    if (id == settings_.pool.id) throw default_pool_readonly();
    committer_.run([&](store::WriteTxn& txn) {
        txn.delete_pool(id);
        return std::vector<core::ZoneChange>{};
    });
}

std::vector<core::NameServer> ZoneService::zone_nameservers(const Caller& c,
                                                            const std::string& zone_id) {
    auto txn = store_.read();
    const core::Zone zone = visible_zone(*txn, c, zone_id);
    if (zone.pool_id == settings_.pool.id) return settings_.pool.ns_records;
    for (const auto& p : txn->pools())
        if (p.id == zone.pool_id) return p.ns_records;
    return {};
}

}  // namespace dnsplane::service
