#include "dns/zone_snapshot.h"

#include <cstring>

#include "dns/wire.h"

namespace dnsplane::dns {

const knot_rrset_t* ZoneNode::find(std::uint16_t type) const {
    // Few types per node: a linear scan beats anything cleverer.
    for (const knot_rrset_t& rr : rrsets) {
        if (rr.type == type) return &rr;
        if (rr.type > type) break;
    }
    return nullptr;
}

std::uint32_t ZoneSnapshot::hash_name(const std::uint8_t* name, std::size_t len) {
    // FNV-1a, folded: names are short and this inlines well.
    std::uint64_t h = 1469598103934665603ull;
    for (std::size_t i = 0; i < len; ++i) {
        h ^= name[i];
        h *= 1099511628211ull;
    }
    return static_cast<std::uint32_t>(h ^ (h >> 32));
}

ZoneSnapshot::~ZoneSnapshot() {
    for (knot_rrset_t& rr : rrsets_) knot_rdataset_clear(&rr.rrs, nullptr);
}

const ZoneNode* ZoneSnapshot::find_node(std::string_view lower_wire) const {
    if (index_.empty()) return nullptr;
    const auto* key = reinterpret_cast<const std::uint8_t*>(lower_wire.data());
    std::uint32_t h = hash_name(key, lower_wire.size());
    std::size_t mask = index_.size() - 1;
    for (std::size_t i = h & mask;; i = (i + 1) & mask) {
        const Slot& slot = index_[i];
        if (slot.node == 0) return nullptr;
        if (slot.hash != h) continue;
        const ZoneNode& node = nodes_[slot.node - 1];
        if (knot_dname_size(node.owner) == lower_wire.size() &&
            std::memcmp(node.owner, key, lower_wire.size()) == 0) {
            return &node;
        }
    }
}

const ZoneNode* ZoneSnapshot::find_node(const knot_dname_t* lower_wire) const {
    return find_node(wire::name_bytes(lower_wire));
}

ZoneSnapshot::Lookup ZoneSnapshot::lookup(const knot_dname_t* lower_name) const {
    if (const ZoneNode* exact = find_node(lower_name)) return {exact, exact};
    // Strip labels until a node exists; every ancestor of a node up to the
    // apex is itself a node (empty non-terminals included).
    const knot_dname_t* p = lower_name;
    while (*p != 0) {
        p = knot_wire_next_label(p, nullptr);
        if (const ZoneNode* node = find_node(p)) return {nullptr, node};
    }
    return {nullptr, apex_};
}

bool ZoneSnapshot::contains(const knot_dname_t* name) const {
    return knot_dname_in_bailiwick(name, apex_->owner) >= 0;
}

void ZoneSnapshot::for_each_rrset(const std::function<void(const knot_rrset_t&)>& fn) const {
    fn(*soa_);
    for (const knot_rrset_t& rr : rrsets_) {
        if (&rr != soa_) fn(rr);
    }
}

void ZoneSnapshot::for_each_record(const std::function<void(const WireRecord&)>& fn) const {
    for_each_rrset([&](const knot_rrset_t& rr) {
        knot_rdata_t* rd = rr.rrs.rdata;
        for (std::uint16_t i = 0; i < rr.rrs.count; ++i) {
            fn(WireRecord{rr.owner, rr.type, rr.ttl, {rd->data, rd->len}});
            rd = knot_rdataset_next(rd);
        }
    });
}

}  // namespace dnsplane::dns
