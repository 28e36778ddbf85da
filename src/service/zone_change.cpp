#include "service/zone_change.h"

#include <algorithm>
#include <string>
#include <string_view>
#include <unordered_map>
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
// Appends the values of from[first, last) that `other`'s sorted data lacks,
// as records of `rs`, in their order.
void values_missing(const core::RecordSet& rs, std::uint32_t ttl, std::size_t first,
                    std::size_t last, const std::vector<std::string_view>& other_sorted,
                    std::vector<core::ResourceRecord>& out) {
    for (std::size_t i = first; i < last; ++i) {
        const std::string& data = rs.records[i].data;
        if (!std::binary_search(other_sorted.begin(), other_sorted.end(), std::string_view(data)))
            out.push_back({rs.name, rs.type, ttl, data});
    }
}

std::vector<std::string_view> sorted_values(const core::RecordSet& rs, std::size_t first,
                                            std::size_t last) {
    std::vector<std::string_view> v;
    v.reserve(last - first);
    for (std::size_t i = first; i < last; ++i) v.emplace_back(rs.records[i].data);
    std::sort(v.begin(), v.end());
    return v;
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

void add_set_difference(core::ZoneChange& change, const core::RecordSet* before,
                        const core::RecordSet* after, std::uint32_t zone_ttl) {
    const bool same_rrset = before && after && before->name == after->name &&
                            before->type == after->type &&
                            before->ttl.value_or(zone_ttl) == after->ttl.value_or(zone_ttl);
    if (!same_rrset) {
        // Different owner, type or TTL: every value leaves and comes again.
        if (before) {
            auto rrs = resource_records(*before, zone_ttl);
            change.removed.insert(change.removed.end(), rrs.begin(), rrs.end());
        }
        if (after) {
            auto rrs = resource_records(*after, zone_ttl);
            change.added.insert(change.added.end(), rrs.begin(), rrs.end());
        }
        return;
    }
    if (after->type == "SOA") return;
    const auto& b = before->records;
    const auto& a = after->records;
    // Skip the common prefix and suffix; only the middles can differ.
    std::size_t head = 0;
    while (head < b.size() && head < a.size() && b[head].data == a[head].data) ++head;
    std::size_t b_end = b.size(), a_end = a.size();
    while (b_end > head && a_end > head && b[b_end - 1].data == a[a_end - 1].data) {
        --b_end;
        --a_end;
    }
    const std::uint32_t ttl = after->ttl.value_or(zone_ttl);
    // Values of the middles may still appear on the other side (a reorder).
    auto sorted_after = sorted_values(*after, head, a_end);
    auto sorted_before = sorted_values(*before, head, b_end);
    values_missing(*before, ttl, head, b_end, sorted_after, change.removed);
    values_missing(*after, ttl, head, a_end, sorted_before, change.added);
}

void compose_changes(core::ZoneChange& into, const core::ZoneChange& next) {
    // Membership of every record either change names, as bits.
    enum : unsigned { R1 = 1, A1 = 2, R2 = 4, A2 = 8 };
    std::vector<core::ResourceRecord> order;  // first appearance
    std::unordered_map<const core::ResourceRecord*, unsigned, RrHash, RrEq> bits;
    auto note = [&](const std::vector<core::ResourceRecord>& rrs, unsigned bit) {
        for (const auto& rr : rrs) {
            auto [it, fresh] = bits.try_emplace(&rr, 0u);
            it->second |= bit;
            if (fresh) order.push_back(rr);
        }
    };
    order.reserve(into.removed.size() + into.added.size() + next.removed.size() +
                  next.added.size());
    note(into.removed, R1);
    note(into.added, A1);
    note(next.removed, R2);
    note(next.added, A2);
    std::vector<core::ResourceRecord> removed, added;
    for (auto& rr : order) {
        // `bits` is keyed by pointers into the inputs; equal records share a key.
        const unsigned b = bits.find(&rr)->second;
        // Exact differences: a removed record existed; an added one did not
        // (unless removed by the same change).
        const bool before = (b & R1) || ((b & R2) && !(b & A1));
        const bool middle = (before && !(b & R1)) || (b & A1);
        const bool after = (middle && !(b & R2)) || (b & A2);
        if (before && !after) removed.push_back(std::move(rr));
        if (!before && after) added.push_back(std::move(rr));
    }
    into.removed = std::move(removed);
    into.added = std::move(added);
    into.new_serial = next.new_serial;
    into.committed_at = next.committed_at;
    into.zone = next.zone;
    into.soa_data = next.soa_data;
}

}  // namespace dnsplane::service
