#include "service/catalog_zone.h"

#include <algorithm>
#include <map>
#include <set>

#include "common/ordered_uuid.h"
#include "common/util.h"
#include "core/error.h"
#include "core/name.h"
#include "service/soa.h"
#include "service/zone_change.h"

namespace dnsplane::service {

namespace {

constexpr std::uint32_t kCatalogTtl = 0;  // RFC 9432 does not use TTLs; keep caches out

core::RecordSet catalog_set(const core::Zone& catalog, std::string owner, std::string type,
                            std::string data, const std::string& now) {
    core::RecordSet rs;
    rs.id = common::new_ordered_uuid();
    rs.project_id = catalog.project_id;
    rs.zone_id = catalog.id;
    rs.zone_name = catalog.name;
    rs.name = std::move(owner);
    rs.type = std::move(type);
    rs.records.push_back({common::new_ordered_uuid(), std::move(data)});
    rs.created_at = now;
    rs.managed = true;
    return rs;
}

}  // namespace

std::string catalog_member_label(const core::Zone& member) {
    std::string label;
    label.reserve(member.id.size());
    for (char ch : member.id)
        if (ch != '-') label.push_back(ch);
    return label;
}

CatalogDiff catalog_diff(const std::string& catalog_name, const std::vector<core::Zone>& zones,
                         const std::vector<std::pair<std::string, std::string>>& current) {
    const std::string suffix = ".zones." + catalog_name;
    std::map<std::string, std::string> wanted;  // owner -> member name
    for (const auto& z : zones)
        if (z.name != catalog_name) wanted.emplace(catalog_member_label(z) + suffix, z.name);
    CatalogDiff diff;
    std::set<std::string> have;
    for (const auto& [owner, target] : current) {
        auto it = wanted.find(owner);
        if (it == wanted.end() || it->second != target)
            diff.remove.push_back(owner);
        else
            have.insert(owner);
    }
    for (const auto& [owner, target] : wanted)
        if (!have.count(owner)) diff.add.emplace_back(owner, target);
    return diff;
}

CatalogZone::CatalogZone(std::string name, core::Pool pool)
    : name_(core::canonical_name(name, true)), pool_(std::move(pool)) {
    if (name_.back() != '.') name_ += '.';  // a configured name is always absolute
}

std::string CatalogZone::member_owner(const core::Zone& member) const {
    return catalog_member_label(member) + ".zones." + name_;
}

core::Zone CatalogZone::load(store::WriteTxn& txn) const {
    auto zone = txn.find_zone_by_name(name_);
    if (!zone || zone->project_id != kCatalogProject)
        throw core::Error(core::ErrorKind::Internal, "catalog_zone_missing",
                          "The catalog zone " + name_ + " is not in the store");
    return *zone;
}

core::ZoneChange CatalogZone::finish(store::WriteTxn& txn, core::Zone& catalog,
                                     const std::string& now,
                                     std::vector<core::ResourceRecord> removed,
                                     std::vector<core::ResourceRecord> added) const {
    auto old_serial = advance_serial(txn, catalog, pool_, now);
    auto change = begin_change(catalog, old_serial, catalog.serial);
    change.removed = std::move(removed);
    change.added = std::move(added);
    change.zone = catalog;
    change.soa_data = soa_rdata(catalog, pool_);
    txn.append_change(change);
    return change;
}

std::optional<core::ZoneChange> CatalogZone::add_member(store::WriteTxn& txn,
                                                        const core::Zone& member,
                                                        const std::string& now) {
    if (member.name == name_) return std::nullopt;
    auto catalog = load(txn);
    auto owner = member_owner(member);
    if (txn.find_recordset(catalog.id, owner, "PTR")) return std::nullopt;
    auto rs = catalog_set(catalog, owner, "PTR", member.name, now);
    rs.ttl = kCatalogTtl;
    txn.insert_recordset(rs);
    return finish(txn, catalog, now, {}, resource_records(rs, catalog.ttl));
}

std::optional<core::ZoneChange> CatalogZone::remove_member(store::WriteTxn& txn,
                                                           const core::Zone& member,
                                                           const std::string& now) {
    if (member.name == name_) return std::nullopt;
    auto catalog = load(txn);
    auto rs = txn.find_recordset(catalog.id, member_owner(member), "PTR");
    if (!rs) return std::nullopt;
    txn.delete_recordset(rs->id);
    return finish(txn, catalog, now, resource_records(*rs, catalog.ttl), {});
}

std::vector<core::ZoneChange> CatalogZone::reconcile(store::WriteTxn& txn, const std::string& now) {
    std::vector<core::ZoneChange> changes;
    auto existing = txn.find_zone_by_name(name_);
    if (existing && existing->project_id != kCatalogProject)
        throw core::Error(core::ErrorKind::Conflict, "duplicate_zone",
                          "Cannot serve the catalog zone " + name_ +
                              ": a zone of that name belongs to a project");
    if (!existing) {
        core::Zone z;
        z.id = common::new_ordered_uuid();
        z.pool_id = pool_.id;
        z.project_id = kCatalogProject;
        z.name = name_;
        z.email = "hostmaster@" + name_.substr(0, name_.size() - 1);
        z.ttl = kCatalogTtl;
        z.serial = initial_serial();
        z.description = "RFC 9432 catalog of every zone (managed by dnsplane)";
        z.created_at = now;
        txn.insert_zone(z);
        txn.insert_recordset(make_soa_recordset(z, pool_, now));
        // RFC 9432 4.1: the apex NS is never used; "invalid." by convention.
        auto ns = catalog_set(z, name_, "NS", "invalid.", now);
        auto version = catalog_set(z, "version." + name_, "TXT", "\"2\"", now);
        txn.insert_recordset(ns);
        txn.insert_recordset(version);
        auto change = begin_change(z, 0, z.serial);
        change.zone_created = true;
        change.added = resource_records(std::vector<core::RecordSet>{ns, version}, z.ttl);
        change.zone = z;
        change.soa_data = soa_rdata(z, pool_);
        txn.append_change(change);
        changes.push_back(change);
    }
    auto catalog = load(txn);
    std::vector<std::pair<std::string, std::string>> current;
    std::map<std::string, core::RecordSet> by_owner;
    for (auto& rs : txn.zone_recordsets(catalog.id)) {
        if (rs.type != "PTR" || rs.records.empty()) continue;
        current.emplace_back(rs.name, rs.records.front().data);
        by_owner.emplace(rs.name, std::move(rs));
    }
    auto diff = catalog_diff(name_, txn.all_zones(), current);
    if (diff.add.empty() && diff.remove.empty()) return changes;
    std::vector<core::ResourceRecord> removed, added;
    for (const auto& owner : diff.remove) {
        const auto& rs = by_owner.at(owner);
        auto rr = resource_records(rs, catalog.ttl);
        removed.insert(removed.end(), rr.begin(), rr.end());
        txn.delete_recordset(rs.id);
    }
    for (const auto& [owner, target] : diff.add) {
        auto rs = catalog_set(catalog, owner, "PTR", target, now);
        rs.ttl = kCatalogTtl;
        txn.insert_recordset(rs);
        auto rr = resource_records(rs, catalog.ttl);
        added.insert(added.end(), rr.begin(), rr.end());
    }
    changes.push_back(finish(txn, catalog, now, std::move(removed), std::move(added)));
    return changes;
}

}  // namespace dnsplane::service
