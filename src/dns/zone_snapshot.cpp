#include "dns/zone_snapshot.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>

#include "dns/wire.h"

namespace dnsplane::dns {

namespace {

// The name inside NS/MX/SRV rdata that gets additional processing.
const knot_dname_t* additional_target(const knot_rdata_t* rd, std::uint16_t type) {
    switch (type) {
        case KNOT_RRTYPE_NS:
            return knot_ns_name(rd);
        case KNOT_RRTYPE_MX:
            return knot_mx_name(rd);
        case KNOT_RRTYPE_SRV:
            return knot_srv_name(rd);
        default:
            return nullptr;
    }
}

}  // namespace

const knot_rrset_t* ZoneNode::find(std::uint16_t type) const {
    // Few types per node: a linear scan beats anything cleverer.
    for (const knot_rrset_t& rr : rrsets) {
        if (rr.type == type) return &rr;
        if (rr.type > type) break;
    }
    return nullptr;
}

std::size_t ZoneNode::record_count() const {
    std::size_t n = 0;
    for (const knot_rrset_t& rr : rrsets) n += rr.rrs.count;
    return n;
}

void ZoneNode::destroy(ZoneNode* node) {
    node->~ZoneNode();
    std::free(node);
}

ZoneSnapshot::~ZoneSnapshot() = default;

const ZoneNode* ZoneSnapshot::find_node(std::string_view lower_wire) const {
    auto h =
        hash_bytes(reinterpret_cast<const std::uint8_t*>(lower_wire.data()), lower_wire.size());
    return nodes_.find(h, lower_wire);
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

const ZoneNode* ZoneSnapshot::parent(const ZoneNode& node) const {
    if (&node == apex_ || *node.owner == 0) return nullptr;
    return find_node(knot_wire_next_label(node.owner, nullptr));
}

const ZoneNode* ZoneSnapshot::wildcard_child(const ZoneNode& node) const {
    if (node.owner_len + 2 > KNOT_DNAME_MAXLEN) return nullptr;
    std::uint8_t buf[KNOT_DNAME_MAXLEN + 2];
    buf[0] = 1;
    buf[1] = '*';
    std::memcpy(buf + 2, node.owner, node.owner_len);
    return find_node(std::string_view(reinterpret_cast<const char*>(buf), node.owner_len + 2u));
}

const ZoneNode* ZoneSnapshot::cut(const ZoneNode& node) const {
    if (cuts_.empty() || &node == apex_) return nullptr;
    // Label starts of the owner strictly below the apex, then the topmost
    // one holding NS (Knot: the delegation closest to the apex wins).
    const knot_dname_t* starts[KNOT_DNAME_MAXLABELS];
    std::size_t labels = 0;
    const knot_dname_t* p = node.owner;
    const std::size_t below = knot_dname_labels(node.owner, nullptr) - apex_labels_;
    for (; labels < below; p = knot_wire_next_label(p, nullptr)) starts[labels++] = p;
    while (labels > 0) {
        const knot_dname_t* s = starts[--labels];
        std::size_t len = node.owner_len - static_cast<std::size_t>(s - node.owner);
        if (const ZoneNode* c =
                cuts_.find(hash_bytes(s, len), {reinterpret_cast<const char*>(s), len})) {
            return c;
        }
    }
    return nullptr;
}

const ZoneNode* ZoneSnapshot::find_node_or_wildcard(const knot_dname_t* name) const {
    if (!contains(name)) return nullptr;
    knot_dname_storage_t lower;
    knot_dname_copy_lower(lower, name);
    auto [match, encloser] = lookup(lower);
    return match ? match : wildcard_child(*encloser);
}

bool ZoneSnapshot::glue_for(const knot_rdata_t* rd, std::uint16_t type,
                            const knot_dname_t* rr_owner, GlueRef& out) const {
    const knot_dname_t* target = additional_target(rd, type);
    if (!target) return false;
    const ZoneNode* node = find_node_or_wildcard(target);
    if (!node) return false;
    bool mandatory = type == KNOT_RRTYPE_NS &&
                     knot_dname_in_bailiwick(node->owner, rr_owner) >= 0 && cut(*node) != nullptr;
    out = GlueRef{target, node, !mandatory};
    return true;
}

std::vector<GlueRef> ZoneSnapshot::additionals(const knot_rrset_t& rr) const {
    std::vector<GlueRef> out;
    for (bool mandatory_pass : {true, false}) {
        const knot_rdata_t* rd = rr.rrs.rdata;
        for (std::uint16_t i = 0; i < rr.rrs.count;
             ++i, rd = knot_rdataset_next(const_cast<knot_rdata_t*>(rd))) {
            GlueRef g;
            if (glue_for(rd, rr.type, rr.owner, g) && g.optional != mandatory_pass)
                out.push_back(g);
        }
    }
    return out;
}

const std::vector<const ZoneNode*>& ZoneSnapshot::canonical_order() const {
    std::call_once(order_once_, [this] {
        // Lookup-format keys (labels reversed) compare bytewise in canonical
        // order for lower-case names.
        struct Key {
            const ZoneNode* node;
            std::uint32_t off;
            std::uint16_t len;
        };
        std::vector<Key> keys;
        keys.reserve(nodes_.size());
        std::string bytes;
        bytes.reserve(nodes_.size() * 24);
        nodes_.for_each([&](const ZoneNode* n) {
            knot_dname_storage_t storage;
            const std::uint8_t* lf = knot_dname_lf(n->owner, storage);
            keys.push_back({n, static_cast<std::uint32_t>(bytes.size()), lf[0]});
            bytes.append(reinterpret_cast<const char*>(lf + 1), lf[0]);
        });
        std::sort(keys.begin(), keys.end(), [&](const Key& a, const Key& b) {
            return std::string_view(bytes.data() + a.off, a.len) <
                   std::string_view(bytes.data() + b.off, b.len);
        });
        order_.reserve(keys.size());
        for (const Key& k : keys) order_.push_back(k.node);
    });
    return order_;
}

void ZoneSnapshot::for_each_rrset(const std::function<void(const knot_rrset_t&)>& fn) const {
    fn(*soa_);
    for (const ZoneNode* node : canonical_order()) {
        for (const knot_rrset_t& rr : node->rrsets) {
            if (&rr != soa_) fn(rr);
        }
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
