// Bulk reads of the caller's zones (ZoneService::visible_zones / zone_contents
// / sets_at): one read transaction each, no business rules beyond tenancy.
#include <algorithm>
#include <map>
#include <set>

#include "service/tenancy.h"
#include "service/zone_service.h"

namespace dnsplane::service {

namespace {

std::vector<core::Zone> zones_of(store::ReadTxn& txn, const Caller& c) {
    std::vector<core::Zone> out;
    for (auto& z : txn.all_zones())
        if (can_see(c, z.project_id)) out.push_back(std::move(z));
    std::sort(out.begin(), out.end(),
              [](const core::Zone& a, const core::Zone& b) { return a.name < b.name; });
    return out;
}

}  // namespace

std::vector<core::Zone> ZoneService::visible_zones(const Caller& c) {
    auto txn = store_.read();
    return zones_of(*txn, c);
}

std::vector<ZoneContents> ZoneService::zone_contents(const Caller& c) {
    auto txn = store_.read();
    std::vector<ZoneContents> out;
    for (auto& z : zones_of(*txn, c)) {
        auto sets = txn->zone_recordsets(z.id);
        out.push_back({std::move(z), std::move(sets)});
    }
    return out;
}

void ZoneService::scan_zone_contents(
    const Caller& c,
    const std::function<void(const core::Zone&, const store::RecordSetView&)>& fn) {
    auto txn = store_.read();
    for (const auto& z : zones_of(*txn, c))
        txn->scan_recordsets(z.id, [&](const store::RecordSetView& v) { fn(z, v); });
}

std::vector<core::RecordSet> ZoneService::sets_at(
    const Caller& c, const std::vector<std::pair<std::string, std::string>>& zone_names) {
    auto txn = store_.read();
    std::set<std::string> visible;
    for (const auto& z : zones_of(*txn, c)) visible.insert(z.id);
    // One read per zone for all its names (a webhook plan touches thousands).
    std::vector<std::string> zone_order;
    std::map<std::string, std::vector<std::string>> names_of;
    std::set<std::pair<std::string, std::string>> seen;
    for (const auto& key : zone_names) {
        if (!visible.count(key.first) || !seen.insert(key).second) continue;
        auto& names = names_of[key.first];
        if (names.empty()) zone_order.push_back(key.first);
        names.push_back(key.second);
    }
    std::vector<core::RecordSet> out;
    for (const auto& zone_id : zone_order)
        for (auto& rs : txn->recordsets_at_names(zone_id, names_of[zone_id]))
            out.push_back(std::move(rs));
    return out;
}

}  // namespace dnsplane::service
