#include "service/zone_change.h"

#include <string>
#include <string_view>
#include <unordered_set>

#include "common/util.h"

namespace dnsplane::service {

namespace {
// Records compared as (name, type, ttl, data) without building key strings.
struct RrHash {
    std::size_t operator()(const core::ResourceRecord* rr) const noexcept {
        std::size_t h = std::hash<std::string_view>{}(rr->data);
        h ^= std::hash<std::string_view>{}(rr->name) + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
        h ^= std::hash<std::string_view>{}(rr->type) + (h << 6) + (h >> 2);
        return h ^ (std::size_t{rr->ttl} * 0x9e3779b97f4a7c15ULL);
    }
};
struct RrEq {
    bool operator()(const core::ResourceRecord* a, const core::ResourceRecord* b) const noexcept {
        return *a == *b;
    }
};

// Appends the records of `from` that `other` lacks.
void missing_from(const std::vector<core::ResourceRecord>& from,
                  const std::vector<core::ResourceRecord>& other,
                  std::vector<core::ResourceRecord>& out) {
    std::unordered_set<const core::ResourceRecord*, RrHash, RrEq> keys;
    keys.reserve(other.size());
    for (const auto& rr : other) keys.insert(&rr);
    for (const auto& rr : from)
        if (!keys.count(&rr)) out.push_back(rr);
}
}  // namespace

std::vector<core::ResourceRecord> resource_records(const core::RecordSet& rs,
                                                   std::uint32_t zone_ttl) {
    std::vector<core::ResourceRecord> out;
    if (rs.type == "SOA") return out;
    std::uint32_t ttl = rs.ttl.value_or(zone_ttl);
    for (const auto& r : rs.records) out.push_back({rs.name, rs.type, ttl, r.data});
    return out;
}

std::vector<core::ResourceRecord> resource_records(const std::vector<core::RecordSet>& sets,
                                                   std::uint32_t zone_ttl) {
    std::vector<core::ResourceRecord> out;
    for (const auto& rs : sets) {
        auto rrs = resource_records(rs, zone_ttl);
        out.insert(out.end(), rrs.begin(), rrs.end());
    }
    return out;
}

core::ZoneChange begin_change(const core::Zone& zone, std::uint32_t old_serial,
                              std::uint32_t new_serial) {
    core::ZoneChange c;
    c.zone_id = zone.id;
    c.zone_name = zone.name;
    c.old_serial = old_serial;
    c.new_serial = new_serial;
    c.committed_at = common::now_timestamp();
    return c;
}

void add_difference(core::ZoneChange& change, const std::vector<core::ResourceRecord>& before,
                    const std::vector<core::ResourceRecord>& after) {
    missing_from(before, after, change.removed);
    missing_from(after, before, change.added);
}

}  // namespace dnsplane::service
