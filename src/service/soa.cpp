#include "service/soa.h"

#include <chrono>

#include "common/ordered_uuid.h"
#include "common/util.h"
#include "core/error.h"
#include "core/name.h"

namespace dnsplane::service {

namespace {
// Pool hostnames come from configuration, where the trailing dot is optional.
std::string absolute_hostname(const std::string& text) {
    return core::canonical_name(!text.empty() && text.back() == '.' ? text : text + ".");
}
}  // namespace

std::uint32_t next_serial(std::uint32_t serial) {
    // Unsigned arithmetic wraps modulo 2^32, which is exactly RFC 1982 addition.
    return serial + 1u;
}

bool serial_before(std::uint32_t a, std::uint32_t b) {
    constexpr std::uint32_t half = 1u << 31;
    return (a < b && b - a < half) || (a > b && a - b > half);
}

std::uint32_t initial_serial() {
    auto secs = std::chrono::duration_cast<std::chrono::seconds>(
        std::chrono::system_clock::now().time_since_epoch());
    return static_cast<std::uint32_t>(secs.count());
}

std::string mailbox_to_rname(const std::string& email) {
    auto at = email.rfind('@');
    if (at == std::string::npos) throw core::invalid("Invalid email address", {"email"});
    std::string local = email.substr(0, at);
    std::string domain = email.substr(at + 1);
    if (!domain.empty() && domain.back() == '.') domain.pop_back();

    // The local part becomes one label, so its dots (and any character with a
    // meaning in presentation format) are escaped.
    std::string label;
    for (char ch : local) {
        if (ch == '.' || ch == '\\' || ch == '"' || ch == '(' || ch == ')' || ch == ';' ||
            ch == '@' || ch == '$' || ch == ' ')
            label.push_back('\\');
        label.push_back(ch);
    }
    std::string why;
    auto rname = core::try_canonical_name(label + "." + domain + ".", &why);
    if (!rname)
        throw core::invalid("Email address '" + email + "' cannot be an SOA mailbox: " + why,
                            {"email"});
    return *rname;
}

std::string primary_nameserver(const core::Pool& pool) {
    const core::NameServer* best = nullptr;
    for (const auto& ns : pool.ns_records)
        if (!best || ns.priority < best->priority) best = &ns;
    if (!best)
        throw core::Error(core::ErrorKind::Internal, "no_nameservers",
                          "Pool '" + pool.name + "' has no nameservers configured");
    return absolute_hostname(best->hostname);
}

std::string soa_rdata(const core::Zone& zone, const core::Pool& pool) {
    // A SECONDARY zone serves its master's MNAME and RNAME once transferred.
    const std::string mname = zone.soa_mname.empty() ? primary_nameserver(pool) : zone.soa_mname;
    const std::string rname =
        zone.soa_rname.empty() ? mailbox_to_rname(zone.email) : zone.soa_rname;
    return mname + " " + rname + " " + std::to_string(zone.serial) + " " +
           std::to_string(zone.refresh) + " " + std::to_string(zone.retry) + " " +
           std::to_string(zone.expire) + " " + std::to_string(zone.minimum);
}

namespace {
core::RecordSet managed_apex_set(const core::Zone& zone, const std::string& type,
                                 const std::string& now) {
    core::RecordSet rs;
    rs.id = common::new_ordered_uuid();
    rs.project_id = zone.project_id;
    rs.zone_id = zone.id;
    rs.zone_name = zone.name;
    rs.name = zone.name;
    rs.type = type;
    rs.created_at = now;
    rs.managed = true;
    return rs;
}
}  // namespace

core::RecordSet make_soa_recordset(const core::Zone& zone, const core::Pool& pool,
                                   const std::string& now) {
    auto rs = managed_apex_set(zone, "SOA", now);
    rs.records.push_back({common::new_ordered_uuid(), soa_rdata(zone, pool)});
    return rs;
}

core::RecordSet make_apex_ns_recordset(const core::Zone& zone, const core::Pool& pool,
                                       const std::string& now) {
    auto rs = managed_apex_set(zone, "NS", now);
    for (const auto& ns : pool.ns_records) {
        auto host = absolute_hostname(ns.hostname);
        bool seen = false;
        for (const auto& r : rs.records) seen = seen || r.data == host;
        if (!seen) rs.records.push_back({common::new_ordered_uuid(), host});
    }
    return rs;
}

void rewrite_soa(store::WriteTxn& txn, const core::Zone& zone, const core::Pool& pool,
                 const std::string& now) {
    auto soa = txn.find_recordset(zone.id, zone.name, "SOA");
    if (!soa) {
        // A zone always has its SOA; recreate it rather than serve without one.
        txn.insert_recordset(make_soa_recordset(zone, pool, now));
        return;
    }
    const core::RecordSet stored = *soa;
    std::string data = soa_rdata(zone, pool);
    if (soa->records.empty()) soa->records.push_back({common::new_ordered_uuid(), data});
    soa->records.resize(1);
    soa->records.front().data = data;
    soa->version += 1;
    soa->updated_at = now;
    txn.update_recordset(*soa, stored);
}

std::uint32_t advance_serial(store::WriteTxn& txn, core::Zone& zone, const core::Pool& pool,
                             const std::string& now) {
    std::uint32_t old = zone.serial;
    zone.serial = next_serial(old);
    // The zone's representation (serial) changed, so its version and ETag
    // must too: an If-Match taken before a record set write is stale after it.
    zone.version += 1;
    zone.updated_at = now;
    txn.update_zone(zone);
    rewrite_soa(txn, zone, pool, now);
    return old;
}

}  // namespace dnsplane::service
